/* profile.c: the `profile` commands: the statements that apply to a person,
 * and agreed additions and removals (by statement or whole dimension). */
#include "cli.h"

#include "cpdplan/profile.h"

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

static int cmd_show(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 1, &npos);
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cli_opts_free(o, 1);
  if (rc) return rc;
  if (npos != 1) return cli_usage(cli, "give the person (email or identifier)");
  cp_store *st = cli_store(cli, CP_STORE_READONLY);
  if (!st) return CLI_FAIL;
  cp_profile_entry *list;
  size_t n;
  cp_error e;
  cp_error_clear(&e);
  if (cp_profile_get(st, pos[0], &list, &n, &e)) return cli_fail(cli, &e);
  static const char *const h[] = {"framework", "dimension", "statement", "text", "applies"};
  if (fmt == FMT_JSON) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "framework", list[i].framework, "dimension",
                                         list[i].dimension_code, "statement", list[i].code, "text",
                                         list[i].statement, "applies", cp_profile_source_name(list[i].source)));
    cli_json_print(cli, a);
  } else if (fmt == FMT_CSV) {
    cp_csv_write_row(cli->out, h, 5);
    for (size_t i = 0; i < n; i++) {
      const char *c[] = {list[i].framework, list[i].dimension_code, list[i].code, list[i].statement,
                         cp_profile_source_name(list[i].source)};
      cp_csv_write_row(cli->out, c, 5);
    }
  } else {
    const char *dim = "";
    for (size_t i = 0; i < n; i++) {
      bool whole = strcmp(list[i].code, list[i].dimension_code) == 0; /* graded as a whole (a key area) */
      if (strcmp(dim, list[i].dimension_code) != 0) {
        dim = list[i].dimension_code;
        bool prev_whole = i && strcmp(list[i - 1].code, list[i - 1].dimension_code) == 0;
        if (i && !(whole && prev_whole)) fputc('\n', cli->out);
        if (!whole) fprintf(cli->out, "%s %s\n", list[i].dimension_code, list[i].dimension);
      }
      fprintf(cli->out, "%s%-16s %s%s%s%s\n", whole ? "" : "  ", list[i].code, list[i].statement,
              list[i].source != CP_PROFILE_ALL ? "  [" : "",
              list[i].source != CP_PROFILE_ALL ? cp_profile_source_name(list[i].source) : "",
              list[i].source != CP_PROFILE_ALL ? "]" : "");
    }
    fprintf(cli->out, "%s%zu statements\n", n ? "\n" : "", n);
  }
  cp_profile_free(list, n);
  return CLI_OK;
}

static int change(cp_cli *cli, int argc, char **argv, bool add) {
  const char *pos[64];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 64, &npos);
  if (rc) return rc;
  if (npos < 2) return cli_usage(cli, "give the person and one or more statements or dimensions");
  cp_store *st = cli_store(cli, 0);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  rc = cp_store_begin(st, &e);
  for (size_t i = 1; !rc && i < npos; i++)
    rc = add ? cp_profile_add(st, pos[0], pos[i], &e) : cp_profile_remove(st, pos[0], pos[i], &e);
  if (!rc) rc = cp_store_commit(st, &e);
  else cp_store_rollback(st);
  if (rc) return cli_fail(cli, &e);
  fprintf(cli->out, "%s %zu item%s %s the profile of %s\n", add ? "added" : "removed", npos - 1,
          npos == 2 ? "" : "s", add ? "to" : "from", pos[0]);
  return CLI_OK;
}

static int cmd_add(cp_cli *cli, int argc, char **argv) { return change(cli, argc, argv, true); }
static int cmd_remove(cp_cli *cli, int argc, char **argv) { return change(cli, argc, argv, false); }

const cp_command cp_cmds_profile[] = {
    {"profile", "show", cmd_show, "PERSON [--format text|csv|json]", "the statements that apply to a person",
     "Lists the statements a person is graded against: the adopted frameworks'\n"
     "statements that apply to all posts, those agreed for the post, and the\n"
     "person's agreed additions, less removals.\n"},
    {"profile", "add", cmd_add, "PERSON ITEM...", "agree statements or dimensions for a person",
     "ITEM is a statement, element, dimension or key area (code or identifier);\n"
     "a grouping adds every statement under it.\n"},
    {"profile", "remove", cmd_remove, "PERSON ITEM...", "take statements or dimensions off a person's profile",
     ""},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
