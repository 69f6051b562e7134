/* assess.h: judgements against statements: person x statement x assessor
 * kind (self, manager, peer, stakeholder) x review cycle -> grade 1-4 or N/A,
 * with evidence referenced (title and location, never copied), comment, date
 * and assessor. History is never overwritten: a new judgement is a new row.
 * The agreed grade is the manager's benchmark, else the self-evaluation. */
#ifndef CPDPLAN_ASSESS_H
#define CPDPLAN_ASSESS_H

#include <stddef.h>

#include "cpdplan/error.h"
#include "cpdplan/people.h"
#include "cpdplan/store.h"

#define CP_GRADE_NA 0      /* not applicable */
#define CP_GRADE_NONE (-1) /* no judgement */

/* One judgement to record. Strings are borrowed. */
typedef struct cp_assessment {
  const char *person;    /* email or uuid */
  const char *statement; /* code or uuid */
  const char *cycle;     /* e.g. "2026-27" */
  const char *kind;      /* self, manager, peer, stakeholder */
  const char *grade;     /* "1".."4", "NA" */
  const char *assessor;  /* email; NULL/"" = the person for self */
  const char *evidence;  /* "title <location>; title <location>" or NULL */
  const char *date;      /* YYYY-MM-DD; NULL = today */
  const char *comment;
  char uuid[37];         /* out: identifier of the new row */
} cp_assessment;

/* Record one judgement. A statement outside the person's profile is an error. */
int cp_assess_set(cp_store *st, cp_assessment *a, cp_error *err);

/* Import an assessments CSV: one row per judgement, one transaction; rows
 * identical to a judgement already held are skipped (counted unchanged). */
int cp_assess_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err);

/* Parse "1".."4" / "NA" / "N/A" (any case); returns CP_GRADE_NA, 1..4 or -1. */
int cp_assess_parse_grade(const char *s);

typedef struct cp_grade_spread {
  int count;    /* graded judgements (N/A excluded) */
  int na;       /* N/A judgements */
  int min, max; /* of the graded ones (0 when count == 0) */
  double mean;
} cp_grade_spread;

/* One relevant statement of the self-evaluation profile. */
typedef struct cp_profile_line {
  char *code, *statement, *framework, *dimension_code, *dimension;
  int self;      /* latest self grade in the cycle, CP_GRADE_NA or CP_GRADE_NONE */
  int manager;   /* latest manager grade */
  int agreed;    /* manager's if any, else self's */
  const char *agreed_by; /* "manager", "self" or "" (static string) */
  cp_grade_spread peer, stakeholder;
  char *evidence;  /* evidence of the cycle's judgements, "title <location>; ..." (deduplicated) */
  char *comment;   /* comment of the judgement the agreed grade comes from */
} cp_profile_line;

typedef struct cp_self_profile {
  cp_person person;
  char *cycle;
  cp_profile_line *lines;
  size_t nlines;
  int counts[5];   /* agreed grades: [0] = N/A, [1..4] */
  int ungraded;    /* statements with no agreed grade */
} cp_self_profile;

/* The self-evaluation profile of a person for a cycle (NULL: the latest
 * cycle the person has judgements in). */
int cp_assess_profile(cp_store *st, const char *person, const char *cycle, cp_self_profile **out, cp_error *err);
void cp_self_profile_free(cp_self_profile *p);

/* Format a grade for display: "1".."4", "N/A", "" for none. */
const char *cp_grade_str(int grade);

#endif
