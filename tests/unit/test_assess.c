/* test_assess.c: judgements through the library: grade parsing, the agreed
 * grade (manager's benchmark, else self, latest judgement wins), peer
 * spread, evidence parsing and deduplication, idempotent import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/assess.h"
#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/service.h"
#include "store_internal.h"

#define DATA CP_TEST_DATA

static int setup(void **state) {
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r = {0};
  if (cp_store_open(&st, ":memory:", 0, &e) || cp_framework_install_shipped(st, &e) ||
      cp_service_import_csv(st, DATA "/people/services.csv", &r, &e))
    return -1;
  cp_import_result_clear(&r);
  if (cp_post_import_csv(st, DATA "/people/posts.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  if (cp_people_import_csv(st, DATA "/people/people.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  *state = st;
  return 0;
}

static int teardown(void **state) {
  cp_store_close(*state);
  return 0;
}

static void test_parse_grade(void **state) {
  (void)state;
  assert_int_equal(cp_assess_parse_grade("1"), 1);
  assert_int_equal(cp_assess_parse_grade("4"), 4);
  assert_int_equal(cp_assess_parse_grade("n/a"), CP_GRADE_NA);
  assert_int_equal(cp_assess_parse_grade("NA"), CP_GRADE_NA);
  assert_int_equal(cp_assess_parse_grade("2.0"), 2);
  assert_int_equal(cp_assess_parse_grade("0"), -1);
  assert_int_equal(cp_assess_parse_grade("5"), -1);
  assert_int_equal(cp_assess_parse_grade("12"), -1);
  assert_int_equal(cp_assess_parse_grade(""), -1);
}

static const cp_profile_line *line(const cp_self_profile *sp, const char *code) {
  for (size_t i = 0; i < sp->nlines; i++)
    if (!strcmp(sp->lines[i].code, code)) return &sp->lines[i];
  return NULL;
}

static void test_agreed_grade(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_assess_import_csv(st, DATA "/assess/assessments.csv", &r, &e), 0);
  assert_int_equal(r.added, 8);
  cp_import_result_clear(&r);
  cp_self_profile *sp;
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, &e), 0);
  assert_string_equal(sp->cycle, "2026-27");
  assert_int_equal(sp->nlines, 3);
  const cp_profile_line *l = line(sp, "WEIP-1");
  assert_non_null(l);
  assert_int_equal(l->self, 2);
  assert_int_equal(l->manager, 1);
  assert_int_equal(l->agreed, 1);
  assert_string_equal(l->agreed_by, "manager");
  assert_string_equal(l->evidence, "Notes of visit <https://intranet.example/visits/12>; Training log <sharepoint:/cpd/dan>");
  l = line(sp, "WEIP-2");
  assert_int_equal(l->agreed, 3);
  assert_string_equal(l->agreed_by, "self");
  assert_int_equal(l->peer.count, 2);
  assert_int_equal(l->peer.min, 2);
  assert_int_equal(l->peer.max, 4);
  l = line(sp, "WEIP-3");
  assert_int_equal(l->agreed, CP_GRADE_NA);
  assert_int_equal(sp->counts[1], 1);
  assert_int_equal(sp->counts[3], 1);
  assert_int_equal(sp->counts[0], 1);
  cp_self_profile_free(sp);

  /* a later manager benchmark replaces the earlier as the agreed grade */
  cp_assessment a = {.person = "dan@test.gov.uk", .statement = "WEIP-2", .cycle = "2026-27", .kind = "manager",
                     .grade = "2", .assessor = "bob@test.gov.uk", .date = "2026-11-01",
                     .evidence = "Review notes <file:/reviews/dan.pdf>;  ; Review notes <file:/reviews/dan.pdf>"};
  assert_int_equal(cp_assess_set(st, &a, &e), 0);
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", "2026-27", &sp, &e), 0);
  l = line(sp, "WEIP-2");
  assert_int_equal(l->agreed, 2);
  assert_string_equal(l->agreed_by, "manager");
  assert_string_equal(l->evidence, "Review notes <file:/reviews/dan.pdf>");
  cp_self_profile_free(sp);
}

static void test_idempotent_and_atomic(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_assess_import_csv(st, DATA "/assess/assessments.csv", &r, &e), 0);
  cp_import_result_clear(&r);
  assert_int_equal(cp_assess_import_csv(st, DATA "/assess/assessments.csv", &r, &e), 0);
  assert_int_equal(r.added, 0);
  assert_int_equal(r.unchanged, 8);
  cp_import_result_clear(&r);
  /* the first row of this file is new and valid, the second is not: nothing is kept */
  assert_int_equal(cp_assess_import_csv(st, DATA "/assess/bad-unknown-person.csv", &r, &e), CP_ENOTFOUND);
  cp_import_result_clear(&r);
  sqlite3_stmt *s;
  assert_int_equal(cp_store_prepare(st, "SELECT count(*) FROM assessment", &s, &e), 0);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(s, 0), 8);
  sqlite3_reset(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_grade),
      cmocka_unit_test_setup_teardown(test_agreed_grade, setup, teardown),
      cmocka_unit_test_setup_teardown(test_idempotent_and_atomic, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
