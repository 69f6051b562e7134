/* snapshot.h: one consistent read of the store into plain arrays for the
 * rules and the planner: people (with their profile and agreed grades for a
 * cycle), statements, activities and sessions. Nothing in the planning path
 * queries the store per person; everything refers to other rows by index.
 * The snapshot owns all its strings; it is read-only once loaded. */
#ifndef CPDPLAN_SNAPSHOT_H
#define CPDPLAN_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/store.h"

#define CP_SNAP_NONE UINT32_MAX /* "no index" */

typedef enum cp_stage { CP_STAGE_NEW, CP_STAGE_ESTABLISHED, CP_STAGE_EXPERIENCED, CP_STAGE_SENIOR, CP_STAGE_CHIEF } cp_stage;
/* "new" .. "chief"; -1 when s names no stage. */
int cp_stage_parse(const char *s);
const char *cp_stage_name(int stage);

/* A gradeable statement (or a key area graded as a whole). */
typedef struct cp_snap_statement {
  int64_t item_id;
  const char *code, *framework, *text;
} cp_snap_statement;

typedef struct cp_snap_person {
  int64_t id;
  const char *uuid, *name, *email, *post, *team, *service;
  const char *appointed; /* YYYY-MM-DD or "" */
  const char *language;  /* en, cy, both */
  uint32_t manager;      /* index of the line manager or CP_SNAP_NONE */
  int stage;             /* cp_stage */
  int mentor_capacity;   /* 0 = not willing */
  int mentees;           /* active mentoring pairs as mentor */
  int retirement_year;   /* 0 = not given */
  uint32_t nprofile;     /* statements in the profile */
  const uint32_t *profile; /* statement indexes, ascending (framework order) */
  const int8_t *grades;  /* agreed grade per profile entry: 1..4, CP_GRADE_NA (0), CP_GRADE_NONE (-1) */
  uint32_t nassessed;    /* profile entries with an agreed grade (N/A included) */
} cp_snap_person;

typedef struct cp_snap_activity {
  int64_t id;
  const char *code, *title, *kind, *strand, *language, *provider, *stages, *eligibility, *awarding_body;
  double days, cost, credits;
  uint32_t nstatements, nprereqs;
  const uint32_t *statements; /* statement indexes, catalogue order */
  const uint32_t *prereqs;    /* activity indexes */
} cp_snap_activity;

typedef struct cp_snap_session {
  int64_t id;
  const char *uuid, *start, *end, *place, *language;
  uint32_t activity;    /* index */
  uint32_t facilitator; /* person index or CP_SNAP_NONE */
  int capacity;
} cp_snap_session;

/* Enrolment states, in the order a place goes through them. */
typedef enum cp_enrol_status {
  CP_ENROL_PROPOSED, CP_ENROL_CONFIRMED, CP_ENROL_WAITLISTED, CP_ENROL_ATTENDED, CP_ENROL_COMPLETED,
  CP_ENROL_WITHDRAWN
} cp_enrol_status;
/* "proposed" .. "withdrawn"; -1 when s names no state. */
int cp_enrol_status_parse(const char *s);
const char *cp_enrol_status_name(int status);
/* Confirmed, attended and completed places are fixed: planning never moves them. */
#define CP_ENROL_FIXED(st) ((st) == CP_ENROL_CONFIRMED || (st) == CP_ENROL_ATTENDED || (st) == CP_ENROL_COMPLETED)

/* A place in a session in the snapshot's cycle (withdrawn ones too: the
 * planner does not offer a session again to someone who withdrew from it). */
typedef struct cp_snap_enrolment {
  uint32_t person, session; /* indexes */
  int status;               /* cp_enrol_status */
  int position;             /* waitlist order, 0 when not waitlisted */
} cp_snap_enrolment;

/* A mentoring pair that is proposed or active. */
typedef struct cp_snap_pair {
  uint32_t mentee, mentor;
  int active; /* 1 active, 0 proposed */
} cp_snap_pair;

typedef struct cp_snapshot {
  char *cycle;  /* the review cycle graded ("" when the store has none) */
  int64_t cycle_id; /* 0 when the store has no cycle */
  char today[11];
  cp_snap_person *people;
  size_t npeople;
  cp_snap_statement *statements;
  size_t nstatements;
  cp_snap_activity *activities;
  size_t nactivities;
  cp_snap_session *sessions; /* ordered by start, then activity code */
  size_t nsessions;
  cp_snap_enrolment *enrolments; /* the cycle's, ordered by person then session */
  size_t nenrolments;
  uint32_t *enrol_start;         /* npeople + 1 offsets into enrolments */
  uint32_t *done;                /* activities each person has completed (CPD record), ascending */
  uint32_t *done_start;          /* npeople + 1 offsets into done */
  cp_snap_pair *pairs;           /* proposed and active mentoring pairs, by mentee */
  size_t npairs;
  struct cp_snap_mem *mem;   /* private: arenas and lookups */
} cp_snapshot;

#define CP_SNAPSHOT_OPTIONS_VERSION 1
typedef struct cp_snapshot_options {
  unsigned version;    /* CP_SNAPSHOT_OPTIONS_VERSION */
  const char *cycle;   /* NULL: the latest cycle (by name) */
  const char *today;   /* YYYY-MM-DD; NULL: today */
} cp_snapshot_options;
#define CP_SNAPSHOT_OPTIONS_INIT {CP_SNAPSHOT_OPTIONS_VERSION, NULL, NULL}

/* Read the store (in one read transaction). opt may be NULL. An unknown
 * cycle or a bad date is CP_EINVAL. */
int cp_snapshot_load(cp_store *st, const cp_snapshot_options *opt, cp_snapshot **out, cp_error *err);
void cp_snapshot_free(cp_snapshot *s);

/* Lookups; CP_SNAP_NONE when absent. A person by email (any case) or uuid;
 * a statement by CODE or FRAMEWORK:CODE; an activity by code (any case). */
uint32_t cp_snapshot_person(const cp_snapshot *s, const char *ref);
uint32_t cp_snapshot_statement(const cp_snapshot *s, const char *code);
uint32_t cp_snapshot_activity(const cp_snapshot *s, const char *code);
/* A session by its store id or uuid. */
uint32_t cp_snapshot_session_by_id(const cp_snapshot *s, int64_t id);
uint32_t cp_snapshot_session(const cp_snapshot *s, const char *uuid);
/* The codes of the statements in list, space separated ("" when none);
 * malloc'd, NULL when out of memory. */
char *cp_snapshot_codes(const cp_snapshot *s, const uint32_t *list, size_t n);
/* Position of statement st in person p's profile, or -1. */
long cp_snapshot_profile_pos(const cp_snap_person *p, uint32_t st);
/* Days from a (YYYY-MM-DD, or the date part of a date-time) to b; 0 on bad input. */
long cp_days_between(const char *a, const char *b);

#endif
