/* test_assess.c: judgements through the library: grade parsing, the agreed
 * grade (manager's benchmark, else self, latest judgement wins), peer and
 * stakeholder spreads (latest per assessor), evidence parsing (';' inside a
 * <location>) and deduplication, idempotent import (also of a row repeated
 * in one file), two cycles, dates in the future, FRAMEWORK:CODE, and every
 * allocation failure giving CP_ENOMEM with nothing written. */
#include <setjmp.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/assess.h"
#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/service.h"
#include "store_internal.h"

#define DATA CP_TEST_DATA

#include "faults.h"

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
  assert_int_equal(cp_assess_parse_grade(" 2 "), 2);
  assert_int_equal(cp_assess_parse_grade("\t3\r"), 3);
  assert_int_equal(cp_assess_parse_grade("na"), CP_GRADE_NA);
  assert_int_equal(cp_assess_parse_grade(" N/A "), CP_GRADE_NA);
  assert_int_equal(cp_assess_parse_grade("2 2"), -1);
  assert_int_equal(cp_assess_parse_grade("  "), -1);
  assert_int_equal(cp_assess_parse_grade(NULL), -1);
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

static void import_ok(cp_store *st, const char *file, long added, long unchanged) {
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  int rc = cp_assess_import_csv(st, file, &r, &e);
  if (rc) fail_msg("%s: %s", file, e.msg);
  assert_int_equal(r.added, added);
  assert_int_equal(r.unchanged, unchanged);
  cp_import_result_clear(&r);
}

static void test_semicolons_and_repeats(void **state) {
  cp_store *st = *state;
  /* "FW:CODE", "Self", " 2 ", spaces and capitals in the email, a ';' inside a
   * <location>, and the same row twice: the second is already held */
  import_ok(st, DATA "/assess/semicolons.csv", 1, 1);
  import_ok(st, DATA "/assess/semicolons.csv", 0, 2);
  assert_int_equal(count(st, "SELECT count(*) FROM evidence WHERE location='https://x.example/r?a=1;b=2'"), 1);
  cp_self_profile *sp;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, &e), 0);
  const cp_profile_line *l = line(sp, "WEIP-1");
  assert_string_equal(l->evidence, "Report <https://x.example/r?a=1;b=2>; Notes <file:/n>");
  assert_int_equal(l->self, 2);
  cp_self_profile_free(sp);
}

static void test_set_trims_and_clears_uuid(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_assessment a = {.person = " Dan@test.gov.uk ", .statement = " WEIP-1 ", .cycle = "2026-27 ", .kind = " self",
                     .grade = " 2 ", .date = "2026-11-01 ", .evidence = "A <x;y>;B"};
  assert_int_equal(cp_assess_set(st, &a, &e), 0);
  assert_int_equal(strlen(a.uuid), 36);
  /* the same again is already held: no identifier */
  assert_int_equal(cp_assess_set(st, &a, &e), 0);
  assert_string_equal(a.uuid, "");
  assert_int_equal(count(st, "SELECT count(*) FROM assessment"), 1);
  assert_int_equal(count(st, "SELECT count(*) FROM evidence"), 2);
}

static void test_future_and_self_judged(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  cp_import_result r;
  assert_int_equal(cp_assess_import_csv(st, DATA "/assess/bad-future.csv", &r, &e), CP_EINVAL);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.col, 6);
  assert_non_null(strstr(e.msg, "date 2099-01-01 is in the future"));
  cp_import_result_clear(&r);
  assert_int_equal(cp_assess_import_csv(st, DATA "/assess/bad-self-manager.csv", &r, &e), CP_EINVAL);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.col, 6);
  assert_string_equal(e.msg, "a manager judgement cannot be made by the person themself");
  cp_import_result_clear(&r);
  cp_assessment a = {.person = "dan@test.gov.uk", .statement = "WEIP-1", .cycle = "2026-27", .kind = "self",
                     .grade = "2", .date = "2099-12-31"};
  assert_int_equal(cp_assess_set(st, &a, &e), CP_EINVAL);
  a.date = "2026-11-01";
  a.kind = "peer";
  a.assessor = "DAN@test.gov.uk";
  assert_int_equal(cp_assess_set(st, &a, &e), CP_EINVAL);
  assert_int_equal(count(st, "SELECT count(*) FROM assessment"), 0);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_spreads_latest_per_assessor(void **state) {
  cp_store *st = *state;
  import_ok(st, DATA "/assess/assessments.csv", 8, 0);
  import_ok(st, DATA "/assess/regrade.csv", 4, 0);
  cp_self_profile *sp;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, &e), 0);
  const cp_profile_line *l = line(sp, "WEIP-2");
  /* bob regraded 4 -> 2: his latest counts, beside cerys's 2 */
  assert_int_equal(l->peer.count, 2);
  assert_int_equal(l->peer.min, 2);
  assert_int_equal(l->peer.max, 2);
  /* stakeholders: two anonymous (1 and 3) and one N/A */
  assert_int_equal(l->stakeholder.count, 2);
  assert_int_equal(l->stakeholder.na, 1);
  assert_int_equal(l->stakeholder.min, 1);
  assert_int_equal(l->stakeholder.max, 3);
  assert_true(l->stakeholder.mean > 1.99 && l->stakeholder.mean < 2.01);
  assert_int_equal(l->agreed, 3); /* peers and stakeholders inform, never agree */
  assert_string_equal(l->evidence, "Headteacher survey <https://survey.example/2026>");
  cp_self_profile_free(sp);
}

static void test_evidence_exact_dedupe(void **state) {
  cp_store *st = *state;
  import_ok(st, DATA "/assess/assessments.csv", 8, 0);
  cp_error e;
  cp_error_clear(&e);
  /* "Notes" is text inside "Notes of visit", but another item */
  cp_assessment a = {.person = "dan@test.gov.uk", .statement = "WEIP-1", .cycle = "2026-27", .kind = "peer",
                     .grade = "2", .assessor = "cerys@test.gov.uk", .date = "2026-11-02",
                     .evidence = "Notes; Training log <sharepoint:/cpd/dan>"};
  assert_int_equal(cp_assess_set(st, &a, &e), 0);
  cp_self_profile *sp;
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, &e), 0);
  assert_string_equal(line(sp, "WEIP-1")->evidence,
                      "Notes of visit <https://intranet.example/visits/12>; Training log <sharepoint:/cpd/dan>; Notes");
  cp_self_profile_free(sp);
}

static void test_two_cycles(void **state) {
  cp_store *st = *state;
  import_ok(st, DATA "/assess/two-cycles.csv", 3, 0);
  cp_error e;
  cp_error_clear(&e);
  cp_self_profile *sp;
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, &e), 0);
  assert_string_equal(sp->cycle, "2026-27"); /* the latest */
  const cp_profile_line *l = line(sp, "WEIP-1");
  assert_int_equal(l->self, 2);
  assert_int_equal(l->manager, CP_GRADE_NONE);
  assert_int_equal(l->agreed, 2);
  assert_string_equal(l->agreed_by, "self");
  assert_int_equal(sp->ungraded, 2);
  cp_self_profile_free(sp);
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", "2025-26", &sp, &e), 0);
  l = line(sp, "WEIP-1");
  assert_int_equal(l->self, 4);
  assert_int_equal(l->agreed, 3);
  assert_string_equal(l->agreed_by, "manager");
  assert_string_equal(l->comment, "");
  cp_self_profile_free(sp);
  assert_int_equal(cp_assess_profile(st, "cerys@test.gov.uk", NULL, &sp, &e), CP_ENOTFOUND);
}

static void test_wider_scale_grade(void **state) {
  cp_store *st = *state;
  import_ok(st, DATA "/assess/two-cycles.csv", 3, 0);
  /* a grade the four-level scale does not have (the schema allows 1-9) */
  sqlite3_stmt *s;
  cp_error e;
  assert_int_equal(cp_store_prepare(st,
                                    "INSERT INTO assessment(uuid, person_id, item_id, cycle_id, kind, grade, "
                                    "assessed_on, recorded_at, fingerprint) SELECT 'x', p.id, i.id, c.id, "
                                    "'manager', 5, '2026-10-02', '2026-10-02', 1 FROM person p, item i, cycle c "
                                    "WHERE p.email='dan@test.gov.uk' AND i.code='WEIP-3' AND c.name='2026-27'",
                                    &s, &e),
                   0);
  assert_int_equal(sqlite3_step(s), SQLITE_DONE);
  sqlite3_reset(s);
  cp_self_profile *sp;
  assert_int_equal(cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, &e), 0);
  assert_int_equal(line(sp, "WEIP-3")->agreed, 5);
  assert_int_equal(sp->ungraded, 1);
  assert_int_equal(sp->counts[0] + sp->counts[1] + sp->counts[2] + sp->counts[3] + sp->counts[4], 1);
  cp_self_profile_free(sp);
}

/* ---- operations for the allocation-failure sweeps ---- */

static int op_import(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_assess_import_csv(st, DATA "/assess/assessments.csv", &r, e);
  if (!rc && r.added != 8) rc = MISMATCH;
  cp_import_result_clear(&r);
  return rc;
}

static int op_import_more(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_assess_import_csv(st, DATA "/assess/semicolons.csv", &r, e);
  if (!rc && (r.added != 1 || r.unchanged != 1)) rc = MISMATCH;
  cp_import_result_clear(&r);
  return rc;
}

static int op_set(cp_store *st, cp_error *e) {
  cp_assessment a = {.person = "dan@test.gov.uk ", .statement = "WEIP:WEIP-2", .cycle = "2026-27", .kind = "manager",
                     .grade = "2", .assessor = "bob@test.gov.uk", .date = "2026-11-01",
                     .evidence = "Review <file:/r;1>; Plan", .comment = "agreed"};
  int rc = cp_assess_set(st, &a, e);
  if (!rc && strlen(a.uuid) != 36) rc = MISMATCH;
  return rc;
}

static int op_profile(cp_store *st, cp_error *e) {
  cp_self_profile *sp;
  int rc = cp_assess_profile(st, "dan@test.gov.uk", NULL, &sp, e);
  if (rc) return sp ? MISMATCH : rc;
  const cp_profile_line *l = line(sp, "WEIP-1");
  if (sp->nlines != 3 || !l || l->agreed != 1 || strcmp(l->comment, "Exemplary: could lead a session") ||
      strcmp(l->evidence, "Notes of visit <https://intranet.example/visits/12>; Training log <sharepoint:/cpd/dan>"))
    rc = MISMATCH;
  for (size_t i = 0; i < sp->nlines; i++)
    if (!sp->lines[i].comment || !sp->lines[i].evidence) rc = MISMATCH;
  cp_self_profile_free(sp);
  return rc;
}

static void test_out_of_memory(void **state) {
  cp_store *st = *state;
  sweep(st, op_import);
  import_ok(st, DATA "/assess/assessments.csv", 8, 0);
  sweep(st, op_import_more);
  sweep(st, op_set);
  sweep(st, op_profile);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_grade),
      cmocka_unit_test_setup_teardown(test_agreed_grade, setup, teardown),
      cmocka_unit_test_setup_teardown(test_idempotent_and_atomic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_semicolons_and_repeats, setup, teardown),
      cmocka_unit_test_setup_teardown(test_set_trims_and_clears_uuid, setup, teardown),
      cmocka_unit_test_setup_teardown(test_future_and_self_judged, setup, teardown),
      cmocka_unit_test_setup_teardown(test_spreads_latest_per_assessor, setup, teardown),
      cmocka_unit_test_setup_teardown(test_evidence_exact_dedupe, setup, teardown),
      cmocka_unit_test_setup_teardown(test_two_cycles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wider_scale_grade, setup, teardown),
      cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
  };
  faults_setup();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
