/* bench_hooks.c: the cost of a hook call, against the same rule written in
 * C, in one run. Loads a database's snapshot and the default rules, computes
 * everyone's needs through the needs hook and through c_needs below, then
 * score_activity over every (person, activity) pair through Lua and through
 * c_score (the default rules transcribed), checks each pair agree, and prints
 * nanoseconds per call and the ratios.
 * Usage: bench_hooks DB [TODAY] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpdplan/assess.h"
#include "cpdplan/rules.h"
#include "cpdplan/snapshot.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* plugins/default.lua needs, in C: the needs (statement order) and strengths
 * of p, into arrays the caller frees; returns the number of needs. */
static size_t c_needs(const cp_snapshot *sn, const cp_snap_person *p, cp_need **out, uint32_t **strengths,
                      size_t *nstrengths) {
  cp_need *nd = malloc((p->nprofile + 1) * sizeof *nd);
  uint32_t *st = malloc((p->nprofile + 1) * sizeof *st);
  size_t n = 0, ns = 0;
  int newly = *p->appointed ? (cp_days_between(p->appointed, sn->today) >= 0 &&
                               cp_days_between(p->appointed, sn->today) <= 365)
                            : p->stage == CP_STAGE_NEW;
  for (uint32_t k = 0; nd && st && k < p->nprofile; k++) {
    int g = p->grades[k];
    if (g == 4 || g == 3)
      nd[n++] = (cp_need){p->profile[k], g == 4 ? 2 : 1,
                          g == 4 ? "agreed grade 4: good in only a limited number of respects; needs regular support"
                                 : "agreed grade 3: good in most respects; some support is required", 0};
    else if (g == 1) st[ns++] = p->profile[k];
    else if (g == CP_GRADE_NONE && newly)
      nd[n++] = (cp_need){p->profile[k], 1, "not yet assessed: initial training need of the newly appointed", 1};
  }
  *out = nd;
  *strengths = st;
  *nstrengths = ns;
  return n;
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
  /* needs: through the hook (checked and kept by the rules), then in C */
  unsigned long mismatches = 0;
  size_t lua_needs = 0, lua_strengths = 0, c_total = 0, c_strengths = 0;
  double t0 = now();
  for (size_t p = 0; p < sn->npeople; p++) {
    const cp_need *nd;
    const uint32_t *sv;
    size_t nn, ns;
    if (cp_rules_needs(r, (uint32_t)p, &nd, &nn, &e) || cp_rules_strengths(r, (uint32_t)p, &sv, &ns, &e))
      return fprintf(stderr, "%s\n", e.msg), 1;
    lua_needs += nn;
    lua_strengths += ns;
  }
  double t1 = now();
  for (size_t p = 0; p < sn->npeople; p++) {
    cp_need *nd;
    uint32_t *sv;
    size_t ns;
    c_total += c_needs(sn, &sn->people[p], &nd, &sv, &ns);
    c_strengths += ns;
    free(nd);
    free(sv);
  }
  double t2 = now();
  if (lua_needs != c_total || lua_strengths != c_strengths) mismatches++;
  /* score_activity over every pair */
  double lua_sum = 0, c_sum = 0;
  unsigned long calls = 0;
  for (size_t p = 0; p < sn->npeople; p++)
    for (size_t a = 0; a < sn->nactivities; a++) {
      int has;
      double s;
      const char *why;
      if (cp_rules_score_activity(r, (uint32_t)p, (uint32_t)a, &has, &s, &why, &e)) return fprintf(stderr, "%s\n", e.msg), 1;
      if (has) lua_sum += s;
      calls++;
    }
  double t3 = now();
  for (size_t p = 0; p < sn->npeople; p++) {
    const cp_need *nd;
    size_t nn;
    cp_rules_needs(r, (uint32_t)p, &nd, &nn, &e); /* kept from the first pass */
    for (size_t a = 0; a < sn->nactivities; a++) {
      double s;
      if (c_score(sn, &sn->people[p], nd, nn, &sn->activities[a], &s)) c_sum += s;
    }
  }
  double t4 = now();
  int score_differ = fabs(lua_sum - c_sum) > 1e-6 * (1 + fabs(c_sum));
  mismatches += score_differ;
  double np = sn->npeople ? (double)sn->npeople : 1, nc = calls ? (double)calls : 1;
  double ln = (t1 - t0) / np * 1e9, cn = (t2 - t1) / np * 1e9;
  double ls = (t3 - t2) / nc * 1e9, cs = (t4 - t3) / nc * 1e9;
  printf("people %zu, activities %zu, score_activity calls %lu\n", sn->npeople, sn->nactivities, calls);
  printf("needs: Lua %.0f ns/person, C %.0f ns/person, ratio %.1fx; %zu needs and %zu strengths, %s\n", ln, cn,
         cn > 0 ? ln / cn : 0, c_total, c_strengths,
         lua_needs == c_total && lua_strengths == c_strengths ? "agree" : "DIFFER");
  printf("score_activity: Lua %.0f ns/call, C %.1f ns/call, ratio %.1fx; totals %s (%.6f)\n", ls, cs,
         cs > 0 ? ls / cs : 0, score_differ ? "DIFFER" : "agree", c_sum);
  cp_rules_free(r);
  cp_snapshot_free(sn);
  cp_store_close(st);
  return mismatches ? 1 : 0;
}
