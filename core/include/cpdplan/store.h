/* store.h: the cpdplan database: one SQLite file holding people, frameworks,
 * grades and (later) activities and plans. Opening applies forward migrations
 * (PRAGMA user_version), turns on foreign keys, WAL and a busy timeout.
 * Transactions nest (savepoints inside one BEGIN IMMEDIATE) and remember the
 * file and line that began them. A cp_store is used by one thread at a time. */
#ifndef CPDPLAN_STORE_H
#define CPDPLAN_STORE_H

#include "cpdplan/error.h"

typedef struct cp_store cp_store;

enum {
  CP_STORE_CREATE = 1 << 0,   /* create the file (mode 0600) if it is missing */
  CP_STORE_READONLY = 1 << 1, /* open read-only (no migrations are applied) */
  CP_STORE_MUST_BE_NEW = 1 << 2 /* fail if the file exists (used by init) */
};

/* Open (and migrate) the database at path. *out is set on success and must be
 * released with cp_store_close. path ":memory:" gives a private in-memory store. */
int cp_store_open(cp_store **out, const char *path, unsigned flags, cp_error *err);

/* Close the store; rolls back any transaction still open. NULL is accepted. */
void cp_store_close(cp_store *st);

/* Schema version the store is at, and the newest this build knows. */
int cp_store_schema_version(cp_store *st);
int cp_store_schema_latest(void);

/* Transactions. Begin opens a write transaction (or a savepoint when one is
 * already open); commit and rollback end the innermost level. */
int cp_store_begin_at(cp_store *st, const char *file, int line, cp_error *err);
#define cp_store_begin(st, err) cp_store_begin_at((st), __FILE__, __LINE__, (err))
int cp_store_commit(cp_store *st, cp_error *err);
void cp_store_rollback(cp_store *st);
/* Nesting depth of open transactions (0 when none). */
int cp_store_depth(const cp_store *st);

/* Small key/value settings kept in the database (meta table). *value is
 * malloc'd (caller frees) or NULL when the key is absent. */
int cp_store_meta_get(cp_store *st, const char *key, char **value, cp_error *err);
int cp_store_meta_set(cp_store *st, const char *key, const char *value, cp_error *err);

/* Path the store was opened with. */
const char *cp_store_path(const cp_store *st);

#endif
