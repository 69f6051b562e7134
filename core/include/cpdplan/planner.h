/* planner.h: the cycle's programme. `schedule` turns the rules' view of
 * every person (needs, eligibility, activity scores) into a session
 * allocation problem (schedule.h), solves it, and writes each person's plan
 * in one transaction: the places proposed, the waitlists (in priority order)
 * and every need either covered (by which session or mentor) or left open
 * with the reason. Confirmed and later places are fixed; only proposals move.
 * With dry_run nothing is written and the report says who would join, leave
 * or move compared with the stored plan. */
#ifndef CPDPLAN_PLANNER_H
#define CPDPLAN_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/rules.h"
#include "cpdplan/schedule.h"
#include "cpdplan/store.h"

#define CP_SCHEDULE_OPTIONS_VERSION 1
typedef struct cp_schedule_options {
  unsigned version;       /* CP_SCHEDULE_OPTIONS_VERSION */
  cp_sched_options sched; /* method, time limit, threads, explain */
  uint32_t max_places;    /* per person per cycle, fixed places included; 0 = none */
  double max_days;        /* per person per cycle; 0 = none */
  int dry_run;            /* compute, write nothing, report the changes */
  double budget;          /* seconds for the whole run when sched.time_limit is 0: the solve
                             gets what the rules leave, less a tenth for the plans (0 = none) */
  /* called with the allocation problem before it is solved (benchmarks and
   * checks that solve the same problem another way); NULL = none */
  void (*on_problem)(const cp_sched_problem *p, void *ud);
  void *on_problem_ud;
} cp_schedule_options;
#define CP_SCHEDULE_OPTIONS_INIT {CP_SCHEDULE_OPTIONS_VERSION, CP_SCHED_OPTIONS_INIT, 0, 0, 0, 0, NULL, NULL}

/* A change against the stored plan (dry run): a person joins a session, leaves one, or moves between
 * two sessions of the same activity. */
typedef struct cp_plan_change {
  uint32_t person;
  uint32_t from, to; /* session indexes, CP_SNAP_NONE for a join (from) or a leave (to) */
} cp_plan_change;

typedef struct cp_schedule_report {
  cp_sched_result result;    /* objective, bound, gap, prices... (scaled scores) */
  double objective, bound;   /* in the rules' units (scaled back) */
  size_t people, sessions, options; /* people with an option, sessions open, (person, session) options */
  size_t places, fixed, waitlisted; /* proposed places, fixed places kept, waitlist entries */
  size_t needs, covered, open;      /* needs in the cycle and how they end */
  cp_plan_change *changes;   /* dry run: against the stored proposals */
  size_t nchanges;
  uint32_t max_places;       /* the limits used */
  double max_days;
  double seconds_rules, seconds_solve, seconds_write;
  char *json;                /* the run's summary as written to plan_run.json */
} cp_schedule_report;

/* The store must be writable unless dry_run; r's snapshot must be of st. */
int cp_schedule_run(cp_store *st, cp_rules *r, const cp_schedule_options *opt, cp_schedule_report *out,
                    cp_error *err);
void cp_schedule_report_free(cp_schedule_report *rep);

/* A plan row as `plan list` and `plan show` give it; the CSV columns are
 * the design's: person, cycle, kind (session, mentor, open), activity,
 * session, start, end, status, score, reason. statements lists the needs
 * the row covers (or leaves open). */
typedef struct cp_plan_row {
  char *person, *cycle, *kind, *activity, *session, *start, *end, *status, *reason, *statements, *place;
  double score;
} cp_plan_row;

/* The stored plan of one person (person = email or uuid) or everyone
 * (NULL), for a cycle (NULL = latest planned). */
int cp_plan_rows(cp_store *st, const char *person, const char *cycle, cp_plan_row **out, size_t *n,
                 cp_error *err);
void cp_plan_rows_free(cp_plan_row *rows, size_t n);

/* The stored summary of the cycle's planning run as JSON text (caller
 * frees), or NULL with CP_ENOTFOUND when the cycle has not been planned. */
int cp_plan_run_json(cp_store *st, const char *cycle, char **json, cp_error *err);

#endif
