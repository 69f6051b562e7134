/* test_grade_digest.c: the grade digests (grade_digest.c, migration 005)
 * over a 200-person sample workforce: the snapshot's agreed grades equal the
 * self-evaluation profile's (assess_profile.c, another path through SQL) for
 * every person and statement; stale, empty and malformed digests are folded
 * from the judgements with the same result; the triggers mark a person's
 * digest stale whatever changes their judgements (insert, update, delete,
 * the person's deletion), and refreshing folds exactly the stale ones; an
 * open while another connection writes leaves them to the snapshot; the
 * blob reader refuses every malformed blob. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpdplan/assess.h"
#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/sample.h"
#include "cpdplan/service.h"
#include "cpdplan/snapshot.h"
#include "grade_digest.h"

static char dir[64];

static void import(cp_store *st, int (*fn)(cp_store *, const char *, cp_import_result *, cp_error *),
                   const char *name) {
  char path[128], buf[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  if (fn(st, path, &r, &e)) fail_msg("%s: %s", name, cp_error_format(&e, buf, sizeof buf));
  cp_import_result_clear(&r);
}

static int setup(void **state) {
  snprintf(dir, sizeof dir, "/tmp/cp-digest-XXXXXX");
  if (!mkdtemp(dir)) return -1;
  cp_sample_options o = CP_SAMPLE_OPTIONS_INIT;
  cp_error e;
  cp_error_clear(&e);
  if (cp_sample_write(&o, dir, NULL, &e)) return -1;
  cp_store *st;
  if (cp_store_open(&st, ":memory:", 0, &e) || cp_framework_install_shipped(st, &e)) return -1;
  import(st, cp_service_import_csv, "services.csv");
  import(st, cp_post_import_csv, "posts.csv");
  import(st, cp_people_import_csv, "people.csv");
  import(st, cp_assess_import_csv, "assessments.csv");
  *state = st;
  return 0;
}

static int teardown(void **state) {
  cp_store_close(*state);
  const char *names[] = {"services.csv", "posts.csv", "people.csv", "assessments.csv", "sessions.csv"};
  char path[128];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
  return 0;
}

static int64_t query_int(cp_store *st, const char *sql) {
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(cp_store_db(st), sql, -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

static void exec(cp_store *st, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(cp_store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
}

static cp_snapshot *snap(cp_store *st) {
  cp_snapshot_options o = CP_SNAPSHOT_OPTIONS_INIT;
  o.today = "2026-11-23";
  cp_snapshot *sn;
  cp_error e;
  char buf[1024];
  if (cp_snapshot_load(st, &o, &sn, &e)) fail_msg("snapshot: %s", cp_error_format(&e, buf, sizeof buf));
  return sn;
}

/* Every person's grades, profile entry by profile entry, as one string. */
static char *grades_of(const cp_snapshot *sn) {
  size_t n = 1;
  for (size_t i = 0; i < sn->npeople; i++) n += sn->people[i].nprofile + 1;
  char *out = malloc(n), *w = out;
  for (size_t i = 0; i < sn->npeople; i++) {
    for (uint32_t k = 0; k < sn->people[i].nprofile; k++) *w++ = (char)('1' + sn->people[i].grades[k]);
    *w++ = '|';
  }
  *w = '\0';
  return out;
}

static char *grades_now(cp_store *st) {
  cp_snapshot *sn = snap(st);
  char *g = grades_of(sn);
  cp_snapshot_free(sn);
  return g;
}

static void refresh(cp_store *st, size_t want) {
  cp_error e;
  size_t n = 99;
  assert_int_equal(cp_grade_digest_refresh(st, &n, &e), 0);
  assert_int_equal(n, want);
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), 0);
}

static void test_matches_profile(void **state) {
  cp_store *st = *state;
  /* the import folded every digest: one per person judged, none stale */
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), 0);
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest"),
                   query_int(st, "SELECT count(*) FROM (SELECT DISTINCT cycle_id, person_id FROM assessment)"));
  assert_true(query_int(st, "SELECT count(*) FROM grade_digest") > 150);
  cp_snapshot *sn = snap(st);
  size_t checked = 0, graded = 0, na = 0;
  for (size_t i = 0; i < sn->npeople; i++) {
    const cp_snap_person *p = &sn->people[i];
    cp_self_profile *sp;
    cp_error e;
    char buf[1024];
    if (cp_assess_profile(st, p->email, sn->cycle, &sp, &e))
      fail_msg("%s: %s", p->email, cp_error_format(&e, buf, sizeof buf));
    for (size_t l = 0; l < sp->nlines; l++) {
      uint32_t stmt = cp_snapshot_statement(sn, sp->lines[l].code);
      assert_int_not_equal(stmt, CP_SNAP_NONE);
      long pos = cp_snapshot_profile_pos(p, stmt);
      if (pos < 0) continue;
      if (p->grades[pos] != sp->lines[l].agreed)
        fail_msg("%s %s: snapshot %d, profile %d", p->email, sp->lines[l].code, p->grades[pos], sp->lines[l].agreed);
      checked++;
      graded += sp->lines[l].agreed > 0;
      na += sp->lines[l].agreed == CP_GRADE_NA;
    }
    cp_self_profile_free(sp);
  }
  cp_snapshot_free(sn);
  assert_true(checked > 10000);
  assert_true(graded > 5000);
  assert_true(na > 0);
}

static void test_stale_and_malformed_fold(void **state) {
  cp_store *st = *state;
  char *want = grades_now(st);
  int64_t n = query_int(st, "SELECT count(*) FROM grade_digest");
  exec(st, "UPDATE grade_digest SET grades = NULL");
  char *got = grades_now(st);
  assert_string_equal(got, want);
  free(got);
  refresh(st, (size_t)n);
  got = grades_now(st);
  assert_string_equal(got, want);
  free(got);
  /* each malformed blob is read as stale: empty, another format, a varint
   * cut short, a grade outside 0..4, an item not above the last, text */
  exec(st, "UPDATE grade_digest SET grades = CASE person_id % 7 WHEN 0 THEN x'' WHEN 1 THEN x'02' "
           "WHEN 2 THEN x'0181' WHEN 3 THEN x'010105' WHEN 4 THEN x'0102010001' WHEN 5 THEN 'text' "
           "ELSE x'01ffffffffffffffffff7f01' END");
  got = grades_now(st);
  assert_string_equal(got, want);
  free(got);
  /* a well-formed blob is believed: the snapshot reads the digest, not the
   * judgements (which is what makes it fast) */
  int64_t pid = query_int(st, "SELECT min(person_id) FROM grade_digest");
  char sql[256];
  snprintf(sql, sizeof sql, "UPDATE grade_digest SET grades = x'01' WHERE person_id = %lld", (long long)pid);
  exec(st, sql);
  got = grades_now(st);
  assert_string_not_equal(got, want);
  free(got);
  exec(st, "UPDATE grade_digest SET grades = NULL");
  refresh(st, (size_t)n);
  got = grades_now(st);
  assert_string_equal(got, want);
  free(got);
  free(want);
}

static void test_triggers(void **state) {
  cp_store *st = *state;
  char *want = grades_now(st);
  /* a judgement written by another program: a manager's 4 on a statement of
   * a person's profile that has no agreed 4 */
  cp_snapshot *sn = snap(st);
  const cp_snap_person *p = NULL;
  long pos = -1;
  for (size_t i = 0; i < sn->npeople && !p; i++)
    for (uint32_t k = 0; k < sn->people[i].nprofile && !p; k++)
      if (sn->people[i].grades[k] == 2) p = &sn->people[i], pos = k;
  assert_non_null(p);
  int64_t pid = p->id, item = sn->statements[p->profile[pos]].item_id, cycle = sn->cycle_id;
  cp_snapshot_free(sn);
  char sql[512];
  snprintf(sql, sizeof sql,
           "INSERT INTO assessment(uuid, person_id, item_id, cycle_id, kind, grade, assessed_on, recorded_at, fingerprint)"
           " VALUES ('digest-test', %lld, %lld, %lld, 'manager', 4, '2026-11-20', '2026-11-20', 1)",
           (long long)pid, (long long)item, (long long)cycle);
  exec(st, sql);
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), 1);
  char *got = grades_now(st);
  assert_string_not_equal(got, want);
  size_t at = 0; /* the one changed character is this person's statement */
  while (got[at] == want[at]) at++;
  assert_int_equal(got[at], '1' + 4);
  assert_string_equal(got + at + 1, want + at + 1);
  refresh(st, 1);
  char *again = grades_now(st);
  assert_string_equal(again, got);
  free(again);
  /* updated: stale again, and the snapshot follows */
  exec(st, "UPDATE assessment SET grade = 3 WHERE uuid = 'digest-test'");
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), 1);
  again = grades_now(st);
  assert_int_equal(again[at], '1' + 3);
  free(again);
  refresh(st, 1);
  /* deleted: back to what it was */
  exec(st, "DELETE FROM assessment WHERE uuid = 'digest-test'");
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), 1);
  again = grades_now(st);
  assert_string_equal(again, want);
  free(again);
  refresh(st, 1);
  /* every judgement of a person gone: refreshing removes the digest */
  int64_t before = query_int(st, "SELECT count(*) FROM grade_digest");
  snprintf(sql, sizeof sql, "DELETE FROM assessment WHERE person_id = %lld", (long long)pid);
  exec(st, sql);
  refresh(st, 1);
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest"), before - 1);
  /* a person deleted: their digests go with them (cascade) */
  /* (one who judged others too: their judgements' assessor_id is set NULL,
   * which changes no grade and marks nothing stale) */
  int64_t other = query_int(st, "SELECT max(a.assessor_id) FROM assessment a JOIN grade_digest g"
                                " ON g.person_id = a.assessor_id WHERE NOT EXISTS "
                                "(SELECT 1 FROM person p WHERE p.line_manager_id = a.assessor_id)");
  assert_true(other > 0);
  snprintf(sql, sizeof sql, "DELETE FROM person WHERE id = %lld", (long long)other);
  exec(st, sql);
  assert_int_equal(query_int(st, "SELECT count(*) FROM grade_digest"), before - 2);
  refresh(st, 0);
  free(got);
  free(want);
}

static void test_reader(void **state) {
  (void)state;
  cp_digest_reader rd;
  int64_t item;
  int grade;
  /* items 1 (-1 + 2), 4 (+3) and 300 (+296 = 0xa8 0x02) */
  static const unsigned char ok[] = {1, 2, 3, 3, 0, 0xa8, 0x02, 4};
  assert_int_equal(cp_digest_open(&rd, ok, sizeof ok), 0);
  assert_int_equal(cp_digest_next(&rd, &item, &grade), 1);
  assert_int_equal(item, 1);
  assert_int_equal(grade, 3);
  assert_int_equal(cp_digest_next(&rd, &item, &grade), 1);
  assert_int_equal(item, 4);
  assert_int_equal(grade, CP_GRADE_NA);
  assert_int_equal(cp_digest_next(&rd, &item, &grade), 1);
  assert_int_equal(item, 300);
  assert_int_equal(grade, 4);
  assert_int_equal(cp_digest_next(&rd, &item, &grade), 0);
  static const unsigned char empty[] = {1};
  assert_int_equal(cp_digest_open(&rd, empty, 1), 0);
  assert_int_equal(cp_digest_next(&rd, &item, &grade), 0);
  assert_int_equal(cp_digest_open(&rd, empty, 0), -1);
  assert_int_equal(cp_digest_open(&rd, NULL, 3), -1);
  static const unsigned char v2[] = {2, 2, 3};
  assert_int_equal(cp_digest_open(&rd, v2, sizeof v2), -1);
  static const struct {
    unsigned char b[16];
    size_t n;
  } bad[] = {
      {{1, 0x82}, 2},                        /* varint cut short */
      {{1, 2}, 2},                           /* no grade */
      {{1, 2, 5}, 3},                        /* grade 5 */
      {{1, 2, 1, 0, 1}, 5},                  /* item not above the last */
      {{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1}, 12}, /* varint too long */
      {{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 1}, 13}, /* past INT64_MAX */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(cp_digest_open(&rd, bad[i].b, bad[i].n), 0);
    int r;
    while ((r = cp_digest_next(&rd, &item, &grade)) == 1) {}
    if (r != -1) fail_msg("malformed blob %zu read as well-formed", i);
  }
  /* the largest item there can be */
  static const unsigned char top[] = {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 2};
  assert_int_equal(cp_digest_open(&rd, top, sizeof top), 0);
  assert_int_equal(cp_digest_next(&rd, &item, &grade), 1);
  assert_true(item == INT64_MAX - 1);
}

/* Opening read-write while another connection holds the write lock: the
 * open neither waits nor fails for the digests (a cache), leaves them stale
 * and the snapshot folds them; the next open folds them. */
static void test_open_while_locked(void **state) {
  (void)state;
  char path[128];
  snprintf(path, sizeof path, "%s/locked.db", dir);
  cp_store *a;
  cp_error e;
  char buf[1024];
  if (cp_store_open(&a, path, CP_STORE_CREATE, &e) || cp_framework_install_shipped(a, &e))
    fail_msg("%s", cp_error_format(&e, buf, sizeof buf));
  import(a, cp_service_import_csv, "services.csv");
  import(a, cp_post_import_csv, "posts.csv");
  import(a, cp_people_import_csv, "people.csv");
  import(a, cp_assess_import_csv, "assessments.csv");
  char *want = grades_now(a);
  int64_t n = query_int(a, "SELECT count(*) FROM grade_digest");
  exec(a, "UPDATE grade_digest SET grades = NULL");
  assert_int_equal(cp_store_begin(a, &e), 0); /* the write lock */
  cp_store *b;
  assert_int_equal(cp_store_open(&b, path, 0, &e), 0);
  assert_int_equal(query_int(b, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), n);
  char *got = grades_now(b);
  assert_string_equal(got, want);
  free(got);
  cp_store_close(b);
  cp_store_rollback(a);
  cp_store_close(a);
  assert_int_equal(cp_store_open(&b, path, 0, &e), 0);
  assert_int_equal(query_int(b, "SELECT count(*) FROM grade_digest WHERE grades IS NULL"), 0);
  got = grades_now(b);
  assert_string_equal(got, want);
  free(got);
  free(want);
  cp_store_close(b);
  const char *ext[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/locked.db%s", dir, ext[i]);
    unlink(path);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_matches_profile, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stale_and_malformed_fold, setup, teardown),
      cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_while_locked, setup, teardown),
      cmocka_unit_test(test_reader),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
