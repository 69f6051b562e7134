/* test_people.c: people, services, posts and profiles through the library:
 * import with managers in any order, idempotent re-import, cycles through
 * people already held, renames, profiles from adoption + post + person; odd
 * files (BOM, CRLF, blank lines, spaces and capitals in emails, header only,
 * empty, partial columns); and every allocation failure giving CP_ENOMEM
 * with nothing written. */
#include <setjmp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
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

#include "faults.h"

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


static void test_odd_files(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  /* BOM, CRLF, blank lines, spaces and capitals around emails */
  assert_int_equal(cp_people_import_csv(st, DATA "bom-crlf.csv", &r, &e), 0);
  assert_int_equal(r.rows, 2);
  assert_int_equal(r.added, 2);
  cp_import_result_clear(&r);
  cp_person p;
  assert_int_equal(cp_people_get(st, "ann.upper@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.email, "ann.upper@test.gov.uk");
  cp_person_clear(&p);
  assert_int_equal(cp_people_get(st, "BOB.LOWER@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.line_manager, "ann.upper@test.gov.uk");
  cp_person_clear(&p);
  assert_int_equal(cp_people_import_csv(st, DATA "bom-crlf.csv", &r, &e), 0);
  assert_int_equal(r.unchanged, 2);
  cp_import_result_clear(&r);
  /* a header alone is an empty import; an empty file is an error */
  assert_int_equal(cp_people_import_csv(st, DATA "header-only.csv", &r, &e), 0);
  assert_int_equal(r.rows + r.added + r.updated + r.unchanged, 0);
  cp_import_result_clear(&r);
  assert_int_equal(cp_people_import_csv(st, DATA "empty.csv", &r, &e), CP_EPARSE);
  assert_int_equal(e.line, 1);
  cp_import_result_clear(&r);
  /* one's own line manager, whatever the case */
  assert_int_equal(cp_people_import_csv(st, DATA "bad-self-manager.csv", &r, &e), CP_EINVAL);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.col, 3);
  assert_non_null(strstr(e.msg, "cannot be their own line manager"));
  cp_import_result_clear(&r);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_partial_columns_keep_values(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  /* name and email only: the other columns are not in the file, not empty */
  assert_int_equal(cp_people_import_csv(st, DATA "partial.csv", &r, &e), 0);
  assert_int_equal(r.updated, 1);
  cp_import_result_clear(&r);
  cp_person p;
  assert_int_equal(cp_people_get(st, "dan@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.name, "Dan Renamed");
  assert_string_equal(p.post, "Challenge Adviser");
  assert_string_equal(p.team, "Primary");
  assert_string_equal(p.service, "Testshire");
  assert_string_equal(p.line_manager, "bob@test.gov.uk");
  assert_string_equal(p.appointed, "2018-04-01");
  assert_string_equal(p.stage, "experienced");
  assert_int_equal(p.mentor_capacity, 2);
  assert_int_equal(p.retirement_year, 2034);
  cp_person_clear(&p);
  assert_int_equal(cp_people_import_csv(st, DATA "partial.csv", &r, &e), 0);
  assert_int_equal(r.unchanged, 1);
  cp_import_result_clear(&r);
}

static void test_reimport_cycle_through_held(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  char *before = digest(st);
  /* ann -> cerys -> bob -> ann: cerys and bob are only in the database */
  assert_int_equal(cp_people_import_csv(st, DATA "bad-reimport-cycle.csv", &r, &e), CP_ECYCLE);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.col, 3);
  assert_string_equal(e.msg, "line managers form a cycle: ann@test.gov.uk -> cerys@test.gov.uk -> bob@test.gov.uk "
                             "-> ann@test.gov.uk");
  assert_int_equal(r.added + r.updated + r.unchanged, 0);
  cp_import_result_clear(&r);
  assert_unchanged(st, before);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_failed_write_counts_and_place(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  /* a new service adopts the defaults: make that fail on the second row,
   * after the first row was written */
  assert_int_equal(cp_store_meta_set(st, "default_adoption", "NOSUCH", &e), 0);
  char *before = digest(st);
  assert_int_equal(cp_people_import_csv(st, DATA "new-service.csv", &r, &e), CP_ENOTFOUND);
  assert_non_null(strstr(e.file, "new-service.csv"));
  assert_int_equal(e.line, 3);
  assert_int_equal(e.col, 3);
  assert_int_equal(r.rows, 2);
  assert_int_equal(r.added + r.updated + r.unchanged, 0); /* nothing was written */
  cp_import_result_clear(&r);
  assert_unchanged(st, before);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_add_edit_codes(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  cp_person p = {.name = "Dan Again", .email = " DAN@test.gov.uk "};
  assert_int_equal(cp_people_add(st, &p, &e), CP_EEXISTS);
  cp_person ch = {.email = "Ann@Test.gov.uk"};
  assert_int_equal(cp_people_edit(st, "dan@test.gov.uk", &ch, CP_PERSON_EMAIL, &e), CP_EEXISTS);
  ch.line_manager = "DAN@test.gov.uk";
  assert_int_equal(cp_people_edit(st, "dan@test.gov.uk", &ch, CP_PERSON_MANAGER, &e), CP_EINVAL);
  assert_int_equal(count(st, "SELECT count(*) FROM person"), 5);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_rename_then_reimport(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  cp_person rn = {.email = "Robert@test.gov.uk"};
  assert_int_equal(cp_people_edit(st, "bob@test.gov.uk", &rn, CP_PERSON_EMAIL, &e), 0);
  /* the old file still says bob@: email is the key, so bob@ is someone new
   * and bob's reports go back to that address (see people.c) */
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  assert_int_equal(r.added, 1);
  assert_int_equal(r.updated, 2);
  assert_int_equal(r.unchanged, 2);
  cp_import_result_clear(&r);
  cp_person p;
  assert_int_equal(cp_people_get(st, "robert@test.gov.uk", &p, &e), 0);
  assert_string_equal(p.line_manager, "ann@test.gov.uk");
  cp_person_clear(&p);
  assert_int_equal(count(st, "SELECT count(*) FROM person p JOIN person m ON m.id=p.line_manager_id "
                             "WHERE m.email='bob@test.gov.uk'"),
                   2);
}

static void test_profile_latest_change_wins(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  cp_profile_entry *list;
  size_t n;
  assert_int_equal(cp_profile_remove(st, "eve@example.gov.uk", "ASP05-6", &e), 0);
  assert_int_equal(cp_profile_get(st, "eve@example.gov.uk", &list, &n, &e), 0);
  size_t without = n;
  cp_profile_free(list, n);
  /* one statement of the removed dimension agreed back */
  assert_int_equal(cp_profile_add(st, "eve@example.gov.uk", "ASP05-6.K.2", &e), 0);
  assert_int_equal(cp_profile_get(st, "eve@example.gov.uk", &list, &n, &e), 0);
  assert_int_equal(n, without + 1);
  bool found = false;
  for (size_t i = 0; i < n; i++) found |= !strcmp(list[i].code, "ASP05-6.K.2") && list[i].source == CP_PROFILE_ALL;
  assert_true(found);
  cp_profile_free(list, n);
  /* removing the dimension again removes that statement too */
  assert_int_equal(cp_profile_remove(st, "eve@example.gov.uk", "ASP05-6", &e), 0);
  assert_int_equal(cp_profile_get(st, "eve@example.gov.uk", &list, &n, &e), 0);
  assert_int_equal(n, without);
  cp_profile_free(list, n);
  assert_int_equal(count(st, "SELECT count(*) FROM person_item"), 1);
  /* a removed statement of an added grouping stays removed */
  assert_int_equal(cp_profile_add(st, "dan@test.gov.uk", "VSC-PQ", &e), 0);
  assert_int_equal(cp_profile_remove(st, "dan@test.gov.uk", "VSC-PQ.1", &e), 0);
  assert_int_equal(cp_profile_get(st, "dan@test.gov.uk", &list, &n, &e), 0);
  for (size_t i = 0; i < n; i++) assert_string_not_equal(list[i].code, "VSC-PQ.1");
  cp_profile_free(list, n);
}

static void test_post_unagree_writes_nothing(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  int posts = count(st, "SELECT count(*) FROM post");
  assert_int_equal(cp_post_unagree(st, "No Such Post", "WEIP-3", &e), CP_ENOTFOUND);
  assert_int_equal(cp_post_unagree(st, "Team Leader", "WEIP-3", &e), CP_ENOTFOUND);
  assert_int_equal(count(st, "SELECT count(*) FROM post"), posts);
  assert_int_equal(cp_post_unagree(st, "Challenge Adviser", "WEIP-3", &e), 0);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_service_ensure_atomic(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  int64_t id;
  int created;
  assert_int_equal(cp_store_meta_set(st, "default_adoption", "WEIP NOSUCH", &e), 0);
  int services = count(st, "SELECT count(*) FROM service");
  assert_int_equal(cp_service_ensure(st, "Newshire", &id, &created, &e), CP_ENOTFOUND);
  assert_int_equal(created, 0);
  assert_int_equal(count(st, "SELECT count(*) FROM service"), services);
  assert_int_equal(cp_store_depth(st), 0);
  assert_int_equal(cp_store_meta_set(st, "default_adoption", "WEIP", &e), 0);
  assert_int_equal(cp_service_ensure(st, "Newshire", &id, &created, &e), 0);
  assert_int_equal(created, 1);
  assert_int_equal(count(st, "SELECT count(*) FROM service_framework sf JOIN service s ON s.id=sf.service_id "
                             "WHERE s.name='Newshire'"),
                   1);
}

/* ---- operations for the allocation-failure sweeps ---- */

static int op_import(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_people_import_csv(st, DATA "people.csv", &r, e);
  if (!rc && (r.rows != 5 || r.added != 5)) rc = MISMATCH;
  cp_import_result_clear(&r);
  return rc;
}

static int op_import_bom(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_people_import_csv(st, DATA "bom-crlf.csv", &r, e);
  cp_import_result_clear(&r);
  return rc;
}

static int op_add(cp_store *st, cp_error *e) {
  cp_person p = {.name = "Fay", .email = "fay@test.gov.uk", .post = "New Post", .service = "Testshire",
                 .line_manager = "ann@test.gov.uk", .stage = "Newly appointed", .language = "Welsh"};
  return cp_people_add(st, &p, e);
}

static int op_edit(cp_store *st, cp_error *e) {
  cp_person ch = {.email = "robert@test.gov.uk", .line_manager = "eve@example.gov.uk", .team = "West"};
  return cp_people_edit(st, "bob@test.gov.uk", &ch, CP_PERSON_EMAIL | CP_PERSON_MANAGER | CP_PERSON_TEAM, e);
}

static int op_list(cp_store *st, cp_error *e) {
  cp_person *list;
  size_t n;
  int rc = cp_people_list(st, NULL, &list, &n, e);
  if (!rc && n != 5) rc = MISMATCH;
  if (rc && (list || n)) rc = MISMATCH; /* a failed list hands nothing back */
  cp_people_free(list, n);
  return rc;
}

static int op_services(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_service_import_csv(st, DATA "services.csv", &r, e);
  if (!rc && r.unchanged != 2) rc = MISMATCH;
  cp_import_result_clear(&r);
  if (!rc) rc = cp_service_adopt(st, "Newshire", "WEIP", e);
  return rc;
}

/* Read-only: the service and post lists. */
static int op_lists(cp_store *st, cp_error *e) {
  cp_service_info *sl;
  size_t n;
  int rc = cp_service_list(st, &sl, &n, e);
  if (!rc && (n != 2 || !sl[0].name || !sl[0].frameworks)) rc = MISMATCH;
  if (rc && (sl || n)) rc = MISMATCH; /* a failed list hands nothing back */
  cp_service_list_free(sl, n);
  if (rc) return rc;
  cp_post_info *pl;
  rc = cp_post_list(st, &pl, &n, e);
  if (!rc && (n != 3 || !pl[0].name || !pl[0].agreed)) rc = MISMATCH;
  if (rc && (pl || n)) rc = MISMATCH;
  cp_post_list_free(pl, n);
  return rc;
}

static int op_ensure(cp_store *st, cp_error *e) {
  int64_t id;
  int created;
  int rc = cp_store_meta_set(st, "default_adoption", "WEIP VSC", e);
  if (!rc) rc = cp_service_ensure(st, "Newshire", &id, &created, e);
  return rc;
}

static int op_posts(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_post_import_csv(st, DATA "posts.csv", &r, e);
  cp_import_result_clear(&r);
  return rc;
}

static int op_agree(cp_store *st, cp_error *e) { return cp_post_agree(st, "Team Leader", "VSC:VSC-PQ", e); }

static int op_unagree(cp_store *st, cp_error *e) { return cp_post_unagree(st, "Team Leader", "VSC-KS", e); }

static int op_profile_add(cp_store *st, cp_error *e) { return cp_profile_add(st, "dan@test.gov.uk", "VSC-PQ", e); }

static int op_profile_remove(cp_store *st, cp_error *e) {
  return cp_profile_remove(st, "eve@example.gov.uk", "ASP05-6", e);
}

static int op_profile_get(cp_store *st, cp_error *e) {
  cp_profile_entry *list;
  size_t n;
  int rc = cp_profile_get(st, "bob@test.gov.uk", &list, &n, e);
  if (!rc && (n != 12 || !list[n - 1].element)) rc = MISMATCH;
  if (rc && (list || n)) rc = MISMATCH;
  cp_profile_free(list, n);
  return rc;
}

static void test_out_of_memory(void **state) {
  cp_store *st = *state;
  sweep(st, op_import);
  sweep(st, op_import_bom);
  sweep(st, op_services);
  sweep(st, op_lists);
  sweep(st, op_ensure);
  sweep(st, op_posts);
  sweep(st, op_agree);
  sweep(st, op_unagree);
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_people_import_csv(st, DATA "people.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  sweep(st, op_add);
  sweep(st, op_edit);
  sweep(st, op_list);
  sweep(st, op_profile_add);
  sweep(st, op_profile_remove);
  sweep(st, op_profile_get);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_import_idempotent, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cycle_through_held, setup, teardown),
      cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_rows_write_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_odd_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_partial_columns_keep_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reimport_cycle_through_held, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failed_write_counts_and_place, setup, teardown),
      cmocka_unit_test_setup_teardown(test_add_edit_codes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rename_then_reimport, setup, teardown),
      cmocka_unit_test_setup_teardown(test_profile_latest_change_wins, setup, teardown),
      cmocka_unit_test_setup_teardown(test_post_unagree_writes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_service_ensure_atomic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
  };
  faults_setup();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
