/* test_people.c: people, services, posts and profiles through the library:
 * import with managers in any order, idempotent re-import, cycles through
 * people already held, renames, profiles from adoption + post + person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/profile.h"
#include "cpdplan/service.h"
#include "store_internal.h"

#define DATA CP_TEST_DATA "/people/"

static int setup(void **state) {
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  if (cp_store_open(&st, ":memory:", 0, &e)) return -1;
  if (cp_framework_install_shipped(st, &e)) return -1;
  cp_import_result r;
  if (cp_service_import_csv(st, DATA "services.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  if (cp_post_import_csv(st, DATA "posts.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  *state = st;
  return 0;
}

static int teardown(void **state) {
  cp_store_close(*state);
  return 0;
}

static int count(cp_store *st, const char *sql) {
  sqlite3_stmt *s;
  cp_error e;
  if (cp_store_prepare(st, sql, &s, &e)) return -1;
  int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
  sqlite3_reset(s);
  return n;
}

static void test_import_idempotent(void **state) {
  cp_store *st = *state;
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  assert_int_equal(r.rows, 5);
  assert_int_equal(r.added, 5);
  cp_import_result_clear(&r);
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  assert_int_equal(r.added, 0);
  assert_int_equal(r.updated, 0);
  assert_int_equal(r.unchanged, 5);
  cp_import_result_clear(&r);
  cp_person p;
  assert_int_equal(cp_people_get(st, "CERYS@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.line_manager, "bob@test.gov.uk"); /* manager defined later in the file */
  assert_string_equal(p.stage, "new");
  cp_person_clear(&p);
  assert_int_equal(cp_people_get(st, "ann@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.language, "cy"); /* "Welsh" normalised */
  assert_int_equal(p.retirement_year, 2030);
  cp_person_clear(&p);
}

static void test_cycle_through_held(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  int before = count(st, "SELECT total_changes()");
  /* ann (held, manages bob who manages cerys) given cerys as manager: a cycle */
  cp_person ch = {0};
  ch.line_manager = "cerys@test.gov.uk";
  assert_int_equal(cp_people_edit(st, "ann@test.gov.uk", &ch, CP_PERSON_MANAGER, &e), CP_ECYCLE);
  assert_non_null(strstr(e.msg, "line managers form a cycle"));
  assert_int_equal(count(st, "SELECT total_changes()"), before);
  /* a legal change of manager works */
  ch.line_manager = "ann@test.gov.uk";
  assert_int_equal(cp_people_edit(st, "cerys@test.gov.uk", &ch, CP_PERSON_MANAGER, &e), 0);
  /* a rename keeps the person and their reports */
  cp_person rn = {0};
  rn.email = "robert@test.gov.uk";
  assert_int_equal(cp_people_edit(st, "bob@test.gov.uk", &rn, CP_PERSON_EMAIL, &e), 0);
  cp_person p;
  assert_int_equal(cp_people_get(st, "dan@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.line_manager, "robert@test.gov.uk");
  cp_person_clear(&p);
  assert_int_equal(count(st, "SELECT count(*) FROM person"), 5);
}

static void test_profiles(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  cp_profile_entry *list;
  size_t n;
  assert_int_equal(cp_profile_get(st, "dan@test.gov.uk", &list, &n, &e), 0);
  assert_int_equal(n, 3);
  assert_string_equal(list[2].code, "WEIP-3");
  assert_int_equal(list[2].source, CP_PROFILE_POST);
  assert_int_equal(list[0].source, CP_PROFILE_ALL);
  cp_profile_free(list, n);
  /* Welsh team leader: no WEIP-3 (not agreed for the post), VSC-KS and VSC-PC */
  assert_int_equal(cp_profile_get(st, "bob@test.gov.uk", &list, &n, &e), 0);
  assert_int_equal(n, 2 + 3 + 7);
  cp_profile_free(list, n);
  /* removing a whole framework item then adding it back cancels out */
  assert_int_equal(cp_profile_remove(st, "eve@example.gov.uk", "ASP05-6", &e), 0);
  assert_int_equal(cp_profile_get(st, "eve@example.gov.uk", &list, &n, &e), 0);
  size_t without = n;
  cp_profile_free(list, n);
  assert_true(without < 153);
  assert_int_equal(cp_profile_add(st, "eve@example.gov.uk", "ASP05-6", &e), 0);
  assert_int_equal(cp_profile_get(st, "eve@example.gov.uk", &list, &n, &e), 0);
  assert_int_equal(n, 153);
  cp_profile_free(list, n);
  assert_int_equal(count(st, "SELECT count(*) FROM person_item"), 0);
  /* a post agreement from a framework the service has not adopted adds nothing */
  assert_int_equal(cp_post_agree(st, "School Improvement Adviser", "VSC-PQ", &e), 0);
  assert_int_equal(cp_profile_get(st, "eve@example.gov.uk", &list, &n, &e), 0);
  assert_int_equal(n, 153);
  cp_profile_free(list, n);
}

static void test_bad_rows_write_nothing(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  int before = count(st, "SELECT count(*) FROM person") + count(st, "SELECT count(*) FROM service");
  assert_int_equal(cp_people_import_csv(st, DATA "bad-unknown-manager.csv", &r, &e), CP_EINVAL);
  cp_import_result_clear(&r);
  assert_int_equal(e.line, 3);
  assert_int_equal(e.col, 6);
  assert_int_equal(cp_people_import_csv(st, DATA "bad-cycle.csv", &r, &e), CP_ECYCLE);
  cp_import_result_clear(&r);
  assert_int_equal(count(st, "SELECT count(*) FROM person") + count(st, "SELECT count(*) FROM service"), before);
  assert_int_equal(cp_store_depth(st), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_import_idempotent, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cycle_through_held, setup, teardown),
      cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_rows_write_nothing, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
