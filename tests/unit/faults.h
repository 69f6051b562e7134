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

#endif
