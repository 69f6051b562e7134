/* people.c: the `person` commands: add, edit, show, list, import, export. */
#include "cli.h"

#include "cpdplan/people.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define PERSON_FIELD_OPTS                                                                          \
  {"name="}, {"email="}, {"post="}, {"team="}, {"service="}, {"line-manager="}, {"appointed="},    \
      {"stage="}, {"language="}, {"mentor-capacity="}, {"retirement-year="}

enum { O_NAME, O_EMAIL, O_POST, O_TEAM, O_SERVICE, O_MANAGER, O_APPOINTED, O_STAGE, O_LANGUAGE,
       O_CAPACITY, O_RETIREMENT, O_NFIELDS };

static int int_opt(cp_cli *cli, const char *name, const char *v, int lo, int hi, int *out) {
  char *end;
  long n = strtol(v, &end, 10);
  if (!*v || *end || n < lo || n > hi) return cli_usage(cli, "--%s must be a whole number from %d to %d", name, lo, hi);
  *out = (int)n;
  return 0;
}

/* Fill a person from the field options; returns the mask of fields given. */
static int fields_from_opts(cp_cli *cli, cli_opt *o, cp_person *p, unsigned *mask) {
  *mask = 0;
  char **dst[] = {&p->name, &p->email, &p->post, &p->team, &p->service, &p->line_manager,
                  &p->appointed, &p->stage, &p->language};
  static const unsigned bits[] = {CP_PERSON_NAME, CP_PERSON_EMAIL, CP_PERSON_POST, CP_PERSON_TEAM,
                                  CP_PERSON_SERVICE, CP_PERSON_MANAGER, CP_PERSON_APPOINTED,
                                  CP_PERSON_STAGE, CP_PERSON_LANGUAGE};
  for (int i = 0; i < 9; i++)
    if (o[i].count) {
      *dst[i] = strdup(o[i].value);
      *mask |= bits[i];
    }
  if (o[O_CAPACITY].count) {
    if (int_opt(cli, "mentor-capacity", o[O_CAPACITY].value, 0, 50, &p->mentor_capacity)) return CLI_USAGE;
    *mask |= CP_PERSON_CAPACITY;
  }
  if (o[O_RETIREMENT].count) {
    if (!*o[O_RETIREMENT].value) p->retirement_year = 0;
    else if (int_opt(cli, "retirement-year", o[O_RETIREMENT].value, 1950, 2150, &p->retirement_year))
      return CLI_USAGE;
    *mask |= CP_PERSON_RETIREMENT;
  }
  return 0;
}

static int cmd_add(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {PERSON_FIELD_OPTS};
  const char *pos[2];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, O_NFIELDS, pos, 2, &npos);
  if (rc) return rc;
  cp_person p = {0};
  unsigned mask;
  if ((rc = fields_from_opts(cli, o, &p, &mask))) goto out;
  if (npos >= 1 && !p.email) p.email = strdup(pos[0]);
  if (npos >= 2 && !p.name) p.name = strdup(pos[1]);
  if (!p.email || !p.name) {
    rc = cli_usage(cli, "give the person's email and name");
    goto out;
  }
  cp_store *st = cli_store(cli, 0);
  if (!st) {
    rc = CLI_FAIL;
    goto out;
  }
  cp_error e;
  cp_error_clear(&e);
  if (cp_people_add(st, &p, &e)) rc = cli_fail(cli, &e);
  else fprintf(cli->out, "added %s <%s> (%s)\n", p.name, p.email, p.uuid);
out:
  cp_person_clear(&p);
  cli_opts_free(o, O_NFIELDS);
  return rc;
}

static int cmd_edit(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {PERSON_FIELD_OPTS};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, O_NFIELDS, pos, 1, &npos);
  if (rc) return rc;
  cp_person p = {0};
  unsigned mask = 0;
  if ((rc = fields_from_opts(cli, o, &p, &mask))) goto out;
  if (npos != 1) {
    rc = cli_usage(cli, "give the person (email or identifier)");
    goto out;
  }
  if (!mask) {
    rc = cli_usage(cli, "nothing to change: give one or more --FIELD VALUE");
    goto out;
  }
  cp_store *st = cli_store(cli, 0);
  if (!st) {
    rc = CLI_FAIL;
    goto out;
  }
  cp_error e;
  cp_error_clear(&e);
  if (cp_people_edit(st, pos[0], &p, mask, &e)) rc = cli_fail(cli, &e);
  else fprintf(cli->out, "updated %s\n", p.email ? p.email : pos[0]);
out:
  cp_person_clear(&p);
  cli_opts_free(o, O_NFIELDS);
  return rc;
}

static const char *const person_headers[] = {"name", "email", "post", "team", "service", "line_manager",
                                             "appointed", "stage", "language", "mentor_capacity",
                                             "retirement_year", "id"};

static void person_cells(const cp_person *p, char cap[16], char ret[16], const char *cells[12]) {
  snprintf(cap, 16, "%d", p->mentor_capacity);
  snprintf(ret, 16, "%d", p->retirement_year);
  const char *v[12] = {p->name, p->email, p->post, p->team, p->service, p->line_manager, p->appointed,
                       p->stage, p->language, cap, p->retirement_year ? ret : "", p->uuid};
  memcpy(cells, v, sizeof v);
}

static json_t *person_json(const cp_person *p) {
  json_t *o = json_object();
  char cap[16], ret[16];
  const char *cells[12];
  person_cells(p, cap, ret, cells);
  for (int i = 0; i < 12; i++) {
    if (i == 9) json_object_set_new(o, person_headers[i], json_integer(p->mentor_capacity));
    else if (i == 10) json_object_set_new(o, person_headers[i], p->retirement_year ? json_integer(p->retirement_year) : json_null());
    else json_object_set_new(o, person_headers[i], json_string(cells[i] ? cells[i] : ""));
  }
  return o;
}

static int cmd_show(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 1, &npos);
  cli_format fmt;
  if (!rc && npos != 1) rc = cli_usage(cli, "give the person (email or identifier)");
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_person p = {0};
  cp_error e;
  cp_error_clear(&e);
  if (!rc && cp_people_get(st, pos[0], &p, &e)) rc = cli_fail(cli, &e);
  if (!rc) {
    char cap[16], ret[16];
    const char *cells[12];
    person_cells(&p, cap, ret, cells);
    if (fmt == FMT_JSON) {
      json_t *j = person_json(&p);
      cli_json_print(cli, j);
    } else if (fmt == FMT_CSV) {
      cp_csv_write_row(cli->out, person_headers, 12);
      cp_csv_write_row(cli->out, cells, 12);
    } else {
      for (int i = 0; i < 12; i++) fprintf(cli->out, "%-16s %s\n", person_headers[i], cells[i] ? cells[i] : "");
    }
  }
  cp_person_clear(&p);
  cli_opts_free(o, 1);
  return rc;
}

static int cmd_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}, {"service="}, {"team="}, {"post="}, {"stage="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 5, pos, 0, &npos);
  cli_format fmt;
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cp_store *st = rc ? NULL : cli_store(cli, CP_STORE_READONLY);
  if (!rc && !st) rc = CLI_FAIL;
  cp_people_filter f = {o[1].value, o[2].value, o[3].value, o[4].value};
  cp_person *list = NULL;
  size_t n = 0;
  cp_error e;
  cp_error_clear(&e);
  if (!rc && cp_people_list(st, &f, &list, &n, &e)) rc = cli_fail(cli, &e);
  if (!rc) {
    if (fmt == FMT_CSV) {
      if (cp_people_export_csv(st, &f, cli->out, &e)) rc = cli_fail(cli, &e);
    } else if (fmt == FMT_JSON) {
      json_t *a = json_array();
      for (size_t i = 0; i < n; i++) json_array_append_new(a, person_json(&list[i]));
      cli_json_print(cli, a);
    } else {
      static const char *const h[] = {"name", "email", "post", "team", "service", "stage", "manager"};
      cli_table *t = cli_table_new(7, h);
      for (size_t i = 0; i < n; i++) {
        const char *c[] = {list[i].name, list[i].email, list[i].post, list[i].team, list[i].service,
                           list[i].stage, list[i].line_manager};
        cli_table_add(t, c);
      }
      cli_table_print(t, cli->out);
      cli_table_free(t);
      fprintf(cli->out, "%zu %s\n", n, n == 1 ? "person" : "people");
    }
  }
  cp_people_free(list, n);
  cli_opts_free(o, 5);
  return rc;
}

static int cmd_import(cp_cli *cli, int argc, char **argv) {
  return cli_run_import(cli, argc, argv, cp_people_import_csv, "people", false);
}

static int cmd_export(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"service="}, {"team="}, {"out="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, o, 3, pos, 0, &npos);
  if (rc) return rc;
  cp_store *st = cli_store(cli, CP_STORE_READONLY);
  if (!st) return CLI_FAIL;
  FILE *out = cli->out;
  if (o[2].count && !(out = cli_open_out(cli, o[2].value))) {
    cli_opts_free(o, 3);
    return CLI_FAIL;
  }
  cp_people_filter f = {o[0].value, o[1].value, NULL, NULL};
  cp_error e;
  cp_error_clear(&e);
  rc = cp_people_export_csv(st, &f, out, &e);
  if (o[2].count) rc = cli_close_out(cli, out, o[2].value, rc == 0) || rc;
  if (rc && e.code) cli_fail(cli, &e);
  cli_opts_free(o, 3);
  return rc ? CLI_FAIL : 0;
}

#define FIELD_HELP                                                                          \
  "  --name NAME, --email EMAIL, --post POST, --team TEAM, --service SERVICE,\n"            \
  "  --line-manager EMAIL, --appointed YYYY-MM-DD,\n"                                      \
  "  --stage new|established|experienced|senior|chief, --language en|cy|both,\n"          \
  "  --mentor-capacity N (0 = not willing to mentor), --retirement-year YYYY\n"

const cp_command cp_cmds_people[] = {
    {"person", "add", cmd_add, "EMAIL NAME [--FIELD VALUE]...", "add a person",
     "Adds one person. A service named for the first time is created and adopts\n"
     "the default frameworks; the line manager must already be held.\n\n" FIELD_HELP},
    {"person", "edit", cmd_edit, "PERSON --FIELD VALUE...", "change a person's details",
     "Changes the fields given (PERSON is an email or identifier). A change of\n"
     "line manager that would make a cycle is refused.\n\n" FIELD_HELP},
    {"person", "show", cmd_show, "PERSON [--format text|csv|json]", "show one person", ""},
    {"person", "list", cmd_list, "[--service S] [--team T] [--post P] [--stage S] [--format text|csv|json]",
     "list people", "Lists people by service, team and name; --format csv gives the people format.\n"},
    {"person", "import", cmd_import, "FILE.csv", "import or update people from a CSV file",
     "Reads a people CSV (columns: name, email, post, team, service, line_manager,\n"
     "appointed, stage, language, mentor_capacity, retirement_year; matched by\n"
     "name in any order and case; UTF-8 with or without BOM). The email is the\n"
     "key: people already held are updated in place, so importing the same file\n"
     "twice changes nothing. A line manager may appear anywhere in the file or\n"
     "already be held; a cycle of line managers is an error. Errors are reported\n"
     "as FILE:LINE:COL and nothing is written.\n"},
    {"person", "export", cmd_export, "[--service S] [--team T] [--out FILE]", "write people as CSV",
     "Writes the people format (the columns person import reads).\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
