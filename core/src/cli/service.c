/* service.c: the `service` and `post` commands: frameworks a service adopts,
 * and the agreed framework items on each post's default profile. */
#include "cli.h"

#include "cpdplan/service.h"

#include <jansson.h>

static cp_store *open_rw(cp_cli *cli) { return cli_store(cli, 0); }

static int done(cp_cli *cli, int rc, cp_error *e) { return rc ? cli_fail(cli, e) : CLI_OK; }

static int cmd_adopt(cp_cli *cli, int argc, char **argv) {
  const char *pos[16];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 16, &npos);
  if (rc) return rc;
  if (npos < 2) return cli_usage(cli, "give the service and one or more frameworks");
  cp_store *st = open_rw(cli);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  rc = cp_store_begin(st, &e);
  for (size_t i = 1; !rc && i < npos; i++) rc = cp_service_adopt(st, pos[0], pos[i], &e);
  if (!rc) rc = cp_store_commit(st, &e);
  else cp_store_rollback(st);
  if (!rc) fprintf(cli->out, "%s adopts %zu framework%s\n", pos[0], npos - 1, npos == 2 ? "" : "s");
  return done(cli, rc, &e);
}

static int cmd_drop(cp_cli *cli, int argc, char **argv) {
  const char *pos[2];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 2, &npos);
  if (rc) return rc;
  if (npos != 2) return cli_usage(cli, "give the service and the framework");
  cp_store *st = open_rw(cli);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  return done(cli, cp_service_drop(st, pos[0], pos[1], &e), &e);
}

static int cmd_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[0].value, 7, &fmt);
  cli_opts_free(o, 1);
  if (rc) return rc;
  cp_store *st = cli_store(cli, CP_STORE_READONLY);
  if (!st) return CLI_FAIL;
  cp_service_info *list;
  size_t n;
  cp_error e;
  cp_error_clear(&e);
  if (cp_service_list(st, &list, &n, &e)) return cli_fail(cli, &e);
  static const char *const h[] = {"service", "nation", "frameworks", "people", "id"};
  if (fmt == FMT_JSON) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:I,s:s}", "service", list[i].name, "nation", list[i].nation,
                                         "frameworks", list[i].frameworks, "people", (json_int_t)list[i].people,
                                         "id", list[i].uuid));
    cli_json_print(cli, a);
  } else {
    cli_rows r;
    cli_rows_begin(&r, cli->out, fmt, 5, h);
    for (size_t i = 0; i < n; i++) {
      char people[24];
      snprintf(people, sizeof people, "%ld", list[i].people);
      const char *c[] = {list[i].name, list[i].nation, list[i].frameworks, people, list[i].uuid};
      cli_rows_add(&r, c);
    }
    cli_rows_end(&r);
  }
  cp_service_list_free(list, n);
  return CLI_OK;
}


static int cmd_import(cp_cli *cli, int argc, char **argv) {
  return cli_run_import(cli, argc, argv, cp_service_import_csv, "services", false);
}

static int cmd_post_import(cp_cli *cli, int argc, char **argv) {
  return cli_run_import(cli, argc, argv, cp_post_import_csv, "posts", false);
}

static int post_change(cp_cli *cli, int argc, char **argv, bool agree) {
  const char *pos[64];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 64, &npos);
  if (rc) return rc;
  if (npos < 2) return cli_usage(cli, "give the post and one or more statements or dimensions");
  cp_store *st = open_rw(cli);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  rc = cp_store_begin(st, &e);
  for (size_t i = 1; !rc && i < npos; i++)
    rc = agree ? cp_post_agree(st, pos[0], pos[i], &e) : cp_post_unagree(st, pos[0], pos[i], &e);
  if (!rc) rc = cp_store_commit(st, &e);
  else cp_store_rollback(st);
  return done(cli, rc, &e);
}

static int cmd_post_agree(cp_cli *cli, int argc, char **argv) { return post_change(cli, argc, argv, true); }
static int cmd_post_remove(cp_cli *cli, int argc, char **argv) { return post_change(cli, argc, argv, false); }

static int cmd_post_list(cp_cli *cli, int argc, char **argv) {
  cli_opt o[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  cli_format fmt;
  int rc = cli_parse(cli, argc, argv, o, 1, pos, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, o[0].value, 3, &fmt);
  cli_opts_free(o, 1);
  if (rc) return rc;
  cp_store *st = cli_store(cli, CP_STORE_READONLY);
  if (!st) return CLI_FAIL;
  cp_post_info *list;
  size_t n;
  cp_error e;
  cp_error_clear(&e);
  if (cp_post_list(st, &list, &n, &e)) return cli_fail(cli, &e);
  static const char *const h[] = {"post", "statements", "people"};
  cli_rows r;
  cli_rows_begin(&r, cli->out, fmt, 3, h);
  for (size_t i = 0; i < n; i++) {
    char people[24];
    snprintf(people, sizeof people, "%ld", list[i].people);
    const char *c[] = {list[i].name, list[i].agreed, people};
    cli_rows_add(&r, c);
  }
  cli_rows_end(&r);
  cp_post_list_free(list, n);
  return CLI_OK;
}

const cp_command cp_cmds_service[] = {
    {"service", "adopt", cmd_adopt, "SERVICE FRAMEWORK...", "a service adopts frameworks",
     "The service (created if new) adopts each framework (short name or CASE\n"
     "identifier): their statements that apply to all posts join the profile of\n"
     "everyone in the service.\n"},
    {"service", "drop", cmd_drop, "SERVICE FRAMEWORK", "a service stops using a framework", ""},
    {"service", "list", cmd_list, "[--format text|csv|json]", "list services and their frameworks", ""},
    {"service", "import", cmd_import, "FILE.csv", "import services (service, nation, frameworks)",
     "Reads a CSV with columns service (required), nation and frameworks (short\n"
     "names, space-separated, adopted in addition to those held). One\n"
     "transaction; re-importing changes nothing.\n"},
    {"post", "agree", cmd_post_agree, "POST ITEM...", "add agreed statements to a post's profile",
     "Adds framework items that apply only where agreed (e.g. Wales key area 3,\n"
     "Prospect dimensions 4-6, the VSC Cymru Standard) to the default profile of\n"
     "a post. An ITEM is a statement, element, dimension or key area code.\n"},
    {"post", "remove", cmd_post_remove, "POST ITEM...", "remove agreed items from a post's profile", ""},
    {"post", "list", cmd_post_list, "[--format text|csv]", "list posts and their agreed items", ""},
    {"post", "import", cmd_post_import, "FILE.csv", "import posts (post, statements)",
     "Reads a CSV with columns post (required) and statements (item codes,\n"
     "space-separated, agreed for the post in addition to those held).\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
