/* error.h: the error type every libcpdplan function fills.
 * Functions return 0 or a negative CP_E* code and, on failure, describe the
 * problem in a caller-provided cp_error: a message and, for input files, the
 * file, line and column it was found at. The library never prints or exits. */
#ifndef CPDPLAN_ERROR_H
#define CPDPLAN_ERROR_H

#include <stddef.h>

enum {
  CP_OK = 0,
  CP_ENOMEM = -1,    /* out of memory */
  CP_EINVAL = -2,    /* bad argument or bad value in input */
  CP_ENOTFOUND = -3, /* no such person, statement, framework, ... */
  CP_EEXISTS = -4,   /* already exists / duplicate */
  CP_EPARSE = -5,    /* malformed input file (CSV, JSON) */
  CP_EDB = -6,       /* SQLite error */
  CP_EIO = -7,       /* cannot read or write a file */
  CP_ESCHEMA = -8,   /* database from a newer cpdplan, or not a cpdplan database */
  CP_ECYCLE = -9,    /* a cycle (e.g. of line managers) */
  CP_EAMBIGUOUS = -10, /* a name matches more than one thing */
  CP_ELIMIT = -11    /* a resource limit was exceeded */
};

typedef struct cp_error {
  int code;        /* 0 when no error */
  char file[512];  /* input file the error is in, or "" */
  long line;       /* 1-based line in file, 0 if none */
  long col;        /* 1-based column in file, 0 if none */
  char msg[1024];  /* what is wrong, one line, no trailing newline */
} cp_error;

/* Reset err to "no error". NULL is accepted. */
void cp_error_clear(cp_error *err);

/* Set code and message (printf-style); returns code so callers can
 * `return cp_error_set(err, CP_EINVAL, "...")`. err may be NULL. */
int cp_error_set(cp_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, with the input file position the problem was found at. */
int cp_error_set_at(cp_error *err, int code, const char *file, long line,
                    long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Prefix the message with context ("importing people: ..."). */
void cp_error_prefix(cp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Write "FILE:LINE:COL: message" (the parts that are set) into buf. */
const char *cp_error_format(const cp_error *err, char *buf, size_t size);

/* Short name of a code: "out of memory", "not found", ... */
const char *cp_error_code_name(int code);

#endif
