/* schedule_internal.h: what schedule.c (the FAST method and the dispatch)
 * and schedule_exact.c (the EXACT method, CBC through its C API) share.
 * Internal to the library. */
#ifndef CP_SCHEDULE_INTERNAL_H
#define CP_SCHEDULE_INTERNAL_H

#include "cpdplan/schedule.h"

/* Solve p exactly with CBC within time_limit seconds, starting from the
 * feasible plan start_assign_start/start_assign (may be NULL). Fills out's
 * assign_start, assign, objective, bound (CBC's best bound, floored: scores
 * are integers), gap, optimal, iterations (nodes) and seconds; the caller
 * fills the rest (price, extra_value, unmet) and sets used. A plan CBC
 * cannot improve within the limit is the start plan, with CBC's bound. */
int cp_sched_solve_exact(const cp_sched_problem *p, double time_limit, const uint32_t *start_assign_start,
                         const uint32_t *start_assign, cp_sched_result *out, cp_error *err);

#endif
