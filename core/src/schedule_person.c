/* schedule_person.c: one person at a time, for the FAST method of session
 * allocation. sf_prepare works out once what never changes during a solve
 * (which options a fixed place, a limit or a missing prerequisite rules out,
 * the internal weights with the stability term, the options grouped by
 * activity); sf_person_search finds, exactly, the best set of a person's
 * options at given prices (the Lagrangian subproblem) or given remaining
 * places (repair and local search): a branch and bound over the person's
 * activities, best first, bounded by the best remaining values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schedule_fast.h"

typedef struct sf_cand {
  double v;   /* value of the option in this search */
  uint32_t g; /* global option index */
} sf_cand;

typedef struct sf_grp {
  double best;           /* best positive value of the group, else 0 */
  uint32_t act, first, n; /* activity; candidates cand[first .. first + n) */
  uint32_t npos;         /* the first npos candidates have a positive value */
} sf_grp;

double sf_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int overlap(const cp_sched_session *a, const cp_sched_session *b) {
  return a->start < b->end && b->start < a->end;
}

static int has_u32(const uint32_t *v, uint32_t n, uint32_t x) {
  for (uint32_t i = 0; i < n; i++)
    if (v[i] == x) return 1;
  return 0;
}

/* The person must take prerequisite b in this plan (not done, no fixed place of it). */
static int dynamic_prereq(const cp_sched_problem *p, const cp_sched_person *per, uint32_t b) {
  if (has_u32(per->done, per->ndone, b)) return 0;
  for (uint32_t i = 0; i < per->nfixed; i++)
    if (p->sessions[per->fixed[i]].activity == b) return 0;
  return 1;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

typedef struct wg {
  int64_t w;
  uint32_t p, g;
} wg;

static int cmp_wg(const void *a, const void *b) { /* weight descending, then person, option */
  const wg *x = a, *y = b;
  if (x->w != y->w) return x->w < y->w ? 1 : -1;
  if (x->p != y->p) return x->p < y->p ? -1 : 1;
  return (x->g > y->g) - (x->g < y->g);
}

/* Static feasibility of person pi's options (SF_OK, SF_ENABLER), deps, places, days. */
static void prepare_person(sf_ctx *c, uint32_t pi, uint32_t *mark_fixed, uint32_t *mark_ena) {
  const cp_sched_problem *p = c->p;
  const cp_sched_person *per = &p->people[pi];
  uint32_t stamp = pi + 1, o0 = c->ooff[pi], o1 = c->ooff[pi + 1];
  double fixed_days = 0;
  for (uint32_t i = 0; i < per->nfixed; i++) {
    mark_fixed[p->sessions[per->fixed[i]].activity] = stamp;
    fixed_days += p->sessions[per->fixed[i]].days;
  }
  uint32_t places = UINT32_MAX;
  if (per->max_places) places = per->max_places > per->nfixed ? per->max_places - per->nfixed : 0;
  double days = HUGE_VAL;
  if (per->max_days > 0) days = per->max_days - fixed_days;
  c->places[pi] = places;
  c->days[pi] = days;
  int anydyn = 0;
  for (uint32_t g = o0; g < o1; g++) {
    const cp_sched_session *s = &p->sessions[c->osess[g]];
    int ok = s->capacity != 0 && places > 0 && s->days <= days + SF_DAYS_EPS && mark_fixed[s->activity] != stamp;
    for (uint32_t i = 0; ok && i < per->nfixed; i++)
      if (overlap(s, &p->sessions[per->fixed[i]])) ok = 0;
    if (ok && p->prereq_start) {
      for (uint32_t j = p->prereq_start[s->activity]; ok && j < p->prereq_start[s->activity + 1]; j++) {
        uint32_t b = p->prereq[j];
        if (has_u32(per->done, per->ndone, b)) continue;
        if (mark_fixed[b] == stamp) { /* held: only a fixed place ending before will do */
          int before = 0;
          for (uint32_t i = 0; i < per->nfixed; i++) {
            const cp_sched_session *f = &p->sessions[per->fixed[i]];
            if (f->activity == b && f->end <= s->start) before = 1;
          }
          if (!before) ok = 0;
        } else {
          anydyn = 1;
        }
      }
    }
    if (ok) c->oflag[g] |= SF_OK;
  }
  if (!anydyn) return;
  /* options needing a prerequisite taken in this plan: rule out those with no
   * feasible option of it ending before they start, until nothing changes */
  int changed = 1, deps = 0;
  while (changed) {
    changed = 0;
    for (uint32_t g = o0; g < o1; g++) {
      if (!(c->oflag[g] & SF_OK)) continue;
      const cp_sched_session *s = &p->sessions[c->osess[g]];
      for (uint32_t j = p->prereq_start[s->activity]; j < p->prereq_start[s->activity + 1]; j++) {
        uint32_t b = p->prereq[j];
        if (!dynamic_prereq(p, per, b)) continue;
        int found = 0;
        for (uint32_t h = o0; h < o1 && !found; h++) {
          const cp_sched_session *t = &p->sessions[c->osess[h]];
          if ((c->oflag[h] & SF_OK) && t->activity == b && t->end <= s->start) found = 1;
        }
        if (!found) {
          c->oflag[g] &= (uint8_t)~SF_OK;
          changed = 1;
          break;
        }
      }
    }
  }
  for (uint32_t g = o0; g < o1; g++) {
    if (!(c->oflag[g] & SF_OK)) continue;
    uint32_t a = p->sessions[c->osess[g]].activity;
    for (uint32_t j = p->prereq_start[a]; j < p->prereq_start[a + 1]; j++)
      if (dynamic_prereq(p, per, p->prereq[j])) {
        mark_ena[p->prereq[j]] = stamp;
        deps = 1;
      }
  }
  for (uint32_t g = o0; g < o1; g++)
    if ((c->oflag[g] & SF_OK) && mark_ena[p->sessions[c->osess[g]].activity] == stamp) c->oflag[g] |= SF_ENABLER;
  c->deps[pi] = (uint8_t)deps;
}

int sf_prepare(const cp_sched_problem *p, unsigned threads, sf_ctx *c, cp_error *err) {
  memset(c, 0, sizeof *c);
  c->p = p;
  c->np = p->npeople;
  c->ns = p->nsessions;
  c->na = p->nactivities;
  c->threads = threads < 1 ? 1 : threads > 2 ? 2 : threads;
  c->nprereq = p->prereq_start ? p->prereq_start[p->nactivities] : 0;
  uint64_t nopt = 0;
  for (uint32_t i = 0; i < c->np; i++) nopt += p->people[i].noptions;
  if (nopt >= UINT32_MAX) return cp_error_set(err, CP_ELIMIT, "schedule: too many options (%llu)", (unsigned long long)nopt);
  c->nopt = (uint32_t)nopt;
  size_t no = (size_t)nopt + 1, np1 = (size_t)c->np + 1, ns1 = (size_t)c->ns + 1, na1 = (size_t)c->na + 1;
  c->ooff = malloc(np1 * sizeof *c->ooff);
  c->soff = malloc(np1 * sizeof *c->soff);
  c->osess = malloc(no * sizeof *c->osess);
  c->w = malloc(no * sizeof *c->w);
  c->oflag = calloc(no, 1);
  c->sord = malloc(no * sizeof *c->sord);
  c->places = malloc(np1 * sizeof *c->places);
  c->days = malloc(np1 * sizeof *c->days);
  c->deps = calloc(np1, 1);
  c->cap = malloc(ns1 * sizeof *c->cap);
  c->xoff = calloc(ns1 + 1, sizeof *c->xoff);
  c->xopt = malloc(no * sizeof *c->xopt);
  uint32_t *mark_fixed = calloc(na1, sizeof *mark_fixed), *mark_ena = calloc(na1, sizeof *mark_ena);
  uint32_t maxcur = 0;
  for (uint32_t i = 0; i < c->np; i++)
    if (p->people[i].ncurrent > maxcur) maxcur = p->people[i].ncurrent;
  uint32_t *cur = malloc(((size_t)maxcur + 1) * sizeof *cur);
  if (!c->ooff || !c->soff || !c->osess || !c->w || !c->oflag || !c->sord || !c->places ||
      !c->days || !c->deps || !c->cap || !c->xoff || !c->xopt || !mark_fixed || !mark_ena || !cur) {
    free(mark_fixed);
    free(mark_ena);
    free(cur);
    sf_ctx_free(c);
    return cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
  }
  /* options, current proposals, the scale M of the stability term */
  uint32_t g = 0;
  uint64_t ncur = 0;
  int64_t wtot = 0;
  for (uint32_t i = 0; i < c->np; i++) {
    const cp_sched_person *per = &p->people[i];
    c->ooff[i] = g;
    if (per->ncurrent) {
      memcpy(cur, per->current, per->ncurrent * sizeof *cur);
      qsort(cur, per->ncurrent, sizeof *cur, cmp_u32);
    }
    for (uint32_t k = 0; k < per->noptions; k++, g++) {
      c->osess[g] = per->options[k].session;
      c->w[g] = per->options[k].score;
      wtot += per->options[k].score; /* the caller checked that the sum fits */
      if (per->ncurrent && bsearch(&per->options[k].session, cur, per->ncurrent, sizeof *cur, cmp_u32)) {
        c->oflag[g] |= SF_CURRENT;
        ncur++;
      }
    }
  }
  c->ooff[c->np] = g;
  c->M = 1;
  const double lim = 4503599627370496.0; /* 2^52: internal sums stay exact in a double */
  if (ncur && (double)wtot * (double)(ncur + 1) + (double)ncur < lim) c->M = (int64_t)ncur + 1;
  for (uint32_t h = 0; h < c->nopt; h++) c->w[h] = c->w[h] * c->M + ((c->oflag[h] & SF_CURRENT) && c->M > 1);
  free(cur);
  /* static feasibility, person by person; then the feasible options by (activity, session) */
  uint32_t maxopt = 0;
  for (uint32_t i = 0; i < c->np; i++)
    if (p->people[i].noptions > maxopt) maxopt = p->people[i].noptions;
  uint64_t *keys = malloc(((size_t)maxopt + 1) * sizeof *keys);
  if (!keys) {
    free(mark_fixed);
    free(mark_ena);
    sf_ctx_free(c);
    return cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
  }
  c->maxopt = maxopt;
  uint32_t ns_ok = 0;
  for (uint32_t i = 0; i < c->np; i++) {
    prepare_person(c, i, mark_fixed, mark_ena);
    uint32_t n = 0;
    for (uint32_t h = c->ooff[i]; h < c->ooff[i + 1]; h++)
      if (c->oflag[h] & SF_OK) keys[n++] = (uint64_t)p->sessions[c->osess[h]].activity << 32 | (h - c->ooff[i]);
    qsort(keys, n, sizeof *keys, cmp_u64);
    c->soff[i] = ns_ok;
    uint32_t ngrp = 0;
    for (uint32_t k = 0; k < n; k++) {
      c->sord[ns_ok++] = c->ooff[i] + (uint32_t)(keys[k] & 0xffffffffu);
      if (k == 0 || keys[k] >> 32 != keys[k - 1] >> 32) ngrp++;
    }
    if (ngrp > c->maxgrp) c->maxgrp = ngrp;
  }
  c->soff[c->np] = ns_ok;
  free(keys);
  free(mark_fixed);
  free(mark_ena);
  /* sessions: the feasible options of each, best weight first; capacity that can bind */
  for (uint32_t h = 0; h < c->nopt; h++)
    if (c->oflag[h] & SF_OK) c->xoff[c->osess[h] + 1]++;
  uint32_t maxdem = 0;
  for (uint32_t s = 0; s < c->ns; s++) {
    uint32_t dem = c->xoff[s + 1];
    if (dem > maxdem) maxdem = dem;
    int32_t cap = p->sessions[s].capacity;
    c->cap[s] = (cap < 0 || dem <= (uint32_t)cap) ? SF_OPEN : cap;
    c->xoff[s + 1] += c->xoff[s];
  }
  uint32_t *fill = calloc(ns1, sizeof *fill);
  wg *tmp = malloc(((size_t)maxdem + 1) * sizeof *tmp);
  if (!fill || !tmp) {
    free(fill);
    free(tmp);
    sf_ctx_free(c);
    return cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
  }
  for (uint32_t h = 0; h < c->nopt; h++)
    if (c->oflag[h] & SF_OK) c->xopt[c->xoff[c->osess[h]] + fill[c->osess[h]]++] = h;
  for (uint32_t s = 0; s < c->ns; s++) {
    uint32_t n = c->xoff[s + 1] - c->xoff[s];
    for (uint32_t k = 0; k < n; k++) {
      uint32_t h = c->xopt[c->xoff[s] + k];
      tmp[k] = (wg){c->w[h], sf_owner(c, h), h};
    }
    qsort(tmp, n, sizeof *tmp, cmp_wg);
    for (uint32_t k = 0; k < n; k++) c->xopt[c->xoff[s] + k] = tmp[k].g;
  }
  free(fill);
  free(tmp);
  return 0;
}

void sf_ctx_free(sf_ctx *c) {
  if (!c) return;
  free(c->ooff);
  free(c->soff);
  free(c->osess);
  free(c->w);
  free(c->oflag);
  free(c->sord);
  free(c->places);
  free(c->days);
  free(c->deps);
  free(c->cap);
  free(c->xoff);
  free(c->xopt);
  memset(c, 0, sizeof *c);
}

int sf_scratch_init(sf_scratch *s, const sf_ctx *c) {
  memset(s, 0, sizeof *s);
  size_t mo = (size_t)c->maxopt + 1, mg = (size_t)c->maxgrp + 1;
  s->cand = malloc(mo * sizeof *s->cand);
  s->grp = malloc(mg * sizeof *s->grp);
  s->act2grp = malloc(((size_t)c->na + 1) * sizeof *s->act2grp);
  s->pre_off = malloc((mg + 1) * sizeof *s->pre_off);
  s->dep_off = malloc((mg + 1) * sizeof *s->dep_off);
  s->pre = malloc(((size_t)c->nprereq + 1) * sizeof *s->pre);
  s->dep = malloc(((size_t)c->nprereq + 1) * sizeof *s->dep);
  s->pref = malloc((mg + 1) * sizeof *s->pref);
  s->pick = malloc(mg * sizeof *s->pick);
  s->best_pick = malloc(mg * sizeof *s->best_pick);
  s->out = malloc(mg * sizeof *s->out);
  s->mark = calloc((size_t)c->ns + 1, sizeof *s->mark);
  if (!s->cand || !s->grp || !s->act2grp || !s->pre_off || !s->dep_off || !s->pre || !s->dep || !s->pref ||
      !s->pick || !s->best_pick || !s->out || !s->mark) {
    sf_scratch_free(s);
    return CP_ENOMEM;
  }
  for (uint32_t a = 0; a <= c->na; a++) s->act2grp[a] = SF_NONE;
  return 0;
}

void sf_scratch_free(sf_scratch *s) {
  if (!s) return;
  free(s->cand);
  free(s->grp);
  free(s->act2grp);
  free(s->pre_off);
  free(s->dep_off);
  free(s->pre);
  free(s->dep);
  free(s->pref);
  free(s->pick);
  free(s->best_pick);
  free(s->out);
  free(s->mark);
  memset(s, 0, sizeof *s);
}

static int cmp_cand(const void *a, const void *b) { /* value descending, then option (session) ascending */
  const sf_cand *x = a, *y = b;
  if (x->v != y->v) return x->v < y->v ? 1 : -1;
  return (x->g > y->g) - (x->g < y->g);
}

static int cmp_grp(const void *a, const void *b) { /* best descending, then activity ascending */
  const sf_grp *x = a, *y = b;
  if (x->best != y->best) return x->best < y->best ? 1 : -1;
  return (x->act > y->act) - (x->act < y->act);
}

/* Candidates in search order. They mostly come nearly in order (by the
 * prices' order of sessions, or all of one value but the current option),
 * and then an insertion sort is linear. */
static void sort_cands(sf_cand *v, uint32_t n) {
  uint32_t disorder = 0;
  for (uint32_t i = 1; i < n && disorder <= 8; i++) disorder += cmp_cand(&v[i - 1], &v[i]) > 0;
  if (disorder == 0) return;
  if (n > 16 && disorder > 8) {
    qsort(v, n, sizeof *v, cmp_cand);
    return;
  }
  for (uint32_t i = 1; i < n; i++) {
    sf_cand x = v[i];
    uint32_t j = i;
    while (j > 0 && cmp_cand(&v[j - 1], &x) > 0) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
}

/* the branch and bound over the groups, in order */
typedef struct bb_state {
  const sf_ctx *c;
  sf_scratch *s;
  uint32_t ng, places;
  double days, best;
  int deps, cut;
  uint64_t limit, nodes; /* here, not in the scratch: the threads' scratches sit side by side */
} bb_state;

static const cp_sched_session *cand_session(const bb_state *b, uint32_t ci) {
  return &b->c->p->sessions[b->c->osess[b->s->cand[ci].g]];
}

/* May group i take no session, given the groups decided before it? */
static int none_ok(const bb_state *b, uint32_t i) {
  const sf_scratch *s = b->s;
  for (uint32_t k = s->dep_off[i]; k < s->dep_off[i + 1]; k++) {
    uint32_t d = s->dep[k];
    if (d < i && s->pick[d] != SF_NONE) return 0;
  }
  return 1;
}

/* May group i take candidate ci, given the groups decided before it? */
static int pick_ok(const bb_state *b, uint32_t i, const cp_sched_session *t) {
  const sf_scratch *s = b->s;
  for (uint32_t j = 0; j < i; j++)
    if (s->pick[j] != SF_NONE && overlap(t, cand_session(b, s->pick[j]))) return 0;
  if (!b->deps) return 1;
  for (uint32_t k = s->pre_off[i]; k < s->pre_off[i + 1]; k++) {
    uint32_t j = s->pre[k];
    if (j >= i) continue;
    if (s->pick[j] == SF_NONE || cand_session(b, s->pick[j])->end > t->start) return 0;
  }
  for (uint32_t k = s->dep_off[i]; k < s->dep_off[i + 1]; k++) {
    uint32_t d = s->dep[k];
    if (d < i && s->pick[d] != SF_NONE && t->end > cand_session(b, s->pick[d])->start) return 0;
  }
  return 1;
}

static void bb(bb_state *b, uint32_t i, double cur, uint32_t nplaces, double ndays);

static void bb_try(bb_state *b, uint32_t i, uint32_t ci, double cur, uint32_t nplaces, double ndays) {
  const cp_sched_session *t = cand_session(b, ci);
  if (nplaces >= b->places || ndays + t->days > b->days + SF_DAYS_EPS || !pick_ok(b, i, t)) return;
  b->s->pick[i] = ci;
  bb(b, i + 1, cur + b->s->cand[ci].v, nplaces + 1, ndays + t->days);
}

static void bb(bb_state *b, uint32_t i, double cur, uint32_t nplaces, double ndays) {
  sf_scratch *s = b->s;
  if (b->nodes >= b->limit) {
    b->cut = 1;
    return;
  }
  b->nodes++;
  if (i == b->ng) {
    if (cur > b->best) {
      b->best = cur;
      memcpy(s->best_pick, s->pick, b->ng * sizeof *s->pick);
    }
    return;
  }
  uint32_t room = b->places - nplaces, end = room < b->ng - i ? i + room : b->ng;
  if (cur + (s->pref[i] - s->pref[end]) <= b->best) return;
  const sf_grp *gr = &s->grp[i];
  /* the bound after taking a candidate here: the candidates are by value,
   * best first, so once one cannot beat the best none after it can */
  uint32_t room1 = room ? room - 1 : 0, end1 = room1 < b->ng - i - 1 ? i + 1 + room1 : b->ng;
  double rest1 = s->pref[i + 1] - s->pref[end1];
  for (uint32_t k = 0; k < gr->npos; k++) {
    if (cur + s->cand[gr->first + k].v + rest1 <= b->best) break;
    bb_try(b, i, gr->first + k, cur, nplaces, ndays);
  }
  if (none_ok(b, i)) {
    s->pick[i] = SF_NONE;
    bb(b, i + 1, cur, nplaces, ndays);
  }
  for (uint32_t k = gr->npos; k < gr->n; k++) {
    if (cur + s->cand[gr->first + k].v + rest1 <= b->best) break;
    bb_try(b, i, gr->first + k, cur, nplaces, ndays);
  }
}

void sf_person_search(const sf_ctx *c, sf_scratch *s, uint32_t pi, const sf_query *q) {
  const cp_sched_problem *p = c->p;
  const cp_sched_person *per = &p->people[pi];
  s->nout = 0;
  s->value = s->ub = 0;
  s->cut = 0;
  s->nodes = 0;
  /* groups of open candidates, one per activity; with the prices' order of
   * sessions, each group's candidates are marked, then taken in that order */
  const int ordered = q->lambda && q->lam_order;
  uint32_t nc = 0, ng = 0;
  for (uint32_t i = c->soff[pi]; i <= c->soff[pi + 1]; i++) {
    uint32_t g = 0, sess = 0, a = SF_NONE;
    if (i < c->soff[pi + 1]) {
      g = c->sord[i];
      sess = c->osess[g];
      a = p->sessions[sess].activity;
    }
    if (ng == 0 || s->grp[ng - 1].act != a) {
      if (ng && ordered && s->grp[ng - 1].n) { /* close the group: its candidates by price */
        sf_grp *gr = &s->grp[ng - 1];
        for (uint32_t k = q->lam_start[gr->act]; k < q->lam_start[gr->act + 1]; k++) {
          uint32_t t = q->lam_order[k];
          if (!s->mark[t]) continue;
          uint32_t h = s->mark[t] - 1;
          s->mark[t] = 0;
          s->cand[nc++] = (sf_cand){(double)c->w[h] - q->lambda[t], h};
        }
      }
      if (ng && s->grp[ng - 1].n == 0) ng--;
      if (a == SF_NONE) break;
      s->grp[ng++] = (sf_grp){0, a, nc, 0, 0};
    }
    if (sess == q->ban) continue;
    if (sess != q->force && !(q->held && q->held[g]) && q->rem && q->rem[sess] <= 0) continue;
    double v = q->lambda ? (double)c->w[g] - q->lambda[sess] : (double)c->w[g];
    if (v > 0 || (c->oflag[g] & SF_ENABLER)) {
      if (ordered) s->mark[sess] = g + 1;
      else s->cand[nc++] = (sf_cand){v, g};
      s->grp[ng - 1].n++;
    }
  }
  if (!ng) return;
  for (uint32_t i = 0; i < ng; i++) {
    sf_grp *gr = &s->grp[i];
    sort_cands(s->cand + gr->first, gr->n);
    while (gr->npos < gr->n && s->cand[gr->first + gr->npos].v > 0) gr->npos++;
    gr->best = gr->npos ? s->cand[gr->first].v : 0;
  }
  int deps = c->deps[pi] && p->prereq_start;
  if (deps) { /* drop groups whose prerequisite has no open group, until nothing changes */
    for (uint32_t i = 0; i < ng; i++) s->act2grp[s->grp[i].act] = i;
    int changed = 1;
    while (changed) {
      changed = 0;
      for (uint32_t i = 0; i < ng; i++) {
        sf_grp *gr = &s->grp[i];
        if (gr->n == 0) continue;
        for (uint32_t j = p->prereq_start[gr->act]; j < p->prereq_start[gr->act + 1]; j++) {
          uint32_t b = p->prereq[j], bg = s->act2grp[b];
          if ((bg == SF_NONE || s->grp[bg].n == 0) && dynamic_prereq(p, per, b)) {
            gr->n = 0;
            changed = 1;
            break;
          }
        }
      }
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < ng; i++) {
      s->act2grp[s->grp[i].act] = SF_NONE;
      if (s->grp[i].n) s->grp[k++] = s->grp[i];
    }
    ng = k;
    if (!ng) return;
  }
  if (ng > 1) qsort(s->grp, ng, sizeof *s->grp, cmp_grp);
  s->pre_off[0] = s->dep_off[0] = 0;
  if (deps) {
    for (uint32_t i = 0; i < ng; i++) s->act2grp[s->grp[i].act] = i;
    uint32_t n = 0;
    for (uint32_t i = 0; i < ng; i++) {
      s->dep_off[i + 1] = 0;
      uint32_t a = s->grp[i].act;
      for (uint32_t j = p->prereq_start[a]; j < p->prereq_start[a + 1]; j++) {
        uint32_t bg = s->act2grp[p->prereq[j]];
        if (bg != SF_NONE && dynamic_prereq(p, per, p->prereq[j])) s->pre[n++] = bg;
      }
      s->pre_off[i + 1] = n;
    }
    for (uint32_t k = 0; k < n; k++) s->dep_off[s->pre[k] + 1]++;
    for (uint32_t i = 0; i < ng; i++) s->dep_off[i + 1] += s->dep_off[i];
    for (uint32_t i = 0; i < ng; i++) s->pick[i] = s->dep_off[i]; /* fill cursors */
    for (uint32_t i = 0; i < ng; i++)
      for (uint32_t k = s->pre_off[i]; k < s->pre_off[i + 1]; k++) s->dep[s->pick[s->pre[k]]++] = i;
    for (uint32_t i = 0; i < ng; i++) s->act2grp[s->grp[i].act] = SF_NONE;
  } else {
    for (uint32_t i = 0; i < ng; i++) s->pre_off[i + 1] = s->dep_off[i + 1] = 0;
  }
  s->pref[ng] = 0;
  for (uint32_t i = ng; i-- > 0;) s->pref[i] = s->pref[i + 1] + s->grp[i].best;
  bb_state b = {c, s, ng, c->places[pi] < ng ? c->places[pi] : ng, c->days[pi], 0, deps, 0, q->node_limit, 0};
  for (uint32_t i = 0; i < ng; i++) s->pick[i] = s->best_pick[i] = SF_NONE;
  bb(&b, 0, 0, 0, 0);
  for (uint32_t i = 0; i < ng; i++)
    if (s->best_pick[i] != SF_NONE) s->out[s->nout++] = s->cand[s->best_pick[i]].g;
  if (s->nout > 1) qsort(s->out, s->nout, sizeof *s->out, cmp_u32);
  s->value = b.best;
  s->ub = b.best;
  s->cut = b.cut;
  s->nodes = b.nodes;
  if (s->cut) {
    double root = s->pref[0] - s->pref[b.places];
    if (root > s->ub) s->ub = root;
  }
}
