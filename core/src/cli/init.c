/* init.c: `cpdplan init`: create a database with the shipped frameworks and
 * activity catalogue. */
#include "cli.h"

#include "cpdplan/catalogue.h"
#include "cpdplan/framework.h"

#include <string.h>
#include <unistd.h>

static int cmd_init(cp_cli *cli, int argc, char **argv) {
  cli_opt opts[] = {{"empty"}, {"adopt="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, opts, 2, pos, 0, &npos);
  if (rc) return rc;
  cp_error e;
  cp_error_clear(&e);
  cp_store *st = cli_store(cli, CP_STORE_CREATE | CP_STORE_MUST_BE_NEW);
  if (!st) {
    cli_opts_free(opts, 2);
    return CLI_FAIL;
  }
  rc = cp_store_begin(st, &e);
  if (!rc && !opts[0].count) rc = cp_framework_install_shipped(st, &e);
  if (!rc && !opts[0].count) rc = cp_activity_install_shipped(st, &e);
  if (!rc && opts[1].count) {
    /* validate each framework named */
    for (int i = 0; i < opts[1].count && !rc; i++) {
      int64_t id;
      rc = cp_framework_resolve(st, opts[1].values[i], &id, &e);
    }
    if (!rc) {
      char buf[1024] = "";
      for (int i = 0; i < opts[1].count; i++) {
        if (i) strncat(buf, " ", sizeof buf - strlen(buf) - 1);
        strncat(buf, opts[1].values[i], sizeof buf - strlen(buf) - 1);
      }
      rc = cp_store_meta_set(st, "default_adoption", buf, &e);
    }
  }
  if (!rc) rc = cp_store_commit(st, &e);
  cli_opts_free(opts, 2);
  if (rc) {
    cp_store_rollback(st);
    cp_store_close(st);
    cli->store = NULL;
    unlink(cli->db_path);
    return cli_fail(cli, &e);
  }
  fprintf(cli->out, "created %s\n", cli->db_path);
  return CLI_OK;
}

const cp_command cp_cmds_init[] = {
    {"init", NULL, cmd_init, "[--empty] [--adopt FRAMEWORK]...",
     "create a database with the shipped frameworks and activity catalogue",
     "Creates the database (--db FILE, $CPDPLAN_DB or ./cpdplan.db; it must not\n"
     "exist yet) with mode 0600 and loads the standards frameworks shipped with\n"
     "cpdplan: Aspect (ASP05), Prospect ECS Scotland (PSS19), Wales EIP (WEIP)\n"
     "and the VSC Cymru Standard (VSC); then the shipped CPD activity catalogue\n"
     "(VSC Cymru's 13 activities, mapped to the statements of all four).\n"
     "\n"
     "  --empty              load no frameworks and no activities\n"
     "  --adopt FRAMEWORK    frameworks a new service adopts when it is first\n"
     "                       named (by a person import or `person add`);\n"
     "                       repeatable; by short name or CASE identifier\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
