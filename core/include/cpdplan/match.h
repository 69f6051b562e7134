/* match.h: mentor matching as a capacitated assignment, solved exactly.
 * Each mentee gets at most one mentor, each mentor at most its capacity of
 * mentees, and the total score of the pairs made is the highest possible.
 * Only the allowed pairs (arcs) are given, so the cost grows with the number
 * of allowed pairs, not with mentees x mentors. Pure: arrays in, arrays out;
 * no SQLite, no Lua. Deterministic: the same input gives the same pairs. */
#ifndef CPDPLAN_MATCH_H
#define CPDPLAN_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"

#define CP_MATCH_NONE UINT32_MAX

typedef struct cp_match_arc {
  uint32_t mentee, mentor; /* indexes; the same person may be both (a mentee and, elsewhere, a mentor) */
  int64_t score;           /* > 0: the value of the pair (integer, exact) */
} cp_match_arc;

typedef struct cp_match_problem {
  uint32_t nmentees, nmentors;
  const uint32_t *capacity;  /* per mentor: places left (0 = none) */
  const cp_match_arc *arcs;  /* any order; an arc repeated keeps its highest score */
  size_t narcs;
  /* the pairs to prefer among optimal matchings (re-planning is stable):
   * keep[i] is the mentor mentee i had, or CP_MATCH_NONE; NULL = none */
  const uint32_t *keep;
} cp_match_problem;

typedef struct cp_match_result {
  uint32_t *mentor_of;  /* per mentee: the mentor's index, or CP_MATCH_NONE */
  int64_t total;        /* the sum of the scores of the pairs made: the optimum */
  size_t pairs;         /* pairs made */
  double seconds;       /* solve time */
} cp_match_result;

/* Solve; out is filled (free with cp_match_result_free). Arcs with an index
 * out of range or a score <= 0 are CP_EINVAL. */
int cp_match_solve(const cp_match_problem *p, cp_match_result *out, cp_error *err);
void cp_match_result_free(cp_match_result *r);

/* The same solve, streamed: mentees are placed in index order as their arcs
 * arrive, so the matching can run while later mentees are still being
 * scored. new takes the sizes, capacities and keep[] (NULL = none; both
 * must outlive the stream); add gives the next mentee's arcs (every arc's
 * mentee must be that mentee; any order; none is allowed) and places it;
 * finish, once every mentee was added, fills out exactly as cp_match_solve
 * would for the same arcs. A stream is used by one thread at a time. */
typedef struct cp_match_stream cp_match_stream;
int cp_match_stream_new(cp_match_stream **out, uint32_t nmentees, uint32_t nmentors, const uint32_t *capacity,
                        const uint32_t *keep, cp_error *err);
int cp_match_stream_add(cp_match_stream *s, const cp_match_arc *arcs, size_t n, cp_error *err);
int cp_match_stream_finish(cp_match_stream *s, cp_match_result *out, cp_error *err);
void cp_match_stream_free(cp_match_stream *s);

#endif
