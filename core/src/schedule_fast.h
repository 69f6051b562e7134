/* schedule_fast.h: internals of the FAST method of session allocation, shared
 * by schedule.c (the public API and the dispatch), schedule_person.c (each
 * person's static data and the exact search of one person's places at given
 * prices or remaining places) and schedule_fast.c (the Lagrangian dual, the
 * repair of its plans and the local search). Internal to the library. */
#ifndef CP_SCHEDULE_FAST_H
#define CP_SCHEDULE_FAST_H

#include <stdint.h>

#include "cpdplan/schedule.h"

#define SF_NONE UINT32_MAX
#define SF_OPEN INT32_MAX /* capacity of a session whose places can never run out */
#define SF_DAYS_EPS 1e-9  /* tolerance on day sums (days are halves and wholes) */

/* option flags */
enum {
  SF_OK = 1,      /* not ruled out by a fixed place, a limit or a missing prerequisite */
  SF_ENABLER = 2, /* of an activity the person may need as a prerequisite in this plan */
  SF_CURRENT = 4  /* the stored plan proposes it */
};

/* The problem as the FAST method sees it, built once per solve. Options are
 * numbered globally, person after person; a person's feasible options are
 * also listed by (activity, session) so that one pass groups them. */
typedef struct sf_ctx {
  const cp_sched_problem *p;
  uint32_t np, ns, na;
  uint32_t nopt;      /* options of all people */
  uint32_t *ooff;     /* np + 1: person p's options are [ooff[p], ooff[p + 1]) */
  uint32_t *osess;    /* nopt: the option's session */
  int64_t *w;         /* nopt: internal weight, score * M + (SF_CURRENT ? 1 : 0) */
  uint8_t *oflag;     /* nopt: SF_* */
  uint32_t *sord;     /* the SF_OK options, person by person, by (activity, session) */
  uint32_t *soff;     /* np + 1 offsets into sord */
  uint32_t *places;   /* np: places left after the fixed ones; UINT32_MAX = no limit */
  double *days;       /* np: days left after the fixed ones; HUGE_VAL = no limit */
  uint8_t *deps;      /* np: 1 when a prerequisite may have to be taken in this plan */
  int32_t *cap;       /* ns: places, or SF_OPEN when demand can never exceed them */
  uint32_t *xoff;     /* ns + 1: SF_OK options by session, best weight first */
  uint32_t *xopt;
  int64_t M;          /* scale of the internal weights (1: no stability term) */
  uint32_t maxopt, maxgrp; /* most options / activities of one person */
  uint32_t nprereq;   /* prerequisite entries in the problem */
  unsigned threads;   /* 1 or 2 */
} sf_ctx;

/* The person whose option h is: ooff is ascending, so a binary search
 * (kept out of the dual's loops) instead of an array the size of the
 * options. */
static inline uint32_t sf_owner(const sf_ctx *c, uint32_t h) {
  uint32_t lo = 0, hi = c->np; /* the last i with ooff[i] <= h */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo + 1) / 2;
    if (c->ooff[mid] <= h) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/* Build ctx for p (already validated). threads: 1 or 2. */
int sf_prepare(const cp_sched_problem *p, unsigned threads, sf_ctx *ctx, cp_error *err);
void sf_ctx_free(sf_ctx *ctx);

/* What one person's search maximises over. Dual: value = w - lambda[s],
 * every option open. Primal (lambda NULL): value = w, an option open when
 * its session has a place left (rem > 0) or the person holds it (held). A
 * session equal to ban is closed, one equal to force open, whatever else. */
typedef struct sf_query {
  const double *lambda; /* ns, internal units; NULL = primal */
  const int32_t *rem;   /* ns: places left; NULL = all open */
  const uint8_t *held;  /* nopt: the options the person holds; may be NULL */
  uint32_t ban, force;  /* sessions, or SF_NONE */
  uint64_t node_limit;  /* search nodes before the search is cut */
  /* optional, with lambda: the sessions by activity, then lambda ascending,
   * then index (lam_order), activity a's at [lam_start[a], lam_start[a + 1]);
   * the search then orders each activity's candidates without sorting */
  const uint32_t *lam_order, *lam_start;
} sf_query;

/* Per-thread work space of the search, and its answer. */
typedef struct sf_scratch {
  struct sf_cand *cand;
  struct sf_grp *grp;
  uint32_t *act2grp;           /* na: group of an activity, SF_NONE */
  uint32_t *pre_off, *pre, *dep_off, *dep;
  double *pref;
  uint32_t *pick, *best_pick;
  uint32_t *mark;                /* ns: option + 1 of a session in the group being gathered, else 0 */
  /* answer */
  uint32_t *out;  /* chosen options (global indexes), ascending */
  uint32_t nout;
  double value;   /* sum of the chosen options' values */
  double ub;      /* upper bound on the best value (== value unless cut) */
  int cut;        /* the node limit stopped the search */
  uint64_t nodes;
} sf_scratch;

int sf_scratch_init(sf_scratch *s, const sf_ctx *ctx);
void sf_scratch_free(sf_scratch *s);

/* The best set of person's options for q, exactly (unless cut). */
void sf_person_search(const sf_ctx *ctx, sf_scratch *s, uint32_t person, const sf_query *q);

/* What a FAST run starts from, and its limits. */
typedef struct sf_run {
  double seconds;           /* wall-clock limit of this run */
  unsigned max_iter;        /* dual iterations at most */
  const uint32_t *start_assign_start, *start_assign; /* a feasible plan, or NULL */
  const double *start_lambda; /* ns, internal units, or NULL */
} sf_run;

/* The FAST method: fills out's assign_start, assign, objective, bound, gap,
 * optimal, iterations and seconds; lambda (ns, caller's) gets the final
 * prices in internal units (divide by ctx->M for score per place). */
int sf_solve(const sf_ctx *ctx, const sf_run *run, cp_sched_result *out, double *lambda, cp_error *err);

/* Monotonic seconds. */
double sf_now(void);

#endif
