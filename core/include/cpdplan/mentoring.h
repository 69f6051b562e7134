/* mentoring.h: mentoring pairs for the whole service. `mentors assign`
 * pairs mentees (people with needs and no active mentor) with willing
 * mentors within their capacity so that the total score_mentor of the pairs
 * is the highest possible (exactly: see match.h), keeping active pairs and,
 * among equally good matchings, the proposals already made. The pairs are
 * written as proposals in one transaction; `mentors list` reads them. */
#ifndef CPDPLAN_MENTORING_H
#define CPDPLAN_MENTORING_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/rules.h"
#include "cpdplan/store.h"

/* Plugin scores are scaled by CP_SCORE_SCALE and rounded once, the same way
 * everywhere (mentor matching and session allocation), so sums are exact. */
#define CP_SCORE_SCALE 1000
int64_t cp_score_int(double score); /* llround(score * CP_SCORE_SCALE), 0 when not finite or < 0 */

typedef struct cp_assigned_pair {
  uint32_t mentee, mentor; /* snapshot person indexes */
  double score;            /* score_mentor's value */
  int kept;                /* the mentee's earlier proposal had this mentor */
  char *statements;        /* the mentee's needs on the mentor's strengths, space separated */
  char *reason;            /* score_mentor's reason */
} cp_assigned_pair;

#define CP_MENTORS_ASSIGN_OPTIONS_VERSION 1
typedef struct cp_mentors_assign_options {
  unsigned version; /* CP_MENTORS_ASSIGN_OPTIONS_VERSION */
  int dry_run;      /* compute, write nothing */
  int keep_problem; /* keep the matching problem in the report (benchmarks, checks) */
  unsigned threads; /* threads for needs and scoring: 0 = two when there are 2,000 people or more, else 1 */
} cp_mentors_assign_options;
#define CP_MENTORS_ASSIGN_OPTIONS_INIT {CP_MENTORS_ASSIGN_OPTIONS_VERSION, 0, 0, 0}

typedef struct cp_mentors_assign_report {
  cp_assigned_pair *pairs; /* by mentee */
  size_t npairs;
  int64_t total;           /* sum of the pairs' scaled scores: the exact optimum */
  size_t mentees, mentors; /* people considered on each side */
  size_t active_kept;      /* active pairs left as they were */
  size_t pairs_scored;     /* score_mentor calls */
  size_t arcs;             /* pairs with a value */
  int strength_pairs;      /* CP_PAIRS_*: which pairs were scored, as the rules declare */
  size_t replaced;         /* earlier proposals replaced */
  /* seconds: the rules (needs, then scoring, with the matching placing
   * mentees alongside), of which the needs hook; the matching's own share
   * (within seconds_rules when scored in two threads); describing the pairs */
  double seconds_rules, seconds_needs, seconds_match, seconds_describe;
  /* with keep_problem: the problem solved (see match.h) and its answer */
  struct cp_match_arc *arc_list; /* the allowed pairs (arcs of them) */
  uint32_t *capacity, *mentee_person, *mentor_person, *mentor_of; /* mentor_of: per mentee, a mentor index */
} cp_mentors_assign_report;

/* The store must be writable unless dry_run; r's snapshot must be of st. */
int cp_mentors_assign(cp_store *st, cp_rules *r, const cp_mentors_assign_options *opt,
                      cp_mentors_assign_report *out, cp_error *err);
void cp_mentors_assign_report_free(cp_mentors_assign_report *rep);

/* A stored pair, as `mentors list` shows it. */
typedef struct cp_pair_row {
  char *mentee, *mentor; /* emails */
  double score;
  char *statements;
  char *status;          /* proposed, active, ended */
  char *cycle;           /* "" when none */
} cp_pair_row;

/* Pairs (status NULL = proposed and active; "all" = every one), ordered
 * by mentee then mentor. */
int cp_mentors_list(cp_store *st, const char *status, cp_pair_row **out, size_t *n, cp_error *err);
void cp_pair_rows_free(cp_pair_row *rows, size_t n);

#endif
