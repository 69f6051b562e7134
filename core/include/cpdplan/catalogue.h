/* catalogue.h: the CPD catalogue: activities (what is offered: kind, strand,
 * the statements it develops, prerequisites, eligibility, duration, cost,
 * language) and sessions (dated runs of an activity with a place, capacity,
 * facilitator and language). Imports read the design's activities and
 * sessions CSV files, validate every row and the file as a whole against what
 * is held, and write in one transaction: on any error nothing is written. */
#ifndef CPDPLAN_CATALOGUE_H
#define CPDPLAN_CATALOGUE_H

#include <stddef.h>
#include <stdio.h>

#include "cpdplan/error.h"
#include "cpdplan/people.h" /* cp_import_result */
#include "cpdplan/store.h"

/* ---- activities ---- */

/* An activity as the activities CSV describes one. Strings and arrays are
 * owned by the struct (cp_activity_clear frees them); a NULL string reads
 * as "". Statement codes are CODE, or FRAMEWORK:CODE (short name) when the
 * code is held by more than one framework; a statement's CASE identifier is
 * also read. Prerequisites are activity codes. */
typedef struct cp_activity {
  char uuid[37];
  char *code;           /* the key: letters, digits, '-', '_', '.' (compared without regard to case) */
  char *title;
  char *kind;           /* free text: e-learning, residential course, accredited module, ... */
  char *strand;         /* induction, management development, leadership development, cross-cutting, or "" */
  char **statements;    /* the statements it develops, in catalogue order */
  size_t nstatements;
  char **prerequisites; /* activity codes to complete first */
  size_t nprerequisites;
  double days;          /* participant time in days, >= 0 */
  double cost;          /* fee per participant, >= 0 */
  char *language;       /* en, cy, both ("" read as both) */
  char *provider;
  char *stages;         /* career stages allowed, space-separated, in the order new established
                           experienced senior chief; "" = any */
  char *eligibility;    /* free text */
  char *awarding_body;
  double credits;       /* >= 0; 0 = not accredited */
} cp_activity;

void cp_activity_clear(cp_activity *a); /* NULL accepted */

/* Import the activities CSV at path ("-" = stdin). Columns, by name in any
 * order and case: code and title (required), kind, strand, statements,
 * prerequisites, days, cost, language, provider, stages, eligibility,
 * awarding_body, credits; others are named in res->unknown_columns. Lists
 * are separated by spaces (commas and semicolons are also read); a code
 * listed twice counts once. The code is the key: an activity already held is
 * updated in place (its identifier and catalogue position are kept) and
 * only in the columns the file has; re-importing a file changes nothing. A
 * prerequisite may be anywhere in the file or already held; an unknown
 * statement or prerequisite, a cycle of prerequisites (through held
 * activities too), a duplicate code or a bad value is an error at
 * FILE:LINE:COL and nothing is written. */
int cp_activity_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err);

/* The same over a catalogue in memory; name is used in error messages. */
int cp_activity_import_string(cp_store *st, const char *name, const char *data, size_t size,
                              cp_import_result *res, cp_error *err);

/* Parse an activities CSV in memory into records without touching a store:
 * the per-row checks only (statements and prerequisites are resolved when
 * imported). *out (caller frees with cp_activity_list_free) is in file order. */
int cp_activity_parse(const char *name, const char *data, size_t size, cp_activity **out, size_t *n,
                      cp_error *err);

/* Import every catalogue shipped with cpdplan (the CSV files of
 * frameworks/catalogues, compiled in) in one transaction. Their statements are in the shipped
 * frameworks, which must be held (cp_framework_install_shipped). */
int cp_activity_install_shipped(cp_store *st, cp_error *err);

/* Read one activity by code (any case) or identifier into *out (caller
 * clears). CP_ENOTFOUND: `no activity "X"`. */
int cp_activity_get(cp_store *st, const char *code, cp_activity *out, cp_error *err);

typedef struct cp_activity_filter {
  const char *strand; /* NULL = any; compared without regard to case */
  const char *kind;
} cp_activity_filter;

/* Activities matching filter (NULL = all) in catalogue order (the order
 * they were first imported). On failure *out is NULL and *n 0. */
int cp_activity_list(cp_store *st, const cp_activity_filter *filter, cp_activity **out, size_t *n,
                     cp_error *err);
void cp_activity_list_free(cp_activity *list, size_t n);

/* Write activities (filter may be NULL) as an activities CSV with every
 * column; importing it into a store with the same frameworks gives the same
 * catalogue. */
int cp_activity_export_csv(cp_store *st, const cp_activity_filter *filter, FILE *out, cp_error *err);

/* A statement an activity develops, for display. */
typedef struct cp_activity_item {
  char *framework; /* short name */
  char *code;      /* the item's code in its framework */
  char *text;      /* full statement */
} cp_activity_item;

/* The statements of activity code, in catalogue order (caller frees). */
int cp_activity_items(cp_store *st, const char *code, cp_activity_item **out, size_t *n, cp_error *err);
void cp_activity_items_free(cp_activity_item *list, size_t n);

/* ---- sessions ---- */

/* A dated run of an activity. start and end are ISO 8601 dates (YYYY-MM-DD)
 * or date-times (YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]); a date alone as the
 * end means the end of that day. Strings are owned (cp_session_clear). */
typedef struct cp_session {
  char uuid[37];
  char *activity;    /* activity code */
  char *start, *end;
  char *place;
  int capacity;      /* places, >= 0; 0 = not set */
  char *facilitator; /* email of a person held, or "" */
  char *language;    /* en, cy, both; "" = the activity's language when it is en or cy, else en */
} cp_session;

void cp_session_clear(cp_session *s); /* NULL accepted */

/* Add a session of a held activity; s->uuid is filled with a new identifier.
 * A session of the same activity, start and place already held is
 * CP_EEXISTS (sessions are told apart by those three when a file gives no
 * id, see cp_session_import_csv). */
int cp_session_add(cp_store *st, cp_session *s, cp_error *err);

/* Import the sessions CSV at path ("-" = stdin). Columns: activity, start
 * and end (required), id, place, capacity, facilitator, language. A row
 * with an id updates the session with that identifier, or adds it under that
 * identifier. A row without an id is the held session of the same activity,
 * start and place (updated in place), else a new session with a new
 * identifier: so re-importing a file, with or without ids, changes nothing,
 * and moving a session without an id to another start or place adds a new
 * one (give ids to move sessions). Columns the file lacks keep their held
 * values. An unknown activity or facilitator, a date that is not a real
 * one, an end before the start, a bad capacity, language or id, or two
 * rows for one session is an error at FILE:LINE:COL and nothing is written. */
int cp_session_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err);

typedef struct cp_session_filter {
  const char *activity; /* code; NULL = any (an unknown code is CP_ENOTFOUND) */
  const char *from;     /* YYYY-MM-DD: sessions starting on or after it; NULL = any */
  const char *to;       /* YYYY-MM-DD: sessions starting on or before it; NULL = any */
} cp_session_filter;

/* Sessions matching filter (NULL = all), by start, then activity code,
 * place and identifier. On failure *out is NULL and *n 0. */
int cp_session_list(cp_store *st, const cp_session_filter *filter, cp_session **out, size_t *n, cp_error *err);
void cp_session_list_free(cp_session *list, size_t n);

/* Write sessions (filter may be NULL) as a sessions CSV with every column,
 * ids included, so importing it again changes nothing. */
int cp_session_export_csv(cp_store *st, const cp_session_filter *filter, FILE *out, cp_error *err);

#endif
