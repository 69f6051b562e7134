/* bench_schedule.c: schedule on a database as `cpdplan schedule --dry-run`
 * runs it, timed in parts (snapshot, rules, solve), with the objective, the
 * bound and the gap; optionally writes the allocation problem it solved as
 * JSON in the format of tests/optimality/sched_solve, so that the solver (or
 * the ILP check) can be run on exactly the problem a real workforce makes.
 * Usage: bench_schedule DB [TODAY] [--fast|--exact] [--dump PROBLEM.json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpdplan/planner.h"
#include "cpdplan/rules.h"
#include "cpdplan/snapshot.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void dump(const cp_sched_problem *p, void *ud) {
  FILE *f = fopen(ud, "w");
  if (!f) {
    fprintf(stderr, "bench_schedule: cannot write %s\n", (const char *)ud);
    return;
  }
  fprintf(f, "{\"nactivities\": %u, \"prereq\": [", p->nactivities);
  for (uint32_t a = 0; a < p->nactivities; a++) {
    fprintf(f, "%s[", a ? ", " : "");
    for (uint32_t k = p->prereq_start ? p->prereq_start[a] : 0; p->prereq_start && k < p->prereq_start[a + 1]; k++)
      fprintf(f, "%s%u", k > p->prereq_start[a] ? ", " : "", p->prereq[k]);
    fprintf(f, "]");
  }
  fprintf(f, "],\n\"sessions\": [");
  for (uint32_t s = 0; s < p->nsessions; s++) {
    const cp_sched_session *x = &p->sessions[s];
    fprintf(f, "%s{\"activity\": %u, \"start\": %lld, \"end\": %lld, \"capacity\": %d, \"days\": %g}", s ? ",\n" : "",
            x->activity, (long long)x->start, (long long)x->end, x->capacity, x->days);
  }
  fprintf(f, "],\n\"people\": [");
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *q = &p->people[i];
    fprintf(f, "%s{\"options\": [", i ? ",\n" : "");
    for (uint32_t k = 0; k < q->noptions; k++)
      fprintf(f, "%s[%u, %lld]", k ? ", " : "", q->options[k].session, (long long)q->options[k].score);
    const uint32_t *lists[] = {q->fixed, q->done, q->current};
    const uint32_t counts[] = {q->nfixed, q->ndone, q->ncurrent};
    const char *names[] = {"fixed", "done", "current"};
    for (int l = 0; l < 3; l++) {
      fprintf(f, "], \"%s\": [", names[l]);
      for (uint32_t k = 0; k < counts[l]; k++) fprintf(f, "%s%u", k ? ", " : "", lists[l][k]);
    }
    fprintf(f, "], \"max_places\": %u, \"max_days\": %g}", q->max_places, q->max_days);
  }
  fprintf(f, "]}\n");
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_schedule DB [TODAY] [--fast|--exact] [--dump PROBLEM.json]\n");
    return 2;
  }
  const char *today = "2026-11-23";
  cp_schedule_options opt = CP_SCHEDULE_OPTIONS_INIT;
  opt.dry_run = 1;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--fast") == 0) opt.sched.method = CP_SCHED_FAST;
    else if (strcmp(argv[i], "--exact") == 0) opt.sched.method = CP_SCHED_EXACT;
    else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) opt.on_problem = dump, opt.on_problem_ud = argv[++i];
    else today = argv[i];
  }
  cp_error e;
  cp_error_clear(&e);
  cp_store *st;
  cp_snapshot *sn;
  cp_rules *r;
  cp_snapshot_options so = CP_SNAPSHOT_OPTIONS_INIT;
  so.today = today;
  double t0 = now();
  if (cp_store_open(&st, argv[1], CP_STORE_READONLY, &e) || cp_snapshot_load(st, &so, &sn, &e) ||
      cp_rules_new(&r, sn, NULL, &e)) {
    fprintf(stderr, "bench_schedule: %s\n", e.msg);
    return 1;
  }
  double t1 = now();
  cp_schedule_report rep;
  if (cp_schedule_run(st, r, &opt, &rep, &e)) {
    fprintf(stderr, "bench_schedule: %s\n", e.msg);
    return 1;
  }
  double t2 = now();
  printf("people %zu (%zu with options), sessions %zu, options %zu, places %zu, waitlisted %zu\n", sn->npeople,
         rep.people, rep.sessions, rep.options, rep.places, rep.waitlisted);
  printf("%s: objective %.3f, bound %.3f, gap %.3f%%, %s\n", rep.result.used == CP_SCHED_EXACT ? "exact" : "fast",
         rep.objective, rep.bound, 100 * rep.result.gap, rep.result.optimal ? "optimal" : "not proved optimal");
  printf("seconds: snapshot %.2f, rules %.2f, solve %.2f, plans %.2f, end to end %.2f\n", t1 - t0, rep.seconds_rules,
         rep.seconds_solve, t2 - t1 - rep.seconds_rules - rep.seconds_solve, t2 - t0);
  cp_schedule_report_free(&rep);
  cp_rules_free(r);
  cp_snapshot_free(sn);
  cp_store_close(st);
  return 0;
}
