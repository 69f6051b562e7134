/* catalogue.c: the `activity` commands (import, list, show) and the `session`
 * commands (add, import, list) over the CPD catalogue. CSV output is the
 * design's activities and sessions formats, so a list re-imports as it is. */
#include "cli.h"

#include "cpdplan/catalogue.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---- helpers ---- */

static void amount(double v, char out[32]) { snprintf(out, 32, "%.15g", v); }

static json_t *amount_json(double v) {
  if (v >= 0 && v < 1e15 && v == (double)(long long)v) return json_integer((json_int_t)v);
  return json_real(v);
}

static json_t *string_array(char **v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
  return a;
}

/* Width to fit text output in: the terminal's, else $COLUMNS, else 0 (no limit). */
static size_t out_width(cp_cli *cli) {
  struct winsize ws;
  if (cli->out_tty && ioctl(fileno(cli->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  const char *c = getenv("COLUMNS");
  long v = c ? strtol(c, NULL, 10) : 0;
  return v > 0 ? (size_t)v : 0;
}

/* Print s cut to at most width code points (0: no limit), ending in "…" when cut. */
static void put_cut(FILE *out, const char *s, size_t width) {
  size_t n = 0;
  for (const char *p = s; *p; p++) n += ((unsigned char)*p & 0xC0) != 0x80;
  if (!width || n <= width) {
    fputs(s, out);
    return;
  }
  size_t keep = width > 1 ? width - 1 : 0, seen = 0;
  const char *p = s;
  for (; *p; p++) {
    if (((unsigned char)*p & 0xC0) != 0x80 && seen++ == keep) break;
  }
  fwrite(s, 1, (size_t)(p - s), out);
  fputs("\xE2\x80\xA6", out);
}

static int import_activities(cp_cli *cli, int argc, char **argv) {
  return cli_run_import(cli, argc, argv, cp_activity_import_csv, "activities", false);
}

static int import_sessions(cp_cli *cli, int argc, char **argv) {
  return cli_run_import(cli, argc, argv, cp_session_import_csv, "sessions", false);
}

/* ---- activities ---- */

static json_t *activity_json(const cp_activity *a, const cp_activity_item *items, size_t nitems) {
  json_t *o = json_object();
  json_object_set_new(o, "code", json_string(a->code));
  json_object_set_new(o, "title", json_string(a->title));
  json_object_set_new(o, "kind", json_string(a->kind));
  json_object_set_new(o, "strand", json_string(a->strand));
  if (items) {
    json_t *st = json_array();
    for (size_t i = 0; i < nitems; i++) {
      json_t *it = json_object();
      json_object_set_new(it, "framework", json_string(items[i].framework));
      json_object_set_new(it, "code", json_string(items[i].code));
      json_object_set_new(it, "text", json_string(items[i].text));
      json_array_append_new(st, it);
    }
    json_object_set_new(o, "statements", st);
  } else {
    json_object_set_new(o, "statements", string_array(a->statements, a->nstatements));
  }
  json_object_set_new(o, "prerequisites", string_array(a->prerequisites, a->nprerequisites));
  json_object_set_new(o, "days", amount_json(a->days));
  json_object_set_new(o, "cost", amount_json(a->cost));
  json_object_set_new(o, "language", json_string(a->language));
  json_object_set_new(o, "provider", json_string(a->provider));
  json_object_set_new(o, "stages", json_string(a->stages));
  json_object_set_new(o, "eligibility", json_string(a->eligibility));
  json_object_set_new(o, "awarding_body", json_string(a->awarding_body));
  json_object_set_new(o, "credits", amount_json(a->credits));
  json_object_set_new(o, "id", json_string(a->uuid));
  return o;
}

static int cmd_activity_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}, {"strand="}, {"kind="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 3, pos, 0, &npos);
  cli_format fmt = FMT_TEXT;
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_activity_filter f = {o[1].value, o[2].value};
  cp_error e;
  cp_error_clear(&e);
  if (!rc && fmt == FMT_CSV) {
    if (cp_activity_export_csv(st, &f, cli->out, &e)) rc = cli_fail(cli, &e);
    cli_opts_free(o, 3);
    return rc;
  }
  cp_activity *list = NULL;
  size_t n = 0;
  if (!rc && cp_activity_list(st, &f, &list, &n, &e)) rc = cli_fail(cli, &e);
  if (!rc && fmt == FMT_JSON) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, activity_json(&list[i], NULL, 0));
    cli_json_print(cli, a);
  } else if (!rc) {
    static const char *const h[] = {"code", "title", "kind", "strand", "days", "cost", "language", "stages"};
    cli_table *t = cli_table_new(8, h);
    for (size_t i = 0; i < n; i++) {
      char days[32], cost[32];
      amount(list[i].days, days);
      amount(list[i].cost, cost);
      const char *c[] = {list[i].code, list[i].title, list[i].kind, list[i].strand, days, cost, list[i].language,
                         list[i].stages[0] ? list[i].stages : "any"};
      cli_table_add(t, c);
    }
    cli_table_print(t, cli->out);
    cli_table_free(t);
    fprintf(cli->out, "%zu %s\n", n, n == 1 ? "activity" : "activities");
  }
  cp_activity_list_free(list, n);
  cli_opts_free(o, 3);
  return rc;
}

static void show_text(cp_cli *cli, const cp_activity *a, const cp_activity_item *items, size_t nitems) {
  char days[32], cost[32], credits[32];
  amount(a->days, days);
  amount(a->cost, cost);
  amount(a->credits, credits);
  char *pre = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&pre, &len);
  for (size_t i = 0; m && i < a->nprerequisites; i++) fprintf(m, "%s%s", i ? " " : "", a->prerequisites[i]);
  if (m) fclose(m);
  const char *rows[][2] = {
      {"code", a->code},         {"title", a->title},
      {"kind", a->kind},         {"strand", a->strand},
      {"prerequisites", pre ? pre : ""},
      {"days", days},            {"cost", cost},
      {"language", a->language}, {"provider", a->provider},
      {"stages", a->stages[0] ? a->stages : "any"},
      {"eligibility", a->eligibility},
      {"awarding_body", a->awarding_body},
      {"credits", a->credits != 0 ? credits : ""},
      {"id", a->uuid},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) fprintf(cli->out, "%-16s %s\n", rows[i][0], rows[i][1]);
  free(pre);
  fprintf(cli->out, "statements       %zu\n", nitems);
  size_t wf = 0, wc = 0;
  for (size_t i = 0; i < nitems; i++) {
    if (strlen(items[i].framework) > wf) wf = strlen(items[i].framework);
    if (strlen(items[i].code) > wc) wc = strlen(items[i].code);
  }
  size_t width = out_width(cli), lead = 2 + wf + 2 + wc + 2;
  for (size_t i = 0; i < nitems; i++) {
    fprintf(cli->out, "  %-*s  %-*s  ", (int)wf, items[i].framework, (int)wc, items[i].code);
    put_cut(cli->out, items[i].text, width > lead + 10 ? width - lead : width ? 10 : 0);
    fputc('\n', cli->out);
  }
}

static int cmd_activity_show(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 1, &npos);
  cli_format fmt = FMT_TEXT;
  if (!rc && npos != 1) rc = cli_usage(cli, "give the activity's code");
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_activity a = {0};
  cp_activity_item *items = NULL;
  size_t nitems = 0;
  cp_error e;
  cp_error_clear(&e);
  if (!rc && (cp_activity_get(st, pos[0], &a, &e) || cp_activity_items(st, pos[0], &items, &nitems, &e)))
    rc = cli_fail(cli, &e);
  if (!rc) {
    if (fmt == FMT_JSON) {
      cli_json_print(cli, activity_json(&a, items, nitems));
    } else if (fmt == FMT_CSV) {
      static const char *const h[] = {"code", "title", "kind", "strand", "statements", "prerequisites", "days",
                                      "cost", "language", "provider", "stages", "eligibility", "awarding_body",
                                      "credits"};
      char days[32], cost[32], credits[32], *sts = NULL, *pre = NULL;
      size_t l1 = 0, l2 = 0;
      FILE *m1 = open_memstream(&sts, &l1), *m2 = open_memstream(&pre, &l2);
      for (size_t i = 0; m1 && i < a.nstatements; i++) fprintf(m1, "%s%s", i ? " " : "", a.statements[i]);
      for (size_t i = 0; m2 && i < a.nprerequisites; i++) fprintf(m2, "%s%s", i ? " " : "", a.prerequisites[i]);
      if (m1) fclose(m1);
      if (m2) fclose(m2);
      amount(a.days, days);
      amount(a.cost, cost);
      amount(a.credits, credits);
      const char *row[] = {a.code, a.title, a.kind, a.strand, sts ? sts : "", pre ? pre : "", days, cost,
                           a.language, a.provider, a.stages, a.eligibility, a.awarding_body,
                           a.credits != 0 ? credits : ""};
      cp_csv_write_row(cli->out, h, 14);
      cp_csv_write_row(cli->out, row, 14);
      free(sts);
      free(pre);
    } else {
      show_text(cli, &a, items, nitems);
    }
  }
  cp_activity_items_free(items, nitems);
  cp_activity_clear(&a);
  cli_opts_free(o, 1);
  return rc;
}

/* ---- sessions ---- */

static int cmd_session_add(cp_cli *cli, int argc, char **argv) {
  enum { O_START, O_END, O_PLACE, O_CAPACITY, O_FACILITATOR, O_LANGUAGE, O_N };
  cli_opt o[O_N] = {{"start="}, {"end="}, {"place="}, {"capacity="}, {"facilitator="}, {"language="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, O_N, pos, 1, &npos);
  if (!rc && npos != 1) rc = cli_usage(cli, "give the activity's code");
  if (!rc && (!o[O_START].value || !o[O_END].value)) rc = cli_usage(cli, "give --start and --end");
  cp_session s = {0};
  if (!rc && o[O_CAPACITY].value) {
    char *end;
    long v = strtol(o[O_CAPACITY].value, &end, 10);
    if (!*o[O_CAPACITY].value || *end || v < 0 || v > 1000000)
      rc = cli_usage(cli, "--capacity must be a whole number from 0 to 1000000");
    else s.capacity = (int)v;
  }
  cp_store *st = rc ? NULL : cli_store(cli, 0);
  if (!rc && !st) rc = CLI_FAIL;
  if (!rc) {
    s.activity = (char *)pos[0];
    s.start = (char *)o[O_START].value;
    s.end = (char *)o[O_END].value;
    s.place = (char *)o[O_PLACE].value;
    s.facilitator = (char *)o[O_FACILITATOR].value;
    s.language = (char *)o[O_LANGUAGE].value;
    cp_error e;
    cp_error_clear(&e);
    if (cp_session_add(st, &s, &e)) rc = cli_fail(cli, &e);
    else fprintf(cli->out, "added session %s: %s, %s to %s\n", s.uuid, pos[0], o[O_START].value, o[O_END].value);
  }
  cli_opts_free(o, O_N);
  return rc; /* s's strings belong to argv */
}

static json_t *session_json(const cp_session *s) {
  json_t *o = json_object();
  json_object_set_new(o, "activity", json_string(s->activity));
  json_object_set_new(o, "start", json_string(s->start));
  json_object_set_new(o, "end", json_string(s->end));
  json_object_set_new(o, "id", json_string(s->uuid));
  json_object_set_new(o, "place", json_string(s->place));
  json_object_set_new(o, "capacity", json_integer(s->capacity));
  json_object_set_new(o, "facilitator", json_string(s->facilitator));
  json_object_set_new(o, "language", json_string(s->language));
  return o;
}

static int cmd_session_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}, {"activity="}, {"from="}, {"to="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 4, pos, 0, &npos);
  cli_format fmt = FMT_TEXT;
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_session_filter f = {o[1].value, o[2].value, o[3].value};
  cp_error e;
  cp_error_clear(&e);
  if (!rc && fmt == FMT_CSV) {
    if (cp_session_export_csv(st, &f, cli->out, &e)) rc = cli_fail(cli, &e);
    cli_opts_free(o, 4);
    return rc;
  }
  cp_session *list = NULL;
  size_t n = 0;
  if (!rc && cp_session_list(st, &f, &list, &n, &e)) rc = cli_fail(cli, &e);
  if (!rc && fmt == FMT_JSON) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, session_json(&list[i]));
    cli_json_print(cli, a);
  } else if (!rc) {
    static const char *const h[] = {"start", "end", "activity", "place", "capacity", "language", "facilitator", "id"};
    cli_table *t = cli_table_new(8, h);
    for (size_t i = 0; i < n; i++) {
      char cap[16];
      snprintf(cap, sizeof cap, "%d", list[i].capacity);
      const char *c[] = {list[i].start, list[i].end, list[i].activity, list[i].place, cap, list[i].language,
                         list[i].facilitator, list[i].uuid};
      cli_table_add(t, c);
    }
    cli_table_print(t, cli->out);
    cli_table_free(t);
    fprintf(cli->out, "%zu %s\n", n, n == 1 ? "session" : "sessions");
  }
  cp_session_list_free(list, n);
  cli_opts_free(o, 4);
  return rc;
}

const cp_command cp_cmds_activity[] = {
    {"activity", "import", import_activities, "FILE.csv", "import or update CPD activities from a CSV file",
     "Reads an activities CSV (columns: code, title, kind, strand, statements,\n"
     "prerequisites, days, cost, language, provider, stages, eligibility,\n"
     "awarding_body, credits; code and title are required; matched by name in\n"
     "any order and case). The code is the key (letters, digits, - _ .): an\n"
     "activity already held is updated in place, in the columns the file has,\n"
     "so importing the same file twice changes nothing.\n"
     "\n"
     "  statements     codes of the statements it develops, separated by spaces;\n"
     "                 FRAMEWORK:CODE when a code is in more than one framework\n"
     "  prerequisites  activity codes, in the file or already held; no cycles\n"
     "  strand         induction, management development, leadership\n"
     "                 development, cross-cutting (or empty)\n"
     "  days, cost, credits  numbers of 0 or more\n"
     "  language       en, cy or both (default both)\n"
     "  stages         career stages allowed: new established experienced\n"
     "                 senior chief (empty: any)\n"
     "\n"
     "Errors are reported as FILE:LINE:COL and nothing is written. `cpdplan init`\n"
     "loads the shipped catalogue (VSC Cymru).\n"},
    {"activity", "list", cmd_activity_list, "[--strand S] [--kind K] [--format text|csv|json]",
     "list CPD activities",
     "Lists activities in catalogue order. --format csv writes the activities\n"
     "format, which `activity import` reads back into the same catalogue.\n"},
    {"activity", "show", cmd_activity_show, "CODE [--format text|csv|json]", "show one activity",
     "Shows every field of the activity and the statements it develops with\n"
     "their framework and text (cut to the terminal's width, or $COLUMNS).\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const cp_command cp_cmds_session[] = {
    {"session", "add", cmd_session_add,
     "ACTIVITY --start S --end E [--place P] [--capacity N] [--facilitator EMAIL] [--language L]",
     "add a dated session of an activity",
     "Adds a session of a held activity. S and E are ISO 8601 dates (YYYY-MM-DD)\n"
     "or date-times (YYYY-MM-DDTHH:MM[:SS], optionally Z or +HH:MM); the end may\n"
     "not be before the start. A session of the same activity, start and place\n"
     "already held is refused.\n"
     "\n"
     "  --place P            where it runs\n"
     "  --capacity N         places (0 = not set)\n"
     "  --facilitator EMAIL  a person held\n"
     "  --language L         en, cy or both (default: the activity's language\n"
     "                       when it is en or cy, else en)\n"},
    {"session", "import", import_sessions, "FILE.csv", "import or update sessions from a CSV file",
     "Reads a sessions CSV (columns: activity, start, end, id, place, capacity,\n"
     "facilitator, language; the first three are required). A row with an id\n"
     "updates the session with that identifier (or adds it under it); a row\n"
     "without one updates the held session of the same activity, start and\n"
     "place, else adds a new session. Importing the same file twice changes\n"
     "nothing. Errors are reported as FILE:LINE:COL and nothing is written.\n"},
    {"session", "list", cmd_session_list, "[--activity CODE] [--from DATE] [--to DATE] [--format text|csv|json]",
     "list sessions",
     "Lists sessions by start, then activity. --from and --to (YYYY-MM-DD) keep\n"
     "the sessions starting on or after / on or before that day. --format csv\n"
     "writes the sessions format with ids, which `session import` reads back.\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
