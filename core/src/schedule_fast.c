/* schedule_fast.c: the FAST method of session allocation. The capacity rows
 * are relaxed with prices lambda >= 0 (Lagrangian relaxation); at given
 * prices every person's best set of places is found exactly and on its own
 * (schedule_person.c), on both threads, and L(lambda) = sum of those values
 * + sum of capacity * lambda bounds the optimum from above. The prices
 * follow a projected subgradient with Polyak's step (halved when L stalls),
 * started from the prices that clear each session's demand at lambda = 0
 * (on large problems, the prices that clear each activity's demand as a
 * whole when L is lower there: with many sessions alike, the sessions' own
 * clearing prices are about 0).
 *
 * Plans: each iteration's choices are repaired (a session asked for by more
 * people than it has places keeps those who lose most without it at the
 * current prices; the others choose again among the places left). Then
 * relax and fix: from the best prices, the people whose choices conflict
 * with nobody keep them, and the rest go on with the places left (a few
 * subgradient iterations each round) until everyone is placed (not on huge
 * problems: there the dual takes most of the time, since its prices are what
 * make the repaired plans good, and relax and fix was not seen to help). The best
 * plan is then improved by local search: a person re-chooses among the
 * places left; a holder makes way in a full session for someone who gains
 * more, moving to free places or, down a chain of two, into another full
 * session whose holder moves out.
 *
 * Internal weights are score * M + 1 for a current proposal (M above the
 * number of current proposals), so that among plans of equal score the one
 * keeping more current proposals wins. Results of the threads are combined
 * in a fixed order: the plan does not depend on the number of threads (only,
 * when the time limit stops a stage, on the machine's speed). */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "schedule_fast.h"

#define DUAL_NODES 50000    /* search nodes per person at given prices */
#define PRIMAL_NODES 200000 /* search nodes per person choosing among places left */
#define CHUNK 64            /* people per unit of parallel work */
#define EJECT_TRIES 24      /* people tried per full session in the ejection pass */
#define CHAIN_MAX 2000000   /* options up to which the ejection pass tries chains of two */
#define PATIENCE 30         /* iterations without a better dual value before the step halves */
#define PATIENCE_FEW 10     /* ... on problems of more than PATIENCE_HUGE options (few iterations) */
#define PATIENCE_HUGE 4000000
#define THETA_MIN 1e-7
#define PLATEAU_ITER 200    /* the dual stops when its best value moved less than */
#define PLATEAU_REL 1e-4    /* this fraction in that many iterations (not by time: determinism) */
#define REPAIR_EVERY 4      /* iterations between repaired plans on large problems (after the first three) */
#define REPAIR_LARGE 250000 /* options that make a problem large */
#define DIVE_ITER 40        /* iterations per round of relax and fix */
#define DIVE_THETA 0.25
#define DIVE_FEW 10         /* fewer than 1 in DIVE_FEW active people free of conflict: fix repair's */
#define DUAL_SHARE 0.35     /* of the time: the full dual ends by then */
#define DUAL_SHARE_HUGE 0.7 /* ... on problems of more than PATIENCE_HUGE options, which then skip
                               relax and fix: there the dual's own repaired plans are the better start */
#define DIVE_SHARE 0.7      /* relax and fix ends by then; local search has the rest */

typedef struct plan {
  uint8_t *held; /* nopt */
  int32_t *rem;  /* ns: places left (SF_OPEN: never counted) */
  int64_t *pw;   /* np: internal value of each person's places */
  int64_t total;
} plan;

typedef struct req {
  double regret; /* what the person loses at the current prices without the session */
  int64_t w;
  uint32_t s, p;
} req;

typedef struct fast {
  const sf_ctx *c;
  double t0, deadline;
  sf_scratch scr[2];
  unsigned nthr;
  uint8_t *choice; /* nopt: the options each person chose at the current prices */
  int64_t *pval;   /* np: their internal value */
  double *pextra;  /* np: ub - value when a search was cut */
  double *pdual;   /* np: their value at the current prices */
  uint32_t *x;     /* ns: people choosing each session */
  double *clear;   /* ns: clearing prices, then the subgradient */
  uint32_t *active; /* the people still to place (with a feasible option) */
  uint32_t nactive;
  int64_t bound_int; /* least floor(L) of the full problem, internal units */
  unsigned iterations;
  unsigned repair_every;
  req *req;
  size_t reqcap;
  uint8_t *bumped, *pmark, *sfreed;
  double *prio;
  uint32_t *bq, *bp_old, *bq_old, *br_old; /* maxopt + 1 each */
  int64_t *vloss; /* ns: see vacate_costs */
  uint32_t *vwho;
  int chains;     /* ejection chains of two in the local search */
  /* the sessions by activity and price, for the dual's searches (price_order) */
  struct lam_key *lam_keys;
  uint32_t *lam_order, *lam_start;
} fast;

static int plan_init(plan *pl, const sf_ctx *c) {
  pl->held = calloc((size_t)c->nopt + 1, 1);
  pl->rem = malloc(((size_t)c->ns + 1) * sizeof *pl->rem);
  pl->pw = malloc(((size_t)c->np + 1) * sizeof *pl->pw);
  pl->total = 0;
  return pl->held && pl->rem && pl->pw ? 0 : CP_ENOMEM;
}

static void plan_free(plan *pl) {
  free(pl->held);
  free(pl->rem);
  free(pl->pw);
}

static void plan_empty(plan *pl, const sf_ctx *c) {
  memset(pl->held, 0, c->nopt);
  memcpy(pl->rem, c->cap, c->ns * sizeof *pl->rem);
  memset(pl->pw, 0, c->np * sizeof *pl->pw);
  pl->total = 0;
}

static void plan_copy(plan *d, const plan *s, const sf_ctx *c) {
  memcpy(d->held, s->held, c->nopt);
  memcpy(d->rem, s->rem, c->ns * sizeof *d->rem);
  memcpy(d->pw, s->pw, c->np * sizeof *d->pw);
  d->total = s->total;
}

/* Give person p exactly the options list[0 .. n) (places are known to be free). */
static void plan_set(fast *f, plan *pl, uint32_t p, const uint32_t *list, uint32_t n) {
  const sf_ctx *c = f->c;
  for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++) {
    if (!pl->held[g]) continue;
    uint32_t s = c->osess[g];
    pl->held[g] = 0;
    if (c->cap[s] != SF_OPEN && pl->rem[s]++ == 0) f->sfreed[s] = 1;
  }
  int64_t v = 0;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t g = list[k], s = c->osess[g];
    pl->held[g] = 1;
    if (c->cap[s] != SF_OPEN) pl->rem[s]--;
    v += c->w[g];
  }
  pl->total += v - pl->pw[p];
  pl->pw[p] = v;
}

static uint32_t plan_list(const sf_ctx *c, const plan *pl, uint32_t p, uint32_t *buf) {
  uint32_t n = 0;
  for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
    if (pl->held[g]) buf[n++] = g;
  return n;
}

static int64_t out_value(const sf_ctx *c, const sf_scratch *s) {
  int64_t v = 0;
  for (uint32_t k = 0; k < s->nout; k++) v += c->w[s->out[k]];
  return v;
}

/* ---- the dual: every person's subproblem at prices lambda, in parallel ---- */

typedef void (*par_fn)(fast *f, sf_scratch *s, uint32_t i, const void *arg);

typedef struct par_job {
  fast *f;
  par_fn fn;
  const void *arg;
  uint32_t n;
  atomic_uint next;
} par_job;

typedef struct par_arg {
  par_job *job;
  unsigned t;
} par_arg;

static void *par_worker(void *arg) {
  par_arg *a = arg;
  par_job *j = a->job;
  for (;;) {
    uint64_t lo = (uint64_t)atomic_fetch_add(&j->next, 1u) * CHUNK;
    if (lo >= j->n) break;
    uint32_t hi = lo + CHUNK < j->n ? (uint32_t)lo + CHUNK : j->n;
    for (uint32_t i = (uint32_t)lo; i < hi; i++) j->fn(j->f, &j->f->scr[a->t], i, j->arg);
  }
  return NULL;
}

/* fn(0 .. n - 1), on both threads; each call writes only its own results */
static void par_run(fast *f, uint32_t n, par_fn fn, const void *arg) {
  par_job job = {f, fn, arg, n, 0};
  atomic_init(&job.next, 0u);
  par_arg args[2] = {{&job, 0}, {&job, 1}};
  pthread_t th;
  int started = f->nthr > 1 && n > CHUNK && pthread_create(&th, NULL, par_worker, &args[1]) == 0;
  par_worker(&args[0]);
  if (started) pthread_join(th, NULL);
}

typedef struct dual_arg {
  const double *lambda;
  const int32_t *rem; /* residual places: a session with none is closed */
  const uint32_t *lam_order, *lam_start; /* from price_order */
} dual_arg;

typedef struct lam_key {
  uint32_t act, s;
  double lam;
} lam_key;

static int cmp_lam_key(const void *a, const void *b) { /* activity, price ascending, session */
  const lam_key *x = a, *y = b;
  if (x->act != y->act) return x->act < y->act ? -1 : 1;
  if (x->lam != y->lam) return x->lam < y->lam ? -1 : 1;
  return (x->s > y->s) - (x->s < y->s);
}

/* The sessions by activity, then price, then index: once per pass over
 * everyone, so that no person's search sorts its candidates. */
static void price_order(fast *f, const double *lambda, dual_arg *d) {
  const sf_ctx *c = f->c;
  for (uint32_t s = 0; s < c->ns; s++) f->lam_keys[s] = (lam_key){c->p->sessions[s].activity, s, lambda[s]};
  qsort(f->lam_keys, c->ns, sizeof *f->lam_keys, cmp_lam_key);
  memset(f->lam_start, 0, ((size_t)c->na + 1) * sizeof *f->lam_start);
  for (uint32_t k = 0; k < c->ns; k++) {
    f->lam_order[k] = f->lam_keys[k].s;
    f->lam_start[f->lam_keys[k].act + 1]++;
  }
  for (uint32_t a = 0; a < c->na; a++) f->lam_start[a + 1] += f->lam_start[a];
  d->lam_order = f->lam_order;
  d->lam_start = f->lam_start;
}

static void dual_one(fast *f, sf_scratch *s, uint32_t i, const void *arg) {
  const sf_ctx *c = f->c;
  const dual_arg *d = arg;
  uint32_t p = f->active[i];
  sf_query q = {d->lambda, d->rem, NULL, SF_NONE, SF_NONE, DUAL_NODES, d->lam_order, d->lam_start};
  sf_person_search(c, s, p, &q);
  memset(f->choice + c->ooff[p], 0, c->ooff[p + 1] - c->ooff[p]);
  for (uint32_t k = 0; k < s->nout; k++) f->choice[s->out[k]] = 1;
  f->pval[p] = out_value(c, s);
  f->pdual[p] = s->value;
  f->pextra[p] = s->cut ? s->ub - s->value : 0;
}

static void regret_one(fast *f, sf_scratch *s, uint32_t k, const void *arg) {
  const dual_arg *d = arg;
  req *r = &f->req[k];
  sf_query q = {d->lambda, d->rem, NULL, r->s, SF_NONE, DUAL_NODES, d->lam_order, d->lam_start};
  sf_person_search(f->c, s, r->p, &q);
  r->regret = f->pdual[r->p] - s->value;
}

/* L(lambda) of the active people with places cap (SF_OPEN: no row), and in
 * *eps a bound on its rounding error; fills choice and x. */
static double dual_all(fast *f, const double *lambda, const int32_t *cap, double *eps) {
  const sf_ctx *c = f->c;
  dual_arg d = {lambda, cap, NULL, NULL};
  price_order(f, lambda, &d);
  par_run(f, f->nactive, dual_one, &d);
  int64_t wc = 0;
  double extra = 0;
  memset(f->x, 0, c->ns * sizeof *f->x);
  for (uint32_t i = 0; i < f->nactive; i++) {
    uint32_t p = f->active[i];
    wc += f->pval[p];
    extra += f->pextra[p];
    for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
      if (f->choice[g]) f->x[c->osess[g]]++;
  }
  double l = (double)wc + extra, mag = fabs((double)wc) + extra;
  for (uint32_t s = 0; s < c->ns; s++)
    if (cap[s] != SF_OPEN) {
      l += lambda[s] * ((double)cap[s] - (double)f->x[s]);
      mag += lambda[s] * (double)cap[s];
    }
  *eps = 1e-9 * mag + 1e-6;
  return l;
}

/* ---- repair: the current choices made feasible ---- */

static int cmp_req(const void *a, const void *b) { /* session, regret, weight descending, person */
  const req *x = a, *y = b;
  if (x->s != y->s) return x->s < y->s ? -1 : 1;
  if (x->regret != y->regret) return x->regret < y->regret ? 1 : -1;
  if (x->w != y->w) return x->w < y->w ? 1 : -1;
  return (x->p > y->p) - (x->p < y->p);
}

static int over(const int32_t *cap, const uint32_t *x, uint32_t s) {
  return cap[s] != SF_OPEN && x[s] > (uint32_t)(cap[s] > 0 ? cap[s] : 0);
}

/* pl = base plus the active people's choices made feasible: a session asked
 * for by more people than it has places left keeps those who lose most at
 * the current prices without it (then the higher weights, the lower person
 * numbers); the others choose again among the places left, the one who
 * lost most first. clear (may be NULL): per over-asked session, what the
 * first person turned away loses (a price that clears its demand). */
static int repair(fast *f, plan *pl, const plan *base, const double *lambda, double *clear) {
  const sf_ctx *c = f->c;
  const int32_t *cap = base->rem;
  size_t n = 0;
  for (uint32_t i = 0; i < f->nactive; i++) {
    uint32_t p = f->active[i];
    for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
      if (f->choice[g] && over(cap, f->x, c->osess[g])) n++;
  }
  if (n > f->reqcap) {
    req *r = realloc(f->req, n * sizeof *r);
    if (!r) return CP_ENOMEM;
    f->req = r;
    f->reqcap = n;
  }
  n = 0;
  for (uint32_t i = 0; i < f->nactive; i++) {
    uint32_t p = f->active[i];
    for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
      if (f->choice[g] && over(cap, f->x, c->osess[g])) f->req[n++] = (req){0, c->w[g], c->osess[g], p};
  }
  dual_arg d = {lambda, cap, NULL, NULL};
  price_order(f, lambda, &d);
  if (n <= UINT32_MAX) par_run(f, (uint32_t)n, regret_one, &d);
  if (n > 1) qsort(f->req, n, sizeof *f->req, cmp_req);
  for (uint32_t i = 0; i < f->nactive; i++) f->bumped[f->active[i]] = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && f->req[j].s == f->req[i].s) j++;
    size_t keep = (size_t)(cap[f->req[i].s] > 0 ? cap[f->req[i].s] : 0);
    if (clear) clear[f->req[i].s] = f->req[i + keep].regret;
    for (size_t k = i + keep; k < j; k++) {
      uint32_t p = f->req[k].p;
      if (!f->bumped[p] || f->prio[p] < f->req[k].regret) f->prio[p] = f->req[k].regret;
      f->bumped[p] = 1;
    }
    i = j;
  }
  plan_copy(pl, base, c);
  size_t nb = 0;
  for (uint32_t i = 0; i < f->nactive; i++) {
    uint32_t p = f->active[i];
    if (f->bumped[p]) {
      f->req[nb++] = (req){f->prio[p], 0, 0, p};
      continue;
    }
    int64_t v = 0;
    for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
      if (f->choice[g]) {
        uint32_t s = c->osess[g];
        pl->held[g] = 1;
        if (c->cap[s] != SF_OPEN) pl->rem[s]--;
        v += c->w[g];
      }
    pl->total += v - pl->pw[p];
    pl->pw[p] = v;
  }
  if (nb > 1) qsort(f->req, nb, sizeof *f->req, cmp_req);
  sf_scratch *s = &f->scr[0];
  sf_query q = {NULL, pl->rem, pl->held, SF_NONE, SF_NONE, PRIMAL_NODES};
  for (size_t k = 0; k < nb; k++) {
    uint32_t p = f->req[k].p;
    sf_person_search(c, s, p, &q);
    plan_set(f, pl, p, s->out, s->nout);
  }
  return 0;
}

/* ---- subgradient phases ---- */

typedef struct phase {
  const plan *base;  /* places already fixed; its rem are the capacities */
  unsigned max_iter;
  double end;        /* monotonic time to stop at */
  double theta;      /* first step factor */
  int full;          /* every person active, nothing fixed: L bounds the optimum */
  int warm;          /* start from the prices that clear demand at lambda */
} phase;

/* Prices that clear each activity's demand as a whole: for an activity
 * with capacitated sessions of C places in all, every person with a
 * capacitated option of it is worth (their best capacitated weight less
 * their best open one, at least 0); the (C + 1)-th highest worth prices all
 * its capacitated sessions. Overlaps and prerequisites are ignored: a start
 * for the subgradient, which matters when an activity has many sessions
 * alike (the sessions' own clearing prices are then about 0). */
static int cmp_dbl_desc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

static int activity_prices(fast *f, const int32_t *cap, double *lam) {
  const sf_ctx *c = f->c;
  const cp_sched_session *ss = c->p->sessions;
  size_t na1 = (size_t)c->na + 1;
  uint64_t *acap = calloc(na1, sizeof *acap);
  size_t *cnt = calloc(na1 + 1, sizeof *cnt);
  if (!acap || !cnt) {
    free(acap);
    free(cnt);
    return CP_ENOMEM;
  }
  for (uint32_t t = 0; t < c->ns; t++)
    if (cap[t] != SF_OPEN && cap[t] > 0) acap[ss[t].activity] += (uint64_t)cap[t];
  /* two passes over each person's groups: count, then fill */
  double *val = NULL;
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      for (uint32_t a = 0; a < c->na; a++) cnt[a + 1] += cnt[a];
      val = malloc((cnt[c->na] + 1) * sizeof *val);
      if (!val) {
        free(acap);
        free(cnt);
        return CP_ENOMEM;
      }
    }
    for (uint32_t i = 0; i < f->nactive; i++) {
      uint32_t p = f->active[i];
      for (uint32_t k = c->soff[p]; k < c->soff[p + 1];) {
        uint32_t a = ss[c->osess[c->sord[k]]].activity;
        int64_t bc = -1, bo = 0;
        for (; k < c->soff[p + 1] && ss[c->osess[c->sord[k]]].activity == a; k++) {
          uint32_t g = c->sord[k], t = c->osess[g];
          if (cap[t] == SF_OPEN) {
            if (c->w[g] > bo) bo = c->w[g];
          } else if (cap[t] > 0 && c->w[g] > bc) {
            bc = c->w[g];
          }
        }
        if (bc < 0) continue;
        if (pass == 0) cnt[a + 1]++;
        else val[cnt[a]++] = bc > bo ? (double)(bc - bo) : 0;
      }
    }
  }
  /* cnt[a] now ends activity a's values; they start at cnt[a - 1] (0 for a = 0) */
  double *pa = (double *)acap; /* the activity's price, in place of its places */
  for (uint32_t a = 0; a < c->na; a++) {
    size_t lo = a ? cnt[a - 1] : 0, n = cnt[a] - lo;
    uint64_t places = acap[a];
    pa[a] = 0;
    if (n <= places) continue;
    qsort(val + lo, n, sizeof *val, cmp_dbl_desc);
    pa[a] = val[lo + places];
  }
  for (uint32_t t = 0; t < c->ns; t++)
    if (cap[t] != SF_OPEN && lam[t] < pa[ss[t].activity]) lam[t] = pa[ss[t].activity];
  free(val);
  free(acap);
  free(cnt);
  return 0;
}

/* Subgradient iterations from lam (updated); lam_best gets the prices of
 * the least L; every iteration's plan (base + repaired choices) goes to cur
 * and, when better, to best. 1 when the full problem is solved (bound met). */
static int dual_phase(fast *f, const phase *ph, double *lam, double *lam_best, plan *cur, plan *best, int *rc) {
  const sf_ctx *c = f->c;
  const int32_t *cap = ph->base->rem;
  double lbest = HUGE_VAL, theta = ph->theta;
  int64_t target = ph->full ? best->total : 0; /* best value of the people active, for Polyak's step */
  /* huge problems get few iterations: the step halves sooner (by size, not
   * by time, so that the plan does not depend on the number of threads) */
  unsigned stall = 0, patience = c->nopt > PATIENCE_HUGE ? PATIENCE_FEW : PATIENCE;
  memcpy(lam_best, lam, c->ns * sizeof *lam);
  double window_l = HUGE_VAL;
  unsigned window_it = 0;
  for (unsigned it = 0; it < ph->max_iter; it++) {
    f->iterations++;
    double eps, l = dual_all(f, lam, cap, &eps);
    if (l < lbest) {
      stall = l < lbest - 1e-9 * fabs(lbest) - 1e-9 ? 0 : stall + 1;
      lbest = l;
      memcpy(lam_best, lam, c->ns * sizeof *lam);
    } else {
      stall++;
    }
    if (it - window_it >= PLATEAU_ITER) { /* a plateau: more iterations would not pay */
      if (window_l - lbest <= PLATEAU_REL * fabs(lbest)) return 0;
      window_l = lbest;
      window_it = it;
    }
    if (ph->full) {
      double fb = floor(l + eps);
      if (fb < 0) fb = 0;
      if (fb < 9.2e18 && (int64_t)fb < f->bound_int) f->bound_int = (int64_t)fb;
    }
    int warm = it == 0 && ph->warm;
    if (!ph->full || it < 3 || it % f->repair_every == 0 || it + 1 == ph->max_iter) {
      if ((*rc = repair(f, cur, ph->base, lam, warm ? f->clear : NULL))) return 0;
      if (cur->total - ph->base->total > target) target = cur->total - ph->base->total;
      if (cur->total > best->total) plan_copy(best, cur, c);
    }
    if (ph->full && (f->bound_int <= best->total || f->bound_int / c->M <= best->total / c->M)) return 1;
    if (floor(l + eps) <= (double)target || sf_now() > ph->end) return 0;
    if (warm) { /* start from the prices that clear each session's demand */
      for (uint32_t s = 0; s < c->ns; s++)
        if (over(cap, f->x, s)) lam[s] = f->clear[s];
      /* or, when L is lower there, the prices clearing each activity's demand */
      double *alt = malloc(((size_t)c->ns + 1) * sizeof *alt);
      if (!alt) {
        *rc = CP_ENOMEM;
        return 0;
      }
      memcpy(alt, lam, c->ns * sizeof *alt);
      if ((*rc = activity_prices(f, cap, alt))) {
        free(alt);
        return 0;
      }
      if (c->nopt > REPAIR_LARGE && memcmp(alt, lam, c->ns * sizeof *alt)) {
        double e1, e2, l1 = dual_all(f, lam, cap, &e1), l2 = dual_all(f, alt, cap, &e2);
        f->iterations += 2;
        if (ph->full) {
          double fb = floor((l1 < l2 ? l1 : l2) + (l1 < l2 ? e1 : e2));
          if (fb < 0) fb = 0;
          if (fb < 9.2e18 && (int64_t)fb < f->bound_int) f->bound_int = (int64_t)fb;
        }
        /* only on large problems, where few iterations can follow: from the
         * activities' prices the subgradient ends higher on small ones */
        if (l2 < l1) memcpy(lam, alt, c->ns * sizeof *lam);
      }
      free(alt);
      stall = 0;
      continue;
    }
    if (stall >= patience) {
      theta *= 0.5;
      stall = 0;
      if (theta < THETA_MIN) return 0;
    }
    double norm2 = 0;
    for (uint32_t s = 0; s < c->ns; s++) {
      f->clear[s] = 0;
      if (cap[s] == SF_OPEN) continue;
      double gs = (double)cap[s] - (double)f->x[s];
      if (lam[s] <= 0 && gs > 0) gs = 0;
      f->clear[s] = gs;
      norm2 += gs * gs;
    }
    if (norm2 == 0) return ph->full; /* the choices are feasible and complementary */
    double step = theta * (l - (double)target) / norm2;
    if (step <= 0) step = theta * (1e-3 * fabs(l) + 1) / norm2;
    for (uint32_t s = 0; s < c->ns; s++) {
      if (cap[s] == SF_OPEN) continue;
      double v = lam[s] - step * f->clear[s];
      lam[s] = v > 0 ? v : 0;
    }
  }
  return 0;
}

/* Relax and fix: the people whose choices at the best prices ask no session
 * for more places than it has left keep them; the others go on with the
 * places left, until nobody is left (or nobody can be fixed: repair). */
static int dive(fast *f, double *lam, double *lam_r, plan *fixedp, plan *cur, plan *best,
                double end) {
  const sf_ctx *c = f->c;
  int rc = 0;
  plan_empty(fixedp, c);
  while (f->nactive) {
    phase ph = {fixedp, DIVE_ITER, end, DIVE_THETA, 0, 0};
    dual_phase(f, &ph, lam, lam_r, cur, best, &rc);
    if (rc) return rc;
    memcpy(lam, lam_r, c->ns * sizeof *lam);
    double eps;
    dual_all(f, lam, fixedp->rem, &eps);
    uint32_t keep = 0, nfix = 0, nok = 0;
    for (uint32_t i = 0; i < f->nactive; i++) {
      uint32_t p = f->active[i];
      int ok = 1;
      for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1] && ok; g++)
        if (f->choice[g] && over(fixedp->rem, f->x, c->osess[g])) ok = 0;
      f->bumped[p] = (uint8_t)!ok;
      nok += (uint32_t)ok;
    }
    if (nok < f->nactive / DIVE_FEW) { /* few: also those an over-asked session keeps (repair's choice) */
      if ((rc = repair(f, cur, fixedp, lam, NULL))) return rc;
      if (cur->total > best->total) plan_copy(best, cur, c);
    }
    for (uint32_t i = 0; i < f->nactive; i++) {
      uint32_t p = f->active[i];
      if (f->bumped[p]) {
        f->active[keep++] = p;
        continue;
      }
      uint32_t n = 0;
      for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
        if (f->choice[g]) f->bq[n++] = g;
      plan_set(f, fixedp, p, f->bq, n);
      nfix++;
    }
    if (!nfix || sf_now() > end) {
      if ((rc = repair(f, cur, fixedp, lam, NULL))) return rc;
      if (cur->total > best->total) plan_copy(best, cur, c);
      break;
    }
    f->nactive = keep;
  }
  if (!f->nactive && fixedp->total > best->total) plan_copy(best, fixedp, c);
  return 0;
}

/* ---- local search ---- */

/* Person p re-chooses among the places left; 1 when that is better. */
static int improve(fast *f, plan *pl, uint32_t p) {
  sf_scratch *s = &f->scr[0];
  sf_query q = {NULL, pl->rem, pl->held, SF_NONE, SF_NONE, PRIMAL_NODES};
  sf_person_search(f->c, s, p, &q);
  if (out_value(f->c, s) <= pl->pw[p]) return 0;
  plan_set(f, pl, p, s->out, s->nout);
  return 1;
}

/* Everyone (all) or the people with an option in a session that had a place
 * freed since the last pass re-choose. Returns the improvements made. */
static long pass_fill(fast *f, plan *pl, int all) {
  const sf_ctx *c = f->c;
  if (!all) {
    memset(f->pmark, 0, c->np);
    for (uint32_t s = 0; s < c->ns; s++)
      if (f->sfreed[s])
        for (uint32_t k = c->xoff[s]; k < c->xoff[s + 1]; k++) f->pmark[sf_owner(c, c->xopt[k])] = 1;
  }
  memset(f->sfreed, 0, c->ns);
  long n = 0;
  for (uint32_t p = 0; p < c->np; p++) {
    if ((p & 255) == 0 && sf_now() > f->deadline) break;
    if (all || f->pmark[p]) n += improve(f, pl, p);
  }
  return n;
}

/* For each full session t, what its holder who loses least by leaving it
 * (for places free now) loses: vloss[t] (INT64_MAX: none can), vwho[t]. */
static void vacate_costs(fast *f, plan *pl) {
  const sf_ctx *c = f->c;
  sf_scratch *s = &f->scr[0];
  for (uint32_t t = 0; t < c->ns; t++) {
    f->vloss[t] = INT64_MAX;
    f->vwho[t] = SF_NONE;
    if (c->cap[t] == SF_OPEN || pl->rem[t] > 0) continue;
    sf_query q = {NULL, pl->rem, pl->held, t, SF_NONE, PRIMAL_NODES};
    for (uint32_t k = c->xoff[t]; k < c->xoff[t + 1]; k++) {
      uint32_t g = c->xopt[k];
      if (!pl->held[g]) continue;
      sf_person_search(c, s, sf_owner(c, g), &q);
      int64_t loss = pl->pw[sf_owner(c, g)] - out_value(c, s);
      if (loss < f->vloss[t]) {
        f->vloss[t] = loss;
        f->vwho[t] = sf_owner(c, g);
      }
    }
  }
}

/* The holder's way out of session sess with the least loss: to places free
 * now (depth 1), or, with chains, into a full session t whose cheapest
 * holder moves out to free places (depth 2). */
typedef struct way_out {
  int64_t loss;
  uint32_t who, t; /* t: SF_NONE at depth 1 */
  uint32_t n;      /* depth 1: the holder's new places, in f->bq */
} way_out;

static way_out best_way_out(fast *f, plan *pl, uint32_t sess) {
  const sf_ctx *c = f->c;
  sf_scratch *s = &f->scr[0];
  way_out w = {INT64_MAX, SF_NONE, SF_NONE, 0};
  sf_query q = {NULL, pl->rem, pl->held, sess, SF_NONE, PRIMAL_NODES};
  for (uint32_t k = c->xoff[sess]; k < c->xoff[sess + 1]; k++) {
    uint32_t g = c->xopt[k];
    if (!pl->held[g]) continue;
    uint32_t who = sf_owner(c, g);
    q.force = SF_NONE;
    sf_person_search(c, s, who, &q);
    int64_t loss = pl->pw[who] - out_value(c, s);
    if (loss < w.loss) {
      w = (way_out){loss, who, SF_NONE, s->nout};
      memcpy(f->bq, s->out, s->nout * sizeof *f->bq);
    }
    if (!f->chains) continue;
    for (uint32_t h = c->ooff[who]; h < c->ooff[who + 1]; h++) {
      uint32_t t = c->osess[h];
      if (t == sess || !(c->oflag[h] & SF_OK) || pl->held[h] || c->cap[t] == SF_OPEN || pl->rem[t] > 0 ||
          f->vwho[t] == SF_NONE || f->vwho[t] == who || f->vloss[t] >= w.loss)
        continue;
      q.force = t;
      sf_person_search(c, s, who, &q);
      int takes = 0;
      for (uint32_t j = 0; j < s->nout; j++) takes |= c->osess[s->out[j]] == t;
      int64_t loss2 = pl->pw[who] - out_value(c, s) + f->vloss[t];
      if (takes && loss2 < w.loss) w = (way_out){loss2, who, t, 0};
    }
  }
  return w;
}

/* For each full session: a holder makes way (on its own or down a chain of
 * two) for someone who gains more by taking the place; kept only when the
 * plan is better once everyone involved has re-chosen. */
static long pass_eject(fast *f, plan *pl) {
  const sf_ctx *c = f->c;
  sf_scratch *s = &f->scr[0];
  long n = 0;
  if (f->chains) vacate_costs(f, pl);
  for (uint32_t sess = 0; sess < c->ns; sess++) {
    if (c->cap[sess] == SF_OPEN || pl->rem[sess] > 0) continue;
    if ((sess & 15) == 0 && sf_now() > f->deadline) break;
    way_out w = best_way_out(f, pl, sess);
    if (w.who == SF_NONE) continue;
    sf_query q = {NULL, pl->rem, pl->held, SF_NONE, sess, PRIMAL_NODES};
    unsigned tries = 0;
    for (uint32_t k = c->xoff[sess]; k < c->xoff[sess + 1] && tries < EJECT_TRIES; k++) {
      uint32_t g = c->xopt[k], who = sf_owner(c, g);
      if (pl->held[g] || who == w.who) continue;
      if (!c->deps[who] && c->w[g] <= w.loss) continue; /* cannot gain more than the place is worth */
      tries++;
      sf_person_search(c, s, who, &q);
      int64_t gain = out_value(c, s) - pl->pw[who];
      if (gain <= 0) continue;
      int takes = 0;
      for (uint32_t j = 0; j < s->nout; j++) takes |= c->osess[s->out[j]] == sess;
      if (!takes) { /* better without this session: places were free elsewhere (and the
                     * holder's move computed above may no longer fit) */
        plan_set(f, pl, who, s->out, s->nout);
        n++;
        break;
      }
      if (gain <= w.loss) continue;
      uint32_t r = w.t == SF_NONE ? SF_NONE : f->vwho[w.t];
      if (r != SF_NONE && r == who) continue;
      int64_t before = pl->total;
      uint32_t np_old = plan_list(c, pl, who, f->bp_old), nq_old = plan_list(c, pl, w.who, f->bq_old);
      uint32_t nr_old = r != SF_NONE ? plan_list(c, pl, r, f->br_old) : 0;
      if (r == SF_NONE) {
        plan_set(f, pl, w.who, f->bq, w.n);
      } else { /* r leaves t, the holder leaves sess for t */
        sf_query qr = {NULL, pl->rem, pl->held, w.t, SF_NONE, PRIMAL_NODES};
        sf_person_search(c, s, r, &qr);
        plan_set(f, pl, r, s->out, s->nout);
        qr.ban = sess;
        sf_person_search(c, s, w.who, &qr);
        plan_set(f, pl, w.who, s->out, s->nout);
      }
      improve(f, pl, who);
      improve(f, pl, w.who); /* a swap: the holder may take what the newcomer left */
      if (r != SF_NONE) improve(f, pl, r);
      if (pl->total > before) {
        n++;
        break;
      }
      plan_set(f, pl, who, f->bp_old, np_old);
      plan_set(f, pl, w.who, f->bq_old, nq_old);
      if (r != SF_NONE) plan_set(f, pl, r, f->br_old, nr_old);
    }
  }
  return n;
}

static void local_search(fast *f, plan *pl) {
  long n = pass_fill(f, pl, 1);
  for (int round = 0; round < 50 && sf_now() < f->deadline; round++) {
    n = pass_eject(f, pl);
    n += pass_fill(f, pl, 0);
    if (!n) break;
  }
}

/* ---- the run ---- */

static void fast_free(fast *f) {
  sf_scratch_free(&f->scr[0]);
  sf_scratch_free(&f->scr[1]);
  free(f->choice);
  free(f->pval);
  free(f->pextra);
  free(f->pdual);
  free(f->x);
  free(f->clear);
  free(f->active);
  free(f->req);
  free(f->bumped);
  free(f->pmark);
  free(f->sfreed);
  free(f->prio);
  free(f->bq);
  free(f->bp_old);
  free(f->bq_old);
  free(f->br_old);
  free(f->vloss);
  free(f->vwho);
  free(f->lam_keys);
  free(f->lam_order);
  free(f->lam_start);
}

/* The start plan as held options (sessions that are not options are ignored). */
static void plan_from_assign(fast *f, plan *pl, const uint32_t *as, const uint32_t *a) {
  const sf_ctx *c = f->c;
  plan_empty(pl, c);
  for (uint32_t p = 0; p < c->np; p++) {
    const cp_sched_person *per = &c->p->people[p];
    int64_t v = 0;
    for (uint32_t i = as[p]; i < as[p + 1]; i++) {
      uint32_t lo = 0, hi = per->noptions;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (per->options[mid].session < a[i]) lo = mid + 1;
        else hi = mid;
      }
      if (lo == per->noptions || per->options[lo].session != a[i]) continue;
      uint32_t g = c->ooff[p] + lo;
      pl->held[g] = 1;
      if (c->cap[a[i]] != SF_OPEN) pl->rem[a[i]]--;
      v += c->w[g];
    }
    pl->pw[p] = v;
    pl->total += v;
  }
}

int sf_solve(const sf_ctx *c, const sf_run *run, cp_sched_result *out, double *lambda_out, cp_error *err) {
  fast f;
  memset(&f, 0, sizeof f);
  f.c = c;
  f.t0 = sf_now();
  f.deadline = f.t0 + run->seconds;
  f.nthr = c->threads;
  f.bound_int = INT64_MAX;
  f.repair_every = c->nopt > REPAIR_LARGE ? REPAIR_EVERY : 1;
  f.chains = c->nopt <= CHAIN_MAX;
  plan cur = {0}, best = {0}, fixedp = {0};
  size_t ns1 = (size_t)c->ns + 1, np1 = (size_t)c->np + 1, mo = (size_t)c->maxopt + 1;
  double *lam = calloc(ns1, sizeof *lam), *lam_best = calloc(ns1, sizeof *lam_best);
  double *lam_r = calloc(ns1, sizeof *lam_r);
  int rc = CP_ENOMEM;
  if (sf_scratch_init(&f.scr[0], c) || (f.nthr > 1 && sf_scratch_init(&f.scr[1], c))) goto done;
  f.choice = calloc((size_t)c->nopt + 1, 1);
  f.pval = calloc(np1, sizeof *f.pval);
  f.pextra = calloc(np1, sizeof *f.pextra);
  f.pdual = calloc(np1, sizeof *f.pdual);
  f.x = calloc(ns1, sizeof *f.x);
  f.clear = calloc(ns1, sizeof *f.clear);
  f.active = malloc(np1 * sizeof *f.active);
  f.bumped = calloc(np1, 1);
  f.pmark = calloc(np1, 1);
  f.sfreed = calloc(ns1, 1);
  f.prio = calloc(np1, sizeof *f.prio);
  f.bq = malloc(mo * sizeof *f.bq);
  f.bp_old = malloc(mo * sizeof *f.bp_old);
  f.bq_old = malloc(mo * sizeof *f.bq_old);
  f.br_old = malloc(mo * sizeof *f.br_old);
  f.vloss = malloc(ns1 * sizeof *f.vloss);
  f.vwho = malloc(ns1 * sizeof *f.vwho);
  f.lam_keys = malloc(ns1 * sizeof *f.lam_keys);
  f.lam_order = malloc(ns1 * sizeof *f.lam_order);
  f.lam_start = malloc(((size_t)c->na + 1) * sizeof *f.lam_start);
  if (!lam || !lam_best || !lam_r || !f.choice || !f.pval || !f.pextra || !f.pdual || !f.x || !f.clear ||
      !f.active || !f.bumped || !f.pmark || !f.sfreed || !f.prio || !f.bq || !f.bp_old || !f.bq_old || !f.br_old || !f.vloss || !f.vwho ||
      !f.lam_keys || !f.lam_order || !f.lam_start ||
      plan_init(&cur, c) || plan_init(&best, c) || plan_init(&fixedp, c))
    goto done;
  rc = 0;
  if (run->start_assign_start && run->start_assign)
    plan_from_assign(&f, &best, run->start_assign_start, run->start_assign);
  else
    plan_empty(&best, c);
  if (run->start_lambda)
    for (uint32_t s = 0; s < c->ns; s++) lam[s] = c->cap[s] == SF_OPEN ? 0 : run->start_lambda[s];
  plan_empty(&fixedp, c);
  for (uint32_t p = 0; p < c->np; p++)
    if (c->soff[p + 1] > c->soff[p]) f.active[f.nactive++] = p;
  uint32_t nactive = f.nactive;

  /* the full dual: the bound and the prices */
  int huge = c->nopt > PATIENCE_HUGE;
  phase ph = {&fixedp, run->max_iter ? run->max_iter : 1,
              f.t0 + (huge ? DUAL_SHARE_HUGE : DUAL_SHARE) * run->seconds, 1.0, 1, !run->start_lambda};
  int solved = dual_phase(&f, &ph, lam, lam_best, &cur, &best, &rc);
  if (rc) goto done;
  /* relax and fix from the best prices, then local search */
  if (!solved) {
    memcpy(lam, lam_best, c->ns * sizeof *lam);
    if (!huge && (rc = dive(&f, lam, lam_r, &fixedp, &cur, &best, f.t0 + DIVE_SHARE * run->seconds))) goto done;
    f.nactive = nactive;
    if (f.bound_int > best.total && f.bound_int / c->M > best.total / c->M) local_search(&f, &best);
  }

  /* the plan, in the caller's units */
  out->assign_start = malloc(np1 * sizeof *out->assign_start);
  size_t nheld = 0;
  for (uint32_t g = 0; g < c->nopt; g++) nheld += best.held[g];
  out->assign = malloc((nheld + 1) * sizeof *out->assign);
  if (!out->assign_start || !out->assign) {
    rc = CP_ENOMEM;
    goto done;
  }
  int64_t obj = 0;
  uint32_t k = 0;
  for (uint32_t p = 0; p < c->np; p++) {
    out->assign_start[p] = k;
    for (uint32_t g = c->ooff[p]; g < c->ooff[p + 1]; g++)
      if (best.held[g]) {
        out->assign[k++] = c->osess[g];
        obj += c->p->people[p].options[g - c->ooff[p]].score;
      }
  }
  out->assign_start[c->np] = k;
  out->objective = obj;
  out->bound = f.bound_int / c->M;
  if (out->bound < obj) out->bound = obj;
  out->optimal = out->bound == obj;
  out->gap = out->bound ? (double)(out->bound - obj) / (double)out->bound : 0;
  out->iterations = f.iterations;
  if (lambda_out) memcpy(lambda_out, lam_best, c->ns * sizeof *lam_best);
done:
  if (rc == CP_ENOMEM) {
    free(out->assign_start);
    free(out->assign);
    out->assign_start = NULL;
    out->assign = NULL;
    cp_error_set(err, CP_ENOMEM, "schedule: out of memory");
  }
  out->seconds = sf_now() - f.t0;
  plan_free(&cur);
  plan_free(&best);
  plan_free(&fixedp);
  free(lam);
  free(lam_best);
  free(lam_r);
  fast_free(&f);
  return rc;
}
