/* cli/plan.c: `schedule` (allocate the cycle's session places and write
 * everyone's plan), `plan show PERSON` and `plan list` (the stored plans,
 * with the design's CSV columns: person, cycle, kind, activity, session,
 * start, end, status, score, reason). */
#include "cli.h"

#include "cpdplan/planner.h"
#include "cpdplan/plugins_enabled.h"
#include "cpdplan/snapshot.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The default rules' stored options may set max_days and max_places. */
static void limits_from_options(const cli_rules *cr, cp_schedule_options *opt) {
  for (size_t i = 0; i < cr->nenabled; i++) {
    if (strcmp(cr->enabled[i].path, "default") != 0 || !cr->enabled[i].options_json) continue;
    json_t *j = json_loads(cr->enabled[i].options_json, JSON_DECODE_ANY, NULL);
    json_t *d = json_object_get(j, "max_days"), *p = json_object_get(j, "max_places");
    if (json_is_number(d) && json_number_value(d) > 0) opt->max_days = json_number_value(d);
    if (json_is_integer(p) && json_integer_value(p) > 0) opt->max_places = (uint32_t)json_integer_value(p);
    json_decref(j);
  }
}

enum { S_FORMAT = CLI_RULE_NOPTS, S_DRY, S_EXPLAIN, S_EXACT, S_FAST, S_TIME, S_THREADS, S_DAYS, S_PLACES, S_N };

static int parse_positive(cp_cli *cli, const char *v, const char *what, double max, double *out) {
  char *end;
  double x = strtod(v, &end);
  if (*end || !(x > 0) || x > max) return cli_usage(cli, "%s: wanted a number above 0", what);
  *out = x;
  return CLI_OK;
}

#define CHANGES_SHOWN 50

static void print_changes(cp_cli *cli, const cp_snapshot *sn, const cp_schedule_report *rep, cli_format fmt) {
  static const char *const h[] = {"person", "change", "activity", "from", "to"};
  cli_rows rows;
  cli_rows_begin(&rows, cli->out, fmt, 5, h);
  for (size_t i = 0; i < rep->nchanges && i < CHANGES_SHOWN; i++) {
    const cp_plan_change *c = &rep->changes[i];
    uint32_t s = c->to != CP_SNAP_NONE ? c->to : c->from;
    const char *what = c->from == CP_SNAP_NONE ? "join" : c->to == CP_SNAP_NONE ? "leave" : "move";
    const char *cells[] = {sn->people[c->person].email, what, sn->activities[sn->sessions[s].activity].code,
                           c->from == CP_SNAP_NONE ? "" : sn->sessions[c->from].start,
                           c->to == CP_SNAP_NONE ? "" : sn->sessions[c->to].start};
    cli_rows_add(&rows, cells);
  }
  cli_rows_end(&rows);
  if (rep->nchanges > CHANGES_SHOWN)
    fprintf(cli->out, "... and %zu more (--format json lists them all).\n", rep->nchanges - CHANGES_SHOWN);
}

static int cmd_schedule(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"format="}, {"dry-run"}, {"explain"}, {"exact"}, {"fast"}, {"time="}, {"threads="},
                 {"max-days="}, {"max-places="}};
  size_t no = sizeof o / sizeof *o, npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, NULL, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[S_FORMAT].value, (1 << FMT_TEXT) | (1 << FMT_JSON), &fmt);
  cp_schedule_options opt = CP_SCHEDULE_OPTIONS_INIT;
  opt.dry_run = o[S_DRY].count > 0;
  opt.sched.explain = o[S_EXPLAIN].count > 0;
  if (!rc && o[S_EXACT].count && o[S_FAST].count) rc = cli_usage(cli, "give --exact or --fast, not both");
  opt.sched.method = o[S_EXACT].count ? CP_SCHED_EXACT : o[S_FAST].count ? CP_SCHED_FAST : CP_SCHED_AUTO;
  double x = 0;
  if (!rc && o[S_TIME].value && !(rc = parse_positive(cli, o[S_TIME].value, "--time", 86400, &x)))
    opt.sched.time_limit = x;
  if (!rc && o[S_THREADS].value && !(rc = parse_positive(cli, o[S_THREADS].value, "--threads", 64, &x)))
    opt.sched.threads = (unsigned)x;
  double days = 0, places = 0;
  if (!rc && o[S_DAYS].value) rc = parse_positive(cli, o[S_DAYS].value, "--max-days", 366, &days);
  if (!rc && o[S_PLACES].value) {
    rc = parse_positive(cli, o[S_PLACES].value, "--max-places", 1000, &places);
    if (!rc && places != floor(places)) rc = cli_usage(cli, "--max-places: wanted a whole number");
  }
  if (!rc && !opt.dry_run && !cli_store(cli, 0)) rc = CLI_FAIL;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  cli_rules cr;
  if (!rc) rc = cli_rules_open(cli, o, &cr);
  cli_opts_free(o, no);
  if (rc) return rc;
  limits_from_options(&cr, &opt);
  /* without --time the whole command aims at under a minute: the solve gets
   * what reading the store and the rules leave of 55 s */
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!opt.sched.time_limit)
    opt.budget = 55 - ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  if (days > 0) opt.max_days = days;
  if (places > 0) opt.max_places = (uint32_t)places;
  cp_schedule_report rep;
  cp_error e;
  cp_error_clear(&e);
  if (cp_schedule_run(cli->store, cr.rules, &opt, &rep, &e)) {
    cli_rules_close(&cr);
    return cli_fail(cli, &e);
  }
  const cp_snapshot *sn = cr.snap;
  const cp_sched_result *res = &rep.result;
  if (fmt == FMT_JSON) {
    json_t *root = json_loads(rep.json, 0, NULL);
    if (!root) root = json_object();
    json_object_set_new(root, "dry_run", json_boolean(opt.dry_run));
    if (opt.dry_run) {
      json_t *ch = json_array();
      for (size_t i = 0; i < rep.nchanges; i++) {
        const cp_plan_change *c = &rep.changes[i];
        json_array_append_new(
            ch, json_pack("{s:s,s:s,s:o,s:o}", "person", sn->people[c->person].email, "change",
                          c->from == CP_SNAP_NONE ? "join" : c->to == CP_SNAP_NONE ? "leave" : "move", "from",
                          c->from == CP_SNAP_NONE ? json_null() : json_string(sn->sessions[c->from].uuid), "to",
                          c->to == CP_SNAP_NONE ? json_null() : json_string(sn->sessions[c->to].uuid)));
      }
      json_object_set_new(root, "changes", ch);
    }
    cli_json_print(cli, root); /* takes it */
  } else {
    char a[32], b[32];
    fprintf(cli->out, "%s cycle %s as of %s: %zu people with options, %zu sessions, %zu options; %s method, %.2f s.\n",
            opt.dry_run ? "Would plan" : "Planned", sn->cycle, sn->today, rep.people, rep.sessions, rep.options,
            res->used == CP_SCHED_EXACT ? "exact" : "fast", rep.seconds_rules + rep.seconds_solve + rep.seconds_write);
    if (res->optimal)
      fprintf(cli->out, "Objective %s: proved optimal (no plan scores higher).\n",
              cli_fmt_num(a, sizeof a, rep.objective));
    else
      fprintf(cli->out, "Objective %s; no plan can score more than %s: within %.2f%% of the best.\n",
              cli_fmt_num(a, sizeof a, rep.objective), cli_fmt_num(b, sizeof b, rep.bound), 100 * res->gap);
    fprintf(cli->out, "Places: %zu proposed, %zu held already, %zu waitlisted.", rep.places, rep.fixed,
            rep.waitlisted);
    if (rep.max_places || rep.max_days) {
      fprintf(cli->out, " Limits per person:");
      if (rep.max_places) fprintf(cli->out, " %u places", (unsigned)rep.max_places);
      if (rep.max_days) fprintf(cli->out, " %s days", cli_fmt_num(a, sizeof a, rep.max_days));
      fputc('.', cli->out);
    }
    fprintf(cli->out, "\nNeeds: %zu, of which %zu covered and %zu open (see cpdplan plan show PERSON).\n", rep.needs,
            rep.covered, rep.open);
    if (opt.sched.explain) {
      fprintf(cli->out, "\nWhere one more place adds most (the dual price of the session's capacity%s):\n\n",
              res->extra_value ? "; re-solved for the top sessions" : "");
      static const char *const h[] = {"session", "activity", "start", "capacity", "price", "re-solved"};
      cli_rows rows;
      cli_rows_begin(&rows, cli->out, FMT_TEXT, 6, h);
      json_t *root = json_loads(rep.json, 0, NULL);
      json_t *val = json_object_get(root, "capacity_value");
      size_t i;
      json_t *v;
      json_array_foreach(val, i, v) {
        if (i >= 10) break;
        char cap[16], pr[32], ex[32] = "";
        snprintf(cap, sizeof cap, "%d", (int)json_integer_value(json_object_get(v, "capacity")));
        cli_fmt_num(pr, sizeof pr, json_number_value(json_object_get(v, "price")));
        json_t *xv = json_object_get(v, "extra_value");
        if (json_is_number(xv)) cli_fmt_num(ex, sizeof ex, json_number_value(xv));
        const char *cells[] = {json_string_value(json_object_get(v, "session")),
                               json_string_value(json_object_get(v, "activity")),
                               json_string_value(json_object_get(v, "start")), cap, pr, ex};
        cli_rows_add(&rows, cells);
      }
      cli_rows_end(&rows);
      json_t *unmet = json_object_get(root, "unmet_demand");
      if (json_array_size(unmet)) {
        fprintf(cli->out, "\nDemand the sessions could not meet (people who wanted the activity and found it full):\n\n");
        static const char *const h2[] = {"activity", "people"};
        cli_rows_begin(&rows, cli->out, FMT_TEXT, 2, h2);
        json_array_foreach(unmet, i, v) {
          char n[16];
          snprintf(n, sizeof n, "%d", (int)json_integer_value(json_object_get(v, "people")));
          const char *cells[] = {json_string_value(json_object_get(v, "activity")), n};
          cli_rows_add(&rows, cells);
        }
        cli_rows_end(&rows);
      }
      json_decref(root);
    }
    if (opt.dry_run) {
      if (rep.nchanges) {
        fprintf(cli->out, "\nChanges against the stored plan (%zu):\n\n", rep.nchanges);
        print_changes(cli, sn, &rep, FMT_TEXT);
      } else {
        fprintf(cli->out, "\nNo change against the stored plan.\n");
      }
    }
  }
  cp_schedule_report_free(&rep);
  cli_rules_close(&cr);
  return CLI_OK;
}

/* One plan row as JSON: the CSV columns as keys. */
static json_t *row_json(const cp_plan_row *x) {
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:s}", "person", x->person, "cycle", x->cycle, "kind",
                   x->kind, "activity", x->activity, "session", x->session, "start", x->start, "end", x->end, "status",
                   x->status, "score", x->score, "reason", x->reason, "statements", x->statements, "place", x->place);
}

static void print_rows(cp_cli *cli, const cp_plan_row *v, size_t n, cli_format fmt) {
  char sc[32];
  if (fmt == FMT_JSON) {
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(arr, row_json(&v[i]));
    cli_json_print(cli, arr); /* takes it */
    return;
  }
  static const char *const h[] = {"person", "cycle", "kind", "activity", "session", "start", "end", "status",
                                  "score", "reason"};
  cli_rows rows;
  cli_rows_begin(&rows, cli->out, fmt, 10, h);
  for (size_t i = 0; i < n; i++) {
    /* an open need names its statement where a session row names the activity */
    char reason[1200];
    if (strcmp(v[i].kind, "open") == 0) snprintf(reason, sizeof reason, "%s: %s", v[i].statements, v[i].reason);
    else if (*v[i].statements) snprintf(reason, sizeof reason, "%s; covers %s", v[i].reason, v[i].statements);
    else snprintf(reason, sizeof reason, "%s", v[i].reason);
    const char *cells[] = {v[i].person, v[i].cycle, v[i].kind, v[i].activity, v[i].session, v[i].start,
                           v[i].end, v[i].status, cli_fmt_num(sc, sizeof sc, v[i].score), reason};
    cli_rows_add(&rows, cells);
  }
  cli_rows_end(&rows);
}

static int plan_read(cp_cli *cli, int argc, char **argv, int one) {
  cli_opt o[] = {{"format="}, {"cycle="}};
  size_t no = sizeof o / sizeof *o, npos;
  const char *pos[1] = {NULL};
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, pos, one ? 1 : 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  if (!rc && one && npos != 1) rc = cli_usage(cli, "give the person (email or identifier)");
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_plan_row *v = NULL;
  size_t n = 0;
  char *run = NULL;
  cp_error e;
  cp_error_clear(&e);
  if (!rc && cp_plan_rows(st, one ? pos[0] : NULL, o[1].value, &v, &n, &e)) rc = cli_fail(cli, &e);
  if (!rc && cp_plan_run_json(st, o[1].value, &run, &e)) rc = cli_fail(cli, &e);
  cli_opts_free(o, no);
  if (rc) {
    cp_plan_rows_free(v, n);
    return rc;
  }
  if (one && fmt == FMT_TEXT) {
    json_t *r = json_loads(run, 0, NULL);
    char ob[32];
    fprintf(cli->out, "Plan for %s, cycle %s (made %s; objective %s, %s).\n\n", pos[0],
            json_string_value(json_object_get(r, "cycle")), json_string_value(json_object_get(r, "made")),
            cli_fmt_num(ob, sizeof ob, json_number_value(json_object_get(r, "objective"))),
            json_is_true(json_object_get(r, "optimal")) ? "proved optimal" : "within the gap reported");
    json_decref(r);
    static const char *const h[] = {"kind", "activity", "session / mentor", "start", "status", "score", "covers / reason"};
    cli_rows rows;
    cli_rows_begin(&rows, cli->out, FMT_TEXT, 7, h);
    char sc[32];
    for (size_t i = 0; i < n; i++) {
      char reason[1200];
      int open = strcmp(v[i].kind, "open") == 0;
      if (open) snprintf(reason, sizeof reason, "%s: %s", v[i].statements, v[i].reason);
      else snprintf(reason, sizeof reason, "%s%s%s", v[i].statements, *v[i].statements ? " — " : "", v[i].reason);
      const char *cells[] = {v[i].kind, v[i].activity, v[i].session, v[i].start, v[i].status,
                             cli_fmt_num(sc, sizeof sc, v[i].score), reason};
      cli_rows_add(&rows, cells);
    }
    cli_rows_end(&rows);
    if (!n) fprintf(cli->out, "Nothing planned: the person has no needs and no places.\n");
  } else if (fmt == FMT_JSON) {
    json_t *root = json_object();
    json_t *r = json_loads(run, 0, NULL);
    json_object_set_new(root, "run", r ? r : json_object());
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(arr, row_json(&v[i]));
    json_object_set_new(root, "items", arr);
    cli_json_print(cli, root); /* takes it */
  } else {
    print_rows(cli, v, n, fmt);
  }
  free(run);
  cp_plan_rows_free(v, n);
  return CLI_OK;
}

static int cmd_plan_show(cp_cli *cli, int argc, char **argv) { return plan_read(cli, argc, argv, 1); }
static int cmd_plan_list(cp_cli *cli, int argc, char **argv) { return plan_read(cli, argc, argv, 0); }

const cp_command cp_cmds_plan[] = {
    {"schedule", NULL, cmd_schedule,
     "[--dry-run] [--explain] [--exact|--fast] [--time S] [--max-days D] [--max-places N] [--format text|json]",
     "allocate the cycle's session places and write everyone's plan",
     "Gives people places in the sessions after the date of the run so that the\n"
     "total score_activity of the places given is as high as possible, within\n"
     "capacity, one session per activity, no overlaps, prerequisites first, and\n"
     "the per-person limits. Confirmed and later places stay; only proposals\n"
     "move, and among equally good plans the current proposals are kept. Prints\n"
     "the objective reached, an upper bound on the best possible one and the\n"
     "gap between them. Each need ends covered or open with the reason; people\n"
     "who wanted a full session are waitlisted in order of score.\n"
     "  --dry-run            write nothing; list who would join, leave or move\n"
     "  --explain            the value of one more place per session, and the\n"
     "                       demand each activity could not meet\n"
     "  --exact / --fast     CBC's exact solve (default up to 2000 people) or the\n"
     "                       Lagrangian method (default above)\n"
     "  --time S             time limit of the solve in seconds (default: what\n"
     "                       reading the data and the rules leave of 55 s)\n"
     "  --threads N          threads (default: the cores, at most 2)\n"
     "  --max-days D, --max-places N   per person per cycle (or max_days and\n"
     "                       max_places in the default rules' options)\n" CLI_RULE_HELP},
    {"plan", "show", cmd_plan_show, "PERSON [--cycle C] [--format text|csv|json]", "a person's plan",
     "The person's plan for the cycle (latest planned by default): sessions\n"
     "(proposed, confirmed, waitlisted...), mentors, and the needs left open\n"
     "with the reason.\n"},
    {"plan", "list", cmd_plan_list, "[--cycle C] [--format text|csv|json]", "everyone's plan",
     "Every plan row of the cycle. CSV columns: person, cycle, kind (session,\n"
     "mentor, open), activity, session (its identifier; the mentor's email for a\n"
     "mentor row), start, end, status, score, reason (for an open row the\n"
     "statement, then why it is open).\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
