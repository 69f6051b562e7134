/* main.c: the cpdplan command: global options (--db, --help, --version),
 * dispatch to the command tables of cli/ files, and `cpdplan help`. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cp_command *const tables[] = {
    cp_cmds_init, cp_cmds_framework, cp_cmds_service, cp_cmds_people,
    cp_cmds_profile, cp_cmds_assess, cp_cmds_activity, cp_cmds_session, cp_cmds_sample, cp_cmds_rules, cp_cmds_mentoring, cp_cmds_plan, cp_cmds_enrol, cp_cmds_plugin, NULL,
};

static void overview(FILE *out) {
  fprintf(out,
          "usage: cpdplan [--db FILE] COMMAND [ARGS]\n"
          "\n"
          "cpdplan plans continuing professional development and induction for\n"
          "education and children's services against national standards.\n"
          "\n"
          "Commands:\n");
  const char *last = "";
  for (size_t t = 0; tables[t]; t++) {
    for (const cp_command *c = tables[t]; c->name; c++) {
      char name[64];
      snprintf(name, sizeof name, "%s%s%s", c->name, c->sub ? " " : "", c->sub ? c->sub : "");
      if (strcmp(last, c->name) != 0 && last[0]) (void)0;
      fprintf(out, "  %-22s %s\n", name, c->summary);
      last = c->name;
    }
  }
  fprintf(out,
          "\n"
          "Global options:\n"
          "  --db FILE     database file (default: $CPDPLAN_DB, else ./cpdplan.db)\n"
          "  --help        this text; `cpdplan help COMMAND` for one command\n"
          "  --version     print the version\n");
}

void cli_help(FILE *out, const char *name, const char *sub) {
  int shown = 0;
  for (size_t t = 0; tables[t]; t++) {
    for (const cp_command *c = tables[t]; c->name; c++) {
      if (strcmp(c->name, name) != 0) continue;
      if (sub && (!c->sub || strcmp(c->sub, sub) != 0)) continue;
      if (shown) fputc('\n', out);
      fprintf(out, "usage: cpdplan %s%s%s %s\n\n%s\n", c->name, c->sub ? " " : "", c->sub ? c->sub : "",
              c->usage ? c->usage : "", c->summary);
      if (c->help && c->help[0]) fprintf(out, "\n%s", c->help);
      shown++;
    }
  }
  if (!shown) fprintf(out, "cpdplan: no help for \"%s%s%s\"\n", name, sub ? " " : "", sub ? sub : "");
}

static const cp_command *find(const char *name, const char *sub, int *has_subs) {
  *has_subs = 0;
  for (size_t t = 0; tables[t]; t++) {
    for (const cp_command *c = tables[t]; c->name; c++) {
      if (strcmp(c->name, name) != 0) continue;
      if (!c->sub) return c;
      *has_subs = 1;
      if (sub && strcmp(c->sub, sub) == 0) return c;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  cp_cli cli = {0};
  cli.out = stdout;
  cli.err = stderr;
  cli.out_tty = isatty(STDOUT_FILENO);
  cli.err_tty = isatty(STDERR_FILENO);
  cli.db_path = getenv("CPDPLAN_DB");
  if (!cli.db_path || !*cli.db_path) cli.db_path = "cpdplan.db";

  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      cli.db_path = argv[++i];
    } else if (strncmp(argv[i], "--db=", 5) == 0) {
      cli.db_path = argv[i] + 5;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      overview(stdout);
      return 0;
    } else if (strcmp(argv[i], "--version") == 0) {
      printf("cpdplan 0.1.0 (schema %d)\n", cp_store_schema_latest());
      return 0;
    } else {
      fprintf(stderr, "cpdplan: unknown option %s (see cpdplan --help)\n", argv[i]);
      return CLI_USAGE;
    }
  }
  if (i >= argc) {
    overview(stderr);
    return CLI_USAGE;
  }
  const char *name = argv[i];
  if (strcmp(name, "help") == 0) {
    if (i + 1 >= argc) {
      overview(stdout);
      return 0;
    }
    cli_help(stdout, argv[i + 1], i + 2 < argc ? argv[i + 2] : NULL);
    return 0;
  }
  const char *sub = i + 1 < argc ? argv[i + 1] : NULL;
  int has_subs;
  const cp_command *c = find(name, sub, &has_subs);
  if (!c) {
    if (has_subs) {
      if (!sub || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        cli_help(sub ? stdout : stderr, name, NULL);
        return sub ? 0 : CLI_USAGE;
      }
      fprintf(stderr, "cpdplan: unknown command \"%s %s\" (see cpdplan help %s)\n", name, sub, name);
    } else {
      fprintf(stderr, "cpdplan: unknown command \"%s\" (see cpdplan --help)\n", name);
    }
    return CLI_USAGE;
  }
  int skip = c->sub ? 2 : 1;
  cli.cmd = c;
  for (int k = i + skip; k < argc; k++) {
    if (strcmp(argv[k], "--") == 0) break;
    if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
      cli_help(stdout, c->name, c->sub);
      return 0;
    }
  }
  int rc = c->fn(&cli, argc - i - skip, argv + i + skip);
  cp_store_close(cli.store);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "cpdplan: error writing standard output\n");
    return CLI_FAIL;
  }
  return rc;
}
