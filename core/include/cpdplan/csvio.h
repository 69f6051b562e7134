/* csvio.h: reading and writing the CSV files cpdplan exchanges with
 * spreadsheets: RFC 4180 quoting (libcsv), UTF-8 with or without BOM, a
 * header row whose columns are matched by name, case-insensitively, in any
 * order. Rows are streamed to a callback with the line they start on, so
 * files of millions of rows are read in constant memory. */
#ifndef CPDPLAN_CSVIO_H
#define CPDPLAN_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cpdplan/error.h"

/* One record: fields are NUL-terminated, valid only during the callback. */
typedef struct cp_csv_row {
  const char *file; /* path being read */
  long line;        /* 1-based line the record starts on */
  size_t nfields;
  char **fields;
} cp_csv_row;

/* Return 0 to go on, or a negative CP_E* code (with err filled) to stop. */
typedef int (*cp_csv_row_fn)(void *ctx, const cp_csv_row *row, cp_error *err);

/* Read path ("-" for standard input) and call fn for each record, header
 * included. Fails with FILE:LINE:COL on malformed CSV or invalid UTF-8. */
int cp_csv_read(const char *path, cp_csv_row_fn fn, void *ctx, cp_error *err);

/* Same, over a string in memory; name is used in error messages. */
int cp_csv_read_string(const char *name, const char *data, size_t size, cp_csv_row_fn fn,
                       void *ctx, cp_error *err);

/* A column a file format knows. */
typedef struct cp_csv_column {
  const char *name; /* lower-case name as in the design's file formats */
  bool required;
} cp_csv_column;

/* Map a header row onto known columns: index[i] is the field index of
 * cols[i] or -1 when absent. Missing required columns are an error at
 * FILE:1. Unknown column names are appended to *unknown (a "a, b" list, caller
 * frees; NULL when none). Duplicate column names are an error. */
int cp_csv_map_header(const cp_csv_row *header, const cp_csv_column *cols, size_t ncols,
                      int *index, char **unknown, cp_error *err);

/* Field i of row by mapped index, "" when the column is absent or short. */
const char *cp_csv_get(const cp_csv_row *row, int index);

/* Writing: a field is quoted only when it holds a comma, quote, CR or LF, or
 * begins or ends with a space; rows end in "\n". */
void cp_csv_write_field(FILE *out, const char *s, bool last);
void cp_csv_write_row(FILE *out, const char *const *fields, size_t n);

#endif
