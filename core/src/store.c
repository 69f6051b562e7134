/* store.c: the SQLite connection: creation with mode 0600, forward migrations
 * from the embedded core/sql/NNN_*.sql files (PRAGMA user_version), pragmas
 * (foreign keys, WAL, busy timeout), nested transactions that remember where
 * they began, a prepared-statement cache and the meta key/value table. */
#include "store_internal.h"

#include "embedded.h"
#include "grade_digest.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CP_APPLICATION_ID 0x43504450 /* "CPDP" */
#define CP_MAX_DEPTH 32

typedef struct stmt_slot {
  const char *sql;
  sqlite3_stmt *stmt;
} stmt_slot;

struct cp_store {
  sqlite3 *db;
  char *path;
  int depth;
  const char *begin_file[CP_MAX_DEPTH];
  int begin_line[CP_MAX_DEPTH];
  cp_map stmt_index; /* sql text -> index in stmts */
  stmt_slot *stmts;
  size_t nstmts, capstmts;
};

sqlite3 *cp_store_db(cp_store *st) { return st->db; }
const char *cp_store_path(const cp_store *st) { return st->path; }
int cp_store_depth(const cp_store *st) { return st->depth; }

int cp_store_db_error(cp_store *st, cp_error *err, const char *what) {
  return cp_error_set(err, CP_EDB, "%s: %s", what, st && st->db ? sqlite3_errmsg(st->db) : "no database");
}

int cp_store_exec(cp_store *st, const char *sql, cp_error *err) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    cp_error_set(err, CP_EDB, "%s", msg ? msg : sqlite3_errmsg(st->db));
    sqlite3_free(msg);
    return CP_EDB;
  }
  return 0;
}

int cp_bind_text(sqlite3_stmt *s, int i, const char *v) {
  if (!v) return sqlite3_bind_null(s, i);
  return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

const char *cp_col_text(sqlite3_stmt *s, int i) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return t ? (const char *)t : "";
}

int cp_store_prepare(cp_store *st, const char *sql, sqlite3_stmt **out, cp_error *err) {
  int64_t idx;
  if (cp_map_get(&st->stmt_index, sql, &idx)) {
    sqlite3_stmt *s = st->stmts[idx].stmt;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    *out = s;
    return 0;
  }
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
    return cp_store_db_error(st, err, "preparing statement");
  if (st->nstmts == st->capstmts) {
    size_t cap = st->capstmts ? st->capstmts * 2 : 32;
    stmt_slot *p = realloc(st->stmts, cap * sizeof *p);
    if (!p) {
      sqlite3_finalize(s);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    st->stmts = p;
    st->capstmts = cap;
  }
  if (cp_map_put(&st->stmt_index, sql, (int64_t)st->nstmts)) {
    sqlite3_finalize(s);
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  st->stmts[st->nstmts].sql = sql;
  st->stmts[st->nstmts].stmt = s;
  st->nstmts++;
  *out = s;
  return 0;
}

static int user_version(cp_store *st) {
  sqlite3_stmt *s;
  int v = -1;
  if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  return v;
}

static int pragma_int(cp_store *st, const char *sql) {
  sqlite3_stmt *s;
  int v = 0;
  if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  return v;
}

int cp_store_schema_version(cp_store *st) { return user_version(st); }

int cp_store_schema_latest(void) {
  int latest = 0;
  for (const cp_embedded_file *f = cp_embedded_sql; f->name; f++) {
    int v = atoi(f->name);
    if (v > latest) latest = v;
  }
  return latest;
}

/* Apply every embedded migration newer than the database, in one transaction. */
static int migrate(cp_store *st, cp_error *err) {
  int have = user_version(st);
  int latest = cp_store_schema_latest();
  if (have > latest)
    return cp_error_set(err, CP_ESCHEMA,
                        "%s: database schema version %d is newer than this cpdplan (%d): upgrade cpdplan",
                        st->path, have, latest);
  if (have == latest) return 0;
  int tables = pragma_int(st, "SELECT count(*) FROM sqlite_schema");
  int appid = pragma_int(st, "PRAGMA application_id");
  if (have == 0 && tables > 0 && appid != CP_APPLICATION_ID)
    return cp_error_set(err, CP_ESCHEMA, "%s: not a cpdplan database", st->path);
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  for (int v = have + 1; v <= latest; v++) {
    const cp_embedded_file *mf = NULL;
    for (const cp_embedded_file *f = cp_embedded_sql; f->name; f++)
      if (atoi(f->name) == v) mf = f;
    if (!mf) {
      cp_store_rollback(st);
      return cp_error_set(err, CP_ESCHEMA, "missing migration %03d", v);
    }
    if ((rc = cp_store_exec(st, mf->data, err))) {
      cp_error_prefix(err, "migration %s", mf->name);
      cp_store_rollback(st);
      return rc;
    }
  }
  char sql[96];
  snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d", CP_APPLICATION_ID, latest);
  if ((rc = cp_store_exec(st, sql, err))) {
    cp_store_rollback(st);
    return rc;
  }
  return cp_store_commit(st, err);
}

static int create_file_0600(const char *path, bool must_be_new, cp_error *err) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    close(fd);
    return 0;
  }
  if (errno == EEXIST) {
    if (must_be_new) return cp_error_set(err, CP_EEXISTS, "%s: already exists", path);
    return 0;
  }
  return cp_error_set(err, CP_EIO, "%s: cannot create: %s", path, strerror(errno));
}

int cp_store_open(cp_store **out, const char *path, unsigned flags, cp_error *err) {
  *out = NULL;
  if (!path || !*path) return cp_error_set(err, CP_EINVAL, "no database path given");
  bool memory = strcmp(path, ":memory:") == 0;
  bool created = false;
  if (!memory) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
      if (!(flags & CP_STORE_CREATE))
        return cp_error_set(err, CP_ENOTFOUND, "%s: no such database (create one with `cpdplan init`)", path);
      int rc = create_file_0600(path, flags & CP_STORE_MUST_BE_NEW, err);
      if (rc) return rc;
      created = true;
    } else if (flags & CP_STORE_MUST_BE_NEW) {
      return cp_error_set(err, CP_EEXISTS, "%s: already exists", path);
    }
  }
  cp_store *st = calloc(1, sizeof *st);
  if (!st) return cp_error_set(err, CP_ENOMEM, "out of memory");
  cp_map_init(&st->stmt_index, false);
  st->path = cp_strdup(path);
  int oflags = (flags & CP_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (memory) oflags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    cp_error_set(err, CP_EIO, "%s: cannot open database: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
    cp_store_close(st);
    if (created) unlink(path);
    return CP_EIO;
  }
  sqlite3_extended_result_codes(st->db, 1);
  sqlite3_busy_timeout(st->db, 5000);
  int rc = cp_store_exec(st, "PRAGMA foreign_keys=ON", err);
  if (!rc && !memory && !(flags & CP_STORE_READONLY)) {
    rc = cp_store_exec(st, "PRAGMA journal_mode=WAL", err);
    if (rc) cp_error_prefix(err, "%s", path);
  }
  if (!rc) rc = cp_store_exec(st, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536", err);
  if (!rc && !(flags & CP_STORE_READONLY)) rc = migrate(st, err);
  /* grades judged since (by anyone, e.g. after migrating) folded once. The
   * digests are a cache: when another connection is writing, or folding
   * fails, they are left stale (the snapshot folds what is stale itself)
   * rather than waiting for the lock or failing the open. */
  if (!rc && !(flags & CP_STORE_READONLY)) {
    cp_error ignored;
    sqlite3_busy_timeout(st->db, 0);
    cp_grade_digest_refresh(st, NULL, &ignored);
    sqlite3_busy_timeout(st->db, 5000);
  }
  if (!rc && (flags & CP_STORE_READONLY) && user_version(st) != cp_store_schema_latest())
    rc = cp_error_set(err, CP_ESCHEMA, "%s: database needs migrating; open it read-write once", path);
  if (rc) {
    if (rc == CP_EDB && err && !strstr(err->msg, path)) cp_error_prefix(err, "%s", path);
    cp_store_close(st);
    if (created) unlink(path);
    return rc;
  }
  *out = st;
  return 0;
}

void cp_store_close(cp_store *st) {
  if (!st) return;
  while (st->depth > 0) cp_store_rollback(st);
  for (size_t i = 0; i < st->nstmts; i++) sqlite3_finalize(st->stmts[i].stmt);
  free(st->stmts);
  cp_map_free(&st->stmt_index);
  if (st->db) sqlite3_close_v2(st->db);
  free(st->path);
  free(st);
}

int cp_store_begin_at(cp_store *st, const char *file, int line, cp_error *err) {
  if (st->depth >= CP_MAX_DEPTH)
    return cp_error_set(err, CP_ELIMIT, "transactions nested too deeply (outermost begun at %s:%d)",
                        st->begin_file[0], st->begin_line[0]);
  char sql[48];
  if (st->depth == 0)
    snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
  else
    snprintf(sql, sizeof sql, "SAVEPOINT cp_sp%d", st->depth);
  int rc = cp_store_exec(st, sql, err);
  if (rc) {
    cp_error_prefix(err, "beginning transaction at %s:%d", file, line);
    return rc;
  }
  st->begin_file[st->depth] = file;
  st->begin_line[st->depth] = line;
  st->depth++;
  return 0;
}

int cp_store_commit(cp_store *st, cp_error *err) {
  if (st->depth <= 0) return cp_error_set(err, CP_EINVAL, "commit without a transaction");
  char sql[48];
  if (st->depth == 1)
    snprintf(sql, sizeof sql, "COMMIT");
  else
    snprintf(sql, sizeof sql, "RELEASE cp_sp%d", st->depth - 1);
  int rc = cp_store_exec(st, sql, err);
  if (rc) {
    cp_error_prefix(err, "committing transaction begun at %s:%d", st->begin_file[st->depth - 1],
                    st->begin_line[st->depth - 1]);
    cp_store_rollback(st);
    return rc;
  }
  st->depth--;
  return 0;
}

void cp_store_rollback(cp_store *st) {
  if (!st || st->depth <= 0) return;
  char sql[64];
  if (st->depth == 1)
    snprintf(sql, sizeof sql, "ROLLBACK");
  else
    snprintf(sql, sizeof sql, "ROLLBACK TO cp_sp%d; RELEASE cp_sp%d", st->depth - 1, st->depth - 1);
  sqlite3_exec(st->db, sql, NULL, NULL, NULL);
  st->depth--;
}

int cp_store_meta_get(cp_store *st, const char *key, char **value, cp_error *err) {
  *value = NULL;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT value FROM meta WHERE key=?1", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, key);
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) {
    *value = cp_strdup(cp_col_text(s, 0));
    if (!*value) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  } else if (r != SQLITE_DONE) {
    rc = cp_store_db_error(st, err, "reading settings");
  }
  sqlite3_reset(s);
  return rc;
}

int cp_store_meta_set(cp_store *st, const char *key, const char *value, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "INSERT INTO meta(key,value) VALUES(?1,?2) "
                            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                            &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, key);
  cp_bind_text(s, 2, value);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "writing settings");
  sqlite3_reset(s);
  return rc;
}
