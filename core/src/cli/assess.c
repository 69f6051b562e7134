/* assess.c: the `assess` commands: record a judgement, import judgements,
 * and print the self-evaluation profile as text, CSV or JSON. */
#include "cli.h"

#include "cpdplan/assess.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int cmd_set(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"cycle="}, {"by="}, {"assessor="}, {"evidence="}, {"date="}, {"comment="}};
  const char *pos[3];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 6, pos, 3, &npos);
  if (!rc && npos != 3) rc = cli_usage(cli, "give the person, the statement and the grade (1-4 or NA)");
  if (!rc && !o[0].value) rc = cli_usage(cli, "give the review cycle with --cycle (e.g. 2026-27)");
  cp_store *st = rc ? NULL : cli_store(cli, 0);
  if (!rc && !st) rc = CLI_FAIL;
  if (!rc) {
    cp_assessment a = {.person = pos[0], .statement = pos[1], .grade = pos[2], .cycle = o[0].value,
                       .kind = o[1].value ? o[1].value : "self", .assessor = o[2].value,
                       .evidence = o[3].value, .date = o[4].value, .comment = o[5].value};
    cp_error e;
    cp_error_clear(&e);
    if (cp_assess_set(st, &a, &e)) rc = cli_fail(cli, &e);
    else if (a.uuid[0]) fprintf(cli->out, "recorded %s %s grade of %s on %s (%s)\n", a.person, a.kind, a.grade, a.statement, a.uuid);
    else fprintf(cli->out, "already recorded: %s %s grade of %s on %s\n", a.person, a.kind, a.grade, a.statement);
  }
  cli_opts_free(o, 6);
  return rc;
}

static int cmd_import(cp_cli *cli, int argc, char **argv) {
  return cli_run_import(cli, argc, argv, cp_assess_import_csv, "judgements", true);
}

static json_t *spread_json(const cp_grade_spread *g) {
  return json_pack("{s:i,s:i,s:o,s:o,s:o}", "count", g->count, "na", g->na, "min",
                   g->count ? json_integer(g->min) : json_null(), "max", g->count ? json_integer(g->max) : json_null(),
                   "mean", g->count ? json_real(g->mean) : json_null());
}

static json_t *grade_json(int g) { return g == CP_GRADE_NONE ? json_null() : g == CP_GRADE_NA ? json_string("NA") : json_integer(g); }

static void spread_text(const cp_grade_spread *g, char *buf, size_t n) {
  if (!g->count && !g->na) snprintf(buf, n, "-");
  else if (!g->count) snprintf(buf, n, "%d N/A", g->na);
  else if (g->min == g->max) snprintf(buf, n, "%d×%d", g->count, g->min);
  else snprintf(buf, n, "%d: %d-%d", g->count, g->min, g->max);
}

static void print_profile_text(cp_cli *cli, const cp_self_profile *sp) {
  fprintf(cli->out, "Self-evaluation profile: %s <%s>\n", sp->person.name, sp->person.email);
  fprintf(cli->out, "Post: %s   Team: %s   Service: %s   Cycle: %s\n\n", sp->person.post, sp->person.team,
          sp->person.service, sp->cycle);
  static const char *const h[] = {"statement", "self", "manager", "peers", "agreed", "evidence", "text"};
  cli_table *t = cli_table_new(7, h);
  for (size_t i = 0; i < sp->nlines; i++) {
    const cp_profile_line *l = &sp->lines[i];
    char peers[32], ev[16], text[64];
    spread_text(&l->peer, peers, sizeof peers);
    int nev = 0;
    for (const char *p = l->evidence; p && *p; p++) nev += *p == '<';
    snprintf(ev, sizeof ev, "%s", l->evidence[0] ? (nev ? "" : "1") : "");
    if (nev) snprintf(ev, sizeof ev, "%d", nev);
    size_t k = 0, w = 0;
    for (; l->statement[k] && w < 60; k++) w += ((unsigned char)l->statement[k] & 0xC0) != 0x80;
    snprintf(text, sizeof text, "%.*s%s", (int)k, l->statement, l->statement[k] ? "…" : "");
    const char *c[] = {l->code, cp_grade_str(l->self), cp_grade_str(l->manager), peers, cp_grade_str(l->agreed), ev, text};
    cli_table_add(t, c);
  }
  cli_table_print(t, cli->out);
  cli_table_free(t);
  fprintf(cli->out, "\nAgreed grades: 1: %d   2: %d   3: %d   4: %d   N/A: %d   not yet graded: %d   (%zu statements)\n",
          sp->counts[1], sp->counts[2], sp->counts[3], sp->counts[4], sp->counts[0], sp->ungraded, sp->nlines);
}

static int cmd_profile(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"cycle="}, {"format="}};
  const char *pos[1];
  size_t npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, 2, pos, 1, &npos);
  if (!rc) rc = cli_format_parse(cli, o[1].value, 7, &fmt);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the person (email or identifier)");
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_self_profile *sp = NULL;
  cp_error e;
  cp_error_clear(&e);
  if (!rc && cp_assess_profile(st, pos[0], o[0].value, &sp, &e)) rc = cli_fail(cli, &e);
  if (!rc && fmt == FMT_TEXT) print_profile_text(cli, sp);
  if (!rc && fmt == FMT_CSV) {
    static const char *const h[] = {"person", "cycle", "framework", "dimension", "statement", "text", "self",
                                    "manager", "peer_count", "peer_min", "peer_max", "stakeholder_count",
                                    "agreed", "agreed_by", "evidence", "comment"};
    cp_csv_write_row(cli->out, h, 16);
    for (size_t i = 0; i < sp->nlines; i++) {
      const cp_profile_line *l = &sp->lines[i];
      char pc[16], pmin[16], pmax[16], sc[16];
      snprintf(pc, sizeof pc, "%d", l->peer.count);
      snprintf(pmin, sizeof pmin, "%d", l->peer.min);
      snprintf(pmax, sizeof pmax, "%d", l->peer.max);
      snprintf(sc, sizeof sc, "%d", l->stakeholder.count);
      const char *c[] = {sp->person.email, sp->cycle, l->framework, l->dimension_code, l->code, l->statement,
                         l->self == CP_GRADE_NA ? "NA" : cp_grade_str(l->self),
                         l->manager == CP_GRADE_NA ? "NA" : cp_grade_str(l->manager), pc,
                         l->peer.count ? pmin : "", l->peer.count ? pmax : "", sc,
                         l->agreed == CP_GRADE_NA ? "NA" : cp_grade_str(l->agreed), l->agreed_by, l->evidence,
                         l->comment};
      cp_csv_write_row(cli->out, c, 16);
    }
  }
  if (!rc && fmt == FMT_JSON) {
    json_t *lines = json_array();
    for (size_t i = 0; i < sp->nlines; i++) {
      const cp_profile_line *l = &sp->lines[i];
      json_array_append_new(
          lines, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s}", "statement", l->code, "text",
                           l->statement, "framework", l->framework, "dimension", l->dimension_code, "self",
                           grade_json(l->self), "manager", grade_json(l->manager), "peer", spread_json(&l->peer),
                           "stakeholder", spread_json(&l->stakeholder), "agreed", grade_json(l->agreed),
                           "agreed_by", l->agreed_by, "evidence", l->evidence, "comment", l->comment));
    }
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:o}", "person", sp->person.email, "name", sp->person.name, "post",
                          sp->person.post, "cycle", sp->cycle, "statements", lines);
    cli_json_print(cli, j);
  }
  cp_self_profile_free(sp);
  cli_opts_free(o, 2);
  return rc;
}

const cp_command cp_cmds_assess[] = {
    {"assess", "set", cmd_set,
     "PERSON STATEMENT GRADE --cycle C [--by self|manager|peer|stakeholder] [--assessor EMAIL] "
     "[--evidence \"title <location>; ...\"] [--date YYYY-MM-DD] [--comment TEXT]",
     "record one judgement",
     "Records a grade (1 consistently very good ... 4 good in only a limited\n"
     "number of respects; NA not applicable) for a statement in the person's\n"
     "profile. History is kept: a new judgement never overwrites an old one.\n"
     "Evidence is referenced, not copied: a title and where it lives.\n"},
    {"assess", "import", cmd_import, "FILE.csv", "import judgements from an assessments CSV",
     "Columns: person (email), statement (code), cycle, by (self, manager, peer,\n"
     "stakeholder), grade (1-4 or NA), assessor (email), evidence (`title\n"
     "<location>` items separated by `;`), date, comment. One transaction: an\n"
     "error at FILE:LINE:COL writes nothing. Rows already held are skipped.\n"},
    {"assess", "profile", cmd_profile, "PERSON [--cycle C] [--format text|csv|json]",
     "the self-evaluation profile",
     "Each statement of the person's profile with the self, manager and peer\n"
     "grades of the cycle (default: the latest with judgements), the agreed grade\n"
     "(the manager's benchmark, else the self-evaluation) and the evidence.\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
