/* faults.h: allocation-failure injection for the unit tests: malloc, calloc
 * and realloc fail at the Nth call (fault_at) while SQLite keeps its own
 * allocator, so that only cpdplan's code sees the failures. Included by one
 * test file per executable. */
#ifndef CP_TEST_FAULTS_H
#define CP_TEST_FAULTS_H

#include <errno.h>
#include <sqlite3.h>
#include <stddef.h>

/* ---- allocation failures: every malloc, calloc and realloc of the code
 * under test is failed in turn (one per run) and the call must give 0 or
 * CP_ENOMEM, restore the transaction depth and, on failure, write nothing.
 * SQLite gets its own allocator so that only our code sees the failures.
 * Not under AddressSanitizer, which owns malloc itself. ---- */
#if defined(__SANITIZE_ADDRESS__)
#define CP_FAULTS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CP_FAULTS 0
#endif
#endif
#ifndef CP_FAULTS
#define CP_FAULTS 1
#endif

#define MISMATCH (-100) /* an operation's result was wrong although it succeeded */

#if CP_FAULTS
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long fault_at, fault_count; /* fail allocation number fault_at (0 = none) */
static int fault_hit;

static int fault_now(void) {
  if (!fault_at || ++fault_count != fault_at) return 0;
  fault_hit = 1;
  errno = ENOMEM; /* as the C library's malloc does */
  return 1;
}

void *malloc(size_t n) { return fault_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return fault_now() ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return fault_now() ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }

#define SQ_HEAD 16
static void *sq_malloc(int n) {
  size_t *p = __libc_malloc((size_t)n + SQ_HEAD);
  if (!p) return NULL;
  p[0] = (size_t)n;
  return (char *)p + SQ_HEAD;
}
static void sq_free(void *p) {
  if (p) __libc_free((char *)p - SQ_HEAD);
}
static void *sq_realloc(void *p, int n) {
  size_t *q = __libc_realloc((char *)p - SQ_HEAD, (size_t)n + SQ_HEAD);
  if (!q) return NULL;
  q[0] = (size_t)n;
  return (char *)q + SQ_HEAD;
}
static int sq_size(void *p) { return p ? (int)*(size_t *)((char *)p - SQ_HEAD) : 0; }
static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *x) {
  (void)x;
  return 0;
}
static void sq_shutdown(void *x) { (void)x; }

static void faults_setup(void) {
  static const sqlite3_mem_methods m = {sq_malloc,  sq_free, sq_realloc,  sq_size,
                                        sq_roundup, sq_init, sq_shutdown, NULL};
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
}
#else
static void faults_setup(void) {}
#endif

/* ---- the sweep: run an operation once per allocation, failing each in
 * turn; it must give 0 or CP_ENOMEM and write all of its change or none. ---- */
#include "cpdplan/store.h"
#include "store_internal.h"
#include <stdlib.h>
#include <string.h>

/* Everything the store holds that an operation may change, as one string. */
/* The integer the first row of sql gives (a count), or -1. */
__attribute__((unused)) static int count(cp_store *st, const char *sql) {
  sqlite3_stmt *s;
  cp_error e;
  if (cp_store_prepare(st, sql, &s, &e)) return -1;
  int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
  sqlite3_reset(s);
  return n;
}

__attribute__((unused)) static char *digest(cp_store *st) {
  sqlite3_stmt *s;
  cp_error e;
  if (cp_store_prepare(st,
                       "SELECT group_concat(x, '|') FROM (SELECT x FROM ("
                       "SELECT 'p'||id||email||name||ifnull(post_id,'')||team||ifnull(service_id,'')||"
                       "ifnull(line_manager_id,'')||ifnull(appointed,'')||stage||language||mentor_capacity||"
                       "ifnull(retirement_year,'') AS x FROM person"
                       " UNION ALL SELECT 's'||id||name||nation FROM service"
                       " UNION ALL SELECT 'o'||id||name FROM post"
                       " UNION ALL SELECT 'f'||service_id||'-'||framework_id FROM service_framework"
                       " UNION ALL SELECT 'i'||post_id||'-'||item_id FROM post_item"
                       " UNION ALL SELECT 'c'||person_id||'-'||item_id||mode FROM person_item"
                       " UNION ALL SELECT 'y'||id||name FROM cycle"
                       " UNION ALL SELECT 'a'||id||'-'||person_id||'-'||item_id||'-'||cycle_id||kind||"
                       "ifnull(grade,'N')||ifnull(assessor_id,'')||assessed_on||comment||fingerprint FROM assessment"
                       " UNION ALL SELECT 'e'||assessment_id||'-'||seq||title||location FROM evidence"
                       " UNION ALL SELECT 'A'||id||code||title||kind||strand||days||cost||language||provider||"
                       "stages||eligibility||awarding_body||credits||'#'||ord FROM activity"
                       " UNION ALL SELECT 'I'||activity_id||'-'||item_id||'-'||seq FROM activity_item"
                       " UNION ALL SELECT 'R'||activity_id||'-'||prereq_id||'-'||seq FROM activity_prereq"
                       " UNION ALL SELECT 'S'||id||activity_id||start||end||place||capacity||"
                       "ifnull(facilitator_id,'')||language FROM session"
                       ") ORDER BY x)",
                       &s, &e))
    return NULL;
  char *d = NULL;
  if (sqlite3_step(s) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(s, 0);
    d = strdup(t ? t : "");
  }
  sqlite3_reset(s);
  return d;
}

/* Assert that st's digest is still before (taken by digest()); frees before. */
__attribute__((unused)) static void assert_unchanged(cp_store *st, char *before) {
  char *after = digest(st);
  assert_string_equal(before, after);
  free(before);
  free(after);
}

typedef int (*op_fn)(cp_store *st, cp_error *e);

#if CP_FAULTS
/* One run of op inside a transaction that is then rolled back, failing its
 * allocation number n (0: none); the digests before and after it. */
static int run_once(cp_store *st, op_fn op, long n, char **before, char **after, cp_error *e) {
  cp_error_clear(e);
  assert_int_equal(cp_store_begin(st, e), 0);
  *before = digest(st);
  fault_at = n;
  fault_count = fault_hit = 0;
  int rc = op(st, e);
  fault_at = 0;
  *after = digest(st);
  assert_int_equal(cp_store_depth(st), 1);
  cp_store_rollback(st);
  assert_int_equal(cp_store_depth(st), 0);
  return rc;
}
#endif

/* Fail each allocation of op in turn. */
static void sweep(cp_store *st, op_fn op) {
#if CP_FAULTS
  cp_error e;
  char *before, *after, *want;
  assert_int_equal(run_once(st, op, 0, &before, &want, &e), 0);
  free(before);
  for (long n = 1;; n++) {
    int rc = run_once(st, op, n, &before, &after, &e);
    if (rc && rc != CP_ENOMEM && !(rc == CP_EIO && strstr(e.msg, "Cannot allocate memory")))
      fail_msg("allocation %ld failed: got %d (%s)", n, rc, e.msg);
    if (rc) assert_string_equal(before, after); /* nothing written */
    else assert_string_equal(after, want);      /* or all of it, right */
    free(before);
    free(after);
    if (!fault_hit) break;
  }
  free(want);
#else
  (void)st;
  (void)op;
  skip();
#endif
}

#endif
