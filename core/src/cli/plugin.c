/* plugin.c: the `plugin` commands: enable, disable and list the local rule
 * plugins a database runs; check a plugin over the built-in sample; test
 * what each hook of a plugin returns for a real person. */
#include "cli.h"

#include "cpdplan/advise.h"
#include "cpdplan/plugin_check.h"
#include "cpdplan/plugins_enabled.h"

#include <stdlib.h>
#include <string.h>

static int cmd_enable(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"options="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 1, &npos);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the plugin file (or \"default\" to set the default rules' options)");
  if (rc) {
    cli_opts_free(o, 1);
    return rc;
  }
  cp_store *st = cli_store(cli, 0);
  cp_error e;
  cp_error_clear(&e);
  char *name = NULL;
  if (st) rc = cp_plugins_enable(st, pos[0], o[0].value, NULL, &name, &e) ? cli_fail(cli, &e) : CLI_OK;
  else rc = CLI_FAIL;
  if (!rc) fprintf(cli->out, "enabled %s (%s)%s%s\n", pos[0], name, o[0].value ? " with options " : "", o[0].value ? o[0].value : "");
  free(name);
  cli_opts_free(o, 1);
  return rc;
}

static int cmd_disable(cp_cli *cli, int argc, char **argv) {
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 1, &npos);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the plugin file or name");
  if (rc) return rc;
  cp_store *st = cli_store(cli, 0);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  if (cp_plugins_disable(st, pos[0], &e)) return cli_fail(cli, &e);
  fprintf(cli->out, "disabled %s\n", pos[0]);
  return CLI_OK;
}

static int cmd_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}};
  size_t npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, 1, NULL, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[0].value, (1 << FMT_TEXT) | (1 << FMT_CSV), &fmt);
  cli_opts_free(o, 1);
  if (rc) return rc;
  cp_store *st = cli_store(cli, CP_STORE_READONLY);
  if (!st) return CLI_FAIL;
  cp_enabled_plugin *v;
  size_t n;
  cp_error e;
  cp_error_clear(&e);
  if (cp_plugins_enabled(st, &v, &n, &e)) return cli_fail(cli, &e);
  static const char *const h[] = {"position", "name", "version", "path", "options", "enabled_at"};
  cli_rows rows;
  cli_rows_begin(&rows, cli->out, fmt, 6, h);
  int has_default = 0;
  for (size_t i = 0; i < n; i++) has_default |= strcmp(v[i].path, "default") == 0;
  if (!has_default) {
    const char *c[] = {"0", "default", "1.0", "(built in)", "", ""};
    cli_rows_add(&rows, c);
  }
  for (size_t i = 0; i < n; i++) {
    char pos[16];
    snprintf(pos, sizeof pos, "%d", v[i].position);
    const char *c[] = {pos, v[i].name, v[i].version, strcmp(v[i].path, "default") ? v[i].path : "(built in)",
                       v[i].options_json ? v[i].options_json : "", v[i].enabled_at};
    cli_rows_add(&rows, c);
  }
  cli_rows_end(&rows);
  cp_enabled_plugins_free(v, n);
  return CLI_OK;
}

static int cmd_check(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"options="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 1, &npos);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the plugin file");
  if (rc) {
    cli_opts_free(o, 1);
    return rc;
  }
  cp_plugin_check_report rep;
  cp_error e;
  cp_error_clear(&e);
  rc = cp_plugin_check(pos[0], o[0].value, NULL, &rep, &e);
  cli_opts_free(o, 1);
  if (rc) return cli_fail(cli, &e);
  for (size_t i = 0; i < rep.nproblems; i++) {
    const cp_check_problem *p = &rep.problems[i];
    const char *m = p->message;
    if (p->error && strncmp(m, "plugin ", 7) == 0) m += 7;
    fputs(m, cli->out);
    if (p->repeats) fprintf(cli->out, " (and %ld more call%s)", p->repeats, p->repeats == 1 ? "" : "s");
    fputc('\n', cli->out);
  }
  static const char *const hooks[] = {"needs", "eligible", "score_activity", "score_mentor", "induction"};
  char list[128] = "";
  for (int h = 0; h < 5; h++)
    if (rep.hooks & (1u << h)) {
      if (*list) strcat(list, ", ");
      strcat(list, hooks[h]);
    }
  fprintf(cli->out, "%s: %s%s%s: %d error%s, %d warning%s; hooks %s; %lu calls over %zu people and %zu activities\n",
          pos[0], *rep.name ? rep.name : "(not loaded)", *rep.version ? " " : "", rep.version, rep.errors, rep.errors == 1 ? "" : "s",
          rep.warnings, rep.warnings == 1 ? "" : "s", *list ? list : "none", rep.calls, rep.people, rep.activities);
  rc = rep.errors ? CLI_FAIL : CLI_OK;
  cp_plugin_check_report_clear(&rep);
  return rc;
}

static int cmd_test(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {CLI_RULE_OPTS, {"person="}};
  size_t no = sizeof o / sizeof *o, npos;
  const char *pos[1];
  int rc = cli_parse(cli, argc, argv, o, no, pos, 1, &npos);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the plugin file");
  if (!rc && !o[CLI_RULE_NOPTS].value) rc = cli_usage(cli, "give --person (email or identifier)");
  if (!rc && o[CLI_RULE_PLUGIN].count) rc = cli_usage(cli, "the plugin to test is the file given; --plugin is not used here");
  if (rc) {
    cli_opts_free(o, no);
    return rc;
  }
  /* run the given file as the only local plugin */
  const char *vals[2] = {pos[0], NULL};
  o[CLI_RULE_PLUGIN].count = 1;
  const char **saved = o[CLI_RULE_PLUGIN].values;
  o[CLI_RULE_PLUGIN].values = vals;
  cli_rules cr;
  rc = cli_rules_open(cli, o, &cr);
  o[CLI_RULE_PLUGIN].values = saved;
  o[CLI_RULE_PLUGIN].count = 0;
  const char *person = o[CLI_RULE_NOPTS].value;
  if (rc) {
    cli_opts_free(o, no);
    return rc;
  }
  const cp_snapshot *sn = cr.snap;
  uint32_t p = cp_snapshot_person(sn, person);
  cp_error e;
  cp_error_clear(&e);
  if (p == CP_SNAP_NONE) rc = cli_failf(cli, "no person \"%s\"", person);
  const cp_need *nd;
  size_t nn;
  if (!rc && cp_rules_needs(cr.rules, p, &nd, &nn, &e)) rc = cli_fail(cli, &e);
  if (!rc) {
    const cp_snap_person *me = &sn->people[p];
    fprintf(cli->out, "%s for %s <%s> (%s, %s, %s), cycle %s, as of %s\n\nneeds: %zu\n", pos[0], me->name, me->email,
            me->post, cp_stage_name(me->stage), me->language, sn->cycle, sn->today, nn);
    for (size_t i = 0; i < nn; i++)
      fprintf(cli->out, "  %-14s priority %g%s  %s\n", sn->statements[nd[i].statement].code, nd[i].priority,
              nd[i].induction ? " (induction)" : "", nd[i].reason);
    const uint32_t *st;
    size_t ns;
    cp_rules_strengths(cr.rules, p, &st, &ns, &e);
    fprintf(cli->out, "strengths: %zu\n", ns);
    for (size_t i = 0; i < ns; i++) fprintf(cli->out, "  %s\n", sn->statements[st[i]].code);
    fprintf(cli->out, "\neligible / score_activity:\n");
  }
  for (size_t a = 0; !rc && a < sn->nactivities; a++) {
    int ok, has = 0;
    double sc = 0;
    const char *why;
    char why_e[600] = "";
    if (cp_rules_eligible(cr.rules, p, (uint32_t)a, &ok, &why, &e)) rc = cli_fail(cli, &e);
    if (!rc) snprintf(why_e, sizeof why_e, "%s", why);
    if (!rc && cp_rules_score_activity(cr.rules, p, (uint32_t)a, &has, &sc, &why, &e)) rc = cli_fail(cli, &e);
    if (rc) break;
    char score[32] = "nil";
    if (has) snprintf(score, sizeof score, "%.4g", sc);
    fprintf(cli->out, "  %-13s %-5s %-8s %s%s%s\n", sn->activities[a].code, ok ? "true" : "false", score, why_e,
            *why_e && *why ? "; " : "", why);
  }
  uint32_t *acts = NULL;
  size_t na = 0;
  if (!rc && cp_rules_induction(cr.rules, p, &acts, &na, &e)) rc = cli_fail(cli, &e);
  if (!rc) {
    fprintf(cli->out, "\ninduction:");
    for (size_t i = 0; i < na; i++) fprintf(cli->out, " %s", sn->activities[acts[i]].code);
    fprintf(cli->out, "%s\n\nscore_mentor (best 5 allowed):\n", na ? "" : " (none)");
  }
  free(acts);
  cp_mentor_option *mv = NULL;
  size_t nm = 0;
  if (!rc && cp_mentors_suggest(cr.rules, p, 0, &mv, &nm, &e)) rc = cli_fail(cli, &e);
  for (size_t i = 0; !rc && i < nm && i < 5; i++)
    fprintf(cli->out, "  %-32s %-8.4g %s\n", sn->people[mv[i].mentor].email, mv[i].score, mv[i].reason);
  if (!rc && !nm) fprintf(cli->out, "  (none allowed)\n");
  if (!rc) fprintf(cli->out, "\n%lu hook calls\n", cp_rules_calls(cr.rules));
  cp_mentor_options_free(mv, nm);
  cli_rules_close(&cr);
  cli_opts_free(o, no);
  return rc;
}

const cp_command cp_cmds_plugin[] = {
    {"plugin", "enable", cmd_enable, "FILE [--options JSON]", "run a local rule plugin after the default rules",
     "Checks that FILE loads (syntax, api = 1, hook names and types) and records\n"
     "it after the plugins already enabled; enabling it again changes its\n"
     "options and keeps its place. FILE \"default\" sets the options of the\n"
     "built-in default rules (see plugins/default.lua).\n"
     "\n"
     "  --options JSON       a JSON value the plugin reads as ctx.options\n"},
    {"plugin", "disable", cmd_disable, "FILE|NAME", "stop running a local plugin", ""},
    {"plugin", "list", cmd_list, "[--format text|csv]", "the plugins run, in order", ""},
    {"plugin", "check", cmd_check, "FILE [--options JSON]", "check a plugin over a built-in sample",
     "Loads FILE in the sandbox after the default rules and runs each hook it\n"
     "provides over a small built-in sample workforce (51 people in three\n"
     "services, the shipped frameworks and catalogue), reporting each problem\n"
     "once as FILE:LINE: message. Exit status 1 when there are errors.\n"},
    {"plugin", "test", cmd_test, "FILE --person P [--cycle C] [--today DATE]",
     "what each hook of a plugin returns for a person",
     "Runs the default rules then FILE for one person of the database and shows\n"
     "the needs and strengths, each activity's eligibility and score, the\n"
     "induction programme and the best mentors, with the reasons given.\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
