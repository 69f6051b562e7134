/* sample.c: `cpdplan sample`: write a synthetic workforce (services, posts,
 * people, their assessments and a year's sessions of the shipped activities)
 * as CSV files for trying cpdplan out and for benchmarks. Needs no database;
 * prints one line: what it wrote, and how fast. */
#include "cli.h"

#include "cpdplan/sample.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { O_PEOPLE, O_SEED, O_SERVICES, O_CYCLE, O_TODAY, O_OUT, O_COUNT };

/* A whole number from lo to hi, or -1 after printing the usage error. */
static int parse_long(cp_cli *cli, const char *opt, const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < lo || v > hi) {
    cli_usage(cli, "--%s needs a whole number from %ld to %ld, not \"%s\"", opt, lo, hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

static int parse_seed(cp_cli *cli, const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || errno || s[0] == '-') {
    cli_usage(cli, "--seed needs a whole number from 0 to %" PRIu64 ", not \"%s\"", UINT64_MAX, s);
    return -1;
  }
  *out = (uint64_t)v;
  return 0;
}

/* Fill the options from the command line; CLI_USAGE after printing why not. */
static int sample_options(cp_cli *cli, const cli_opt *opts, cp_sample_options *o) {
  long v;
  if (!opts[O_PEOPLE].value) return cli_usage(cli, "--people is required");
  if (!opts[O_OUT].value || !*opts[O_OUT].value) return cli_usage(cli, "--out DIR is required");
  if (parse_long(cli, "people", opts[O_PEOPLE].value, 1, CP_SAMPLE_MAX_PEOPLE, &v)) return CLI_USAGE;
  o->people = v;
  if (opts[O_SEED].value && parse_seed(cli, opts[O_SEED].value, &o->seed)) return CLI_USAGE;
  if (opts[O_SERVICES].value) {
    if (parse_long(cli, "services", opts[O_SERVICES].value, 1, 22, &v)) return CLI_USAGE;
    o->services = (int)v;
  }
  if (opts[O_TODAY].value) {
    o->today = opts[O_TODAY].value;
    o->cycle = NULL; /* the academic year holding --today, unless given */
  }
  if (opts[O_CYCLE].value) o->cycle = opts[O_CYCLE].value;
  return 0;
}

static void on_progress(void *ctx, long done, long total) {
  cli_progress *p = ctx;
  (void)total;
  cli_progress_update(p, done);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int cmd_sample(cp_cli *cli, int argc, char **argv) {
  cli_opt opts[O_COUNT] = {{"people="}, {"seed="}, {"services="}, {"cycle="}, {"today="}, {"out="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, opts, O_COUNT, pos, 0, &npos);
  cp_sample_options o = CP_SAMPLE_OPTIONS_INIT;
  if (!rc) rc = sample_options(cli, opts, &o);
  if (rc) {
    cli_opts_free(opts, O_COUNT);
    return rc;
  }
  const char *dir = opts[O_OUT].value;
  cli_progress bar;
  cli_progress_start(cli, &bar, "sample", o.people);
  o.progress = on_progress;
  o.progress_ctx = &bar;
  cp_sample_stats st;
  cp_error e;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  rc = cp_sample_write(&o, dir, &st, &e);
  double secs = seconds_since(&t0);
  cli_progress_end(&bar);
  if (rc) {
    cli_opts_free(opts, O_COUNT);
    return cli_fail(cli, &e);
  }
  fprintf(cli->out,
          "wrote %s: %ld services, %ld posts, %ld people, %ld assessments, %ld sessions (%.1f MB) in %.2f s\n", dir,
          st.services, st.posts, st.people, st.assessments, st.sessions, (double)st.bytes / 1e6, secs);
  cli_opts_free(opts, O_COUNT);
  return CLI_OK;
}

const cp_command cp_cmds_sample[] = {
    {"sample", NULL, cmd_sample,
     "--people N --out DIR [--seed S] [--services K] [--cycle C] [--today YYYY-MM-DD]",
     "write a synthetic workforce as CSV files (no database needed)",
     "Writes a realistic, made-up education improvement workforce into DIR\n"
     "(created if missing) as the CSV files cpdplan imports:\n"
     "\n"
     "  services.csv     local authorities: service, nation, frameworks\n"
     "  posts.csv        posts and the framework items agreed for them\n"
     "  people.csv       people, with teams, line managers, career stages,\n"
     "                   language, mentoring capacity and retirement years\n"
     "  assessments.csv  self, line manager and peer grades of each person's\n"
     "                   profile, with evidence references and comments\n"
     "  sessions.csv     dated sessions of the shipped catalogue's activities\n"
     "                   over the cycle's school year (import after the people\n"
     "                   into a database made by `cpdplan init`)\n"
     "\n"
     "Welsh councils adopt WEIP and VSC, English ones ASP05 and Scottish ones\n"
     "PSS19 (the shipped frameworks). E-mail addresses and document links use\n"
     "example.gov.uk domains. The same options always give byte-identical\n"
     "files; each file is written to DIR/.NAME.tmp and renamed into place once\n"
     "all five are complete, so an interrupted run leaves the old files.\n"
     "\n"
     "  --people N          number of people (1 to 10000000)\n"
     "  --out DIR           directory to write into\n"
     "  --seed S            random seed (default 1)\n"
     "  --services K        the first K of 22 councils, 8 Welsh, 9 English and\n"
     "                      5 Scottish, interleaved (default 22)\n"
     "  --today YYYY-MM-DD  the date the sample is as of (default 2026-11-23)\n"
     "  --cycle C           review cycle graded, beginning with its first year\n"
     "                      (default: the academic year holding --today,\n"
     "                      2026-27); grades are dated from 1 September to\n"
     "                      31 August, and not after --today\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
