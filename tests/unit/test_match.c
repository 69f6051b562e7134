/* test_match.c: mentor matching (cp_match_solve): hand-made cases with an
 * argued answer (capacity, re-routing, keep[] ties, duplicates, unmatched
 * mentees, bad input), exhaustive search on random small instances, a
 * no-negative-cycle (LP dual) certificate on larger ones, independence
 * from the order the arcs are given in, and the streamed solve
 * (cp_match_stream) giving exactly the same matchings, and its misuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/match.h"

#define NONE CP_MATCH_NONE

static int solve(uint32_t n, uint32_t m, const uint32_t *cap, const cp_match_arc *arcs, size_t narcs,
                 const uint32_t *keep, cp_match_result *r, cp_error *e) {
  cp_match_problem p = {n, m, cap, arcs, narcs, keep};
  cp_error_clear(e);
  return cp_match_solve(&p, r, e);
}

/* ---- hand-made cases ---- */

/* One mentor with two places, three mentees: the two best scores win. */
static void test_capacity_two(void **state) {
  (void)state;
  uint32_t cap[] = {2};
  cp_match_arc arcs[] = {{0, 0, 5}, {1, 0, 3}, {2, 0, 4}};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(3, 1, cap, arcs, 3, NULL, &r, &e), 0);
  assert_int_equal(r.total, 9);
  assert_int_equal(r.pairs, 2);
  assert_int_equal(r.mentor_of[0], 0);
  assert_int_equal(r.mentor_of[1], NONE);
  assert_int_equal(r.mentor_of[2], 0);
  cp_match_result_free(&r);
}

/* Mentees are placed in order: 0 takes A, 1 takes B; 2 can only have A, so
 * the path 2->A->0->B->1->C must move both earlier mentees (28 is the only
 * optimum: without A for mentee 2 the best is 10 + 10 = 20). */
static void test_reroute_chain(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1, 1};
  cp_match_arc arcs[] = {{0, 0, 10}, {0, 1, 9}, {1, 1, 10}, {1, 2, 9}, {2, 0, 10}};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(3, 3, cap, arcs, 5, NULL, &r, &e), 0);
  assert_int_equal(r.total, 28);
  assert_int_equal(r.pairs, 3);
  assert_int_equal(r.mentor_of[0], 1);
  assert_int_equal(r.mentor_of[1], 2);
  assert_int_equal(r.mentor_of[2], 0);
  cp_match_result_free(&r);
}

/* Leaving a mentee unmatched can be optimal: 0 is worth more on A than 1
 * is, and 1 has nowhere else to go. */
static void test_unmatched_is_better(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1};
  cp_match_arc arcs[] = {{0, 0, 10}, {0, 1, 1}, {1, 0, 8}};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(2, 2, cap, arcs, 3, NULL, &r, &e), 0);
  /* 0->B (1) + 1->A (8) = 9 < 0->A alone = 10 */
  assert_int_equal(r.total, 10);
  assert_int_equal(r.mentor_of[0], 0);
  assert_int_equal(r.mentor_of[1], NONE);
  cp_match_result_free(&r);
}

/* All pairs score the same: keep[] decides, whichever way round it is. */
static void test_keep_breaks_ties(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1};
  cp_match_arc arcs[] = {{0, 0, 5}, {0, 1, 5}, {1, 0, 5}, {1, 1, 5}};
  uint32_t straight[] = {0, 1}, crossed[] = {1, 0}, one[] = {NONE, 0};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(2, 2, cap, arcs, 4, straight, &r, &e), 0);
  assert_int_equal(r.total, 10);
  assert_int_equal(r.mentor_of[0], 0);
  assert_int_equal(r.mentor_of[1], 1);
  cp_match_result_free(&r);
  assert_int_equal(solve(2, 2, cap, arcs, 4, crossed, &r, &e), 0);
  assert_int_equal(r.total, 10);
  assert_int_equal(r.mentor_of[0], 1);
  assert_int_equal(r.mentor_of[1], 0);
  cp_match_result_free(&r);
  assert_int_equal(solve(2, 2, cap, arcs, 4, one, &r, &e), 0);
  assert_int_equal(r.mentor_of[1], 0);
  assert_int_equal(r.mentor_of[0], 1);
  cp_match_result_free(&r);
}

/* keep[] decides between equal optima only: keeping all three of mentee
 * 0-2's kept pairs would total 29 (mentee 2's kept pair scores 9), so the
 * optimum is 30 with two kept pairs (0 and 1 tie between their options and
 * keep[] decides), and a kept mentor without an arc (mentee 3) is ignored. */
static void test_keep_among_optima(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1, 1, 1, 1, 1};
  cp_match_arc arcs[] = {{0, 0, 10}, {0, 3, 10}, {1, 1, 10}, {1, 4, 10}, {2, 2, 10}, {2, 5, 9}};
  uint32_t keep[] = {3, 4, 5, 0};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(4, 6, cap, arcs, 6, keep, &r, &e), 0);
  assert_int_equal(r.total, 30);
  assert_int_equal(r.mentor_of[0], 3);
  assert_int_equal(r.mentor_of[1], 4);
  assert_int_equal(r.mentor_of[2], 2);
  assert_int_equal(r.mentor_of[3], NONE);
  cp_match_result_free(&r);
}

/* keep[] never costs score, however many kept pairs are at stake: mentee 0
 * can have X1 (10) or its kept Y (9); mentee i = 1..5 its kept Xi or X(i+1),
 * both 10. Only the chain 0->X1, 1->X2, ..., 5->X6 scores 60, with no kept
 * pair; giving up one point would keep six. (A tie-break weight of less
 * than one point in total, i.e. scale > K, is what makes this right.) */
static void test_keep_never_costs_score(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1, 1, 1, 1, 1, 1};
  cp_match_arc arcs[] = {{0, 1, 10}, {0, 0, 9}, {1, 1, 10}, {1, 2, 10}, {2, 2, 10}, {2, 3, 10},
                         {3, 3, 10}, {3, 4, 10}, {4, 4, 10}, {4, 5, 10}, {5, 5, 10}, {5, 6, 10}};
  uint32_t keep[] = {0, 1, 2, 3, 4, 5};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(6, 7, cap, arcs, 12, keep, &r, &e), 0);
  assert_int_equal(r.total, 60);
  for (uint32_t i = 0; i < 6; i++) assert_int_equal(r.mentor_of[i], i + 1);
  cp_match_result_free(&r);
}

/* A mentee with no arc, a mentor with no place, and nothing at all. */
static void test_no_arc_no_place_empty(void **state) {
  (void)state;
  uint32_t cap[] = {0, 1};
  cp_match_arc arcs[] = {{0, 0, 50}, {2, 1, 2}, {0, 1, 1}};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(3, 2, cap, arcs, 3, NULL, &r, &e), 0);
  /* mentor 0 has no place; 0 and 2 compete for mentor 1 */
  assert_int_equal(r.total, 2);
  assert_int_equal(r.pairs, 1);
  assert_int_equal(r.mentor_of[0], NONE);
  assert_int_equal(r.mentor_of[1], NONE);
  assert_int_equal(r.mentor_of[2], 1);
  cp_match_result_free(&r);

  assert_int_equal(solve(0, 0, NULL, NULL, 0, NULL, &r, &e), 0);
  assert_int_equal(r.total, 0);
  assert_int_equal(r.pairs, 0);
  cp_match_result_free(&r);

  assert_int_equal(solve(4, 0, NULL, NULL, 0, NULL, &r, &e), 0);
  assert_int_equal(r.pairs, 0);
  for (int i = 0; i < 4; i++) assert_int_equal(r.mentor_of[i], NONE);
  cp_match_result_free(&r);
  cp_match_result_free(NULL);
}

/* A repeated arc keeps its highest score: with 7 mentee 0 beats mentee 1
 * (6) for the one place; with the first (3) or last (5) it would lose. */
static void test_duplicate_arcs(void **state) {
  (void)state;
  uint32_t cap[] = {1};
  cp_match_arc arcs[] = {{0, 0, 3}, {1, 0, 6}, {0, 0, 7}, {0, 0, 5}};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(2, 1, cap, arcs, 4, NULL, &r, &e), 0);
  assert_int_equal(r.total, 7);
  assert_int_equal(r.mentor_of[0], 0);
  assert_int_equal(r.mentor_of[1], NONE);
  cp_match_result_free(&r);
}

static void test_invalid_input(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1};
  cp_match_result r;
  cp_error e;
  cp_match_arc bad_mentee[] = {{0, 0, 1}, {1, 1, 1}, {2, 0, 1}};
  assert_int_equal(solve(2, 2, cap, bad_mentee, 3, NULL, &r, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 2: mentee 2 out of range (2 mentees)");
  assert_null(r.mentor_of);
  cp_match_arc bad_mentor[] = {{0, 0, 1}, {1, 2, 1}};
  assert_int_equal(solve(2, 2, cap, bad_mentor, 2, NULL, &r, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 1: mentor 2 out of range (2 mentors)");
  cp_match_arc zero[] = {{0, 0, 0}};
  assert_int_equal(solve(2, 2, cap, zero, 1, NULL, &r, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 0 (mentee 0, mentor 0): score 0 is not > 0");
  cp_match_arc negative[] = {{0, 0, 4}, {1, 0, -3}};
  assert_int_equal(solve(2, 2, cap, negative, 2, NULL, &r, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 1 (mentee 1, mentor 0): score -3 is not > 0");
  cp_match_arc ok[] = {{0, 0, 4}};
  uint32_t keep[] = {NONE, 5};
  assert_int_equal(solve(2, 2, cap, ok, 1, keep, &r, &e), CP_EINVAL);
  assert_string_equal(e.msg, "keep[1]: mentor 5 out of range (2 mentors)");
  assert_int_equal(cp_match_solve(NULL, &r, &e), CP_EINVAL);
  cp_match_problem p = {1, 1, NULL, ok, 1, NULL};
  assert_int_equal(cp_match_solve(&p, &r, &e), CP_EINVAL);
}

/* The limit on scores: W = max*(n+1) + 1 with 4W <= INT64_MAX. */
static void test_scores_too_large(void **state) {
  (void)state;
  uint32_t cap[] = {1};
  int64_t top = (INT64_MAX / 4 - 1) / 3; /* two mentees */
  cp_match_arc arcs[] = {{0, 0, top}, {1, 0, top - 1}};
  cp_match_result r;
  cp_error e;
  assert_int_equal(solve(2, 1, cap, arcs, 2, NULL, &r, &e), 0);
  assert_int_equal(r.total, top);
  assert_int_equal(r.mentor_of[0], 0);
  cp_match_result_free(&r);
  arcs[1].score = top + 1;
  assert_int_equal(solve(2, 1, cap, arcs, 2, NULL, &r, &e), CP_EINVAL);
  assert_non_null(strstr(e.msg, "scores too large"));
}

/* ---- random instances ---- */

static uint64_t rnd(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n) { return (uint32_t)(rnd(s) % n); }

typedef struct inst {
  uint32_t n, m;
  uint32_t cap[64];
  uint32_t keep[256];
  cp_match_arc arcs[4096];
  size_t narcs;
  int64_t best[256][64]; /* highest score per pair, 0 = no arc */
} inst;

static void make(inst *x, uint64_t *s, uint32_t maxn, uint32_t maxm, uint32_t maxcap, int64_t maxscore,
                 uint32_t density) {
  memset(x, 0, sizeof *x);
  x->n = 1 + below(s, maxn);
  x->m = 1 + below(s, maxm);
  for (uint32_t j = 0; j < x->m; j++) x->cap[j] = below(s, maxcap + 1);
  for (uint32_t i = 0; i < x->n; i++)
    for (uint32_t j = 0; j < x->m; j++)
      while (below(s, 100) < density && x->narcs < 4096) { /* sometimes twice: duplicates */
        int64_t sc = 1 + (int64_t)below(s, (uint32_t)maxscore);
        x->arcs[x->narcs++] = (cp_match_arc){i, j, sc};
        if (sc > x->best[i][j]) x->best[i][j] = sc;
        if (below(s, 4)) break;
      }
  for (uint32_t i = 0; i < x->n; i++) x->keep[i] = below(s, 3) ? NONE : below(s, x->m);
  /* shuffle the arcs */
  for (size_t a = x->narcs; a > 1; a--) {
    size_t b = rnd(s) % a;
    cp_match_arc t = x->arcs[a - 1];
    x->arcs[a - 1] = x->arcs[b];
    x->arcs[b] = t;
  }
}

/* The result is a feasible matching on the given arcs and its totals add up. */
static void check_feasible(const inst *x, const cp_match_result *r) {
  uint32_t used[64] = {0};
  int64_t total = 0;
  size_t pairs = 0;
  for (uint32_t i = 0; i < x->n; i++) {
    uint32_t j = r->mentor_of[i];
    if (j == NONE) continue;
    assert_true(j < x->m);
    assert_true(x->best[i][j] > 0);
    used[j]++;
    total += x->best[i][j];
    pairs++;
  }
  for (uint32_t j = 0; j < x->m; j++) assert_true(used[j] <= x->cap[j]);
  assert_int_equal(total, r->total);
  assert_int_equal(pairs, r->pairs);
}

static int kept_count(const inst *x, const uint32_t *mentor_of) {
  int k = 0;
  for (uint32_t i = 0; i < x->n; i++) k += mentor_of[i] != NONE && mentor_of[i] == x->keep[i];
  return k;
}

/* Exhaustive: the best (total, kept pairs), lexicographically. */
static void brute(const inst *x, uint32_t i, uint32_t *used, int64_t total, int kept, int64_t *bt, int *bk) {
  if (i == x->n) {
    if (total > *bt || (total == *bt && kept > *bk)) *bt = total, *bk = kept;
    return;
  }
  brute(x, i + 1, used, total, kept, bt, bk);
  for (uint32_t j = 0; j < x->m; j++) {
    if (!x->best[i][j] || used[j] >= x->cap[j]) continue;
    used[j]++;
    brute(x, i + 1, used, total + x->best[i][j], kept + (x->keep[i] == j), bt, bk);
    used[j]--;
  }
}

/* r is the exhaustive optimum: the best total, then the most kept pairs. */
static void check_brute(const inst *x, const cp_match_result *r) {
  uint32_t used[64] = {0};
  int64_t bt = -1;
  int bk = -1;
  brute(x, 0, used, 0, 0, &bt, &bk);
  assert_int_equal(r->total, bt);
  assert_int_equal(kept_count(x, r->mentor_of), bk);
}

static void test_brute_force(void **state) {
  (void)state;
  static inst x;
  uint64_t s = 20260501;
  for (int t = 0; t < 300; t++) {
    /* small score ranges make ties, so keep[] matters */
    make(&x, &s, 6, 4, 2, t % 3 == 0 ? 3 : 20, 20 + (uint32_t)(t % 5) * 15);
    cp_match_result r;
    cp_error e;
    assert_int_equal(solve(x.n, x.m, x.cap, x.arcs, x.narcs, x.keep, &r, &e), 0);
    check_feasible(&x, &r);
    check_brute(&x, &r);
    cp_match_result_free(&r);
  }
}

/* Optimality certificate: the matching is a flow of value n in the network
 * mentee -> mentor (cost -score) -> sink (capacity), mentee -> sink (cost
 * 0: no mentor); it is of least cost iff the residual graph has no negative
 * cycle, i.e. iff Bellman-Ford finds potentials (the LP dual) for it. */
static void bf_relax(int64_t *d, uint32_t from, uint32_t to, int64_t cost, int *changed) {
  if (d[from] + cost < d[to]) {
    d[to] = d[from] + cost;
    *changed = 1;
  }
}

static int has_negative_cycle(const inst *x, const uint32_t *mentor_of) {
  uint32_t n = x->n, m = x->m, nodes = n + m + 1, sink = n + m;
  int64_t d[512];
  uint32_t used[64] = {0};
  for (uint32_t i = 0; i < n; i++)
    if (mentor_of[i] != NONE) used[mentor_of[i]]++;
  for (uint32_t v = 0; v < nodes; v++) d[v] = 0; /* a virtual source reaching every node */
  for (uint32_t round = 0; round <= nodes; round++) {
    int changed = 0;
    for (uint32_t i = 0; i < n; i++) {
      for (uint32_t j = 0; j < m; j++) {
        if (!x->best[i][j]) continue;
        if (mentor_of[i] == j)
          bf_relax(d, n + j, i, x->best[i][j], &changed);
        else
          bf_relax(d, i, n + j, -x->best[i][j], &changed);
      }
      if (mentor_of[i] == NONE)
        bf_relax(d, sink, i, 0, &changed);
      else
        bf_relax(d, i, sink, 0, &changed);
    }
    for (uint32_t j = 0; j < m; j++) {
      if (used[j] < x->cap[j]) bf_relax(d, n + j, sink, 0, &changed);
      if (used[j] > 0) bf_relax(d, sink, n + j, 0, &changed);
    }
    if (!changed) return 0;
  }
  return 1;
}

static void test_certificate(void **state) {
  (void)state;
  static inst x;
  uint64_t s = 77;
  for (int t = 0; t < 60; t++) {
    make(&x, &s, 200, 60, 3, t % 2 ? 1000 : 5, 8 + (uint32_t)(t % 4) * 10);
    cp_match_result r;
    cp_error e;
    assert_int_equal(solve(x.n, x.m, x.cap, x.arcs, x.narcs, x.keep, &r, &e), 0);
    check_feasible(&x, &r);
    assert_false(has_negative_cycle(&x, r.mentor_of));
    /* and the check is not vacuous: dropping a pair leaves a better flow,
     * which the residual graph must show as a negative cycle */
    for (uint32_t i = 0; i < x.n; i++)
      if (r.mentor_of[i] != NONE) {
        uint32_t j = r.mentor_of[i];
        r.mentor_of[i] = NONE;
        assert_true(has_negative_cycle(&x, r.mentor_of));
        r.mentor_of[i] = j;
        break;
      }
    cp_match_result_free(&r);
  }
}

/* The same arcs in another order (and with a duplicate added below the top
 * score) give the same matching. */
static void test_order_independent(void **state) {
  (void)state;
  static inst x;
  uint64_t s = 4242;
  for (int t = 0; t < 40; t++) {
    make(&x, &s, 120, 40, 3, t % 2 ? 50 : 3, 25);
    cp_match_result a, b;
    cp_error e;
    assert_int_equal(solve(x.n, x.m, x.cap, x.arcs, x.narcs, x.keep, &a, &e), 0);
    for (size_t k = x.narcs; k > 1; k--) {
      size_t l = rnd(&s) % k;
      cp_match_arc tmp = x.arcs[k - 1];
      x.arcs[k - 1] = x.arcs[l];
      x.arcs[l] = tmp;
    }
    if (x.narcs > 0 && x.narcs < 4096 && x.arcs[0].score > 1)
      x.arcs[x.narcs++] = (cp_match_arc){x.arcs[0].mentee, x.arcs[0].mentor, x.arcs[0].score - 1};
    assert_int_equal(solve(x.n, x.m, x.cap, x.arcs, x.narcs, x.keep, &b, &e), 0);
    assert_int_equal(a.total, b.total);
    assert_memory_equal(a.mentor_of, b.mentor_of, x.n * sizeof *a.mentor_of);
    cp_match_result_free(&a);
    cp_match_result_free(&b);
  }
}

/* ---- the streamed solve ---- */

/* Streaming each mentee's arcs (shuffled, with duplicates) gives exactly
 * the matching of cp_match_solve, and the exhaustive optimum. */
static void test_stream_equals_solve(void **state) {
  (void)state;
  static inst x;
  uint64_t s = 777;
  for (int t = 0; t < 200; t++) {
    if (t < 100) make(&x, &s, 6, 4, 2, t % 3 == 0 ? 3 : 20, 20 + (uint32_t)(t % 5) * 15);
    else make(&x, &s, 120, 40, 3, t % 2 ? 50 : 3, 25);
    cp_match_result a, b;
    cp_error e;
    assert_int_equal(solve(x.n, x.m, x.cap, x.arcs, x.narcs, x.keep, &a, &e), 0);
    cp_match_stream *ms;
    assert_int_equal(cp_match_stream_new(&ms, x.n, x.m, x.cap, x.keep, &e), 0);
    static cp_match_arc mine[4096];
    for (uint32_t i = 0; i < x.n; i++) {
      size_t k = 0;
      for (size_t a2 = 0; a2 < x.narcs; a2++)
        if (x.arcs[a2].mentee == i) mine[k++] = x.arcs[a2];
      assert_int_equal(cp_match_stream_add(ms, mine, k, &e), 0);
    }
    assert_int_equal(cp_match_stream_finish(ms, &b, &e), 0);
    cp_match_stream_free(ms);
    assert_int_equal(a.total, b.total);
    assert_int_equal(a.pairs, b.pairs);
    assert_memory_equal(a.mentor_of, b.mentor_of, x.n * sizeof *a.mentor_of);
    check_feasible(&x, &b);
    if (t < 100) check_brute(&x, &b);
    cp_match_result_free(&a);
    cp_match_result_free(&b);
  }
}

static void test_stream_misuse(void **state) {
  (void)state;
  uint32_t cap[] = {1, 1};
  uint32_t bad_keep[] = {NONE, 2};
  cp_match_stream *ms;
  cp_match_result r;
  cp_error e;
  assert_int_equal(cp_match_stream_new(&ms, 2, 2, cap, bad_keep, &e), CP_EINVAL);
  assert_string_equal(e.msg, "keep[1]: mentor 2 out of range (2 mentors)");
  assert_int_equal(cp_match_stream_new(&ms, 2, 2, NULL, NULL, &e), CP_EINVAL);
  assert_int_equal(cp_match_stream_new(&ms, 2, 2, cap, NULL, &e), 0);
  cp_match_arc other[] = {{1, 0, 5}};
  assert_int_equal(cp_match_stream_add(ms, other, 1, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 0: mentee 1 given when placing mentee 0");
  cp_match_arc far[] = {{0, 1, 5}, {0, 2, 5}};
  assert_int_equal(cp_match_stream_add(ms, far, 2, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 1: mentor 2 out of range (2 mentors)");
  cp_match_arc zero[] = {{0, 0, 0}};
  assert_int_equal(cp_match_stream_add(ms, zero, 1, &e), CP_EINVAL);
  assert_string_equal(e.msg, "arc 0 (mentee 0, mentor 0): score 0 is not > 0");
  int64_t top = (INT64_MAX / 4 - 1) / 3; /* two mentees */
  cp_match_arc big[] = {{0, 0, top + 1}};
  assert_int_equal(cp_match_stream_add(ms, big, 1, &e), CP_EINVAL);
  assert_non_null(strstr(e.msg, "scores too large"));
  /* nothing was placed by the refused calls */
  assert_int_equal(cp_match_stream_finish(ms, &r, &e), CP_EINVAL);
  assert_string_equal(e.msg, "match: 0 of 2 mentees placed");
  cp_match_arc ok0[] = {{0, 0, top}}, ok1[] = {{1, 0, 7}, {1, 1, 2}};
  assert_int_equal(cp_match_stream_add(ms, ok0, 1, &e), 0);
  assert_int_equal(cp_match_stream_add(ms, ok1, 2, &e), 0);
  assert_int_equal(cp_match_stream_add(ms, ok1, 2, &e), CP_EINVAL);
  assert_string_equal(e.msg, "match: all 2 mentees were placed already");
  assert_int_equal(cp_match_stream_finish(ms, &r, &e), 0);
  assert_int_equal(r.total, top + 2);
  assert_int_equal(r.mentor_of[0], 0);
  assert_int_equal(r.mentor_of[1], 1);
  cp_match_result_free(&r);
  cp_match_stream_free(ms);
  cp_match_stream_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_capacity_two),       cmocka_unit_test(test_reroute_chain),
      cmocka_unit_test(test_unmatched_is_better), cmocka_unit_test(test_keep_breaks_ties),
      cmocka_unit_test(test_keep_among_optima), cmocka_unit_test(test_keep_never_costs_score), cmocka_unit_test(test_no_arc_no_place_empty),
      cmocka_unit_test(test_duplicate_arcs),     cmocka_unit_test(test_invalid_input),
      cmocka_unit_test(test_scores_too_large),   cmocka_unit_test(test_brute_force),
      cmocka_unit_test(test_certificate),        cmocka_unit_test(test_order_independent),
      cmocka_unit_test(test_stream_equals_solve), cmocka_unit_test(test_stream_misuse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
