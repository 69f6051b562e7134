/* schedule_exact.c: the EXACT method of session allocation (see
 * cpdplan/schedule.h and schedule_internal.h): the problem as a 0-1 integer
 * programme solved by CBC through its C API, started from a feasible plan.
 *
 * One binary column x per live option (a person's option that no fixed place,
 * limit or missing prerequisite rules out; dead options get no column), the
 * objective maximise sum score * x (given to CBC as: minimise -score * x),
 * and these rows:
 *   capacity     per session with capacity >= 0 and more live options than
 *                places: sum x <= capacity (capacity 0: its options are dead);
 *   activity     per person and activity with two or more live options:
 *                sum x <= 1 (an activity held by a fixed place: options dead);
 *   clash        per person, one row sum x <= 1 per maximal set of mutually
 *                overlapping live options (interval graph: swept over the
 *                start and end points, a clique is emitted at each end that
 *                follows a start), unless all its options are of one activity
 *                (then the activity row covers it); options that overlap a
 *                fixed place are dead;
 *   prerequisite per live option k of activity a and prerequisite q of a that
 *                is neither done nor held in a fixed place ending at or before
 *                k's start: x_k - sum x_j <= 0 over the person's live options
 *                j of q ending at or before k's start (none: k is dead; dead
 *                options are propagated until nothing changes);
 *   places       max_places > 0: sum x <= max_places - nfixed (<= 0: all dead),
 *                when the live options outnumber it;
 *   days         max_days > 0: sum days * x <= max_days - fixed days (an
 *                option longer than that is dead), when the live days exceed it.
 *
 * CBC runs single-threaded (no threads parameter): its parallel search
 * depends on thread timing, its deterministic parallel mode (threads 102) was
 * no faster on a 2-core machine, and the same input must give the same plan
 * (when the time limit does not stop CBC; when it does, where it stopped
 * depends on the machine). Its limit is wall-clock ("timeMode elapsed"): what
 * is left of time_limit after building the model, less a tenth (at most 1 s)
 * for what CBC does after it stops. CBC cannot stop inside its first LP
 * solve, so a limit shorter than that solve is overrun by it. CBC's
 * preprocessing is off: with a MIP start, CBC 2.10.8 crashes in
 * CglPreProcess::postProcess when the time limit stops the search (18 of 30
 * runs here), and without it the solves measured took about as long.
 *
 * CBC's plan is checked again here, in exact arithmetic, against every row;
 * the objective is recomputed in int64 from the chosen options, never taken
 * from CBC's double. The result is CBC's plan when it is strictly better than
 * the start plan, else the start plan (or the empty plan, always feasible,
 * when there is no usable start). A start plan that breaks a row or names a
 * session that is not a live option is not used, neither as the MIP start nor
 * as the fallback. Among plans of equal score the people's current
 * proposals are kept: the objective is score x (proposals + 1), plus one
 * for each current proposal kept, when doubles hold that exactly.
 *
 * The bound is CBC's best possible objective, floored (scores are integers),
 * capped by an easy bound and never below the objective. CBC's bound is not
 * used when it gives none (it did not run, or stopped before its first LP
 * was solved), nor when, unproven, it is no higher than the objective (CBC
 * can report its incumbent as the best possible when its search has not
 * started). The easy bound, alone in those cases, is the sum over people of
 * their best possible alone: the best score per activity among their live
 * options, the best (max_places - nfixed) of those; valid because a person
 * takes at most one option per activity and that many places.
 *
 * No globals, no printing (CBC's log level is 0), no exit. Memory: out's
 * assign_start and assign are allocated here with malloc (free with free(),
 * or cp_sched_result_free). */
#include "schedule_internal.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <Cbc_C_Interface.h> /* coinor-libcbc-dev 2.10.8, via pkg-config cbc (/usr/include/coin) */

#define DAYS_EPS 1e-9
#define SCORE_MAX_TOTAL 4503599627370496.0 /* 2^52: sums of scores stay exact in a double */

/* ---- small growable arrays ---- */

typedef struct rows {
  int *start; /* nrows + 1 offsets into idx/coef */
  int *idx;   /* column of each entry */
  double *coef;
  double *ub;   /* row upper bound (every row is <=) */
  int nrows, caprows;
  int nnz, capnnz;
} rows;

static int rows_reserve(rows *r, int more_rows, int more_nnz) {
  if (r->nrows + more_rows + 1 > r->caprows) {
    int cap = r->caprows ? r->caprows : 256;
    while (r->nrows + more_rows + 1 > cap) {
      if (cap > INT_MAX / 2) return -1;
      cap *= 2;
    }
    int *s = realloc(r->start, (size_t)cap * sizeof *s);
    if (!s) return -1;
    r->start = s;
    double *u = realloc(r->ub, (size_t)cap * sizeof *u);
    if (!u) return -1;
    r->ub = u;
    r->caprows = cap;
  }
  if (r->nnz + more_nnz > r->capnnz) {
    int cap = r->capnnz ? r->capnnz : 1024;
    while (r->nnz + more_nnz > cap) {
      if (cap > INT_MAX / 2) return -1;
      cap *= 2;
    }
    int *i = realloc(r->idx, (size_t)cap * sizeof *i);
    if (!i) return -1;
    r->idx = i;
    double *c = realloc(r->coef, (size_t)cap * sizeof *c);
    if (!c) return -1;
    r->coef = c;
    r->capnnz = cap;
  }
  return 0;
}

/* Append a row sum coef[i] * x[cols[i]] <= ub (coef NULL = all 1). */
static int rows_add(rows *r, int n, const int *cols, const double *coef, double ub) {
  if (n > INT_MAX - r->nnz || rows_reserve(r, 1, n)) return -1;
  if (r->nrows == 0) r->start[0] = 0;
  for (int i = 0; i < n; i++) {
    r->idx[r->nnz + i] = cols[i];
    r->coef[r->nnz + i] = coef ? coef[i] : 1.0;
  }
  r->nnz += n;
  r->ub[r->nrows] = ub;
  r->nrows++;
  r->start[r->nrows] = r->nnz;
  return 0;
}

static void rows_free(rows *r) {
  free(r->start);
  free(r->idx);
  free(r->coef);
  free(r->ub);
}

/* ---- helpers ---- */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int overlaps(const cp_sched_session *a, const cp_sched_session *b) {
  return a->start < b->end && b->start < a->end;
}

static int has_u32(const uint32_t *v, uint32_t n, uint32_t x) {
  for (uint32_t i = 0; i < n; i++)
    if (v[i] == x) return 1;
  return 0;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

typedef struct event {
  int64_t t;
  int is_start; /* ends sort before starts at the same time: [start, end) */
  int k;        /* option index within the person */
} event;

static int cmp_event(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  if (x->is_start != y->is_start) return x->is_start - y->is_start;
  return (x->k > y->k) - (x->k < y->k);
}

/* Option index of session s in person q's options (ascending), or -1. */
static int64_t find_option(const cp_sched_person *q, uint32_t s) {
  uint32_t lo = 0, hi = q->noptions;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (q->options[mid].session < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < q->noptions && q->options[lo].session == s ? (int64_t)lo : -1;
}

/* ---- validation ---- */

static int validate(const cp_sched_problem *p, cp_error *err) {
  if (p->version != CP_SCHED_PROBLEM_VERSION)
    return cp_error_set(err, CP_EINVAL, "schedule problem version %u, expected %u", p->version,
                        (unsigned)CP_SCHED_PROBLEM_VERSION);
  if ((p->nsessions && !p->sessions) || (p->npeople && !p->people))
    return cp_error_set(err, CP_EINVAL, "schedule problem: sessions or people missing");
  if ((p->prereq_start == NULL) != (p->prereq == NULL))
    return cp_error_set(err, CP_EINVAL, "schedule problem: prereq_start and prereq must both be given or both NULL");
  for (uint32_t s = 0; s < p->nsessions; s++) {
    const cp_sched_session *ss = &p->sessions[s];
    if (ss->activity >= p->nactivities)
      return cp_error_set(err, CP_EINVAL, "session %u: activity %u out of range (%u activities)", s, ss->activity,
                          p->nactivities);
    if (ss->end <= ss->start) return cp_error_set(err, CP_EINVAL, "session %u: end is not after start", s);
    if (!isfinite(ss->days)) return cp_error_set(err, CP_EINVAL, "session %u: days is not a number", s);
  }
  if (p->prereq_start) {
    for (uint32_t a = 0; a < p->nactivities; a++) {
      if (p->prereq_start[a] > p->prereq_start[a + 1])
        return cp_error_set(err, CP_EINVAL, "activity %u: prerequisite offsets decrease", a);
      for (uint32_t i = p->prereq_start[a]; i < p->prereq_start[a + 1]; i++)
        if (p->prereq[i] >= p->nactivities)
          return cp_error_set(err, CP_EINVAL, "activity %u: prerequisite %u out of range", a, p->prereq[i]);
    }
  }
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *q = &p->people[i];
    if ((q->noptions && !q->options) || (q->nfixed && !q->fixed) || (q->ndone && !q->done))
      return cp_error_set(err, CP_EINVAL, "person %u: options, fixed or done missing", i);
    if (!isfinite(q->max_days)) return cp_error_set(err, CP_EINVAL, "person %u: max_days is not a number", i);
    for (uint32_t k = 0; k < q->noptions; k++) {
      const cp_sched_option *o = &q->options[k];
      if (o->session >= p->nsessions)
        return cp_error_set(err, CP_EINVAL, "person %u option %u: session %u out of range", i, k, o->session);
      if (o->score <= 0)
        return cp_error_set(err, CP_EINVAL, "person %u option %u: score %lld is not positive", i, k,
                            (long long)o->score);
      if (k && q->options[k - 1].session >= o->session)
        return cp_error_set(err, CP_EINVAL, "person %u: options not ascending by session", i);
    }
    for (uint32_t f = 0; f < q->nfixed; f++)
      if (q->fixed[f] >= p->nsessions)
        return cp_error_set(err, CP_EINVAL, "person %u: fixed session %u out of range", i, q->fixed[f]);
    for (uint32_t d = 0; d < q->ndone; d++)
      if (q->done[d] >= p->nactivities)
        return cp_error_set(err, CP_EINVAL, "person %u: done activity %u out of range", i, q->done[d]);
  }
  return 0;
}

/* ---- the model ---- */

typedef struct model {
  const cp_sched_problem *p;
  size_t nopt;          /* options over all people */
  size_t *opt_start;    /* npeople + 1: a person's options in the global numbering */
  int *col;             /* per global option: its column, or -1 (dead) */
  int ncols;
  int *col_person;      /* per column */
  uint32_t *col_option; /* per column: option index within the person */
  double *obj;          /* per column: -(score * keep_scale + 1 if a current proposal) */
  unsigned char *cur;   /* per column: the option is a current proposal */
  double keep_scale;    /* scores are multiplied by this so that keeping proposals only breaks ties */
  rows r;
  int64_t easy_bound;
} model;

static void model_free(model *m) {
  free(m->opt_start);
  free(m->col);
  free(m->col_person);
  free(m->col_option);
  free(m->obj);
  free(m->cur);
  rows_free(&m->r);
}

/* Scratch per person, sized by the largest number of options. */
typedef struct scratch {
  char *dead;
  int *list, *list2;
  event *ev;
  int *active;
  double *coef;
  int64_t *best; /* per activity (indexed by position in list) */
} scratch;

/* Which options of person i are dead (no column). */
static void person_dead(const cp_sched_problem *p, const cp_sched_person *q, char *dead) {
  double fixed_days = 0;
  for (uint32_t f = 0; f < q->nfixed; f++) fixed_days += p->sessions[q->fixed[f]].days;
  int places_out = q->max_places > 0 && (int64_t)q->max_places - (int64_t)q->nfixed <= 0;
  double days_left = q->max_days - fixed_days;
  for (uint32_t k = 0; k < q->noptions; k++) {
    const cp_sched_session *s = &p->sessions[q->options[k].session];
    char d = places_out || s->capacity == 0;
    if (q->max_days > 0 && s->days > days_left + DAYS_EPS) d = 1;
    for (uint32_t f = 0; f < q->nfixed && !d; f++) {
      const cp_sched_session *fs = &p->sessions[q->fixed[f]];
      if (fs->activity == s->activity || overlaps(fs, s)) d = 1;
    }
    dead[k] = d;
  }
  if (!p->prereq_start) return;
  /* prerequisites, propagated: an option whose prerequisite can only be met by dead options is dead */
  int changed = 1;
  while (changed) {
    changed = 0;
    for (uint32_t k = 0; k < q->noptions; k++) {
      if (dead[k]) continue;
      const cp_sched_session *s = &p->sessions[q->options[k].session];
      for (uint32_t i = p->prereq_start[s->activity]; i < p->prereq_start[s->activity + 1] && !dead[k]; i++) {
        uint32_t a = p->prereq[i];
        if (has_u32(q->done, q->ndone, a)) continue;
        int met = 0;
        for (uint32_t f = 0; f < q->nfixed && !met; f++) {
          const cp_sched_session *fs = &p->sessions[q->fixed[f]];
          if (fs->activity == a && fs->end <= s->start) met = 1;
        }
        for (uint32_t j = 0; j < q->noptions && !met; j++) {
          const cp_sched_session *js = &p->sessions[q->options[j].session];
          if (!dead[j] && js->activity == a && js->end <= s->start) met = 1;
        }
        if (!met) {
          dead[k] = 1;
          changed = 1;
        }
      }
    }
  }
}

/* Add person i's rows (activity, clash, prerequisite, places, days) and its
 * easy bound. */
static int person_rows(model *m, uint32_t i, scratch *w) {
  const cp_sched_problem *p = m->p;
  const cp_sched_person *q = &p->people[i];
  const int *col = m->col + m->opt_start[i];
  int nlive = 0;
  for (uint32_t k = 0; k < q->noptions; k++)
    if (col[k] >= 0) w->list[nlive++] = (int)k;
  if (nlive == 0) return 0;

  /* activity rows and the easy bound: group live options by activity (small n: selection) */
  int nact = 0;
  char *seen = w->dead; /* reused: 1 = grouped already */
  memset(seen, 0, q->noptions);
  for (int a = 0; a < nlive; a++) {
    int k = w->list[a];
    if (seen[k]) continue;
    uint32_t act = p->sessions[q->options[k].session].activity;
    int n = 0;
    int64_t best = 0;
    for (int b = a; b < nlive; b++) {
      int j = w->list[b];
      if (seen[j] || p->sessions[q->options[j].session].activity != act) continue;
      seen[j] = 1;
      w->list2[n++] = col[j];
      if (q->options[j].score > best) best = q->options[j].score;
    }
    w->best[nact++] = best;
    if (n >= 2 && rows_add(&m->r, n, w->list2, NULL, 1.0)) return -1;
  }
  /* easy bound: the best (max_places - nfixed) of the per-activity bests */
  int64_t take = nact;
  if (q->max_places > 0 && (int64_t)q->max_places - (int64_t)q->nfixed < take)
    take = (int64_t)q->max_places - (int64_t)q->nfixed;
  for (int64_t t = 0; t < take; t++) { /* partial selection sort, descending */
    int bi = (int)t;
    for (int b = (int)t + 1; b < nact; b++)
      if (w->best[b] > w->best[bi]) bi = b;
    int64_t tmp = w->best[t];
    w->best[t] = w->best[bi];
    w->best[bi] = tmp;
    m->easy_bound += w->best[t];
  }

  /* clash rows: maximal cliques of the interval graph of the live options */
  int nev = 0;
  for (int a = 0; a < nlive; a++) {
    const cp_sched_session *s = &p->sessions[q->options[w->list[a]].session];
    w->ev[nev++] = (event){s->start, 1, w->list[a]};
    w->ev[nev++] = (event){s->end, 0, w->list[a]};
  }
  qsort(w->ev, (size_t)nev, sizeof *w->ev, cmp_event);
  int nactive = 0, grown = 0;
  for (int e = 0; e < nev; e++) {
    int k = w->ev[e].k;
    if (w->ev[e].is_start) {
      w->active[nactive++] = k;
      grown = 1;
      continue;
    }
    if (grown && nactive >= 2) {
      uint32_t act0 = p->sessions[q->options[w->active[0]].session].activity;
      int one_activity = 1;
      for (int a = 1; a < nactive && one_activity; a++)
        if (p->sessions[q->options[w->active[a]].session].activity != act0) one_activity = 0;
      if (!one_activity) { /* else the activity row holds it */
        for (int a = 0; a < nactive; a++) w->list2[a] = col[w->active[a]];
        qsort(w->list2, (size_t)nactive, sizeof *w->list2, cmp_int);
        if (rows_add(&m->r, nactive, w->list2, NULL, 1.0)) return -1;
      }
    }
    grown = 0;
    for (int a = 0; a < nactive; a++)
      if (w->active[a] == k) {
        memmove(w->active + a, w->active + a + 1, (size_t)(nactive - a - 1) * sizeof *w->active);
        nactive--;
        break;
      }
  }

  /* prerequisite rows */
  if (p->prereq_start) {
    for (int a = 0; a < nlive; a++) {
      int k = w->list[a];
      const cp_sched_session *s = &p->sessions[q->options[k].session];
      for (uint32_t pi = p->prereq_start[s->activity]; pi < p->prereq_start[s->activity + 1]; pi++) {
        uint32_t pa = p->prereq[pi];
        if (has_u32(q->done, q->ndone, pa)) continue;
        int met = 0;
        for (uint32_t f = 0; f < q->nfixed && !met; f++) {
          const cp_sched_session *fs = &p->sessions[q->fixed[f]];
          if (fs->activity == pa && fs->end <= s->start) met = 1;
        }
        if (met) continue;
        int n = 0;
        w->list2[n] = col[k];
        w->coef[n++] = 1.0;
        for (int b = 0; b < nlive; b++) {
          const cp_sched_session *js = &p->sessions[q->options[w->list[b]].session];
          if (js->activity == pa && js->end <= s->start) {
            w->list2[n] = col[w->list[b]];
            w->coef[n++] = -1.0;
          }
        }
        /* n >= 2: person_dead killed options without a live prerequisite */
        if (rows_add(&m->r, n, w->list2, w->coef, 0.0)) return -1;
      }
    }
  }

  /* limits */
  if (q->max_places > 0) {
    int64_t left = (int64_t)q->max_places - (int64_t)q->nfixed; /* > 0: else every option is dead */
    if (nlive > left) {
      for (int a = 0; a < nlive; a++) w->list2[a] = col[w->list[a]];
      if (rows_add(&m->r, nlive, w->list2, NULL, (double)left)) return -1;
    }
  }
  if (q->max_days > 0) {
    double fixed_days = 0, live_days = 0;
    for (uint32_t f = 0; f < q->nfixed; f++) fixed_days += p->sessions[q->fixed[f]].days;
    int n = 0;
    for (int a = 0; a < nlive; a++) {
      double d = p->sessions[q->options[w->list[a]].session].days;
      if (d == 0) continue;
      w->list2[n] = col[w->list[a]];
      w->coef[n++] = d;
      live_days += d;
    }
    double left = q->max_days - fixed_days;
    if (live_days > left + DAYS_EPS && rows_add(&m->r, n, w->list2, w->coef, left)) return -1;
  }
  return 0;
}

static int build_model(model *m, const cp_sched_problem *p, cp_error *err) {
  memset(m, 0, sizeof *m);
  m->p = p;
  m->opt_start = malloc(((size_t)p->npeople + 1) * sizeof *m->opt_start);
  if (!m->opt_start) return cp_error_set(err, CP_ENOMEM, "out of memory");
  uint32_t maxopt = 0;
  double total_score = 0;
  m->opt_start[0] = 0;
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *q = &p->people[i];
    m->opt_start[i + 1] = m->opt_start[i] + q->noptions;
    if (q->noptions > maxopt) maxopt = q->noptions;
    for (uint32_t k = 0; k < q->noptions; k++) total_score += (double)q->options[k].score;
  }
  m->nopt = m->opt_start[p->npeople];
  if (m->nopt >= (size_t)INT_MAX)
    return cp_error_set(err, CP_ELIMIT, "exact schedule: %zu options, more than CBC takes", m->nopt);
  if (total_score > SCORE_MAX_TOTAL)
    return cp_error_set(err, CP_ELIMIT, "exact schedule: scores add up to more than a double holds exactly");

  size_t nopt1 = m->nopt ? m->nopt : 1;
  m->col = malloc(nopt1 * sizeof *m->col);
  m->col_person = malloc(nopt1 * sizeof *m->col_person);
  m->col_option = malloc(nopt1 * sizeof *m->col_option);
  m->obj = malloc(nopt1 * sizeof *m->obj);
  m->cur = calloc(nopt1, 1);
  size_t mo = maxopt ? maxopt : 1;
  scratch w = {malloc(mo), malloc(mo * sizeof(int)), malloc(mo * sizeof(int)), malloc(2 * mo * sizeof(event)),
               malloc(mo * sizeof(int)), malloc(mo * sizeof(double)), malloc(mo * sizeof(int64_t))};
  int rc = 0;
  if (!m->col || !m->col_person || !m->col_option || !m->obj || !m->cur || !w.dead || !w.list || !w.list2 || !w.ev ||
      !w.active || !w.coef || !w.best) {
    rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    goto done;
  }

  /* columns: live options, in person and option order */
  for (uint32_t i = 0; i < p->npeople; i++) {
    const cp_sched_person *q = &p->people[i];
    person_dead(p, q, w.dead);
    for (uint32_t k = 0; k < q->noptions; k++) {
      size_t g = m->opt_start[i] + k;
      if (w.dead[k]) {
        m->col[g] = -1;
        continue;
      }
      m->col[g] = m->ncols;
      m->col_person[m->ncols] = (int)i;
      m->col_option[m->ncols] = k;
      for (uint32_t j = 0; j < q->ncurrent; j++) m->cur[m->ncols] |= q->current[j] == q->options[k].session;
      m->obj[m->ncols] = -(double)q->options[k].score;
      m->ncols++;
    }
  }
  /* among plans of equal score, keep the current proposals: each score is
   * worth more than all the proposals together, if doubles stay exact */
  size_t ncur = 0;
  for (int c = 0; c < m->ncols; c++) ncur += m->cur[c];
  m->keep_scale = ncur && total_score * (double)(ncur + 1) + (double)ncur <= SCORE_MAX_TOTAL ? (double)(ncur + 1) : 1;
  for (int c = 0; m->keep_scale > 1 && c < m->ncols; c++)
    m->obj[c] = m->obj[c] * m->keep_scale - (m->cur[c] ? 1 : 0);

  /* capacity rows: group columns by session */
  {
    int *cnt = calloc((size_t)p->nsessions + 1, sizeof *cnt);
    int *bysess = malloc((size_t)(m->ncols ? m->ncols : 1) * sizeof *bysess);
    if (!cnt || !bysess) {
      free(cnt);
      free(bysess);
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      goto done;
    }
    for (int c = 0; c < m->ncols; c++) cnt[p->people[m->col_person[c]].options[m->col_option[c]].session + 1]++;
    for (uint32_t s = 0; s < p->nsessions; s++) cnt[s + 1] += cnt[s];
    for (int c = 0; c < m->ncols; c++) /* ascending columns within a session */
      bysess[cnt[p->people[m->col_person[c]].options[m->col_option[c]].session]++] = c;
    /* cnt[s] is now the end of session s (= start of s + 1) */
    int begin = 0;
    for (uint32_t s = 0; s < p->nsessions; s++) {
      int end = cnt[s], n = end - begin;
      int32_t cap = p->sessions[s].capacity;
      if (cap >= 0 && n > cap && rows_add(&m->r, n, bysess + begin, NULL, (double)cap)) {
        free(cnt);
        free(bysess);
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
      }
      begin = end;
    }
    free(cnt);
    free(bysess);
  }

  for (uint32_t i = 0; i < p->npeople; i++)
    if (person_rows(m, i, &w)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory (or more rows than CBC takes)");
      goto done;
    }
done:
  free(w.dead);
  free(w.list);
  free(w.list2);
  free(w.ev);
  free(w.active);
  free(w.coef);
  free(w.best);
  return rc;
}

/* Does the 0-1 vector x (per column) satisfy every row? Exact for the
 * integer rows; days rows within DAYS_EPS. */
static int model_feasible(const model *m, const unsigned char *x) {
  const rows *r = &m->r;
  for (int i = 0; i < r->nrows; i++) {
    double lhs = 0;
    int64_t ilhs = 0, integral = 1;
    for (int e = r->start[i]; e < r->start[i + 1]; e++) {
      if (!x[r->idx[e]]) continue;
      double c = r->coef[e];
      if (c == 1.0)
        ilhs++;
      else if (c == -1.0)
        ilhs--;
      else
        integral = 0;
      lhs += c;
    }
    if (integral) {
      if ((double)ilhs > r->ub[i]) return 0;
    } else if (lhs > r->ub[i] + DAYS_EPS) {
      return 0;
    }
  }
  return 1;
}

static int64_t plan_objective(const model *m, const unsigned char *x) {
  int64_t obj = 0;
  for (int c = 0; c < m->ncols; c++)
    if (x[c]) obj += m->p->people[m->col_person[c]].options[m->col_option[c]].score;
  return obj;
}

/* The start plan as a column vector: 0 when it is usable, -1 when it names a
 * session that is not a live option or breaks a row. */
static int start_vector(const model *m, const uint32_t *as, const uint32_t *a, unsigned char *x) {
  const cp_sched_problem *p = m->p;
  memset(x, 0, (size_t)(m->ncols ? m->ncols : 1));
  for (uint32_t i = 0; i < p->npeople; i++) {
    if (as[i] > as[i + 1]) return -1;
    const cp_sched_person *q = &p->people[i];
    for (uint32_t j = as[i]; j < as[i + 1]; j++) {
      int64_t k = find_option(q, a[j]);
      if (k < 0) return -1;
      int c = m->col[m->opt_start[i] + (size_t)k];
      if (c < 0 || x[c]) return -1;
      x[c] = 1;
    }
  }
  return model_feasible(m, x) ? 0 : -1;
}

static int write_plan(const model *m, const unsigned char *x, cp_sched_result *out, cp_error *err) {
  const cp_sched_problem *p = m->p;
  size_t n = 0;
  for (int c = 0; c < m->ncols; c++) n += x[c] != 0;
  out->assign_start = malloc(((size_t)p->npeople + 1) * sizeof *out->assign_start);
  out->assign = malloc((n ? n : 1) * sizeof *out->assign);
  if (!out->assign_start || !out->assign) {
    free(out->assign_start);
    free(out->assign);
    out->assign_start = out->assign = NULL;
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  /* columns are in person then option order, options ascending by session */
  size_t at = 0;
  int c = 0;
  for (uint32_t i = 0; i < p->npeople; i++) {
    out->assign_start[i] = (uint32_t)at;
    for (; c < m->ncols && m->col_person[c] == (int)i; c++)
      if (x[c]) out->assign[at++] = p->people[i].options[m->col_option[c]].session;
  }
  out->assign_start[p->npeople] = (uint32_t)at;
  return 0;
}

/* Run CBC; fills x (0-1 per column) and returns 1 when CBC gave a solution,
 * and *bound (upper bound on the best objective) or NAN when it gave none. */
static int run_cbc(const model *m, double seconds, const unsigned char *start, unsigned char *x, double *bound,
                   int *proven, unsigned *nodes, cp_error *err) {
  const rows *r = &m->r;
  int nc = m->ncols, nr = r->nrows;
  *bound = NAN;
  *proven = 0;
  *nodes = 0;
  /* column-major copy of the rows */
  CoinBigIndex *cstart = calloc((size_t)nc + 1, sizeof *cstart);
  int *ridx = malloc((size_t)(r->nnz ? r->nnz : 1) * sizeof *ridx);
  double *val = malloc((size_t)(r->nnz ? r->nnz : 1) * sizeof *val);
  double *lb = calloc((size_t)nc, sizeof *lb);
  double *ub = malloc((size_t)nc * sizeof *ub);
  int *startidx = NULL;
  double *startval = NULL;
  int got = 0;
  if (!cstart || !ridx || !val || !lb || !ub) {
    got = cp_error_set(err, CP_ENOMEM, "out of memory");
    goto done;
  }
  for (int e = 0; e < r->nnz; e++) cstart[r->idx[e] + 1]++;
  for (int c = 0; c < nc; c++) cstart[c + 1] += cstart[c];
  for (int i = 0; i < nr; i++)
    for (int e = r->start[i]; e < r->start[i + 1]; e++) {
      CoinBigIndex at = cstart[r->idx[e]]++;
      ridx[at] = i;
      val[at] = r->coef[e];
    }
  for (int c = nc; c > 0; c--) cstart[c] = cstart[c - 1];
  cstart[0] = 0;
  for (int c = 0; c < nc; c++) ub[c] = 1.0;

  Cbc_Model *cbc = Cbc_newModel();
  Cbc_loadProblem(cbc, nc, nr, cstart, ridx, val, lb, ub, m->obj, NULL, r->ub);
  for (int c = 0; c < nc; c++) Cbc_setInteger(cbc, c);
  Cbc_setObjSense(cbc, 1.0); /* minimise -score */
  Cbc_setLogLevel(cbc, 0);
  Cbc_setParameter(cbc, "log", "0");
  Cbc_setParameter(cbc, "slog", "0");
  Cbc_setParameter(cbc, "timeMode", "elapsed");
  char buf[64];
  snprintf(buf, sizeof buf, "%.3f", seconds);
  Cbc_setParameter(cbc, "sec", buf);
  Cbc_setMaximumSeconds(cbc, seconds);
  Cbc_setParameter(cbc, "preprocess", "off");
  if (start) {
    startidx = malloc((size_t)nc * sizeof *startidx);
    startval = malloc((size_t)nc * sizeof *startval);
    if (!startidx || !startval) {
      Cbc_deleteModel(cbc);
      got = cp_error_set(err, CP_ENOMEM, "out of memory");
      goto done;
    }
    for (int c = 0; c < nc; c++) {
      startidx[c] = c;
      startval[c] = start[c] ? 1.0 : 0.0;
    }
    Cbc_setMIPStartI(cbc, nc, startidx, startval);
  }
  Cbc_solve(cbc);
  *nodes = (unsigned)(Cbc_getNodeCount(cbc) > 0 ? Cbc_getNodeCount(cbc) : 0);
  double bp = Cbc_getBestPossibleObjValue(cbc); /* in the sense minimised: a lower bound on -objective */
  if (isfinite(bp) && fabs(bp) < 1e30 && !Cbc_isAbandoned(cbc)) *bound = -bp;
  *proven = Cbc_isProvenOptimal(cbc);
  const double *sol = Cbc_bestSolution(cbc);
  if (sol) {
    for (int c = 0; c < nc; c++) x[c] = sol[c] > 0.5;
    got = 1;
  }
  Cbc_deleteModel(cbc);
done:
  free(cstart);
  free(ridx);
  free(val);
  free(lb);
  free(ub);
  free(startidx);
  free(startval);
  return got;
}

int cp_sched_solve_exact(const cp_sched_problem *p, double time_limit, const uint32_t *start_assign_start,
                         const uint32_t *start_assign, cp_sched_result *out, cp_error *err) {
  double t0 = now_seconds();
  if (!p || !out) return cp_error_set(err, CP_EINVAL, "exact schedule: problem or result missing");
  out->assign_start = NULL;
  out->assign = NULL;
  int rc = validate(p, err);
  if (rc) return rc;
  if (!(time_limit > 0)) time_limit = 0;

  model m;
  rc = build_model(&m, p, err);
  if (rc) {
    model_free(&m);
    return rc;
  }
  size_t nc1 = (size_t)(m.ncols ? m.ncols : 1);
  unsigned char *xs = malloc(nc1), *xc = malloc(nc1);
  if (!xs || !xc) {
    rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    goto done;
  }
  int have_start = start_assign_start && start_assign && start_vector(&m, start_assign_start, start_assign, xs) == 0;
  if (!have_start) memset(xs, 0, nc1); /* the empty plan is always feasible */
  int64_t obj_start = plan_objective(&m, xs);

  double cbc_bound = NAN;
  int proven = 0, got = 0;
  unsigned nodes = 0;
  double left = time_limit - (now_seconds() - t0);
  left -= left * 0.1 < 1.0 ? left * 0.1 : 1.0;
  if (m.ncols > 0 && left > 0.01) {
    got = run_cbc(&m, left, have_start ? xs : NULL, xc, &cbc_bound, &proven, &nodes, err);
    if (got < 0) {
      rc = got;
      goto done;
    }
  }
  if (!isnan(cbc_bound)) cbc_bound /= m.keep_scale; /* back to score units; floored below */
  const unsigned char *x = xs;
  int64_t obj = obj_start;
  if (got == 1 && model_feasible(&m, xc)) {
    int64_t oc = plan_objective(&m, xc);
    size_t kept_c = 0, kept_s = 0;
    for (int c = 0; c < m.ncols; c++) kept_c += m.cur[c] && xc[c], kept_s += m.cur[c] && xs[c];
    if (oc > obj_start || (oc == obj_start && kept_c > kept_s)) {
      x = xc;
      obj = oc;
    }
  }
  rc = write_plan(&m, x, out, err);
  if (rc) goto done;

  int64_t bound = m.easy_bound;
  if (m.ncols == 0) bound = 0;
  if (!isnan(cbc_bound)) {
    double fb = floor(cbc_bound + 1e-6);
    if (fb < (double)bound && (proven || fb > (double)obj)) bound = (int64_t)fb;
  }
  if (bound < obj) bound = obj;
  out->objective = obj;
  out->bound = bound;
  out->gap = bound ? (double)(bound - obj) / (double)bound : 0;
  out->optimal = obj == bound;
  out->iterations = nodes;
  out->seconds = now_seconds() - t0;
done:
  free(xs);
  free(xc);
  model_free(&m);
  return rc;
}
