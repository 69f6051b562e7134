/* cli.h: what every command file of the cpdplan command shares: the command
 * table entry (name, help text and function declared together, as Fossil
 * does), the run context, option parsing, store opening, error printing and
 * an aligned-table writer for text output. The CLI holds no SQL and no rule. */
#ifndef CP_CLI_H
#define CP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cpdplan/csvio.h"
#include "cpdplan/error.h"
#include "cpdplan/store.h"

typedef struct cp_cli {
  const char *db_path; /* --db, else $CPDPLAN_DB, else cpdplan.db */
  cp_store *store;     /* opened by cli_store() */
  FILE *out;           /* standard output */
  FILE *err;           /* standard error */
  bool out_tty;        /* standard output is a terminal */
  bool err_tty;
  const struct cp_command *cmd; /* the command being run */
} cp_cli;

typedef int (*cp_cmd_fn)(cp_cli *cli, int argc, char **argv);

/* One command or subcommand. Help text is shown by `cpdplan help NAME` and
 * `NAME --help`. Tables end with an entry whose name is NULL. */
typedef struct cp_command {
  const char *name;    /* "framework" */
  const char *sub;     /* "import", or NULL for a command without subcommands */
  cp_cmd_fn fn;
  const char *usage;   /* "FILE [--format case|moodle-csv]" */
  const char *summary; /* one line */
  const char *help;    /* paragraphs: what it does, its options */
} cp_command;

/* Command tables, one per file in cli/. */
extern const cp_command cp_cmds_init[];
extern const cp_command cp_cmds_framework[];
extern const cp_command cp_cmds_people[];
extern const cp_command cp_cmds_service[];
extern const cp_command cp_cmds_profile[];
extern const cp_command cp_cmds_assess[];
extern const cp_command cp_cmds_sample[];
extern const cp_command cp_cmds_rules[];
extern const cp_command cp_cmds_mentoring[];
extern const cp_command cp_cmds_plan[];
extern const cp_command cp_cmds_enrol[];
extern const cp_command cp_cmds_plugin[];
extern const cp_command cp_cmds_activity[];
extern const cp_command cp_cmds_session[];

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Open the store (once). flags as for cp_store_open. NULL on failure, with
 * the error printed. */
cp_store *cli_store(cp_cli *cli, unsigned flags);

/* Print "cpdplan: <formatted error>" and return CLI_FAIL. */
int cli_fail(cp_cli *cli, const cp_error *e);
/* Print "cpdplan: message" and return CLI_FAIL. */
int cli_failf(cp_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "cpdplan NAME SUB: message" and the usage line; return CLI_USAGE. */
int cli_usage(cp_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a warning line to stderr. */
void cli_warn(cp_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the help of a command (all its subcommands when sub is NULL). */
void cli_help(FILE *out, const char *name, const char *sub);

/* Options. A spec lists long names; "name=" takes a value. Arguments that are
 * not options are collected in order into pos[]. Returns 0, or CLI_USAGE after
 * printing what is wrong. --help is handled by the caller via cli_opt_flag. */
typedef struct cli_opt {
  const char *name;  /* "format=" or "all" */
  const char *value; /* set when seen (flags get "1") */
  int count;         /* times seen */
  const char **values; /* every value of a repeated option (NULL-terminated) */
} cli_opt;

int cli_parse(cp_cli *cli, int argc, char **argv, cli_opt *opts, size_t nopts,
              const char **pos, size_t maxpos, size_t *npos);
const char *cli_opt_get(const cli_opt *opts, size_t nopts, const char *name);
void cli_opts_free(cli_opt *opts, size_t nopts);

/* Open FILE for writing through a temporary file in the same directory;
 * cli_close_out renames it into place when ok, else removes it. */
FILE *cli_open_out(cp_cli *cli, const char *path);
int cli_close_out(cp_cli *cli, FILE *fp, const char *path, bool ok);

/* Run an importer over the one FILE argument: open the store, warn about
 * unknown columns, print "FILE: N NOUN: a added, u updated, k unchanged"
 * (or, for history-keeping imports, "... a recorded, k already held"). */
struct cp_import_result;
typedef int (*cli_import_fn)(cp_store *st, const char *path, struct cp_import_result *res, cp_error *err);
int cli_run_import(cp_cli *cli, int argc, char **argv, cli_import_fn fn, const char *noun, bool history);

/* x with at most three decimals and no trailing zeros ("2.5", "3"). */
char *cli_fmt_num(char *buf, size_t size, double x);
/* A space-separated list of codes for a text table: the first keep codes,
 * then " … (+N)" for the N left out when N > 1 (CSV and JSON keep them all). */
char *cli_fmt_codes(char *buf, size_t size, const char *codes, size_t keep);

/* Print a JSON value (indented, in key order) and a newline; takes ownership. */
struct json_t;
void cli_json_print(cp_cli *cli, struct json_t *j);

/* Output formats. */
typedef enum { FMT_TEXT, FMT_CSV, FMT_JSON } cli_format;
/* Parse --format value (NULL = text); allowed is a mask of 1<<FMT_*. */
int cli_format_parse(cp_cli *cli, const char *value, unsigned allowed, cli_format *out);

/* A text table with aligned columns (widths by UTF-8 code points). */
typedef struct cli_table cli_table;
cli_table *cli_table_new(size_t ncols, const char *const *headers);
void cli_table_add(cli_table *t, const char *const *cells);
void cli_table_print(cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

/* Rows of strings written as an aligned table (FMT_TEXT) or CSV (FMT_CSV). */
typedef struct cli_rows {
  cli_format fmt;
  FILE *out;
  size_t ncols;
  cli_table *table;
} cli_rows;
void cli_rows_begin(cli_rows *r, FILE *out, cli_format fmt, size_t ncols, const char *const *headers);
void cli_rows_add(cli_rows *r, const char *const *cells);
void cli_rows_end(cli_rows *r);

/* The rules for commands that run them (cli/rules.c): these options first
 * in a command's cli_opt list, then its own from index CLI_RULE_NOPTS. */
#define CLI_RULE_OPTS {"plugin="}, {"cycle="}, {"today="}, {"plugin-instructions="}, {"plugin-memory="}
enum { CLI_RULE_PLUGIN, CLI_RULE_CYCLE, CLI_RULE_TODAY, CLI_RULE_INSTR, CLI_RULE_MEM, CLI_RULE_NOPTS };
/* Their help text, appended to the help of each command that runs rules. */
#define CLI_RULE_HELP                                                                          \
  "\n"                                                                                     \
  "  --plugin FILE        run these local plugins (repeatable) instead of the\n"           \
  "                       enabled ones; the default rules always load first\n"            \
  "  --cycle CYCLE        the review cycle whose grades count (default: latest)\n"         \
  "  --today DATE         the date of the run, YYYY-MM-DD (default: today)\n"              \
  "  --plugin-instructions N   instruction budget per hook call (10000000)\n"            \
  "  --plugin-memory MB   memory cap for all plugins together (64)\n"

struct cp_snapshot;
struct cp_rules;
struct cp_enabled_plugin;
typedef struct cli_rules {
  struct cp_snapshot *snap;
  struct cp_rules *rules;
  struct cp_enabled_plugin *enabled;
  size_t nenabled;
} cli_rules;
/* Load the snapshot (read-only store) and the rules; prints the error. */
int cli_rules_open(cp_cli *cli, const cli_opt *o, cli_rules *out);
void cli_rules_close(cli_rules *r);

/* Progress bar on a terminal (stderr), silent otherwise. */
typedef struct cli_progress {
  bool on;
  long total, last_shown;
  const char *label;
} cli_progress;
void cli_progress_start(cp_cli *cli, cli_progress *p, const char *label, long total);
void cli_progress_update(cli_progress *p, long done);
void cli_progress_end(cli_progress *p);

#endif
