/* test_schedule.c: session allocation through the public API (cp_sched_solve,
 * cp_sched_explain_option, cp_sched_check): a full session goes to the higher
 * scores and the others are waitlisted (FULL, unmet, price, the value of one
 * more place); overlapping sessions; Reflective Manager before Strategic
 * Leader (held before, held after, done, fixed, a low-valued prerequisite
 * taken for the sake of its dependant); fixed places, place and day limits;
 * unlimited capacity; stability; the same plan with 1 and 2 threads; the
 * dispatch; validation; the checker on bad plans; and a brute-force optimum
 * on random tiny instances that FAST must reach or bound from above, and
 * EXACT must equal. Every result goes through cp_sched_check and a
 * recomputation of its objective. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/schedule.h"

#define DAY 1440
#define H(day, hour) ((int64_t)(day) * DAY + (int64_t)(hour) * 60)
#define MAXS 64
#define MAXP 512
#define MAXO 16
#define MAXL 4

/* ---- building small instances ---- */

typedef struct inst {
  cp_sched_problem p;
  cp_sched_session sess[MAXS];
  cp_sched_person people[MAXP];
  cp_sched_option opts[MAXP][MAXO];
  uint32_t fixed[MAXP][MAXL], done[MAXP][MAXL], cur[MAXP][MAXL];
  uint32_t pstart[MAXS + 1], pre[MAXS];
} inst;

static inst *inst_new(uint32_t nactivities) {
  inst *in = calloc(1, sizeof *in);
  assert_non_null(in);
  in->p.version = CP_SCHED_PROBLEM_VERSION;
  in->p.nactivities = nactivities;
  in->p.sessions = in->sess;
  in->p.people = in->people;
  return in;
}

static uint32_t add_session(inst *in, uint32_t act, int64_t start, int64_t end, int32_t cap, double days) {
  uint32_t s = in->p.nsessions++;
  in->sess[s] = (cp_sched_session){act, start, end, cap, days};
  return s;
}

static uint32_t add_person(inst *in) {
  uint32_t i = in->p.npeople++;
  cp_sched_person *q = &in->people[i];
  memset(q, 0, sizeof *q);
  q->options = in->opts[i];
  q->fixed = in->fixed[i];
  q->done = in->done[i];
  q->current = in->cur[i];
  return i;
}

static void add_option(inst *in, uint32_t i, uint32_t s, int64_t score) { /* ascending sessions */
  in->opts[i][in->people[i].noptions++] = (cp_sched_option){s, score};
}

static void add_fixed(inst *in, uint32_t i, uint32_t s) { in->fixed[i][in->people[i].nfixed++] = s; }
static void add_done(inst *in, uint32_t i, uint32_t a) { in->done[i][in->people[i].ndone++] = a; }
static void add_current(inst *in, uint32_t i, uint32_t s) { in->cur[i][in->people[i].ncurrent++] = s; }

/* prerequisites from pairs (activity, needs), given by activity ascending */
static void set_prereq(inst *in, const uint32_t (*pairs)[2], uint32_t n) {
  uint32_t k = 0;
  for (uint32_t a = 0; a < in->p.nactivities; a++) {
    in->pstart[a] = k;
    for (uint32_t j = 0; j < n; j++)
      if (pairs[j][0] == a) in->pre[k++] = pairs[j][1];
  }
  in->pstart[in->p.nactivities] = k;
  in->p.prereq_start = in->pstart;
  in->p.prereq = in->pre;
}

/* ---- solving, with the checks every result must pass ---- */

static int64_t plan_value(const cp_sched_problem *p, const cp_sched_result *r) {
  int64_t v = 0;
  for (uint32_t i = 0; i < p->npeople; i++)
    for (uint32_t k = r->assign_start[i]; k < r->assign_start[i + 1]; k++)
      for (uint32_t j = 0; j < p->people[i].noptions; j++)
        if (p->people[i].options[j].session == r->assign[k]) v += p->people[i].options[j].score;
  return v;
}

static void check_result(const cp_sched_problem *p, const cp_sched_result *r) {
  cp_error e;
  cp_error_clear(&e);
  int rc = cp_sched_check(p, r->assign_start, r->assign, &e);
  if (rc) fprintf(stderr, "cp_sched_check: %s\n", e.msg);
  assert_int_equal(rc, 0);
  assert_true(r->objective == plan_value(p, r));
  assert_true(r->bound >= r->objective);
  assert_int_equal(r->optimal, r->bound == r->objective);
  double gap = r->bound ? (double)(r->bound - r->objective) / (double)r->bound : 0;
  assert_true(r->gap > gap - 1e-12 && r->gap < gap + 1e-12);
  for (uint32_t s = 0; s < p->nsessions; s++) assert_true(r->price[s] >= 0);
  /* explain agrees with the plan: GIVEN exactly for the places held */
  for (uint32_t i = 0; i < p->npeople; i++)
    for (uint32_t k = 0; k < p->people[i].noptions; k++) {
      int given = 0;
      for (uint32_t j = r->assign_start[i]; j < r->assign_start[i + 1]; j++)
        given |= r->assign[j] == p->people[i].options[k].session;
      for (uint32_t j = 0; j < p->people[i].nfixed; j++) given |= p->people[i].fixed[j] == p->people[i].options[k].session;
      assert_int_equal(given, cp_sched_explain_option(p, r, i, k) == CP_SCHED_GIVEN);
    }
}

/* 1 when the EXACT method is not available in this build */
static int exact_missing(int rc, const cp_error *e) { return rc == CP_EINVAL && strstr(e->msg, "not built") != NULL; }

static int solve_opt(const inst *in, cp_sched_method m, unsigned threads, int explain, cp_sched_result *r) {
  cp_sched_options o = CP_SCHED_OPTIONS_INIT;
  o.method = m;
  o.threads = threads;
  o.time_limit = 30;
  o.explain = explain;
  cp_error e;
  cp_error_clear(&e);
  int rc = cp_sched_solve(&in->p, &o, r, &e);
  if (rc && exact_missing(rc, &e)) return 1;
  if (rc) fprintf(stderr, "cp_sched_solve: %s\n", e.msg);
  assert_int_equal(rc, 0);
  assert_int_equal(r->used, m == CP_SCHED_EXACT ? CP_SCHED_EXACT : CP_SCHED_FAST);
  check_result(&in->p, r);
  return 0;
}

static int has_session(const cp_sched_result *r, uint32_t i, uint32_t s) {
  for (uint32_t k = r->assign_start[i]; k < r->assign_start[i + 1]; k++)
    if (r->assign[k] == s) return 1;
  return 0;
}

static uint32_t nplaces(const cp_sched_result *r, uint32_t i) { return r->assign_start[i + 1] - r->assign_start[i]; }

static const cp_sched_method methods[] = {CP_SCHED_FAST, CP_SCHED_EXACT};

/* ---- hand-made instances ---- */

static void test_full_session(void **state) {
  (void)state;
  inst *in = inst_new(2);
  uint32_t s = add_session(in, 0, H(10, 9), H(10, 17), 2, 1);
  uint32_t t = add_session(in, 1, H(20, 9), H(20, 17), -1, 1); /* unlimited, for contrast */
  const int64_t score[4] = {10, 40, 30, 20};
  for (int i = 0; i < 4; i++) {
    uint32_t q = add_person(in);
    add_option(in, q, s, score[i]);
    add_option(in, q, t, 1);
  }
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 1, &r)) continue;
    assert_true(r.objective == 40 + 30 + 4);
    assert_true(r.optimal);
    assert_true(has_session(&r, 1, s) && has_session(&r, 2, s));
    assert_false(has_session(&r, 0, s) || has_session(&r, 3, s));
    assert_int_equal(cp_sched_explain_option(&in->p, &r, 0, 0), CP_SCHED_FULL);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, 3, 0), CP_SCHED_FULL);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, 1, 0), CP_SCHED_GIVEN);
    assert_int_equal(r.unmet[0], 2);
    assert_int_equal(r.unmet[1], 0);
    assert_int_equal(r.taken[s], 2);
    assert_true(r.price[s] >= 20 - 1e-9 && r.price[s] <= 30 + 1e-9); /* any optimal price */
    assert_true(r.price[t] == 0);
    assert_true(r.extra_value[s] == 20); /* a third place goes to the 20 */
    assert_true(r.extra_value[t] == -1);
    cp_sched_result_free(&r);
  }
  free(in);
}

static void test_overlap(void **state) {
  (void)state;
  inst *in = inst_new(3);
  uint32_t a = add_session(in, 0, H(5, 9), H(5, 12), -1, 0.5);
  uint32_t b = add_session(in, 1, H(5, 11), H(5, 13), -1, 0.5); /* overlaps a */
  uint32_t c = add_session(in, 2, H(5, 12), H(5, 14), -1, 0.5); /* touches a, overlaps b */
  uint32_t q = add_person(in);
  add_option(in, q, a, 10);
  add_option(in, q, b, 15);
  add_option(in, q, c, 8);
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 0, &r)) continue;
    assert_true(r.objective == 18); /* a + c (touching is no overlap) beats b alone */
    assert_true(has_session(&r, 0, a) && has_session(&r, 0, c) && !has_session(&r, 0, b));
    assert_int_equal(cp_sched_explain_option(&in->p, &r, 0, 1), CP_SCHED_CLASH);
    cp_sched_result_free(&r);
  }
  /* many people, overlapping sessions each of them wants: never both */
  inst *in2 = inst_new(2);
  uint32_t x = add_session(in2, 0, H(1, 9), H(1, 17), 30, 1), y = add_session(in2, 1, H(1, 13), H(2, 10), 30, 1);
  for (int i = 0; i < 40; i++) {
    uint32_t p = add_person(in2);
    add_option(in2, p, x, 5 + i % 7);
    add_option(in2, p, y, 5 + i % 5);
  }
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in2, methods[m], 0, 0, &r)) continue;
    for (uint32_t i = 0; i < in2->p.npeople; i++) assert_false(has_session(&r, i, x) && has_session(&r, i, y));
    cp_sched_result_free(&r);
  }
  free(in);
  free(in2);
}

enum { RM, SL, OTHER }; /* Reflective Manager (RM) before Strategic Leader (SL) */
static const uint32_t rm_sl[1][2] = {{SL, RM}};

static void test_prerequisite(void **state) {
  (void)state;
  inst *in = inst_new(3);
  set_prereq(in, rm_sl, 1);
  uint32_t rm_jan = add_session(in, RM, H(10, 9), H(11, 17), -1, 2);
  uint32_t sl_feb = add_session(in, SL, H(40, 9), H(41, 17), -1, 2);
  uint32_t rm_mar = add_session(in, RM, H(70, 9), H(71, 17), -1, 2);
  uint32_t sl_jan = add_session(in, SL, H(11, 17), H(12, 17), -1, 1); /* starts as rm_jan ends */
  uint32_t p0 = add_person(in); /* RM held before SL: both */
  add_option(in, p0, rm_jan, 5);
  add_option(in, p0, sl_feb, 50);
  uint32_t p1 = add_person(in); /* RM only after SL: not SL */
  add_option(in, p1, sl_feb, 50);
  add_option(in, p1, rm_mar, 5);
  uint32_t p2 = add_person(in); /* SL starting the minute RM ends: fine */
  add_option(in, p2, rm_jan, 5);
  add_option(in, p2, sl_jan, 50);
  uint32_t p3 = add_person(in); /* no RM at all */
  add_option(in, p3, sl_feb, 50);
  uint32_t p4 = add_person(in); /* the RM after SL is worth more, but only the one before allows SL */
  add_option(in, p4, rm_jan, 30);
  add_option(in, p4, sl_feb, 20);
  add_option(in, p4, rm_mar, 40);
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 0, &r)) continue;
    assert_true(has_session(&r, p0, rm_jan) && has_session(&r, p0, sl_feb));
    assert_true(has_session(&r, p1, rm_mar) && !has_session(&r, p1, sl_feb));
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p1, 0), CP_SCHED_PREREQ);
    assert_true(has_session(&r, p2, rm_jan) && has_session(&r, p2, sl_jan));
    assert_int_equal(nplaces(&r, p3), 0);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p3, 0), CP_SCHED_PREREQ);
    assert_true(has_session(&r, p4, rm_jan) && has_session(&r, p4, sl_feb) && nplaces(&r, p4) == 2);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p4, 2), CP_SCHED_HAS_ACTIVITY);
    assert_true(r.objective == 55 + 5 + 55 + 50);
    cp_sched_result_free(&r);
  }
  free(in);
}

/* A prerequisite worth little is taken for the sake of its dependant, and the
 * one place in it goes to whoever needs it most. */
static void test_prerequisite_for_dependant(void **state) {
  (void)state;
  inst *in = inst_new(2);
  set_prereq(in, rm_sl, 1);
  uint32_t rm = add_session(in, RM, H(10, 9), H(10, 17), 1, 1);
  uint32_t sl = add_session(in, SL, H(20, 9), H(20, 17), 5, 1);
  const int64_t slscore[3] = {60, 100, 80};
  for (int i = 0; i < 3; i++) {
    uint32_t q = add_person(in);
    add_option(in, q, rm, 1);
    add_option(in, q, sl, slscore[i]);
  }
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 0, &r)) continue;
    assert_true(r.objective == 101);
    assert_true(r.optimal);
    assert_true(has_session(&r, 1, rm) && has_session(&r, 1, sl));
    assert_int_equal(cp_sched_explain_option(&in->p, &r, 0, 0), CP_SCHED_FULL);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, 0, 1), CP_SCHED_PREREQ);
    cp_sched_result_free(&r);
  }
  free(in);
}

static void test_done_and_fixed_prerequisite(void **state) {
  (void)state;
  inst *in = inst_new(3);
  set_prereq(in, rm_sl, 1);
  uint32_t rm_jan = add_session(in, RM, H(10, 9), H(10, 17), 10, 1);
  uint32_t sl_feb = add_session(in, SL, H(40, 9), H(40, 17), 10, 1);
  uint32_t rm_mar = add_session(in, RM, H(70, 9), H(70, 17), 10, 1);
  uint32_t p0 = add_person(in); /* done */
  add_done(in, p0, RM);
  add_option(in, p0, sl_feb, 7);
  uint32_t p1 = add_person(in); /* a fixed place in RM before */
  add_fixed(in, p1, rm_jan);
  add_option(in, p1, sl_feb, 7);
  uint32_t p2 = add_person(in); /* a fixed place in RM after: SL can't be, nor another RM */
  add_fixed(in, p2, rm_mar);
  add_option(in, p2, rm_jan, 9);
  add_option(in, p2, sl_feb, 7);
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 0, &r)) continue;
    assert_true(has_session(&r, p0, sl_feb));
    assert_true(has_session(&r, p1, sl_feb));
    assert_int_equal(nplaces(&r, p2), 0);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p2, 0), CP_SCHED_HAS_ACTIVITY);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p2, 1), CP_SCHED_PREREQ);
    cp_sched_result_free(&r);
  }
  free(in);
}

static void test_fixed_places(void **state) {
  (void)state;
  inst *in = inst_new(5);
  uint32_t f = add_session(in, 0, H(3, 9), H(3, 17), -1, 1);
  uint32_t clash = add_session(in, 1, H(3, 13), H(3, 16), -1, 0.5);
  uint32_t a = add_session(in, 2, H(8, 9), H(8, 17), -1, 1);
  uint32_t b = add_session(in, 3, H(9, 9), H(9, 17), -1, 1);
  uint32_t same = add_session(in, 0, H(12, 9), H(12, 17), -1, 1);
  uint32_t p0 = add_person(in); /* fixed place: blocks an overlap and its activity */
  add_fixed(in, p0, f);
  add_option(in, p0, clash, 50);
  add_option(in, p0, a, 3);
  add_option(in, p0, same, 40);
  uint32_t p1 = add_person(in); /* counts against places: 2 in all, 1 fixed */
  add_fixed(in, p1, f);
  in->people[p1].max_places = 2;
  add_option(in, p1, a, 3);
  add_option(in, p1, b, 4);
  uint32_t p2 = add_person(in); /* counts against days: 2.5 in all, 1 fixed */
  add_fixed(in, p2, f);
  in->people[p2].max_days = 2.5;
  add_option(in, p2, a, 3);
  add_option(in, p2, b, 4);
  uint32_t p3 = add_person(in); /* the fixed places alone use the limits up */
  add_fixed(in, p3, f);
  in->people[p3].max_places = 1;
  add_option(in, p3, a, 3);
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 0, &r)) continue;
    assert_true(has_session(&r, p0, a) && nplaces(&r, p0) == 1);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p0, 0), CP_SCHED_CLASH);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p0, 2), CP_SCHED_HAS_ACTIVITY);
    assert_true(has_session(&r, p1, b) && nplaces(&r, p1) == 1);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p1, 0), CP_SCHED_PLACES);
    assert_true(has_session(&r, p2, b) && nplaces(&r, p2) == 1);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p2, 0), CP_SCHED_DAYS);
    assert_int_equal(nplaces(&r, p3), 0);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p3, 0), CP_SCHED_PLACES);
    assert_true(r.objective == 3 + 4 + 4);
    cp_sched_result_free(&r);
  }
  free(in);
}

static void test_limits(void **state) {
  (void)state;
  inst *in = inst_new(4);
  uint32_t s[4];
  for (uint32_t k = 0; k < 4; k++) s[k] = add_session(in, k, H(k + 1, 9), H(k + 1, 17), -1, k == 0 ? 1 : 0.5);
  uint32_t p0 = add_person(in); /* two places */
  in->people[p0].max_places = 2;
  for (uint32_t k = 0; k < 4; k++) add_option(in, p0, s[k], 10 + (int64_t)k);
  uint32_t p1 = add_person(in); /* 1.5 days: 1 + 0.5 (16) beats 0.5 + 0.5 (11) */
  in->people[p1].max_days = 1.5;
  add_option(in, p1, s[0], 10);
  add_option(in, p1, s[1], 6);
  add_option(in, p1, s[2], 5);
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 0, &r)) continue;
    assert_int_equal(nplaces(&r, p0), 2);
    assert_true(has_session(&r, p0, s[2]) && has_session(&r, p0, s[3]));
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p0, 0), CP_SCHED_PLACES);
    assert_true(has_session(&r, p1, s[0]) && has_session(&r, p1, s[1]) && nplaces(&r, p1) == 2);
    assert_int_equal(cp_sched_explain_option(&in->p, &r, p1, 2), CP_SCHED_DAYS);
    assert_true(r.objective == 12 + 13 + 16);
    cp_sched_result_free(&r);
  }
  free(in);
}

static void test_unlimited(void **state) {
  (void)state;
  inst *in = inst_new(1);
  uint32_t s = add_session(in, 0, H(1, 9), H(1, 17), -1, 1);
  for (int i = 0; i < 300; i++) add_option(in, add_person(in), s, 1 + i % 9);
  for (int m = 0; m < 2; m++) {
    cp_sched_result r;
    if (solve_opt(in, methods[m], 0, 1, &r)) continue;
    for (uint32_t i = 0; i < in->p.npeople; i++) assert_true(has_session(&r, i, s));
    assert_true(r.price[s] == 0);
    assert_int_equal(r.taken[s], 300);
    assert_true(r.optimal);
    cp_sched_result_free(&r);
  }
  free(in);
}

static void test_stability(void **state) {
  (void)state;
  for (uint32_t keep = 0; keep < 2; keep++) {
    inst *in = inst_new(2);
    uint32_t s = add_session(in, 0, H(1, 9), H(1, 17), 1, 1);
    uint32_t t = add_session(in, 1, H(2, 9), H(2, 17), 2, 1);
    uint32_t u = add_session(in, 1, H(3, 9), H(3, 17), 1, 1);
    for (uint32_t i = 0; i < 3; i++) {
      uint32_t q = add_person(in);
      add_option(in, q, s, 10);
      add_option(in, q, t, 5);
      add_option(in, q, u, 5);
    }
    add_current(in, keep + 1, s); /* person 1 or 2 holds s in the stored plan */
    add_current(in, 0, u);
    for (unsigned run = 0; run < 3; run++) { /* FAST on 1 and 2 threads, EXACT */
      cp_sched_result r;
      if (solve_opt(in, run < 2 ? CP_SCHED_FAST : CP_SCHED_EXACT, run == 0 ? 1 : 2, 0, &r)) continue;
      assert_true(r.objective == 10 + 15);
      assert_true(has_session(&r, keep + 1, s));
      assert_true(has_session(&r, 0, u));
      cp_sched_result_free(&r);
    }
    free(in);
  }
}

/* ---- random instances ---- */

static uint64_t rnd_state;
static uint32_t rnd(uint32_t n) { /* xorshift64*, 0 .. n - 1 */
  rnd_state ^= rnd_state >> 12;
  rnd_state ^= rnd_state << 25;
  rnd_state ^= rnd_state >> 27;
  return (uint32_t)((rnd_state * 2685821657736338717ull) >> 33) % n;
}

/* a realistic random instance of np people and ns sessions over 8 activities */
static inst *random_inst(uint32_t np, uint32_t ns, uint64_t seed) {
  static const uint32_t pre[3][2] = {{1, 0}, {4, 3}, {7, 6}};
  rnd_state = seed;
  inst *in = inst_new(8);
  set_prereq(in, pre, 3);
  for (uint32_t s = 0; s < ns; s++) {
    int64_t start = H(rnd(300), 9);
    int64_t len = rnd(3) == 0 ? 2 * DAY : 8 * 60;
    add_session(in, s < 8 ? s : rnd(8), start, start + len, rnd(20) == 0 ? -1 : 3 + (int32_t)rnd(8),
                len > DAY ? 2 : 1);
  }
  for (uint32_t i = 0; i < np; i++) {
    uint32_t q = add_person(in);
    uint32_t k = 2 + rnd(9);
    for (uint32_t s = 0; s < ns && in->people[q].noptions < MAXO; s++)
      if (rnd(ns) < k) add_option(in, q, s, 1 + rnd(300));
    if (rnd(5) == 0) add_done(in, q, rnd(8));
    if (rnd(8) == 0) add_fixed(in, q, rnd(ns));
    if (rnd(3) == 0 && in->people[q].noptions) add_current(in, q, in->opts[q][0].session);
    if (rnd(5) == 0) in->people[q].max_places = 1 + rnd(3);
    if (rnd(6) == 0) in->people[q].max_days = 1 + rnd(4);
  }
  return in;
}

static void test_threads_same_plan(void **state) {
  (void)state;
  inst *in = random_inst(400, 60, 7);
  cp_sched_result r1, r2;
  solve_opt(in, CP_SCHED_FAST, 1, 1, &r1);
  solve_opt(in, CP_SCHED_FAST, 2, 1, &r2);
  assert_true(r1.objective == r2.objective && r1.bound == r2.bound);
  assert_int_equal(r1.iterations, r2.iterations);
  assert_memory_equal(r1.assign_start, r2.assign_start, (in->p.npeople + 1) * sizeof *r1.assign_start);
  assert_memory_equal(r1.assign, r2.assign, r1.assign_start[in->p.npeople] * sizeof *r1.assign);
  assert_memory_equal(r1.price, r2.price, in->p.nsessions * sizeof *r1.price);
  assert_memory_equal(r1.extra_value, r2.extra_value, in->p.nsessions * sizeof *r1.extra_value);
  assert_memory_equal(r1.unmet, r2.unmet, in->p.nactivities * sizeof *r1.unmet);
  for (uint32_t s = 0; s < in->p.nsessions; s++) assert_true(r1.extra_value[s] >= -1);
  assert_true(r1.gap < 0.01);
  cp_sched_result_free(&r1);
  cp_sched_result_free(&r2);
  free(in);
}

/* ---- brute force on tiny instances ---- */

static int overlap(const cp_sched_session *a, const cp_sched_session *b) {
  return a->start < b->end && b->start < a->end;
}

/* person i may hold the sessions row (capacity aside)? written from schedule.h */
static int person_ok(const cp_sched_problem *p, uint32_t i, const uint32_t *row, uint32_t n) {
  const cp_sched_person *q = &p->people[i];
  const cp_sched_session *S = p->sessions;
  uint32_t held[MAXO + MAXL], nh = 0;
  double days = 0;
  for (uint32_t j = 0; j < n; j++) held[nh++] = row[j];
  for (uint32_t j = 0; j < q->nfixed; j++) held[nh++] = q->fixed[j];
  for (uint32_t j = 0; j < nh; j++) days += S[held[j]].days;
  if (n && q->max_places && nh > q->max_places) return 0;
  if (n && q->max_days > 0 && days > q->max_days + 1e-9) return 0;
  for (uint32_t j = 0; j < n; j++) {
    const cp_sched_session *x = &S[row[j]];
    for (uint32_t k = 0; k < nh; k++)
      if (held[k] != row[j] && (S[held[k]].activity == x->activity || overlap(x, &S[held[k]]))) return 0;
    for (uint32_t k = p->prereq_start[x->activity]; k < p->prereq_start[x->activity + 1]; k++) {
      uint32_t b = p->prereq[k];
      int met = 0;
      for (uint32_t d = 0; d < q->ndone; d++) met |= q->done[d] == b;
      for (uint32_t h = 0; h < nh; h++) met |= S[held[h]].activity == b && S[held[h]].end <= x->start;
      if (!met) return 0;
    }
  }
  return 1;
}

typedef struct brute {
  const cp_sched_problem *p;
  uint32_t sets[MAXL][1 << 5][5], nset[MAXL][1 << 5], nsets[MAXL];
  int64_t val[MAXL][1 << 5];
  uint32_t used[MAXS];
  int64_t best;
} brute;

static void brute_dfs(brute *b, uint32_t i, int64_t v) {
  if (i == b->p->npeople) {
    if (v > b->best) b->best = v;
    return;
  }
  for (uint32_t k = 0; k < b->nsets[i]; k++) {
    int ok = 1;
    for (uint32_t j = 0; j < b->nset[i][k]; j++) {
      const cp_sched_session *x = &b->p->sessions[b->sets[i][k][j]];
      if (x->capacity >= 0 && b->used[b->sets[i][k][j]] + 1 > (uint32_t)x->capacity) ok = 0;
    }
    if (!ok) continue;
    for (uint32_t j = 0; j < b->nset[i][k]; j++) b->used[b->sets[i][k][j]]++;
    brute_dfs(b, i + 1, v + b->val[i][k]);
    for (uint32_t j = 0; j < b->nset[i][k]; j++) b->used[b->sets[i][k][j]]--;
  }
}

static int64_t brute_optimum(const cp_sched_problem *p) {
  brute *b = calloc(1, sizeof *b);
  assert_non_null(b);
  b->p = p;
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *q = &p->people[i];
    for (uint32_t mask = 0; mask < (1u << q->noptions); mask++) {
      uint32_t row[5], n = 0;
      int64_t v = 0;
      for (uint32_t k = 0; k < q->noptions; k++)
        if (mask >> k & 1) {
          row[n++] = q->options[k].session;
          v += q->options[k].score;
        }
      if (!person_ok(p, i, row, n)) continue;
      uint32_t k = b->nsets[i]++;
      memcpy(b->sets[i][k], row, n * sizeof *row);
      b->nset[i][k] = n;
      b->val[i][k] = v;
    }
  }
  brute_dfs(b, 0, 0);
  int64_t best = b->best;
  free(b);
  return best;
}

static inst *tiny_inst(void) {
  static const uint32_t pre[3][2] = {{1, 0}, {3, 0}, {3, 2}};
  inst *in = inst_new(4);
  set_prereq(in, pre, 3);
  uint32_t ns = 3 + rnd(3);
  for (uint32_t s = 0; s < ns; s++) {
    int64_t start = (int64_t)rnd(9) * 120;
    uint32_t r = rnd(20);
    static const double days[3] = {0.5, 1, 2};
    add_session(in, rnd(4), start, start + 120 * (1 + (int64_t)rnd(3)), r < 3 ? -1 : r < 5 ? 0 : 1 + (int32_t)rnd(2),
                days[rnd(3)]);
  }
  uint32_t np = 1 + rnd(4);
  for (uint32_t i = 0; i < np; i++) {
    uint32_t q = add_person(in);
    uint32_t f = rnd(3) == 0 ? rnd(ns) : UINT32_MAX;
    if (f != UINT32_MAX) add_fixed(in, q, f);
    for (uint32_t s = 0; s < ns && in->people[q].noptions < 5; s++)
      if (s != f && rnd(3) > 0) add_option(in, q, s, 1 + rnd(30));
    if (rnd(3) == 0) add_done(in, q, rnd(4));
    if (rnd(4) == 0 && in->people[q].noptions) add_current(in, q, in->opts[q][rnd(in->people[q].noptions)].session);
    if (rnd(3) == 0) in->people[q].max_places = in->people[q].nfixed + rnd(3);
    if (rnd(3) == 0) in->people[q].max_days = 0.5 * (1 + rnd(6));
  }
  return in;
}

static void test_brute_force(void **state) {
  (void)state;
  rnd_state = 20261123;
  int fast_optimal = 0, exact_ran = 0;
  const int n = 120;
  for (int t = 0; t < n; t++) {
    inst *in = tiny_inst();
    uint64_t saved = rnd_state;
    int64_t opt = brute_optimum(&in->p);
    cp_sched_result r;
    solve_opt(in, CP_SCHED_FAST, 1 + (unsigned)(t & 1), 0, &r);
    if (r.objective > opt || r.bound < opt)
      fprintf(stderr, "tiny %d: FAST objective %lld bound %lld, optimum %lld\n", t, (long long)r.objective,
              (long long)r.bound, (long long)opt);
    assert_true(r.objective <= opt && r.bound >= opt);
    fast_optimal += r.objective == opt;
    cp_sched_result_free(&r);
    if (!solve_opt(in, CP_SCHED_EXACT, 0, 0, &r)) {
      exact_ran++;
      assert_true(r.objective == opt);
      assert_true(r.bound == opt);
      cp_sched_result_free(&r);
    }
    rnd_state = saved;
    free(in);
  }
  fprintf(stderr, "brute force: FAST optimal on %d/%d tiny instances, EXACT checked on %d\n", fast_optimal, n,
          exact_ran);
  assert_true(fast_optimal >= n * 95 / 100);
}

/* ---- dispatch, validation, the checker ---- */

static void test_dispatch(void **state) {
  (void)state;
  inst *in = random_inst(30, 8, 3);
  cp_sched_options o = CP_SCHED_OPTIONS_INIT;
  cp_sched_result r;
  cp_error e;
  o.exact_max_people = 29; /* AUTO: more people than that: FAST */
  assert_int_equal(cp_sched_solve(&in->p, &o, &r, &e), 0);
  assert_int_equal(r.used, CP_SCHED_FAST);
  check_result(&in->p, &r);
  for (uint32_t s = 0; s < in->p.nsessions; s++) assert_true(r.extra_value[s] == -1); /* not asked */
  cp_sched_result_free(&r);
  int rc = cp_sched_solve(&in->p, NULL, &r, &e); /* defaults: AUTO, 30 <= 2000: EXACT */
  if (!exact_missing(rc, &e)) {
    assert_int_equal(rc, 0);
    assert_int_equal(r.used, CP_SCHED_EXACT);
    check_result(&in->p, &r);
  }
  cp_sched_result_free(&r);
  cp_sched_result_free(NULL);
  inst *empty = inst_new(0);
  o.method = CP_SCHED_FAST;
  assert_int_equal(cp_sched_solve(&empty->p, &o, &r, &e), 0);
  assert_true(r.objective == 0 && r.bound == 0 && r.optimal && r.assign_start[0] == 0);
  cp_sched_result_free(&r);
  o.version = 99;
  assert_int_equal(cp_sched_solve(&in->p, &o, &r, &e), CP_EINVAL);
  free(empty);
  free(in);
}

static void expect_invalid(const inst *in, const char *needle) {
  cp_sched_result r;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_sched_solve(&in->p, NULL, &r, &e), CP_EINVAL);
  if (!strstr(e.msg, needle)) fprintf(stderr, "message '%s' lacks '%s'\n", e.msg, needle);
  assert_non_null(strstr(e.msg, needle));
  assert_null(r.assign_start);
}

static void test_validation(void **state) {
  (void)state;
  inst *in = inst_new(2);
  uint32_t s = add_session(in, 0, H(1, 9), H(1, 17), 3, 1);
  uint32_t t = add_session(in, 1, H(2, 9), H(2, 17), 3, 1);
  uint32_t q = add_person(in);
  add_option(in, q, s, 5);
  add_option(in, q, t, 5);
  in->opts[q][1].session = 7;
  expect_invalid(in, "person 0: option 1: session 7 out of range");
  in->opts[q][1] = (cp_sched_option){s, 5};
  expect_invalid(in, "person 0: option 1: session 0 not after session 0");
  in->opts[q][1] = (cp_sched_option){t, 0};
  expect_invalid(in, "person 0: option 1 (session 1): score 0 is not > 0");
  in->opts[q][1] = (cp_sched_option){t, 5};
  in->sess[t].end = in->sess[t].start;
  expect_invalid(in, "session 1: end");
  in->sess[t].end = in->sess[t].start + 60;
  in->sess[t].activity = 2;
  expect_invalid(in, "session 1: activity 2 out of range");
  in->sess[t].activity = 1;
  add_fixed(in, q, 9);
  expect_invalid(in, "person 0: fixed session 9");
  in->people[q].nfixed = 0;
  add_done(in, q, 5);
  expect_invalid(in, "person 0: done activity 5");
  in->people[q].ndone = 0;
  in->opts[q][0].score = INT64_MAX;
  expect_invalid(in, "int64");
  in->opts[q][0].score = 5;
  static const uint32_t bad[1][2] = {{1, 4}};
  set_prereq(in, bad, 1);
  expect_invalid(in, "prerequisite 4 out of range");
  free(in);
}

static void expect_bad_plan(const inst *in, const uint32_t *as, const uint32_t *a, const char *needle) {
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_sched_check(&in->p, as, a, &e), CP_EINVAL);
  if (!strstr(e.msg, needle)) fprintf(stderr, "message '%s' lacks '%s'\n", e.msg, needle);
  assert_non_null(strstr(e.msg, needle));
}

static void test_check(void **state) {
  (void)state;
  inst *in = inst_new(3);
  set_prereq(in, rm_sl, 1);
  uint32_t rm = add_session(in, RM, H(10, 9), H(10, 17), 1, 1);
  uint32_t sl = add_session(in, SL, H(10, 13), H(10, 18), 5, 1); /* overlaps rm */
  uint32_t o1 = add_session(in, OTHER, H(12, 9), H(12, 17), 5, 1);
  uint32_t o2 = add_session(in, OTHER, H(14, 9), H(14, 17), 5, 1);
  for (int i = 0; i < 2; i++) {
    uint32_t q = add_person(in);
    add_option(in, q, rm, 1);
    add_option(in, q, sl, 1);
    add_option(in, q, o1, 1);
    add_option(in, q, o2, 1);
  }
  uint32_t as[3] = {0, 1, 2}, a[4] = {rm, rm};
  expect_bad_plan(in, as, a, "session 0: 2 places given > capacity 1");
  uint32_t as2[3] = {0, 2, 2}, a2[2] = {o1, o2};
  expect_bad_plan(in, as2, a2, "both activity 2");
  a2[0] = rm;
  a2[1] = sl;
  expect_bad_plan(in, as2, a2, "overlap");
  uint32_t as3[3] = {0, 1, 1}, a3[1] = {sl};
  expect_bad_plan(in, as3, a3, "lacks prerequisite activity 0");
  a3[0] = 3;
  in->people[0].noptions = 3;
  expect_bad_plan(in, as3, a3, "not one of the person's options");
  in->people[0].noptions = 4;
  uint32_t a4[2] = {o2, o1};
  expect_bad_plan(in, as2, a4, "not ascending");
  in->people[0].max_places = 1;
  uint32_t a5[2] = {rm, o1};
  expect_bad_plan(in, as2, a5, "max_places 1");
  in->people[0].max_places = 0;
  in->people[0].max_days = 1.5;
  expect_bad_plan(in, as2, a5, "max_days 1.5");
  in->people[0].max_days = 0;
  add_fixed(in, 0, o2);
  uint32_t a6[1] = {o1};
  expect_bad_plan(in, as3, a6, "fixed session 3 are both activity 2");
  in->people[0].nfixed = 0;
  assert_int_equal(cp_sched_check(&in->p, as3, a6, NULL), 0);
  /* explain on a hand-made result (no taken counts) */
  cp_sched_result r;
  memset(&r, 0, sizeof r);
  uint32_t as7[3] = {0, 1, 1}, a7[1] = {rm};
  r.assign_start = as7;
  r.assign = a7;
  assert_int_equal(cp_sched_explain_option(&in->p, &r, 1, 0), CP_SCHED_FULL);
  assert_int_equal(cp_sched_explain_option(&in->p, &r, 0, 0), CP_SCHED_GIVEN);
  assert_int_equal(cp_sched_explain_option(&in->p, &r, 0, 1), CP_SCHED_PREREQ); /* no RM ends before it */
  assert_int_equal(cp_sched_explain_option(&in->p, &r, 1, 1), CP_SCHED_PREREQ);
  assert_int_equal(cp_sched_explain_option(&in->p, &r, 1, 2), CP_SCHED_OUTSCORED);
  free(in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_session),
      cmocka_unit_test(test_overlap),
      cmocka_unit_test(test_prerequisite),
      cmocka_unit_test(test_prerequisite_for_dependant),
      cmocka_unit_test(test_done_and_fixed_prerequisite),
      cmocka_unit_test(test_fixed_places),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_unlimited),
      cmocka_unit_test(test_stability),
      cmocka_unit_test(test_threads_same_plan),
      cmocka_unit_test(test_brute_force),
      cmocka_unit_test(test_dispatch),
      cmocka_unit_test(test_validation),
      cmocka_unit_test(test_check),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
