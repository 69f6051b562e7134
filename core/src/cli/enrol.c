/* cli/enrol.c: `enrol confirm|withdraw|complete PERSON SESSION` and
 * `session capacity SESSION N`: the changes to a place after planning, and
 * the waitlist offer a freed place triggers. */
#include "cli.h"

#include "cpdplan/enrol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(cp_cli *cli, const cp_enrol_outcome *o) {
  fprintf(cli->out, "%s: %s on %s, %s -> %s", o->person, o->activity, o->start, o->from, o->to);
  if (strcmp(o->to, "completed") == 0) fprintf(cli->out, " (%g hours in the CPD record)", o->hours);
  fputc('\n', cli->out);
  if (*o->offered) fprintf(cli->out, "The place freed is offered to %s, first on the waitlist who can take it.\n", o->offered);
  else if (strcmp(o->to, "withdrawn") == 0 && (strcmp(o->from, "proposed") == 0 || strcmp(o->from, "confirmed") == 0))
    fprintf(cli->out, "The place freed is open: nobody on the waitlist can take it.\n");
}

static int enrol_cmd(cp_cli *cli, int argc, char **argv, int which) {
  cli_opt o[] = {{"hours="}, {"reflection="}, {"date="}};
  size_t no = which == 2 ? sizeof o / sizeof *o : 0, npos;
  const char *pos[2];
  int rc = cli_parse(cli, argc, argv, o, no, pos, 2, &npos);
  if (!rc && npos != 2) rc = cli_usage(cli, "give the person (email or identifier) and the session's identifier");
  double hours = -1;
  if (!rc && which == 2 && o[0].value) {
    char *end;
    hours = strtod(o[0].value, &end);
    if (*end || !(hours >= 0) || hours > 10000) rc = cli_usage(cli, "--hours: wanted a number of hours, 0 or more");
  }
  cp_store *st = rc ? NULL : cli_store(cli, 0);
  if (!rc && !st) rc = CLI_FAIL;
  cp_enrol_outcome out;
  cp_error e;
  cp_error_clear(&e);
  if (!rc) {
    int r = which == 0   ? cp_enrol_confirm(st, pos[0], pos[1], &out, &e)
            : which == 1 ? cp_enrol_withdraw(st, pos[0], pos[1], &out, &e)
                         : cp_enrol_complete(st, pos[0], pos[1], hours, o[1].value, o[2].value, &out, &e);
    if (r) rc = cli_fail(cli, &e);
    else report(cli, &out);
  }
  if (no) cli_opts_free(o, no);
  return rc;
}

static int cmd_confirm(cp_cli *cli, int argc, char **argv) { return enrol_cmd(cli, argc, argv, 0); }
static int cmd_withdraw(cp_cli *cli, int argc, char **argv) { return enrol_cmd(cli, argc, argv, 1); }
static int cmd_complete(cp_cli *cli, int argc, char **argv) { return enrol_cmd(cli, argc, argv, 2); }

static int cmd_capacity(cp_cli *cli, int argc, char **argv) {
  const char *pos[2];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 2, &npos);
  if (!rc && npos != 2) rc = cli_usage(cli, "give the session's identifier and its new capacity");
  long cap = 0;
  if (!rc) {
    char *end;
    cap = strtol(pos[1], &end, 10);
    if (*end || cap < 0 || cap > 100000) rc = cli_usage(cli, "capacity: wanted a whole number, 0 (not limited) or more");
  }
  cp_store *st = rc ? NULL : cli_store(cli, 0);
  if (!rc && !st) rc = CLI_FAIL;
  int offered = 0;
  cp_error e;
  cp_error_clear(&e);
  if (!rc && cp_session_set_capacity(st, pos[0], (int)cap, &offered, &e)) rc = cli_fail(cli, &e);
  if (!rc)
    fprintf(cli->out, "Session %s: capacity %ld%s; %d place%s offered from the waitlist.\n", pos[0], cap,
            cap ? "" : " (not limited)", offered, offered == 1 ? "" : "s");
  return rc;
}

const cp_command cp_cmds_enrol[] = {
    {"enrol", "confirm", cmd_confirm, "PERSON SESSION", "confirm a proposed (or waitlisted) place",
     "A confirmed place is fixed: re-planning never moves it. A waitlisted place\n"
     "is confirmed only when the session has a free place the person can take.\n"},
    {"enrol", "withdraw", cmd_withdraw, "PERSON SESSION", "give up a place",
     "The place is kept as withdrawn (the planner will not offer that session to\n"
     "the person again). A freed place is offered, as a proposal, to the first\n"
     "person on the session's waitlist who can take it (no other session of the\n"
     "activity, no clash, prerequisites met), without re-planning anyone else.\n"},
    {"enrol", "complete", cmd_complete, "PERSON SESSION [--hours H] [--reflection TEXT] [--date YYYY-MM-DD]",
     "record a confirmed or attended place as completed",
     "Adds the activity to the person's CPD record: hours (default: the\n"
     "activity's days x 6), an optional reflection, the date (default today).\n"
     "A completed activity meets the prerequisites of later ones.\n"},
    {"session", "capacity", cmd_capacity, "SESSION N", "change a session's capacity",
     "Sets the number of places (0 = not limited). Each place this frees is\n"
     "offered down the session's waitlist.\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
