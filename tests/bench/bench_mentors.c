/* bench_mentors.c: mentors assign end to end on a database, timed in parts
 * (snapshot, the needs hook, score_mentor over the candidate pairs with the
 * exact matching placing mentees alongside, describing the pairs made), as
 * `cpdplan mentors assign --dry-run` runs it; optionally writes
 * the matching problem it solved, and its answer, as JSON for
 * tests/bench/match_scipy.py to solve the same scores with scipy.
 * Usage: bench_mentors DB [TODAY] [--dump IN.json OUT.json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpdplan/match.h"
#include "cpdplan/mentoring.h"
#include "cpdplan/rules.h"
#include "cpdplan/snapshot.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int dump(const char *in, const char *out, const cp_mentors_assign_report *rep) {
  FILE *f = fopen(in, "w");
  if (!f) return 1;
  fprintf(f, "{\"nmentees\": %zu, \"nmentors\": %zu, \"capacity\": [", rep->mentees, rep->mentors);
  for (size_t m = 0; m < rep->mentors; m++) fprintf(f, "%s%u", m ? ", " : "", rep->capacity[m]);
  fprintf(f, "], \"arcs\": [");
  for (size_t i = 0; i < rep->arcs; i++)
    fprintf(f, "%s[%u, %u, %lld]", i ? ", " : "", rep->arc_list[i].mentee, rep->arc_list[i].mentor,
            (long long)rep->arc_list[i].score);
  fprintf(f, "]}\n");
  fclose(f);
  f = fopen(out, "w");
  if (!f) return 1;
  fprintf(f, "{\"total\": %lld, \"pairs\": %zu, \"seconds\": %.3f, \"mentor_of\": [", (long long)rep->total, rep->npairs,
          rep->seconds_match);
  for (size_t e = 0; e < rep->mentees; e++)
    fprintf(f, "%s%lld", e ? ", " : "", rep->mentor_of[e] == CP_MATCH_NONE ? -1LL : (long long)rep->mentor_of[e]);
  fprintf(f, "]}\n");
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_mentors DB [TODAY] [--dump IN.json OUT.json]\n");
    return 2;
  }
  const char *today = argc > 2 && strcmp(argv[2], "--dump") ? argv[2] : "2026-11-23";
  const char *in = NULL, *out = NULL;
  for (int i = 2; i + 2 < argc; i++)
    if (strcmp(argv[i], "--dump") == 0) in = argv[i + 1], out = argv[i + 2];
  cp_error e;
  cp_error_clear(&e);
  cp_store *st;
  cp_snapshot *sn;
  cp_rules *r;
  cp_snapshot_options so = CP_SNAPSHOT_OPTIONS_INIT;
  so.today = today;
  double t0 = now();
  if (cp_store_open(&st, argv[1], CP_STORE_READONLY, &e) || cp_snapshot_load(st, &so, &sn, &e)) {
    fprintf(stderr, "bench_mentors: %s\n", e.msg);
    return 1;
  }
  double t1 = now();
  if (cp_rules_new(&r, sn, NULL, &e)) {
    fprintf(stderr, "bench_mentors: %s\n", e.msg);
    return 1;
  }
  double t15 = now();
  cp_mentors_assign_options opt = CP_MENTORS_ASSIGN_OPTIONS_INIT;
  opt.dry_run = 1;
  opt.keep_problem = in != NULL;
  cp_mentors_assign_report rep;
  if (cp_mentors_assign(st, r, &opt, &rep, &e)) {
    fprintf(stderr, "bench_mentors: %s\n", e.msg);
    return 1;
  }
  double t2 = now();
  printf("people %zu: %zu mentees, %zu mentors, %zu pairs scored, %zu allowed, %zu made, total %lld\n", sn->npeople,
         rep.mentees, rep.mentors, rep.pairs_scored, rep.arcs, rep.npairs, (long long)rep.total);
  printf("seconds: snapshot %.3f, plugins loaded %.3f, needs hook %.3f, score_mentor with the matching alongside "
         "%.3f (matching %.3f), pairs described %.3f, end to end %.3f\n", t1 - t0, t15 - t1, rep.seconds_needs,
         rep.seconds_rules - rep.seconds_needs, rep.seconds_match, rep.seconds_describe, t2 - t0);
  int rc = 0;
  if (in && dump(in, out, &rep)) {
    fprintf(stderr, "bench_mentors: cannot write %s or %s\n", in, out);
    rc = 1;
  }
  cp_mentors_assign_report_free(&rep);
  cp_rules_free(r);
  cp_snapshot_free(sn);
  cp_store_close(st);
  return rc;
}
