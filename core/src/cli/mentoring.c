/* cli/mentoring.c: `mentors assign` (pair mentees with mentors for the whole
 * service, exactly) and `mentors list` (the stored pairs, with the columns
 * the design's file formats give: mentee, mentor, score, statements, status). */
#include "cli.h"

#include "cpdplan/mentoring.h"
#include "cpdplan/snapshot.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAIRS_SHOWN 20 /* pairs listed in text; CSV and JSON have them all */
#define CODES_SHOWN 4  /* statements of a pair shown in text; CSV and JSON have them all */

static int cmd_mentors_assign(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"format="}, {"dry-run"}, {"threads="}};
  size_t no = sizeof o / sizeof *o, npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, NULL, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[CLI_RULE_NOPTS].value, 7, &fmt);
  int dry = o[CLI_RULE_NOPTS + 1].count > 0;
  unsigned threads = 0;
  if (!rc && o[CLI_RULE_NOPTS + 2].value) {
    char *end;
    long t = strtol(o[CLI_RULE_NOPTS + 2].value, &end, 10);
    if (*end || t < 1 || t > 2) rc = cli_usage(cli, "--threads: 1 or 2");
    threads = (unsigned)t;
  }
  if (!rc && !dry && !cli_store(cli, 0)) rc = CLI_FAIL;
  cli_rules cr;
  if (!rc) rc = cli_rules_open(cli, o, &cr);
  cli_opts_free(o, no);
  if (rc) return rc;
  cp_mentors_assign_options opt = CP_MENTORS_ASSIGN_OPTIONS_INIT;
  opt.dry_run = dry;
  opt.threads = threads;
  cp_mentors_assign_report rep;
  cp_error e;
  cp_error_clear(&e);
  if (cp_mentors_assign(cli->store, cr.rules, &opt, &rep, &e)) {
    cli_rules_close(&cr);
    return cli_fail(cli, &e);
  }
  const cp_snapshot *sn = cr.snap;
  char sc[32], codes[256];
  if (fmt == FMT_JSON) {
    json_t *pairs = json_array();
    for (size_t i = 0; i < rep.npairs; i++) {
      const cp_assigned_pair *p = &rep.pairs[i];
      json_array_append_new(pairs, json_pack("{s:s,s:s,s:f,s:s,s:b,s:s}", "mentee", sn->people[p->mentee].email,
                                             "mentor", sn->people[p->mentor].email, "score", p->score, "statements",
                                             p->statements, "kept", p->kept, "reason", p->reason));
    }
    json_t *root = json_pack("{s:s,s:b,s:b,s:o,s:f,s:I,s:I,s:I,s:I,s:I,s:b,s:o}", "cycle", sn->cycle, "dry_run", dry,
                             "exact", 1, "total", json_integer(rep.total), "total_score",
                             (double)rep.total / CP_SCORE_SCALE, "mentees", (json_int_t)rep.mentees, "mentors",
                             (json_int_t)rep.mentors, "active_kept", (json_int_t)rep.active_kept, "pairs_scored",
                             (json_int_t)rep.pairs_scored, "allowed_pairs", (json_int_t)rep.arcs, "strength_pairs",
                             rep.strength_pairs > 0, "pairs", pairs);
    cli_json_print(cli, root); /* takes it */
  } else if (fmt == FMT_CSV) {
    static const char *const h[] = {"mentee", "mentor", "score", "statements", "status"};
    cli_rows rows;
    cli_rows_begin(&rows, cli->out, FMT_CSV, 5, h);
    for (size_t i = 0; i < rep.npairs; i++) {
      const cp_assigned_pair *p = &rep.pairs[i];
      const char *cells[] = {sn->people[p->mentee].email, sn->people[p->mentor].email,
                             cli_fmt_num(sc, sizeof sc, p->score), p->statements, "proposed"};
      cli_rows_add(&rows, cells);
    }
    cli_rows_end(&rows);
  } else {
    fprintf(cli->out, "%s %zu mentoring pair%s for cycle %s: total score %s, the exact optimum.\n",
            dry ? "Would propose" : "Proposed", rep.npairs, rep.npairs == 1 ? "" : "s", sn->cycle,
            cli_fmt_num(sc, sizeof sc, (double)rep.total / CP_SCORE_SCALE));
    fprintf(cli->out, "%zu mentee%s with needs and no active mentor, %zu mentor%s with places; %zu active pair%s kept.\n",
            rep.mentees, rep.mentees == 1 ? "" : "s", rep.mentors, rep.mentors == 1 ? "" : "s", rep.active_kept,
            rep.active_kept == 1 ? "" : "s");
    fprintf(cli->out, "%zu pair%s scored (%s), %zu allowed; rules and matching %.2f s (matching %.2f s).\n", rep.pairs_scored,
            rep.pairs_scored == 1 ? "" : "s",
            rep.strength_pairs == CP_PAIRS_STRENGTHS_IN_SERVICE ? "only mentors in the service with a strength on a need"
            : rep.strength_pairs ? "only mentors with a strength on a need" : "every mentee with every mentor",
            rep.arcs, rep.seconds_rules, rep.seconds_match);
    if (rep.npairs) {
      fputc('\n', cli->out);
      static const char *const h[] = {"mentee", "mentor", "score", "statements", "reason"};
      cli_rows rows;
      cli_rows_begin(&rows, cli->out, FMT_TEXT, 5, h);
      for (size_t i = 0; i < rep.npairs && i < PAIRS_SHOWN; i++) {
        const cp_assigned_pair *p = &rep.pairs[i];
        const char *cells[] = {sn->people[p->mentee].email, sn->people[p->mentor].email,
                               cli_fmt_num(sc, sizeof sc, p->score), cli_fmt_codes(codes, sizeof codes, p->statements, CODES_SHOWN),
                               p->reason};
        cli_rows_add(&rows, cells);
      }
      cli_rows_end(&rows);
      if (rep.npairs > PAIRS_SHOWN)
        fprintf(cli->out, "... and %zu more (cpdplan mentors list, or --format csv, lists them all).\n",
                rep.npairs - PAIRS_SHOWN);
    }
  }
  cp_mentors_assign_report_free(&rep);
  cli_rules_close(&cr);
  return CLI_OK;
}

static int cmd_mentors_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}, {"status="}};
  size_t no = sizeof o / sizeof *o, npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, NULL, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_pair_row *v = NULL;
  size_t n = 0;
  cp_error e;
  cp_error_clear(&e);
  if (!rc && cp_mentors_list(st, o[1].value, &v, &n, &e)) rc = cli_fail(cli, &e);
  cli_opts_free(o, no);
  if (rc) return rc;
  char sc[32], codes[256];
  if (fmt == FMT_JSON) {
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(arr, json_pack("{s:s,s:s,s:f,s:s,s:s,s:s}", "mentee", v[i].mentee, "mentor", v[i].mentor,
                                           "score", v[i].score, "statements", v[i].statements, "status", v[i].status,
                                           "cycle", v[i].cycle));
    cli_json_print(cli, arr); /* takes it */
  } else {
    static const char *const h[] = {"mentee", "mentor", "score", "statements", "status"};
    cli_rows rows;
    cli_rows_begin(&rows, cli->out, fmt, 5, h);
    for (size_t i = 0; i < n; i++) {
      const char *cells[] = {v[i].mentee, v[i].mentor, cli_fmt_num(sc, sizeof sc, v[i].score),
                             fmt == FMT_TEXT ? cli_fmt_codes(codes, sizeof codes, v[i].statements, CODES_SHOWN)
                                             : v[i].statements,
                             v[i].status};
      cli_rows_add(&rows, cells);
    }
    cli_rows_end(&rows);
    if (fmt == FMT_TEXT && !n) fprintf(cli->out, "No mentoring pairs yet: see cpdplan mentors assign.\n");
  }
  cp_pair_rows_free(v, n);
  return CLI_OK;
}

const cp_command cp_cmds_mentoring[] = {
    {"mentors", "assign", cmd_mentors_assign, "[--dry-run] [--threads 1|2] [--format text|csv|json]",
     "pair mentees with mentors for the whole service (exact)",
     "Pairs every person with needs and no active mentor with a willing\n"
     "colleague within the colleague's capacity, so that the total of the\n"
     "score_mentor hook over the pairs is the highest possible: the matching\n"
     "is exact (a min-cost flow), not greedy, and the same input gives the same\n"
     "pairs. Active pairs are kept; the cycle's earlier proposals are replaced,\n"
     "keeping each where it is as good as any other. --dry-run writes nothing.\n"
     "With 2,000 people or more the needs and the pairs are worked out in two\n"
     "threads (each with its own copy of the rules); --threads 1 or 2 chooses.\n"
     "The pairs are the same either way.\n" CLI_RULE_HELP},
    {"mentors", "list", cmd_mentors_list, "[--status proposed|active|ended|all] [--format text|csv|json]",
     "the mentoring pairs",
     "The stored pairs (proposed and active unless --status says otherwise),\n"
     "by mentee: mentee, mentor, score, statements (the mentee's needs on the\n"
     "mentor's strengths), status.\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
