/* test_store.c: the store: creation with mode 0600, migrations to the latest
 * schema, refusal of newer or foreign databases, nested transactions that
 * roll back exactly what they wrote, meta settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpdplan/store.h"
#include "store_internal.h"

static char dir[256];

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cp-store-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd);
}

static void test_create_mode_and_schema(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/a.db", dir);
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_store_open(&st, path, 0, &e), CP_ENOTFOUND);
  assert_non_null(strstr(e.msg, "cpdplan init"));
  assert_int_equal(cp_store_open(&st, path, CP_STORE_CREATE, &e), 0);
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  assert_int_equal(cp_store_schema_version(st), cp_store_schema_latest());
  assert_true(cp_store_schema_latest() >= 1);
  /* foreign keys are on */
  sqlite3_stmt *s;
  assert_int_equal(cp_store_prepare(st, "PRAGMA foreign_keys", &s, &e), 0);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(s, 0), 1);
  sqlite3_reset(s);
  /* default scale is data */
  assert_int_equal(cp_store_prepare(st, "SELECT count(*) FROM scale_level WHERE scale_id=1", &s, &e), 0);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(s, 0), 5);
  sqlite3_reset(s);
  cp_store_close(st);
  assert_int_equal(cp_store_open(&st, path, CP_STORE_CREATE | CP_STORE_MUST_BE_NEW, &e), CP_EEXISTS);
}

static void test_newer_and_foreign(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/newer.db", dir);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL);
  sqlite3_close(db);
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_store_open(&st, path, 0, &e), CP_ESCHEMA);
  assert_non_null(strstr(e.msg, "newer"));
  snprintf(path, sizeof path, "%s/foreign.db", dir);
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
  sqlite3_close(db);
  assert_int_equal(cp_store_open(&st, path, 0, &e), CP_ESCHEMA);
  assert_non_null(strstr(e.msg, "not a cpdplan database"));
}

static int count_meta(cp_store *st) {
  sqlite3_stmt *s;
  cp_error e;
  cp_store_prepare(st, "SELECT count(*) FROM meta", &s, &e);
  sqlite3_step(s);
  int n = sqlite3_column_int(s, 0);
  sqlite3_reset(s);
  return n;
}

static void test_nested_transactions(void **state) {
  (void)state;
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_store_open(&st, ":memory:", 0, &e), 0);
  assert_int_equal(cp_store_begin(st, &e), 0);
  assert_int_equal(cp_store_meta_set(st, "a", "1", &e), 0);
  assert_int_equal(cp_store_begin(st, &e), 0);
  assert_int_equal(cp_store_depth(st), 2);
  assert_int_equal(cp_store_meta_set(st, "b", "2", &e), 0);
  cp_store_rollback(st); /* inner only */
  assert_int_equal(count_meta(st), 1);
  assert_int_equal(cp_store_commit(st, &e), 0);
  assert_int_equal(cp_store_depth(st), 0);
  char *v;
  assert_int_equal(cp_store_meta_get(st, "a", &v, &e), 0);
  assert_string_equal(v, "1");
  free(v);
  assert_int_equal(cp_store_meta_get(st, "b", &v, &e), 0);
  assert_null(v);
  assert_int_equal(cp_store_commit(st, &e), CP_EINVAL);
  cp_store_close(st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_mode_and_schema),
      cmocka_unit_test(test_newer_and_foreign),
      cmocka_unit_test(test_nested_transactions),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
