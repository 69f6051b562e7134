/* catalogue_internal.h: what the catalogue's source files share: where a
 * record came from and the error helpers that place a message at its
 * FILE:LINE:COL, small cell helpers, and the activity look-up sessions use.
 * Internal to catalogue.c and catalogue_session.c. */
#ifndef CP_CATALOGUE_INTERNAL_H
#define CP_CATALOGUE_INTERNAL_H

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/csvio.h"
#include "cpdplan/error.h"
#include "store_internal.h"
#include "util.h"

/* Where a record came from, for messages. */
typedef struct origin {
  const char *file; /* NULL for records not from a file */
  long line;
  const int *col;   /* field index per column, or NULL */
} origin;

static inline int col_of(const origin *o, int column) {
  return (o && o->col && column >= 0 && o->col[column] >= 0) ? o->col[column] + 1 : 0;
}

static inline int oom(cp_error *err) { return cp_error_set(err, CP_ENOMEM, "out of memory"); }

static inline int rec_fail(const origin *o, int column, int code, cp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static inline int rec_fail(const origin *o, int column, int code, cp_error *err, const char *fmt, ...) {
  char msg[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (o && o->file) return cp_error_set_at(err, code, o->file, o->line, col_of(o, column), "%s", msg);
  return cp_error_set(err, code, "%s", msg);
}

/* Give an error raised below (the database) the record's place. */
static inline int rec_locate(const origin *o, int column, int rc, cp_error *err) {
  if (rc && err && o && o->file && !err->file[0]) {
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    cp_error_set_at(err, rc, o->file, o->line, col_of(o, column), "%s", msg);
  }
  return rc;
}

static inline int step_once(sqlite3_stmt *s) {
  int r = sqlite3_step(s);
  sqlite3_reset(s);
  return r;
}

static inline bool row_blank(const cp_csv_row *row) {
  for (size_t i = 0; i < row->nfields; i++)
    if (!cp_is_blank(row->fields[i])) return false;
  return true;
}

/* A trimmed copy of a cell; NULL when out of memory. */
static inline char *cell(const cp_csv_row *row, int index) {
  char *s = cp_strdup(cp_csv_get(row, index));
  return s ? cp_trim(s) : NULL;
}

/* Replace *field by a copy of v. */
static inline int set_str(char **field, const char *v, cp_error *err) {
  char *c = cp_strdup(v ? v : "");
  if (!c) return oom(err);
  free(*field);
  *field = c;
  return 0;
}

static inline void lower(char *s) {
  for (; s && *s; s++) *s = (char)tolower((unsigned char)*s);
}

/* The id of activity code (any case) or identifier and, when lang is not
 * NULL, its language; CP_ENOTFOUND: `no activity "X"`. */
int cp_cat_find_activity(cp_store *st, const char *code, int64_t *id, char lang[8], cp_error *err);

#endif
