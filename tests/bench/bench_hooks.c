/* bench_hooks.c: the cost of a hook call, against the same rule written in
 * C, in one run. Loads a database's snapshot and the default rules, computes
 * everyone's needs, then times score_activity over every (person, activity)
 * pair through Lua and through c_score below (the default rule transcribed),
 * checks the two agree, and prints nanoseconds per call and their ratio.
 * Usage: bench_hooks DB [TODAY] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpdplan/rules.h"
#include "cpdplan/snapshot.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* plugins/default.lua score_activity, in C */
static int c_score(const cp_snapshot *sn, const cp_snap_person *p, const cp_need *nd, size_t nn,
                   const cp_snap_activity *a, double *out) {
  double value = 0;
  for (uint32_t k = 0; k < a->nstatements; k++) {
    size_t lo = 0, hi = nn; /* needs are sorted by statement */
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (nd[mid].statement < a->statements[k]) lo = mid + 1;
      else hi = mid;
    }
    if (lo < nn && nd[lo].statement == a->statements[k]) value += nd[lo].priority;
  }
  if (value == 0) return 0;
  double factor = strcmp(p->language, "cy") == 0 && strcmp(a->language, "en") == 0 ? 0.6 : 1;
  (void)sn;
  *out = value * factor / (1 + a->cost / 5000);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_hooks DB [TODAY]\n");
    return 2;
  }
  cp_error e;
  cp_error_clear(&e);
  cp_store *st;
  cp_snapshot *sn;
  cp_rules *r;
  cp_snapshot_options so = CP_SNAPSHOT_OPTIONS_INIT;
  so.today = argc > 2 ? argv[2] : "2026-11-23";
  if (cp_store_open(&st, argv[1], CP_STORE_READONLY, &e) || cp_snapshot_load(st, &so, &sn, &e) ||
      cp_rules_new(&r, sn, NULL, &e)) {
    fprintf(stderr, "bench_hooks: %s\n", e.msg);
    return 1;
  }
  double t0 = now();
  for (size_t p = 0; p < sn->npeople; p++) {
    const cp_need *nd;
    size_t nn;
    if (cp_rules_needs(r, (uint32_t)p, &nd, &nn, &e)) return fprintf(stderr, "%s\n", e.msg), 1;
  }
  double t1 = now();
  double lua_sum = 0, c_sum = 0;
  unsigned long calls = 0, mismatches = 0;
  for (size_t p = 0; p < sn->npeople; p++)
    for (size_t a = 0; a < sn->nactivities; a++) {
      int has;
      double s;
      const char *why;
      if (cp_rules_score_activity(r, (uint32_t)p, (uint32_t)a, &has, &s, &why, &e)) return fprintf(stderr, "%s\n", e.msg), 1;
      if (has) lua_sum += s;
      calls++;
    }
  double t2 = now();
  for (size_t p = 0; p < sn->npeople; p++) {
    const cp_need *nd;
    size_t nn;
    cp_rules_needs(r, (uint32_t)p, &nd, &nn, &e); /* kept from the first pass */
    for (size_t a = 0; a < sn->nactivities; a++) {
      double s;
      if (c_score(sn, &sn->people[p], nd, nn, &sn->activities[a], &s)) c_sum += s;
    }
  }
  double t3 = now();
  if (fabs(lua_sum - c_sum) > 1e-6 * (1 + fabs(c_sum))) mismatches++;
  double lua_ns = (t2 - t1) / (double)calls * 1e9, c_ns = (t3 - t2) / (double)calls * 1e9;
  printf("people %zu, activities %zu, score_activity calls %lu\n", sn->npeople, sn->nactivities, calls);
  printf("needs hook: %.0f ns per person (%zu people, %.3f s)\n", (t1 - t0) / (double)sn->npeople * 1e9, sn->npeople, t1 - t0);
  printf("score_activity: Lua %.0f ns/call, C %.1f ns/call, ratio %.1fx; totals %s (%.6f)\n", lua_ns, c_ns,
         c_ns > 0 ? lua_ns / c_ns : 0, mismatches ? "DIFFER" : "agree", c_sum);
  cp_rules_free(r);
  cp_snapshot_free(sn);
  cp_store_close(st);
  return mismatches ? 1 : 0;
}
