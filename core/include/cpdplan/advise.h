/* advise.h: what the rules say about people, read through the hooks: needs
 * tallied for a team or service, activities recommended for one person (with
 * why others were excluded), the best mentors for a person (and why others
 * were ruled out), and a newly appointed person's induction plan. Pure: a
 * snapshot and rules in, plain arrays out; nothing is written. */
#ifndef CPDPLAN_ADVISE_H
#define CPDPLAN_ADVISE_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/rules.h"

/* Needs and shareable strengths per statement over a group of people. */
typedef struct cp_needs_count {
  uint32_t statement;
  int needs;        /* people with it as a need */
  int induction;    /* of which initial training needs */
  double priority;  /* sum of their priorities */
  int strengths;    /* people with it as a strength to share */
} cp_needs_count;

/* Tally people[0..n-1]; *out lists only statements with a need or strength,
 * in statement order (caller frees). */
int cp_needs_tally(cp_rules *r, const uint32_t *people, size_t n, cp_needs_count **out, size_t *nout, cp_error *err);

typedef struct cp_recommendation {
  uint32_t activity;
  int eligible;        /* the eligible hook's answer */
  int has_score;       /* score_activity gave a value */
  double score;
  char *reason;        /* why excluded, or what the score says */
  uint32_t *met;       /* the person's need statements the activity develops */
  size_t nmet;
  uint32_t *prereqs;   /* prerequisite activities (to be taken first) */
  size_t nprereqs;
} cp_recommendation;

/* Every activity for person: eligible ones with a score first (best first,
 * then by catalogue order), then eligible ones of no value, then the
 * excluded ones with the reason. */
int cp_recommend(cp_rules *r, uint32_t person, cp_recommendation **out, size_t *n, cp_error *err);
void cp_recommendations_free(cp_recommendation *v, size_t n);

/* The codes of the needs nd (sorted by statement) whose statement list
 * holds, space separated ("" when none); malloc'd, NULL when out of memory. */
char *cp_needs_codes(const cp_snapshot *sn, const cp_need *nd, size_t nn, const uint32_t *list, size_t n);

typedef struct cp_mentor_option {
  uint32_t mentor;
  int allowed;       /* score_mentor gave a value */
  double score;
  char *reason;      /* why ruled out, or what the score says */
  uint32_t *met;     /* the mentee's need statements that are the mentor's strengths */
  size_t nmet;
} cp_mentor_option;

/* Mentors for mentee, best first (ties in the order people were added). With
 * all, the colleagues ruled out follow, each with its reason. */
int cp_mentors_suggest(cp_rules *r, uint32_t mentee, int all, cp_mentor_option **out, size_t *n, cp_error *err);
void cp_mentor_options_free(cp_mentor_option *v, size_t n);

typedef struct cp_induction_item {
  uint32_t activity;
  int eligible;
  char *reason;        /* why not eligible ("" if eligible) */
  uint32_t *sessions;  /* dated sessions the person can attend, earliest first */
  size_t nsessions;
  uint32_t suggested;  /* the session suggested (in order after prerequisites), or CP_SNAP_NONE */
} cp_induction_item;

typedef struct cp_induction_plan {
  uint32_t person;
  cp_induction_item *items; /* the induction hook's programme, in order */
  size_t nitems;
  const cp_need **needs;    /* initial training needs (flagged induction) */
  size_t nneeds;
  cp_mentor_option mentor;  /* mentor.mentor is CP_SNAP_NONE when none is allowed */
} cp_induction_plan;

int cp_induction_plan_make(cp_rules *r, uint32_t person, cp_induction_plan **out, cp_error *err);
void cp_induction_plan_free(cp_induction_plan *p);

/* Can person attend session s by language (an English-only speaker cannot
 * attend a Welsh-medium session)? */
int cp_session_language_ok(const cp_snap_person *p, const cp_snap_session *s);

#endif
