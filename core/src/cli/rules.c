/* rules.c: the commands that read the rules for people: `needs`,
 * `recommend`, `induction` and `mentors suggest`. Each loads a snapshot and
 * the rules (default, then the enabled plugins or --plugin FILE...), asks the
 * library and prints; none of them writes to the database. */
#include "cli.h"

#include "cpdplan/advise.h"
#include "cpdplan/plugins_enabled.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- shared: --plugin, --cycle, --today, limits ---- */

int cli_rules_open(cp_cli *cli, const cli_opt *o, cli_rules *out) {
  memset(out, 0, sizeof *out);
  cp_error e;
  cp_error_clear(&e);
  const char *today = o[CLI_RULE_TODAY].value;
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  if (o[CLI_RULE_INSTR].value) {
    char *end;
    unsigned long long v = strtoull(o[CLI_RULE_INSTR].value, &end, 10);
    if (*end || !v) return cli_usage(cli, "--plugin-instructions: wanted a positive whole number");
    ro.limits.instructions = v;
  }
  if (o[CLI_RULE_MEM].value) {
    char *end;
    unsigned long v = strtoul(o[CLI_RULE_MEM].value, &end, 10);
    if (*end || !v || v > 65536) return cli_usage(cli, "--plugin-memory: wanted megabytes, 1 to 65536");
    ro.limits.memory = (size_t)v << 20;
  }
  cp_store *st = cli_store(cli, CP_STORE_READONLY);
  if (!st) return CLI_FAIL;
  cp_snapshot_options so = CP_SNAPSHOT_OPTIONS_INIT;
  so.cycle = o[CLI_RULE_CYCLE].value;
  so.today = today;
  /* --plugin FILE... for this run instead of the database's enabled local
   * plugins; the default rules keep the options stored for them either way */
  size_t given = (size_t)o[CLI_RULE_PLUGIN].count;
  int rc = cp_snapshot_load(st, &so, &out->snap, &e);
  if (!rc) rc = cp_plugins_enabled(st, &out->enabled, &out->nenabled, &e);
  cp_plugin_spec *specs = rc ? NULL : calloc(out->nenabled + given + 1, sizeof *specs);
  if (!rc && !specs) rc = cp_error_set(&e, CP_ENOMEM, "out of memory");
  size_t nspecs = 0;
  for (size_t i = 0; !rc && i < out->nenabled; i++)
    if (!given || strcmp(out->enabled[i].path, "default") == 0)
      specs[nspecs++] = (cp_plugin_spec){out->enabled[i].path, out->enabled[i].options_json};
  for (size_t i = 0; !rc && i < given; i++) specs[nspecs++] = (cp_plugin_spec){o[CLI_RULE_PLUGIN].values[i], NULL};
  ro.plugins = specs;
  ro.nplugins = nspecs;
  if (!rc) rc = cp_rules_new(&out->rules, out->snap, &ro, &e);
  free(specs);
  if (rc) {
    cli_rules_close(out);
    return cli_fail(cli, &e);
  }
  return CLI_OK;
}

void cli_rules_close(cli_rules *r) {
  cp_rules_free(r->rules);
  cp_snapshot_free(r->snap);
  cp_enabled_plugins_free(r->enabled, r->nenabled);
  memset(r, 0, sizeof *r);
}

static int find_person(cp_cli *cli, const cli_rules *cr, const char *ref, uint32_t *out) {
  *out = cp_snapshot_person(cr->snap, ref);
  if (*out == CP_SNAP_NONE) return cli_failf(cli, "no person \"%s\"", ref);
  return CLI_OK;
}

/* ---- needs ---- */

static int needs_of_people(cp_cli *cli, cli_rules *cr, const uint32_t *people, size_t n, cli_format fmt) {
  const cp_snapshot *sn = cr->snap;
  static const char *const h[] = {"person", "statement", "priority", "induction", "reason", "text"};
  cp_error e0;
  cp_error_clear(&e0);
  for (size_t i = 0; i < n; i++) { /* run the rules first: a fault prints nothing */
    const cp_need *nd;
    size_t nn;
    if (cp_rules_needs(cr->rules, people[i], &nd, &nn, &e0)) return cli_fail(cli, &e0);
  }
  json_t *arr = fmt == FMT_JSON ? json_array() : NULL;
  cli_rows rows;
  if (fmt != FMT_JSON) cli_rows_begin(&rows, cli->out, fmt, fmt == FMT_TEXT ? 4 : 6, fmt == FMT_TEXT ? h + 1 : h);
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    const cp_need *nd;
    size_t nn;
    cp_rules_needs(cr->rules, people[i], &nd, &nn, &e0); /* held since the first pass: cannot fail */
    const cp_snap_person *p = &sn->people[people[i]];
    if (fmt == FMT_TEXT && n > 1 && nn) {
      cli_rows_end(&rows);
      fprintf(cli->out, "%s%s <%s>\n", total ? "\n" : "", p->name, p->email);
      cli_rows_begin(&rows, cli->out, fmt, 4, h + 1);
    }
    for (size_t k = 0; k < nn; k++) {
      const cp_snap_statement *s = &sn->statements[nd[k].statement];
      char pr[32];
      cli_fmt_num(pr, sizeof pr, nd[k].priority);
      if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:f,s:b,s:s,s:s}", "person", p->email, "statement", s->code,
                                             "priority", nd[k].priority, "induction", nd[k].induction, "reason",
                                             nd[k].reason, "text", s->text));
      } else {
        const char *c[] = {p->email, s->code, pr, nd[k].induction ? "yes" : "", nd[k].reason, s->text};
        cli_rows_add(&rows, fmt == FMT_TEXT ? c + 1 : c);
      }
    }
    total += nn;
  }
  if (arr) cli_json_print(cli, arr);
  else {
    cli_rows_end(&rows);
    if (fmt == FMT_TEXT) fprintf(cli->out, "%s%zu need%s for %zu %s\n", total ? "\n" : "", total, total == 1 ? "" : "s", n, n == 1 ? "person" : "people");
  }
  return CLI_OK;
}

static int needs_tally(cp_cli *cli, cli_rules *cr, const uint32_t *people, size_t n, const char *group, cli_format fmt) {
  const cp_snapshot *sn = cr->snap;
  cp_needs_count *c;
  size_t nc;
  cp_error e;
  cp_error_clear(&e);
  if (cp_needs_tally(cr->rules, people, n, &c, &nc, &e)) return cli_fail(cli, &e);
  static const char *const h[] = {"statement", "needs", "induction", "priority", "strengths", "text"};
  if (fmt == FMT_JSON) {
    json_t *arr = json_array();
    for (size_t i = 0; i < nc; i++)
      json_array_append_new(arr, json_pack("{s:s,s:i,s:i,s:f,s:i,s:s}", "statement", sn->statements[c[i].statement].code,
                                           "needs", c[i].needs, "induction", c[i].induction, "priority", c[i].priority,
                                           "strengths", c[i].strengths, "text", sn->statements[c[i].statement].text));
    cli_json_print(cli, json_pack("{s:s,s:i,s:o}", "group", group, "people", (int)n, "statements", arr));
  } else {
    if (fmt == FMT_TEXT) fprintf(cli->out, "%s: %zu %s\n\n", group, n, n == 1 ? "person" : "people");
    cli_rows rows;
    cli_rows_begin(&rows, cli->out, fmt, fmt == FMT_TEXT ? 5 : 6, h);
    for (size_t i = 0; i < nc; i++) {
      char a[16], b[16], d[32], f[16];
      snprintf(a, sizeof a, "%d", c[i].needs);
      snprintf(b, sizeof b, "%d", c[i].induction);
      cli_fmt_num(d, sizeof d, c[i].priority);
      snprintf(f, sizeof f, "%d", c[i].strengths);
      const char *row[] = {sn->statements[c[i].statement].code, a, b, d, f, sn->statements[c[i].statement].text};
      cli_rows_add(&rows, row);
    }
    cli_rows_end(&rows);
  }
  free(c);
  return CLI_OK;
}

static int cmd_needs(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"person="}, {"team="}, {"service="}, {"format="}};
  size_t no = sizeof o / sizeof *o, npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, NULL, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[CLI_RULE_NOPTS + 3].value, 7, &fmt);
  int given = (o[CLI_RULE_NOPTS].count > 0) + (o[CLI_RULE_NOPTS + 1].count > 0) + (o[CLI_RULE_NOPTS + 2].count > 0);
  if (!rc && given > 1) rc = cli_usage(cli, "give at most one of --person, --team, --service");
  cli_rules cr;
  if (!rc) rc = cli_rules_open(cli, o, &cr);
  if (rc) {
    cli_opts_free(o, no);
    return rc;
  }
  const cp_snapshot *sn = cr.snap;
  uint32_t *people = malloc((sn->npeople ? sn->npeople : 1) * sizeof *people);
  size_t n = 0;
  const char *person = o[CLI_RULE_NOPTS].value, *team = o[CLI_RULE_NOPTS + 1].value,
             *service = o[CLI_RULE_NOPTS + 2].value;
  if (!people) rc = cli_failf(cli, "out of memory");
  else if (person) {
    rc = find_person(cli, &cr, person, &people[0]);
    n = 1;
  } else {
    for (size_t i = 0; i < sn->npeople; i++)
      if ((!team || strcasecmp(sn->people[i].team, team) == 0) &&
          (!service || strcasecmp(sn->people[i].service, service) == 0))
        people[n++] = (uint32_t)i;
    if (!n && (team || service)) rc = cli_failf(cli, "no people in %s \"%s\"", team ? "team" : "service", team ? team : service);
  }
  if (!rc) {
    if (team || service) {
      char group[300];
      snprintf(group, sizeof group, "%s %s", team ? "team" : "service", team ? team : service);
      rc = needs_tally(cli, &cr, people, n, group, fmt);
    } else rc = needs_of_people(cli, &cr, people, n, fmt);
  }
  free(people);
  cli_rules_close(&cr);
  cli_opts_free(o, no);
  return rc;
}

/* ---- recommend ---- */

static int cmd_recommend(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"format="}, {"all"}};
  size_t no = sizeof o / sizeof *o, npos;
  const char *pos[1];
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, pos, 1, &npos);
  if (!rc) rc = cli_format_parse(cli, o[CLI_RULE_NOPTS].value, 7, &fmt);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the person (email or identifier)");
  int all = o[CLI_RULE_NOPTS + 1].count > 0;
  cli_rules cr;
  if (!rc) rc = cli_rules_open(cli, o, &cr);
  cli_opts_free(o, no);
  if (rc) return rc;
  uint32_t p;
  cp_recommendation *v = NULL;
  size_t n = 0;
  cp_error e;
  cp_error_clear(&e);
  rc = find_person(cli, &cr, pos[0], &p);
  if (!rc && cp_recommend(cr.rules, p, &v, &n, &e)) rc = cli_fail(cli, &e);
  if (rc) {
    cli_rules_close(&cr);
    return rc;
  }
  const cp_snapshot *sn = cr.snap;
  static const char *const h[] = {"rank", "activity", "title", "eligible", "score", "meets", "reason"};
  json_t *arr = fmt == FMT_JSON ? json_array() : NULL;
  cli_rows rows;
  if (fmt == FMT_TEXT) fprintf(cli->out, "Activities for %s <%s> (%s, %s)\n\n", sn->people[p].name, sn->people[p].email,
                               sn->people[p].post, cp_stage_name(sn->people[p].stage));
  if (!arr) cli_rows_begin(&rows, cli->out, fmt, 7, h);
  int rank = 0, shown_excluded = 0, hidden = 0;
  for (size_t i = 0; i < n; i++) {
    const cp_recommendation *x = &v[i];
    const cp_snap_activity *a = &sn->activities[x->activity];
    char rk[16] = "", sc[32] = "", reason[600];
    if (x->eligible && x->has_score) {
      snprintf(rk, sizeof rk, "%d", ++rank);
      cli_fmt_num(sc, sizeof sc, x->score);
    } else if (!all && fmt == FMT_TEXT) {
      hidden++;
      continue;
    }
    snprintf(reason, sizeof reason, "%s", x->reason);
    for (size_t k = 0; k < x->nprereqs; k++) {
      size_t l = strlen(reason);
      snprintf(reason + l, sizeof reason - l, "%s%s%s", l ? "; " : "", k ? "" : "after ", sn->activities[x->prereqs[k]].code);
    }
    char *meets = cp_snapshot_codes(sn, x->met, x->nmet);
    if (arr) {
      json_array_append_new(arr, json_pack("{s:o,s:s,s:s,s:b,s:o,s:s,s:s}", "rank", rank && rk[0] ? json_integer(rank) : json_null(),
                                           "activity", a->code, "title", a->title, "eligible", x->eligible, "score",
                                           x->has_score ? json_real(x->score) : json_null(), "meets", meets ? meets : "",
                                           "reason", reason));
    } else {
      if (fmt == FMT_TEXT && !x->eligible && !shown_excluded++) {
        cli_rows_end(&rows);
        fprintf(cli->out, "\nNot eligible:\n");
        cli_rows_begin(&rows, cli->out, fmt, 7, h);
      }
      const char *c[] = {rk, a->code, a->title, x->eligible ? "yes" : "no", sc, meets ? meets : "", reason};
      cli_rows_add(&rows, c);
    }
    free(meets);
  }
  if (arr) cli_json_print(cli, arr);
  else {
    cli_rows_end(&rows);
    if (fmt == FMT_TEXT) {
      fprintf(cli->out, "\n%d recommended", rank);
      if (hidden) fprintf(cli->out, "; %d not shown (no value or not eligible: --all shows them with the reason)", hidden);
      fputc('\n', cli->out);
    }
  }
  cp_recommendations_free(v, n);
  cli_rules_close(&cr);
  return CLI_OK;
}

/* ---- mentors suggest ---- */

static int cmd_mentors_suggest(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"format="}, {"all"}, {"limit="}};
  size_t no = sizeof o / sizeof *o, npos;
  const char *pos[1];
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, pos, 1, &npos);
  if (!rc) rc = cli_format_parse(cli, o[CLI_RULE_NOPTS].value, 7, &fmt);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the mentee (email or identifier)");
  long limit = 10;
  if (!rc && o[CLI_RULE_NOPTS + 2].value) {
    char *end;
    limit = strtol(o[CLI_RULE_NOPTS + 2].value, &end, 10);
    if (*end || limit < 1) rc = cli_usage(cli, "--limit: wanted a whole number of at least 1");
  }
  int all = o[CLI_RULE_NOPTS + 1].count > 0;
  cli_rules cr;
  if (!rc) rc = cli_rules_open(cli, o, &cr);
  cli_opts_free(o, no);
  if (rc) return rc;
  uint32_t p;
  cp_mentor_option *v = NULL;
  size_t n = 0;
  cp_error e;
  cp_error_clear(&e);
  rc = find_person(cli, &cr, pos[0], &p);
  if (!rc && cp_mentors_suggest(cr.rules, p, all, &v, &n, &e)) rc = cli_fail(cli, &e);
  if (rc) {
    cli_rules_close(&cr);
    return rc;
  }
  const cp_snapshot *sn = cr.snap;
  const cp_snap_person *me = &sn->people[p];
  static const char *const h[] = {"rank", "mentor", "name", "team", "allowed", "score", "strengths", "reason"};
  json_t *arr = fmt == FMT_JSON ? json_array() : NULL;
  cli_rows rows;
  if (fmt == FMT_TEXT) fprintf(cli->out, "Mentors for %s <%s> (%s, %s)\n\n", me->name, me->email, me->team, cp_stage_name(me->stage));
  if (!arr) cli_rows_begin(&rows, cli->out, fmt, 8, h);
  long rank = 0, other_service = 0, hidden = 0;
  int excluded_header = 0;
  for (size_t i = 0; i < n; i++) {
    const cp_mentor_option *x = &v[i];
    const cp_snap_person *m = &sn->people[x->mentor];
    if (x->allowed && rank >= limit) {
      hidden++;
      continue;
    }
    /* ruled-out colleagues of other services are counted, not listed, in text */
    if (!x->allowed && fmt == FMT_TEXT && strcmp(m->service, me->service) != 0) {
      other_service++;
      continue;
    }
    char rk[24] = "", sc[32] = "";
    if (x->allowed) {
      snprintf(rk, sizeof rk, "%ld", ++rank);
      cli_fmt_num(sc, sizeof sc, x->score);
    }
    char *st = cp_snapshot_codes(sn, x->met, x->nmet);
    if (arr) {
      json_array_append_new(arr, json_pack("{s:o,s:s,s:s,s:s,s:b,s:o,s:s,s:s}", "rank", x->allowed ? json_integer(rank) : json_null(),
                                           "mentor", m->email, "name", m->name, "team", m->team, "allowed", x->allowed,
                                           "score", x->allowed ? json_real(x->score) : json_null(), "strengths",
                                           st ? st : "", "reason", x->reason));
    } else {
      if (fmt == FMT_TEXT && !x->allowed && !excluded_header++) {
        cli_rows_end(&rows);
        fprintf(cli->out, "\nRuled out:\n");
        cli_rows_begin(&rows, cli->out, fmt, 8, h);
      }
      const char *c[] = {rk, m->email, m->name, m->team, x->allowed ? "yes" : "no", sc, st ? st : "", x->reason};
      cli_rows_add(&rows, c);
    }
    free(st);
  }
  if (arr) cli_json_print(cli, arr);
  else {
    cli_rows_end(&rows);
    if (fmt == FMT_TEXT) {
      if (!rank) fprintf(cli->out, "No colleague's strengths meet %s's needs under the rules.\n", me->name);
      if (hidden) fprintf(cli->out, "\n%ld more allowed (--limit N shows more)\n", hidden);
      if (other_service) fprintf(cli->out, "\n%ld colleagues in other services ruled out (--format csv lists them)\n", other_service);
    }
  }
  cp_mentor_options_free(v, n);
  cli_rules_close(&cr);
  return CLI_OK;
}

/* ---- induction ---- */

static int cmd_induction(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"format="}};
  size_t no = sizeof o / sizeof *o, npos;
  const char *pos[1];
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, no, pos, 1, &npos);
  if (!rc) rc = cli_format_parse(cli, o[CLI_RULE_NOPTS].value, (1 << FMT_TEXT) | (1 << FMT_JSON), &fmt);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the person (email or identifier)");
  cli_rules cr;
  if (!rc) rc = cli_rules_open(cli, o, &cr);
  cli_opts_free(o, no);
  if (rc) return rc;
  uint32_t p;
  cp_induction_plan *plan = NULL;
  cp_error e;
  cp_error_clear(&e);
  rc = find_person(cli, &cr, pos[0], &p);
  if (!rc && cp_induction_plan_make(cr.rules, p, &plan, &e)) rc = cli_fail(cli, &e);
  if (rc) {
    cli_rules_close(&cr);
    return rc;
  }
  const cp_snapshot *sn = cr.snap;
  const cp_snap_person *me = &sn->people[p];
  if (fmt == FMT_JSON) {
    json_t *items = json_array(), *needs = json_array();
    for (size_t i = 0; i < plan->nitems; i++) {
      const cp_induction_item *it = &plan->items[i];
      json_t *ss = json_array();
      for (size_t k = 0; k < it->nsessions; k++) {
        const cp_snap_session *s = &sn->sessions[it->sessions[k]];
        json_array_append_new(ss, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "session", s->uuid, "start", s->start, "end",
                                            s->end, "place", s->place, "language", s->language, "suggested",
                                            it->sessions[k] == it->suggested));
      }
      json_array_append_new(items, json_pack("{s:s,s:s,s:b,s:s,s:o}", "activity", sn->activities[it->activity].code,
                                             "title", sn->activities[it->activity].title, "eligible", it->eligible,
                                             "reason", it->reason, "sessions", ss));
    }
    for (size_t i = 0; i < plan->nneeds; i++)
      json_array_append_new(needs, json_pack("{s:s,s:f,s:s}", "statement", sn->statements[plan->needs[i]->statement].code,
                                             "priority", plan->needs[i]->priority, "reason", plan->needs[i]->reason));
    json_t *mentor = json_null();
    if (plan->mentor.mentor != CP_SNAP_NONE) {
      char *st = cp_snapshot_codes(sn, plan->mentor.met, plan->mentor.nmet);
      mentor = json_pack("{s:s,s:s,s:f,s:s,s:s}", "mentor", sn->people[plan->mentor.mentor].email, "name",
                         sn->people[plan->mentor.mentor].name, "score", plan->mentor.score, "strengths", st ? st : "",
                         "reason", plan->mentor.reason ? plan->mentor.reason : "");
      free(st);
    }
    cli_json_print(cli, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "person", me->email, "post", me->post, "appointed",
                            me->appointed, "date", sn->today, "programme", items, "initial_needs", needs, "mentor", mentor));
  } else {
    fprintf(cli->out, "Induction plan for %s <%s>\n%s%s%s, appointed %s; as of %s\n\n", me->name, me->email, me->post,
            *me->team ? ", " : "", me->team, *me->appointed ? me->appointed : "(date not given)", sn->today);
    if (!plan->nitems) fprintf(cli->out, "No induction programme: the rules do not count %s as newly appointed.\n", me->name);
    else fprintf(cli->out, "Programme\n");
    for (size_t i = 0; i < plan->nitems; i++) {
      const cp_induction_item *it = &plan->items[i];
      const cp_snap_activity *a = &sn->activities[it->activity];
      fprintf(cli->out, "  %zu. %s  %s\n", i + 1, a->code, a->title);
      if (!it->eligible) fprintf(cli->out, "     not eligible: %s\n", it->reason);
      else if (it->suggested != CP_SNAP_NONE) {
        const cp_snap_session *s = &sn->sessions[it->suggested];
        fprintf(cli->out, "     suggested: %s to %s, %s (%s)\n", s->start, s->end, *s->place ? s->place : "place to be set", s->language);
      } else if (it->nsessions) {
        fprintf(cli->out, "     no session to suggest: %s before the sessions suggested for its prerequisites end\n",
                it->nsessions == 1 ? "its one dated session starts" : "all its dated sessions start");
      } else {
        fprintf(cli->out, "     no dated session the person can attend yet\n");
      }
      if (it->nsessions > 1 && (!it->eligible || it->suggested != CP_SNAP_NONE))
        fprintf(cli->out, "     %zu dated sessions in all\n", it->nsessions);
    }
    fprintf(cli->out, "\nInitial training needs (%zu, from the profile: not yet assessed)\n", plan->nneeds);
    for (size_t i = 0; i < plan->nneeds; i++) {
      const cp_snap_statement *s = &sn->statements[plan->needs[i]->statement];
      fprintf(cli->out, "  %-14s %.70s%s\n", s->code, s->text, strlen(s->text) > 70 ? "..." : "");
    }
    fprintf(cli->out, "\nMentor\n");
    if (plan->mentor.mentor == CP_SNAP_NONE) fprintf(cli->out, "  none: no willing colleague with capacity has strengths on these needs\n");
    else {
      char sc[32];
      const cp_snap_person *m = &sn->people[plan->mentor.mentor];
      fprintf(cli->out, "  %s <%s>, %s, %s (score %s: %s)\n", m->name, m->email, m->post, m->team,
              cli_fmt_num(sc, sizeof sc, plan->mentor.score), plan->mentor.reason);
    }
  }
  cp_induction_plan_free(plan);
  cli_rules_close(&cr);
  return CLI_OK;
}

const cp_command cp_cmds_rules[] = {
    {"needs", NULL, cmd_needs, "[--person P | --team T | --service S] [--format text|csv|json]",
     "development needs from the rules",
     "Each person's needs from the rules' needs hook: statement, priority,\n"
     "whether it is an initial training need (induction) and the reason. With\n"
     "--team or --service, counts per statement of the needs and of the\n"
     "strengths that can be shared. Everyone when none is given.\n" CLI_RULE_HELP},
    {"recommend", NULL, cmd_recommend, "PERSON [--all] [--format text|csv|json]",
     "activities ranked for a person's needs",
     "Activities ranked by the score_activity hook for the person's needs, after\n"
     "the eligible hook. Text shows the recommended ones; --all (and CSV and\n"
     "JSON) also the activities of no value and those excluded, with why.\n" CLI_RULE_HELP},
    {"induction", NULL, cmd_induction, "PERSON [--format text|json]", "a newly appointed person's induction plan",
     "The induction programme (induction hook) with the dated sessions the\n"
     "person can attend, in prerequisite order (an e-learning package before the\n"
     "residential course), the initial training needs from the profile, and\n"
     "the best mentor.\n" CLI_RULE_HELP},
    {"mentors", "suggest", cmd_mentors_suggest, "PERSON [--all] [--limit N] [--format text|csv|json]",
     "the best mentors for a person",
     "Colleagues ranked by the score_mentor hook, with the mentor's strengths\n"
     "that meet the person's needs. --all also lists those ruled out and why\n"
     "(own line manager, not willing, at capacity...).\n" CLI_RULE_HELP
     "  --limit N            allowed mentors shown (10)\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
