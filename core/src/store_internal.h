/* store_internal.h: what the modules that own tables use to reach SQLite:
 * the raw handle, a cache of prepared statements and error helpers.
 * Only modules that own a table (and snapshot) include this. */
#ifndef CP_STORE_INTERNAL_H
#define CP_STORE_INTERNAL_H

#include <sqlite3.h>

#include "cpdplan/store.h"

sqlite3 *cp_store_db(cp_store *st);

/* A cached prepared statement for sql (which must be a string constant or
 * otherwise outlive the store). The statement is reset and its bindings
 * cleared; do not finalize it. */
int cp_store_prepare(cp_store *st, const char *sql, sqlite3_stmt **out, cp_error *err);

/* Fill err from the connection's last SQLite error; returns CP_EDB. */
int cp_store_db_error(cp_store *st, cp_error *err, const char *what);

/* Run SQL without results (no parameters). */
int cp_store_exec(cp_store *st, const char *sql, cp_error *err);

/* Bind helpers: NULL text binds SQL NULL. */
int cp_bind_text(sqlite3_stmt *s, int i, const char *v);
const char *cp_col_text(sqlite3_stmt *s, int i); /* "" for NULL */

#endif
