/* schedule.h: session allocation. Gives people places in sessions so that
 * the total score of the places given is the highest the method can reach,
 * subject to: each session's capacity; at most one session of an activity
 * per person; no two overlapping sessions for one person; prerequisites
 * (each prerequisite activity done before, or held in a session that ends
 * before the dependent one starts); optional per-person limits on places
 * and days. Places already held (confirmed and later enrolments) are fixed:
 * they take time, count against the limits and an activity, and satisfy
 * prerequisites. Reports the objective, an upper bound the method proves on
 * the best possible objective, and the gap between them.
 *
 * Two methods: FAST (Lagrangian relaxation of the capacity rows, an exact
 * search per person, price-guided repair and local search; scales to 100,000
 * people) and EXACT (an integer programme solved by CBC with a time limit,
 * started from the FAST solution; reports CBC's best bound when the limit
 * stops it). Pure: arrays in, arrays out; no SQLite, no Lua. Deterministic:
 * the same input gives the same plan, whatever the number of threads. */
#ifndef CPDPLAN_SCHEDULE_H
#define CPDPLAN_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"

#define CP_SCHED_NONE UINT32_MAX

typedef struct cp_sched_session {
  uint32_t activity;  /* index, < nactivities */
  int64_t start, end; /* minutes since 1970-01-01; end > start; [start, end) */
  int32_t capacity;   /* places open to this plan (capacity less fixed places); < 0 = unlimited */
  double days;        /* counted against a person's day limit */
} cp_sched_session;

/* A place a person may be given. Packed to 12 bytes (a large service has
 * tens of millions of options): read the fields, don't take their address. */
typedef struct __attribute__((packed, aligned(4))) cp_sched_option {
  uint32_t session;
  int64_t score; /* > 0: the person's score for the session's activity, as an integer */
} cp_sched_option;

typedef struct cp_sched_person {
  const cp_sched_option *options; /* ascending by session; eligible sessions only */
  uint32_t noptions;
  const uint32_t *fixed;   /* sessions held already (fixed, not in options) */
  uint32_t nfixed;
  const uint32_t *done;    /* activities completed before (prerequisites met) */
  uint32_t ndone;
  const uint32_t *current; /* sessions the stored plan proposes: kept among plans of equal objective */
  uint32_t ncurrent;
  uint32_t max_places;     /* places in the cycle, fixed ones included; 0 = no limit */
  double max_days;         /* days in the cycle, fixed ones included; 0 = no limit */
} cp_sched_person;

#define CP_SCHED_PROBLEM_VERSION 1
typedef struct cp_sched_problem {
  unsigned version; /* CP_SCHED_PROBLEM_VERSION */
  uint32_t nactivities, nsessions, npeople;
  const cp_sched_session *sessions;
  const cp_sched_person *people;
  /* activity a needs every activity prereq[prereq_start[a] .. prereq_start[a + 1]);
   * prereq_start has nactivities + 1 entries; both NULL = no prerequisites */
  const uint32_t *prereq_start;
  const uint32_t *prereq;
} cp_sched_problem;

typedef enum cp_sched_method { CP_SCHED_AUTO, CP_SCHED_FAST, CP_SCHED_EXACT } cp_sched_method;

#define CP_SCHED_OPTIONS_VERSION 1
typedef struct cp_sched_options {
  unsigned version;          /* CP_SCHED_OPTIONS_VERSION */
  cp_sched_method method;    /* AUTO: EXACT up to exact_max_people, else FAST */
  double time_limit;         /* seconds for the whole solve; 0 = 40 */
  unsigned threads;          /* 0 = the machine's cores (at most 2 are used) */
  uint32_t exact_max_people; /* 0 = 2000 */
  int explain;               /* re-solve to value one more place in the top sessions */
  uint32_t explain_top;      /* sessions re-solved when explaining; 0 = 5 */
} cp_sched_options;
#define CP_SCHED_OPTIONS_INIT {CP_SCHED_OPTIONS_VERSION, CP_SCHED_AUTO, 0, 0, 0, 0, 0}

typedef struct cp_sched_result {
  uint32_t *assign_start; /* npeople + 1 offsets into assign */
  uint32_t *assign;       /* the sessions given to each person, ascending */
  int64_t objective;      /* sum of the scores of the places given */
  int64_t bound;          /* proven upper bound on the best objective: bound >= objective */
  double gap;             /* (bound - objective) / bound, 0 when bound is 0 */
  int optimal;            /* 1 when objective == bound */
  cp_sched_method used;   /* FAST or EXACT */
  double *price;          /* per session: dual price of its capacity (score per place) */
  int64_t *extra_value;   /* per session: objective gained by one more place, re-solved; -1 = not re-solved */
  uint32_t *unmet;        /* per activity: people who wanted it and got none of its sessions because they were full */
  unsigned iterations;    /* dual iterations (FAST) or nodes (EXACT) */
  double seconds;
  uint32_t *taken;        /* per session: places given by this plan (NULL in a hand-made result: counted) */
} cp_sched_result;

/* Solve (out filled; free with cp_sched_result_free; opt NULL = defaults).
 * An invalid problem (index out of range, score <= 0, options not ascending,
 * end <= start) is CP_EINVAL with what is wrong. */
int cp_sched_solve(const cp_sched_problem *p, const cp_sched_options *opt, cp_sched_result *out, cp_error *err);
void cp_sched_result_free(cp_sched_result *r);

/* Why person did not get option k (an index into its options) in result. */
typedef enum cp_sched_why {
  CP_SCHED_GIVEN,     /* the person has this session */
  CP_SCHED_HAS_ACTIVITY, /* has another session of the same activity */
  CP_SCHED_FULL,      /* every place is taken (waitlist) */
  CP_SCHED_CLASH,     /* overlaps a session the person has */
  CP_SCHED_PREREQ,    /* a prerequisite is neither done nor held before it */
  CP_SCHED_DAYS,      /* over the person's day limit */
  CP_SCHED_PLACES,    /* over the person's place limit */
  CP_SCHED_OUTSCORED  /* a place was free but the plan is better without it (rare) */
} cp_sched_why;
cp_sched_why cp_sched_explain_option(const cp_sched_problem *p, const cp_sched_result *r, uint32_t person,
                                     uint32_t k);

/* Check every constraint of a plan (assign_start/assign as in a result):
 * 0, or CP_EINVAL with the first violation described. */
int cp_sched_check(const cp_sched_problem *p, const uint32_t *assign_start, const uint32_t *assign, cp_error *err);

#endif
