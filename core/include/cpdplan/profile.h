/* profile.h: the statements that apply to a person: the adopted frameworks'
 * statements that apply to all posts, plus the `agreed` ones added for the
 * person's post, plus the person's own agreed additions, less their removals
 * (each by statement or by whole dimension, element or key area). */
#ifndef CPDPLAN_PROFILE_H
#define CPDPLAN_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/store.h"

typedef enum {
  CP_PROFILE_ALL = 1,   /* applies to all posts in an adopted framework */
  CP_PROFILE_POST = 2,  /* agreed for the post */
  CP_PROFILE_ADDED = 3  /* agreed for the person */
} cp_profile_source;

typedef struct cp_profile_entry {
  int64_t item_id;
  char *code;
  char *statement;
  char *framework;      /* short name */
  char *dimension_code; /* top-level ancestor (dimension, key area ...) */
  char *dimension;
  char *element;        /* parent's statement when the parent is not the dimension, else "" */
  cp_profile_source source;
} cp_profile_entry;

/* The person's profile (email or uuid), in framework document order. */
int cp_profile_get(cp_store *st, const char *person, cp_profile_entry **out, size_t *n, cp_error *err);
void cp_profile_free(cp_profile_entry *list, size_t n);

/* Agree an addition to, or a removal from, the person's profile; item is a
 * statement or a grouping (dimension, element, key area) by code or uuid.
 * Adding what was removed (or the reverse) cancels the earlier change. */
int cp_profile_add(cp_store *st, const char *person, const char *item, cp_error *err);
int cp_profile_remove(cp_store *st, const char *person, const char *item, cp_error *err);

const char *cp_profile_source_name(cp_profile_source s);

#endif
