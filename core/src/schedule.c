/* schedule.c: session allocation, the public API (cpdplan/schedule.h): the
 * problem's validation, the dispatch between the FAST method
 * (schedule_fast.c, schedule_person.c) and the EXACT one (schedule_exact.c),
 * the prices, the value of one more place and the unmet demand of a result,
 * why a person did not get an option, and an independent check of a plan.
 *
 * cp_sched_explain_option's reasons, first that applies: GIVEN; HAS_ACTIVITY;
 * what the person's fixed places and completed activities alone rule out
 * (CLASH with a fixed place, PREREQ that no option or fixed place can meet,
 * DAYS or PLACES already used up by the fixed places); FULL; what the plan's
 * other places rule out (CLASH, PREREQ, DAYS, PLACES); OUTSCORED. So FULL
 * means a free place could have changed the person's plan. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpdplan/schedule.h"
#include "schedule_fast.h"
#include "schedule_internal.h"

#define DEFAULT_SECONDS 40.0
#define DEFAULT_EXACT_MAX 2000
#define DEFAULT_EXPLAIN_TOP 5
#define FAST_ITER 20000   /* dual iterations of a solve at most */
#define EXPLAIN_ITER 40   /* dual iterations of a re-solve with one more place */
#define EXACT_FAST_SHARE 0.3

/* ---- validation ---- */

static int validate(const cp_sched_problem *p, cp_error *err) {
  if (!p) return cp_error_set(err, CP_EINVAL, "schedule: no problem");
  if (p->version != CP_SCHED_PROBLEM_VERSION)
    return cp_error_set(err, CP_EINVAL, "schedule: problem version %u, expected %d", p->version,
                        CP_SCHED_PROBLEM_VERSION);
  if ((p->nsessions && !p->sessions) || (p->npeople && !p->people))
    return cp_error_set(err, CP_EINVAL, "schedule: sessions or people missing");
  if (p->prereq_start) {
    if (p->prereq_start[0] != 0) return cp_error_set(err, CP_EINVAL, "schedule: prereq_start[0] is not 0");
    for (uint32_t a = 0; a < p->nactivities; a++) {
      if (p->prereq_start[a + 1] < p->prereq_start[a])
        return cp_error_set(err, CP_EINVAL, "schedule: activity %u: prerequisite offsets decrease", a);
      for (uint32_t j = p->prereq_start[a]; j < p->prereq_start[a + 1]; j++) {
        if (!p->prereq) return cp_error_set(err, CP_EINVAL, "schedule: prerequisites missing");
        if (p->prereq[j] >= p->nactivities)
          return cp_error_set(err, CP_EINVAL, "schedule: activity %u: prerequisite %u out of range (%u activities)",
                              a, p->prereq[j], p->nactivities);
      }
    }
  }
  for (uint32_t s = 0; s < p->nsessions; s++) {
    const cp_sched_session *x = &p->sessions[s];
    if (x->activity >= p->nactivities)
      return cp_error_set(err, CP_EINVAL, "schedule: session %u: activity %u out of range (%u activities)", s,
                          x->activity, p->nactivities);
    if (x->end <= x->start)
      return cp_error_set(err, CP_EINVAL, "schedule: session %u: end %lld is not after start %lld", s,
                          (long long)x->end, (long long)x->start);
    if (!(x->days >= 0) || isinf(x->days))
      return cp_error_set(err, CP_EINVAL, "schedule: session %u: days %g is not a number >= 0", s, x->days);
  }
  int64_t total = 0;
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *per = &p->people[i];
    if ((per->noptions && !per->options) || (per->nfixed && !per->fixed) || (per->ndone && !per->done) ||
        (per->ncurrent && !per->current))
      return cp_error_set(err, CP_EINVAL, "schedule: person %u: a list is missing", i);
    for (uint32_t k = 0; k < per->noptions; k++) {
      const cp_sched_option *o = &per->options[k];
      if (o->session >= p->nsessions)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: option %u: session %u out of range (%u sessions)",
                            i, k, o->session, p->nsessions);
      if (k && o->session <= per->options[k - 1].session)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: option %u: session %u not after session %u "
                            "(options must be ascending by session)", i, k, o->session, per->options[k - 1].session);
      if (o->score <= 0)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: option %u (session %u): score %lld is not > 0", i,
                            k, o->session, (long long)o->score);
      if (o->score > INT64_MAX - total)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: the scores add up to more than an int64 holds", i);
      total += o->score;
    }
    for (uint32_t k = 0; k < per->nfixed; k++)
      if (per->fixed[k] >= p->nsessions)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: fixed session %u out of range (%u sessions)", i,
                            per->fixed[k], p->nsessions);
    for (uint32_t k = 0; k < per->ndone; k++)
      if (per->done[k] >= p->nactivities)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: done activity %u out of range (%u activities)", i,
                            per->done[k], p->nactivities);
    for (uint32_t k = 0; k < per->ncurrent; k++)
      if (per->current[k] >= p->nsessions)
        return cp_error_set(err, CP_EINVAL, "schedule: person %u: current session %u out of range (%u sessions)", i,
                            per->current[k], p->nsessions);
    if (!(per->max_days >= 0) || isinf(per->max_days))
      return cp_error_set(err, CP_EINVAL, "schedule: person %u: max_days %g is not a number >= 0", i, per->max_days);
  }
  return 0;
}

/* ---- the check: every constraint, written out plainly ---- */

static int overlaps(const cp_sched_session *a, const cp_sched_session *b) {
  return a->start < b->end && b->start < a->end;
}

static int in_list(const uint32_t *v, uint32_t n, uint32_t x) {
  for (uint32_t i = 0; i < n; i++)
    if (v[i] == x) return 1;
  return 0;
}

static int option_of(const cp_sched_person *per, uint32_t s) { /* index, or -1 */
  uint32_t lo = 0, hi = per->noptions;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (per->options[mid].session < s) lo = mid + 1;
    else hi = mid;
  }
  return lo < per->noptions && per->options[lo].session == s ? (int)lo : -1;
}

static int check_person(const cp_sched_problem *p, uint32_t i, const uint32_t *row, uint32_t n, cp_error *err) {
  const cp_sched_person *per = &p->people[i];
  const cp_sched_session *S = p->sessions;
  for (uint32_t j = 0; j < n; j++) {
    uint32_t s = row[j];
    if (s >= p->nsessions)
      return cp_error_set(err, CP_EINVAL, "person %u: session %u out of range (%u sessions)", i, s, p->nsessions);
    if (j && row[j - 1] >= s)
      return cp_error_set(err, CP_EINVAL, "person %u: sessions not ascending: %u then %u", i, row[j - 1], s);
    if (in_list(per->fixed, per->nfixed, s))
      return cp_error_set(err, CP_EINVAL, "person %u: session %u is a fixed place, given again", i, s);
    if (option_of(per, s) < 0)
      return cp_error_set(err, CP_EINVAL, "person %u: session %u is not one of the person's options", i, s);
  }
  for (uint32_t j = 0; j < n; j++) {
    const cp_sched_session *a = &S[row[j]];
    for (uint32_t k = 0; k < n; k++) {
      if (k == j) continue;
      if (S[row[k]].activity == a->activity)
        return cp_error_set(err, CP_EINVAL, "person %u: sessions %u and %u are both activity %u", i, row[j], row[k],
                            a->activity);
      if (overlaps(a, &S[row[k]]))
        return cp_error_set(err, CP_EINVAL, "person %u: sessions %u and %u overlap", i, row[j], row[k]);
    }
    for (uint32_t k = 0; k < per->nfixed; k++) {
      if (S[per->fixed[k]].activity == a->activity)
        return cp_error_set(err, CP_EINVAL, "person %u: session %u and fixed session %u are both activity %u", i,
                            row[j], per->fixed[k], a->activity);
      if (overlaps(a, &S[per->fixed[k]]))
        return cp_error_set(err, CP_EINVAL, "person %u: session %u overlaps fixed session %u", i, row[j],
                            per->fixed[k]);
    }
    if (!p->prereq_start) continue;
    for (uint32_t q = p->prereq_start[a->activity]; q < p->prereq_start[a->activity + 1]; q++) {
      uint32_t b = p->prereq[q];
      int met = in_list(per->done, per->ndone, b);
      for (uint32_t k = 0; k < n && !met; k++)
        if (S[row[k]].activity == b && S[row[k]].end <= a->start) met = 1;
      for (uint32_t k = 0; k < per->nfixed && !met; k++)
        if (S[per->fixed[k]].activity == b && S[per->fixed[k]].end <= a->start) met = 1;
      if (!met)
        return cp_error_set(err, CP_EINVAL,
                            "person %u: session %u (activity %u) lacks prerequisite activity %u, neither done "
                            "nor held in a session ending before it starts", i, row[j], a->activity, b);
    }
  }
  if (n && per->max_places && (uint64_t)n + per->nfixed > per->max_places)
    return cp_error_set(err, CP_EINVAL, "person %u: %u places (fixed included) > max_places %u", i, n + per->nfixed,
                        per->max_places);
  if (n && per->max_days > 0) {
    double days = 0;
    for (uint32_t j = 0; j < n; j++) days += S[row[j]].days;
    for (uint32_t k = 0; k < per->nfixed; k++) days += S[per->fixed[k]].days;
    if (days > per->max_days + SF_DAYS_EPS)
      return cp_error_set(err, CP_EINVAL, "person %u: %g days (fixed included) > max_days %g", i, days,
                          per->max_days);
  }
  return 0;
}

int cp_sched_check(const cp_sched_problem *p, const uint32_t *assign_start, const uint32_t *assign, cp_error *err) {
  int rc = validate(p, err);
  if (rc) return rc;
  if (!assign_start) return cp_error_set(err, CP_EINVAL, "schedule check: no plan");
  if (assign_start[0] != 0) return cp_error_set(err, CP_EINVAL, "schedule check: assign_start[0] is not 0");
  if (assign_start[p->npeople] && !assign) return cp_error_set(err, CP_EINVAL, "schedule check: no plan");
  uint32_t *used = calloc((size_t)p->nsessions + 1, sizeof *used);
  if (!used) return cp_error_set(err, CP_ENOMEM, "schedule check: out of memory");
  for (uint32_t i = 0; i < p->npeople && !rc; i++) {
    if (assign_start[i + 1] < assign_start[i]) {
      rc = cp_error_set(err, CP_EINVAL, "schedule check: assign_start decreases at person %u", i);
      break;
    }
    const uint32_t *row = assign + assign_start[i];
    uint32_t n = assign_start[i + 1] - assign_start[i];
    rc = check_person(p, i, row, n, err);
    for (uint32_t j = 0; j < n && !rc; j++) used[row[j]]++;
  }
  for (uint32_t s = 0; s < p->nsessions && !rc; s++)
    if (p->sessions[s].capacity >= 0 && used[s] > (uint32_t)p->sessions[s].capacity)
      rc = cp_error_set(err, CP_EINVAL, "session %u: %u places given > capacity %d", s, used[s],
                        (int)p->sessions[s].capacity);
  free(used);
  return rc;
}

/* ---- why a person did not get an option ---- */

static uint32_t taken_of(const cp_sched_problem *p, const cp_sched_result *r, uint32_t s) {
  if (r->taken) return r->taken[s];
  uint32_t n = 0, total = r->assign_start[p->npeople];
  for (uint32_t i = 0; i < total; i++) n += r->assign[i] == s;
  return n;
}

cp_sched_why cp_sched_explain_option(const cp_sched_problem *p, const cp_sched_result *r, uint32_t person,
                                     uint32_t k) {
  if (!p || !r || !r->assign_start || person >= p->npeople || k >= p->people[person].noptions)
    return CP_SCHED_OUTSCORED;
  const cp_sched_person *per = &p->people[person];
  const cp_sched_session *S = p->sessions;
  uint32_t s = per->options[k].session;
  const cp_sched_session *x = &S[s];
  const uint32_t *row = r->assign + r->assign_start[person];
  uint32_t n = r->assign_start[person + 1] - r->assign_start[person];
  if (in_list(row, n, s) || in_list(per->fixed, per->nfixed, s)) return CP_SCHED_GIVEN;
  for (uint32_t j = 0; j < n; j++)
    if (S[row[j]].activity == x->activity) return CP_SCHED_HAS_ACTIVITY;
  for (uint32_t j = 0; j < per->nfixed; j++)
    if (S[per->fixed[j]].activity == x->activity) return CP_SCHED_HAS_ACTIVITY;
  /* what the fixed places and completed activities alone rule out */
  double fixed_days = 0;
  for (uint32_t j = 0; j < per->nfixed; j++) {
    if (overlaps(x, &S[per->fixed[j]])) return CP_SCHED_CLASH;
    fixed_days += S[per->fixed[j]].days;
  }
  int plan_prereq = 0;
  for (uint32_t q = p->prereq_start ? p->prereq_start[x->activity] : 0;
       p->prereq_start && q < p->prereq_start[x->activity + 1]; q++) {
    uint32_t b = p->prereq[q];
    if (in_list(per->done, per->ndone, b)) continue;
    int possible = 0, met = 0, fixed_b = 0;
    for (uint32_t j = 0; j < per->nfixed; j++)
      if (S[per->fixed[j]].activity == b) {
        fixed_b = 1;
        if (S[per->fixed[j]].end <= x->start) possible = met = 1;
      }
    for (uint32_t j = 0; j < per->noptions && !possible && !fixed_b; j++) {
      const cp_sched_session *t = &S[per->options[j].session];
      if (t->activity == b && t->end <= x->start) possible = 1;
    }
    if (!possible) return CP_SCHED_PREREQ;
    for (uint32_t j = 0; j < n && !met; j++)
      if (S[row[j]].activity == b && S[row[j]].end <= x->start) met = 1;
    if (!met) plan_prereq = 1;
  }
  if (per->max_days > 0 && fixed_days + x->days > per->max_days + SF_DAYS_EPS) return CP_SCHED_DAYS;
  if (per->max_places && (uint64_t)per->nfixed + 1 > per->max_places) return CP_SCHED_PLACES;
  if (x->capacity >= 0 && taken_of(p, r, s) >= (uint32_t)x->capacity) return CP_SCHED_FULL;
  /* what the plan's other places rule out */
  double days = fixed_days;
  for (uint32_t j = 0; j < n; j++) {
    if (overlaps(x, &S[row[j]])) return CP_SCHED_CLASH;
    days += S[row[j]].days;
  }
  if (plan_prereq) return CP_SCHED_PREREQ;
  if (per->max_days > 0 && days + x->days > per->max_days + SF_DAYS_EPS) return CP_SCHED_DAYS;
  if (per->max_places && (uint64_t)per->nfixed + n + 1 > per->max_places) return CP_SCHED_PLACES;
  return CP_SCHED_OUTSCORED;
}

/* ---- solve ---- */

void cp_sched_result_free(cp_sched_result *r) {
  if (!r) return;
  free(r->assign_start);
  free(r->assign);
  free(r->price);
  free(r->extra_value);
  free(r->unmet);
  free(r->taken);
  memset(r, 0, sizeof *r);
}

static void count_taken(const cp_sched_problem *p, cp_sched_result *r) {
  memset(r->taken, 0, p->nsessions * sizeof *r->taken);
  for (uint32_t i = 0; i < r->assign_start[p->npeople]; i++) r->taken[r->assign[i]]++;
}

/* unmet[a]: people with an option of a, no session of a, and FULL for their best option of a */
static int fill_unmet(const cp_sched_problem *p, cp_sched_result *r) {
  uint32_t *bestk = malloc(((size_t)p->nactivities + 1) * sizeof *bestk);
  uint32_t *stamp = calloc((size_t)p->nactivities + 1, sizeof *stamp);
  uint32_t *acts = malloc(((size_t)p->nactivities + 1) * sizeof *acts);
  if (!bestk || !stamp || !acts) {
    free(bestk);
    free(stamp);
    free(acts);
    return CP_ENOMEM;
  }
  memset(r->unmet, 0, p->nactivities * sizeof *r->unmet);
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *per = &p->people[i];
    uint32_t na = 0;
    for (uint32_t k = 0; k < per->noptions; k++) {
      uint32_t a = p->sessions[per->options[k].session].activity;
      if (stamp[a] != i + 1) {
        stamp[a] = i + 1;
        bestk[a] = k;
        acts[na++] = a;
      } else if (per->options[k].score > per->options[bestk[a]].score) {
        bestk[a] = k;
      }
    }
    for (uint32_t j = 0; j < na; j++)
      if (cp_sched_explain_option(p, r, i, bestk[acts[j]]) == CP_SCHED_FULL) r->unmet[acts[j]]++;
  }
  free(bestk);
  free(stamp);
  free(acts);
  return 0;
}

/* extra_value: re-solve with one more place in the full sessions of highest price */
static int fill_extra(const cp_sched_problem *p, const sf_ctx *ctx, cp_sched_result *r, const double *lambda,
                      uint32_t top, double seconds, cp_error *err) {
  for (uint32_t s = 0; s < p->nsessions; s++) r->extra_value[s] = -1;
  uint32_t *pick = malloc(((size_t)top + 1) * sizeof *pick);
  cp_sched_session *sess = malloc(((size_t)p->nsessions + 1) * sizeof *sess);
  if (!pick || !sess) {
    free(pick);
    free(sess);
    return cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
  }
  uint32_t n = 0;
  for (uint32_t s = 0; s < p->nsessions; s++) { /* top sessions by price, then index: insertion into pick */
    int32_t cap = p->sessions[s].capacity;
    if (cap < 0 || r->taken[s] < (uint32_t)cap) continue;
    uint32_t j;
    if (n < top) j = n++;
    else if (r->price[s] > r->price[pick[top - 1]]) j = top - 1;
    else continue;
    while (j > 0 && r->price[pick[j - 1]] < r->price[s]) {
      pick[j] = pick[j - 1];
      j--;
    }
    pick[j] = s;
  }
  memcpy(sess, p->sessions, p->nsessions * sizeof *sess);
  cp_sched_problem q = *p;
  q.sessions = sess;
  double t0 = sf_now();
  int rc = 0;
  for (uint32_t k = 0; k < n && !rc; k++) {
    uint32_t s = pick[k];
    double left = seconds - (sf_now() - t0);
    if (left <= 0) break;
    sess[s].capacity = p->sessions[s].capacity + 1;
    sf_ctx c2;
    cp_sched_result r2;
    memset(&r2, 0, sizeof r2);
    sf_run run = {left / (double)(n - k), EXPLAIN_ITER, r->assign_start, r->assign, lambda};
    rc = sf_prepare(&q, ctx->threads, &c2, err);
    if (!rc) {
      rc = sf_solve(&c2, &run, &r2, NULL, err);
      sf_ctx_free(&c2);
    }
    if (!rc) r->extra_value[s] = r2.objective > r->objective ? r2.objective - r->objective : 0;
    cp_sched_result_free(&r2);
    sess[s].capacity = p->sessions[s].capacity;
  }
  free(pick);
  free(sess);
  return rc;
}

int cp_sched_solve(const cp_sched_problem *p, const cp_sched_options *opt, cp_sched_result *out, cp_error *err) {
  if (!out) return cp_error_set(err, CP_EINVAL, "schedule: no result");
  memset(out, 0, sizeof *out);
  cp_sched_options o = CP_SCHED_OPTIONS_INIT;
  if (opt) {
    if (opt->version != CP_SCHED_OPTIONS_VERSION)
      return cp_error_set(err, CP_EINVAL, "schedule: options version %u, expected %d", opt->version,
                          CP_SCHED_OPTIONS_VERSION);
    o = *opt;
  }
  if (!(o.time_limit >= 0) || isinf(o.time_limit))
    return cp_error_set(err, CP_EINVAL, "schedule: time limit %g is not a number of seconds >= 0", o.time_limit);
  if (o.method != CP_SCHED_AUTO && o.method != CP_SCHED_FAST && o.method != CP_SCHED_EXACT)
    return cp_error_set(err, CP_EINVAL, "schedule: unknown method %d", (int)o.method);
  double limit = o.time_limit > 0 ? o.time_limit : DEFAULT_SECONDS;
  unsigned threads = o.threads;
  if (!threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 1 ? 2 : 1;
  }
  if (threads > 2) threads = 2;
  uint32_t exact_max = o.exact_max_people ? o.exact_max_people : DEFAULT_EXACT_MAX;
  uint32_t top = o.explain_top ? o.explain_top : DEFAULT_EXPLAIN_TOP;
  int rc = validate(p, err);
  if (rc) return rc;
  double t0 = sf_now();
  cp_sched_method method = o.method == CP_SCHED_AUTO ? (p->npeople <= exact_max ? CP_SCHED_EXACT : CP_SCHED_FAST)
                                                       : o.method;
  double main_time = o.explain ? 0.75 * limit : limit;
  sf_ctx ctx;
  rc = sf_prepare(p, threads, &ctx, err);
  if (rc) return rc;
  size_t ns1 = (size_t)p->nsessions + 1;
  double *lambda = calloc(ns1, sizeof *lambda);
  out->price = calloc(ns1, sizeof *out->price);
  out->extra_value = malloc(ns1 * sizeof *out->extra_value);
  out->taken = calloc(ns1, sizeof *out->taken);
  out->unmet = calloc((size_t)p->nactivities + 1, sizeof *out->unmet);
  if (!lambda || !out->price || !out->extra_value || !out->taken || !out->unmet) {
    rc = cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
    goto fail;
  }
  sf_run run = {method == CP_SCHED_EXACT ? EXACT_FAST_SHARE * main_time : main_time, FAST_ITER, NULL, NULL, NULL};
  if ((rc = sf_solve(&ctx, &run, out, lambda, err))) goto fail;
  out->used = CP_SCHED_FAST;
  if (method == CP_SCHED_EXACT) {
    double left = main_time - (sf_now() - t0);
    if (left < 0.5) left = 0.5;
    cp_sched_result ex;
    cp_error e2;
    memset(&ex, 0, sizeof ex);
    cp_error_clear(&e2);
    int erc = cp_sched_solve_exact(p, left, out->assign_start, out->assign, &ex, &e2);
    if (erc == CP_ENOMEM) {
      rc = cp_error_set(err, CP_ENOMEM, "%s", e2.msg);
      goto fail;
    }
    if (erc && o.method == CP_SCHED_EXACT) {
      rc = cp_error_set(err, erc, "%s", e2.msg);
      goto fail;
    }
    /* AUTO keeps the FAST plan when CBC fails; a plan that fails the check
     * (never expected) is not used, nor its bound */
    if (!erc && ex.assign_start && !cp_sched_check(p, ex.assign_start, ex.assign, &e2)) {
      int64_t fast_bound = out->bound;
      out->used = CP_SCHED_EXACT;
      out->iterations = ex.iterations;
      if (ex.objective >= out->objective) {
        free(out->assign_start);
        free(out->assign);
        out->assign_start = ex.assign_start;
        out->assign = ex.assign;
        ex.assign_start = ex.assign = NULL;
        out->objective = ex.objective;
      }
      out->bound = ex.bound < fast_bound ? ex.bound : fast_bound;
      if (out->bound < out->objective) out->bound = out->objective;
    } else if (!erc && o.method == CP_SCHED_EXACT) {
      rc = cp_error_set(err, CP_EINVAL, "schedule: the exact method's plan fails the check: %s", e2.msg);
      free(ex.assign_start);
      free(ex.assign);
      goto fail;
    }
    free(ex.assign_start);
    free(ex.assign);
  }
  for (uint32_t s = 0; s < p->nsessions; s++)
    out->price[s] = ctx.cap[s] == SF_OPEN ? 0 : lambda[s] / (double)ctx.M;
  count_taken(p, out);
  if (fill_unmet(p, out)) {
    rc = cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
    goto fail;
  }
  for (uint32_t s = 0; s < p->nsessions; s++) out->extra_value[s] = -1;
  if (o.explain && (rc = fill_extra(p, &ctx, out, lambda, top, limit - (sf_now() - t0), err))) goto fail;
  out->optimal = out->bound == out->objective;
  out->gap = out->bound ? (double)(out->bound - out->objective) / (double)out->bound : 0;
  out->seconds = sf_now() - t0;
  sf_ctx_free(&ctx);
  free(lambda);
  return 0;
fail:
  sf_ctx_free(&ctx);
  free(lambda);
  cp_sched_result_free(out);
  return rc;
}
