/* enrol.h: what happens to a place after planning. A proposed place is
 * confirmed (it then never moves when the plan is re-made), withdrawn, or,
 * once confirmed or attended, completed: completion adds the activity to
 * the person's CPD record with hours and an optional reflection. When a held
 * place frees (a withdrawal, or a session's capacity raised), the first
 * person on the session's waitlist who can take it (no other session of the
 * activity, no clash, prerequisites met) is offered it as a proposal,
 * without re-planning anyone else. Each change is one transaction. */
#ifndef CPDPLAN_ENROL_H
#define CPDPLAN_ENROL_H

#include "cpdplan/error.h"
#include "cpdplan/store.h"

#define CP_HOURS_PER_DAY 6.0 /* hours recorded per day of an activity when none are given */

typedef struct cp_enrol_outcome {
  char person[320];     /* the person whose place changed */
  char activity[64];    /* the session's activity code */
  char start[40];       /* the session's start */
  char from[16], to[16]; /* the place's state before and after */
  char offered[320];    /* who was offered the freed place ("" = nobody) */
  double hours;         /* recorded on completion */
} cp_enrol_outcome;

/* person: email or uuid; session: the session's uuid. */
int cp_enrol_confirm(cp_store *st, const char *person, const char *session, cp_enrol_outcome *out, cp_error *err);
int cp_enrol_withdraw(cp_store *st, const char *person, const char *session, cp_enrol_outcome *out, cp_error *err);
/* hours < 0: the activity's days x CP_HOURS_PER_DAY; date NULL: today. */
int cp_enrol_complete(cp_store *st, const char *person, const char *session, double hours, const char *reflection,
                      const char *date, cp_enrol_outcome *out, cp_error *err);
/* Set a session's capacity; each place it frees is offered down the
 * waitlist. *offered counts the offers made. */
int cp_session_set_capacity(cp_store *st, const char *session, int capacity, int *offered, cp_error *err);

#endif
