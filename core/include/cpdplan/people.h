/* people.h: the people of a service: name, email (the key), post, team,
 * service (local authority), line manager, appointment date, career stage,
 * preferred language, mentoring capacity and retirement horizon. Adding,
 * editing and importing share one validated write path that keeps the line
 * managers a tree; an import is one transaction and is idempotent. */
#ifndef CPDPLAN_PEOPLE_H
#define CPDPLAN_PEOPLE_H

#include <stddef.h>
#include <stdio.h>

#include "cpdplan/error.h"
#include "cpdplan/store.h"

/* A person as the people CSV describes one. Strings are owned by the
 * struct (cp_person_clear frees them); "" or NULL means not given. */
typedef struct cp_person {
  char uuid[37];
  char *name;
  char *email;
  char *post;
  char *team;
  char *service;
  char *line_manager; /* the manager's email */
  char *appointed;    /* YYYY-MM-DD */
  char *stage;        /* new, established, experienced, senior, chief */
  char *language;     /* en, cy, both */
  int mentor_capacity;  /* 0 = not willing to mentor */
  int retirement_year;  /* 0 = not given */
} cp_person;

void cp_person_clear(cp_person *p);

/* Which fields an edit changes. */
enum {
  CP_PERSON_NAME = 1 << 0, CP_PERSON_EMAIL = 1 << 1, CP_PERSON_POST = 1 << 2,
  CP_PERSON_TEAM = 1 << 3, CP_PERSON_SERVICE = 1 << 4, CP_PERSON_MANAGER = 1 << 5,
  CP_PERSON_APPOINTED = 1 << 6, CP_PERSON_STAGE = 1 << 7, CP_PERSON_LANGUAGE = 1 << 8,
  CP_PERSON_CAPACITY = 1 << 9, CP_PERSON_RETIREMENT = 1 << 10
};

/* Add a new person (error if the email is held). p->uuid is filled. */
int cp_people_add(cp_store *st, cp_person *p, cp_error *err);

/* Change the fields in mask of the person ref (email or uuid) to those of
 * changes. Changing the line manager is refused if it would make a cycle. */
int cp_people_edit(cp_store *st, const char *ref, const cp_person *changes, unsigned mask,
                   cp_error *err);

/* Read one person by email or uuid into *out (caller clears). */
int cp_people_get(cp_store *st, const char *ref, cp_person *out, cp_error *err);

typedef struct cp_people_filter {
  const char *service; /* NULL = any */
  const char *team;
  const char *post;
  const char *stage;
} cp_people_filter;

/* People matching filter (NULL = all), ordered by service, team, name. */
int cp_people_list(cp_store *st, const cp_people_filter *filter, cp_person **out, size_t *n,
                   cp_error *err);
void cp_people_free(cp_person *list, size_t n);

/* What an import did. */
typedef struct cp_import_result {
  long rows;       /* data rows read */
  long added;      /* new records */
  long updated;    /* existing records changed */
  long unchanged;  /* existing records already as in the file */
  char *unknown_columns; /* "a, b" or NULL; caller frees with cp_import_result_clear */
} cp_import_result;

void cp_import_result_clear(cp_import_result *r);

/* Import the people CSV at path ("-" = stdin): columns by name, any order;
 * email is the key (existing people are updated in place); a line manager may
 * be anywhere in the file or already held; a cycle of line managers, an
 * unknown manager, a duplicate email or a bad value is an error at
 * FILE:LINE:COL and nothing is written. */
int cp_people_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err);

/* Write people (filter may be NULL) as a people CSV with every column. */
int cp_people_export_csv(cp_store *st, const cp_people_filter *filter, FILE *out, cp_error *err);

/* Validation helpers shared with other modules: normalise a stage or
 * language given by a user ("Welsh" -> "cy"); NULL when not recognised. */
const char *cp_people_stage_norm(const char *s);
const char *cp_people_language_norm(const char *s);

#endif
