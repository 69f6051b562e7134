/* test_catalogue.c: activities and sessions through the library: import with
 * prerequisites in any order, idempotent re-import, update in place (uuid and
 * catalogue order kept, columns the file lacks kept), the shipped catalogue
 * (installed twice, exported byte for byte), ambiguous statement codes,
 * every malformed activities and sessions file giving its exact message at
 * FILE:LINE:COL with the database unchanged, session keys (id, else
 * activity + start + place), filters, ISO 8601 dates and date-times, and
 * every allocation failure giving CP_ENOMEM with nothing written. */
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

#include "cpdplan/catalogue.h"
#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/service.h"
#include "embedded.h"
#include "store_internal.h"
#include "util.h"

#define DATA CP_TEST_DATA "/catalogue/"
#define PEOPLE CP_TEST_DATA "/people/"
#define MOVED_ID "6f0c1b9e-4a8e-4f5b-9a53-0d7a2f1c3e11"

#include "faults.h"

static int setup(void **state) {
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  if (cp_store_open(&st, ":memory:", 0, &e)) return -1;
  if (cp_framework_install_shipped(st, &e)) return -1;
  cp_import_result r;
  if (cp_service_import_csv(st, PEOPLE "services.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  if (cp_post_import_csv(st, PEOPLE "posts.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  if (cp_people_import_csv(st, PEOPLE "people.csv", &r, &e)) return -1;
  cp_import_result_clear(&r);
  *state = st;
  return 0;
}

static int teardown(void **state) {
  cp_store_close(*state);
  return 0;
}

/* Import a fixture and check the counts. */
static void import_ok(cp_store *st, const char *file, bool sessions, long rows, long added, long updated,
                      long unchanged) {
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  char buf[2048];
  int rc = sessions ? cp_session_import_csv(st, file, &r, &e) : cp_activity_import_csv(st, file, &r, &e);
  if (rc) fail_msg("%s: %s", file, cp_error_format(&e, buf, sizeof buf));
  assert_int_equal(r.rows, rows);
  assert_int_equal(r.added, added);
  assert_int_equal(r.updated, updated);
  assert_int_equal(r.unchanged, unchanged);
  cp_import_result_clear(&r);
}

static void import_activities(cp_store *st) { import_ok(st, DATA "activities.csv", false, 4, 4, 0, 0); }

static void assert_list(char **v, size_t n, const char *const *want, size_t nwant) {
  assert_int_equal(n, nwant);
  for (size_t i = 0; i < n; i++) assert_string_equal(v[i], want[i]);
}

/* ---- activities ---- */

static void test_import_and_reimport(void **state) {
  cp_store *st = *state;
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_activity_import_csv(st, DATA "activities.csv", &r, &e), 0);
  assert_int_equal(r.rows, 4);
  assert_int_equal(r.added, 4);
  assert_string_equal(r.unknown_columns, "Notes");
  cp_import_result_clear(&r);
  cp_activity a;
  assert_int_equal(cp_activity_get(st, "tst-a", &a, &e), 0);
  assert_string_equal(a.code, "TST-A");
  assert_string_equal(a.strand, "induction"); /* "Induction" */
  assert_string_equal(a.language, "cy");      /* "Welsh" */
  assert_true(a.days == 0.5);
  const char *sa[] = {"WEIP-1", "WEIP-2"}; /* the repeat dropped */
  assert_list(a.statements, a.nstatements, sa, 2);
  assert_int_equal(a.nprerequisites, 0);
  assert_true(cp_uuid_valid(a.uuid));
  cp_activity_clear(&a);
  assert_int_equal(cp_activity_get(st, "TST-B", &a, &e), 0);
  assert_string_equal(a.stages, "established experienced"); /* canonical order */
  const char *pb[] = {"TST-A"}; /* defined later in the file */
  assert_list(a.prerequisites, a.nprerequisites, pb, 1);
  cp_activity_clear(&a);
  assert_int_equal(cp_activity_get(st, "TST-C", &a, &e), 0);
  assert_string_equal(a.title, "Accredited, with a comma");
  const char *sc[] = {"ASP05-1.K.1", "PSS19-1.K.2"}; /* the prefix is not needed to tell it apart */
  assert_list(a.statements, a.nstatements, sc, 2);
  const char *pc[] = {"TST-A", "TST-B"};
  assert_list(a.prerequisites, a.nprerequisites, pc, 2);
  assert_true(a.credits == 20 && a.cost == 1200 && a.days == 5);
  assert_string_equal(a.eligibility, "senior staff; by nomination");
  assert_string_equal(a.awarding_body, "Test University");
  cp_activity_clear(&a);
  assert_int_equal(cp_activity_get(st, "TST-D", &a, &e), 0);
  assert_string_equal(a.language, "both");
  assert_string_equal(a.stages, "");
  assert_string_equal(a.strand, "");
  cp_activity_clear(&a);
  char *before = digest(st);
  import_ok(st, DATA "activities.csv", false, 4, 0, 0, 4);
  assert_unchanged(st, before);
}

static void test_update_in_place(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  import_activities(st);
  cp_activity a;
  assert_int_equal(cp_activity_get(st, "TST-A", &a, &e), 0);
  char uuid[37];
  memcpy(uuid, a.uuid, sizeof uuid);
  cp_activity_clear(&a);
  /* A retitled, B three days, E new (after D in catalogue order) */
  import_ok(st, DATA "activities-update.csv", false, 3, 1, 2, 0);
  assert_int_equal(cp_activity_get(st, "TST-A", &a, &e), 0);
  assert_string_equal(a.uuid, uuid);
  assert_string_equal(a.title, "First step (revised)");
  assert_int_equal(a.nstatements, 2); /* no statements column: kept */
  assert_string_equal(a.language, "cy");
  cp_activity_clear(&a);
  import_ok(st, DATA "activities-update.csv", false, 3, 0, 0, 3);
  /* title only: C unchanged, D renamed; C keeps its statements and prerequisites */
  import_ok(st, DATA "activities-partial.csv", false, 2, 0, 1, 1);
  assert_int_equal(cp_activity_get(st, "TST-C", &a, &e), 0);
  assert_int_equal(a.nstatements, 2);
  assert_int_equal(a.nprerequisites, 2);
  cp_activity_clear(&a);
  cp_activity *list;
  size_t n;
  assert_int_equal(cp_activity_list(st, NULL, &list, &n, &e), 0);
  const char *order[] = {"TST-B", "TST-A", "TST-C", "TST-D", "TST-E"};
  assert_int_equal(n, 5);
  for (size_t i = 0; i < n; i++) assert_string_equal(list[i].code, order[i]);
  assert_string_equal(list[3].title, "Any-stage briefing");
  cp_activity_list_free(list, n);
  assert_int_equal(count(st, "SELECT count(*) FROM activity_prereq"), 4); /* B<-A, C<-A, C<-B, E<-D */
}

typedef struct bad_case {
  const char *file;
  int code;
  long line, col;
  const char *msg;
} bad_case;

static void expect_rejected(cp_store *st, const bad_case *c, bool sessions) {
  char path[512];
  snprintf(path, sizeof path, DATA "%s", c->file);
  char *before = digest(st);
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  int rc = sessions ? cp_session_import_csv(st, path, &r, &e) : cp_activity_import_csv(st, path, &r, &e);
  if (rc != c->code) fail_msg("%s: rc %d, want %d (%s)", c->file, rc, c->code, e.msg);
  assert_string_equal(e.msg, c->msg);
  assert_string_equal(e.file, path);
  assert_int_equal(e.line, c->line);
  assert_int_equal(e.col, c->col);
  assert_int_equal(r.added + r.updated + r.unchanged, 0);
  cp_import_result_clear(&r);
  assert_unchanged(st, before);
  assert_int_equal(cp_store_depth(st), 0);
}

static void test_bad_activities(void **state) {
  cp_store *st = *state;
  import_activities(st);
  static const bad_case cases[] = {
      {"bad-activity-missing-column.csv", CP_EPARSE, 1, 0, "missing required column \"title\""},
      {"bad-activity-empty-code.csv", CP_EINVAL, 3, 1, "code is empty"},
      {"bad-activity-code.csv", CP_EINVAL, 2, 1, "code \"A B\" may hold only letters, digits, '-', '_' and '.'"},
      {"bad-activity-empty-title.csv", CP_EINVAL, 2, 2, "title is empty for X1"},
      {"bad-activity-duplicate.csv", CP_EEXISTS, 4, 1, "duplicate code x1 (also on line 2)"},
      {"bad-activity-statement.csv", CP_ENOTFOUND, 3, 3, "unknown statement WEIP-9"},
      {"bad-activity-group.csv", CP_EINVAL, 2, 3,
       "ASP05-1 is not a statement that can be graded (it groups statements)"},
      {"bad-activity-prereq.csv", CP_ENOTFOUND, 2, 3, "prerequisite X2 is not in the file or the database"},
      {"bad-activity-self.csv", CP_EINVAL, 2, 3, "X1 cannot be its own prerequisite"},
      {"bad-activity-cycle.csv", CP_ECYCLE, 2, 3, "prerequisites form a cycle: X1 -> X3 -> X2 -> X1"},
      {"bad-activity-cycle-held.csv", CP_ECYCLE, 2, 3, "prerequisites form a cycle: TST-A -> TST-C -> TST-A"},
      {"bad-activity-days.csv", CP_EINVAL, 2, 3, "days \"-1\" is not a number of 0 or more"},
      {"bad-activity-cost.csv", CP_EINVAL, 2, 3, "cost \"\xC2\xA3" "100\" is not a number of 0 or more"},
      {"bad-activity-credits.csv", CP_EINVAL, 2, 3, "credits \"twenty\" is not a number of 0 or more"},
      {"bad-activity-language.csv", CP_EINVAL, 2, 3, "language \"French\" is not one of en, cy, both"},
      {"bad-activity-stage.csv", CP_EINVAL, 2, 3,
       "stage \"junior\" is not one of new, established, experienced, senior, chief"},
      {"bad-activity-strand.csv", CP_EINVAL, 2, 3,
       "strand \"governance\" is not one of induction, management development, leadership development, "
       "cross-cutting"},
      {"empty.csv", CP_EPARSE, 1, 0, "empty file: no header row"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) expect_rejected(st, &cases[i], false);
}

/* A framework whose one statement has the code WEIP-1, as WEIP's key area has. */
static void add_clashing_framework(cp_store *st) {
  cp_fw_doc *d = cp_fw_doc_new();
  assert_non_null(d);
  assert_int_equal(cp_fw_set(&d->short_name, "DUP"), 0);
  assert_int_equal(cp_fw_set(&d->title, "Clashing codes"), 0);
  cp_fw_uuid_for(d->uuid, "cpdplan:doc:DUP");
  int i = cp_fw_doc_add_item(d);
  assert_true(i >= 0);
  assert_int_equal(cp_fw_set(&d->items[i].code, "WEIP-1"), 0);
  assert_int_equal(cp_fw_set(&d->items[i].statement, "A statement with a borrowed code"), 0);
  cp_fw_uuid_for(d->items[i].uuid, "cpdplan:DUP:WEIP-1");
  cp_error e;
  assert_int_equal(cp_fw_doc_finish(d, &e), 0);
  assert_int_equal(cp_framework_save(st, d, NULL, &e), 0);
  cp_fw_doc_free(d);
}

static int import_text(cp_store *st, const char *text, cp_import_result *r, cp_error *e) {
  return cp_activity_import_string(st, "text.csv", text, strlen(text), r, e);
}

static void test_ambiguous_codes(void **state) {
  cp_store *st = *state;
  add_clashing_framework(st);
  cp_import_result r;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(import_text(st, "code,title,statements\nX1,One,WEIP-1\n", &r, &e), CP_EAMBIGUOUS);
  assert_string_equal(e.msg, "statement code WEIP-1 is in more than one framework: write FRAMEWORK:WEIP-1");
  assert_int_equal(e.line, 2);
  assert_int_equal(e.col, 3);
  cp_import_result_clear(&r);
  assert_int_equal(import_text(st, "code,title,statements\nX1,One,WEIP:WEIP-1 DUP:WEIP-1 WEIP-2\n", &r, &e), 0);
  cp_import_result_clear(&r);
  cp_activity a;
  assert_int_equal(cp_activity_get(st, "X1", &a, &e), 0);
  const char *want[] = {"WEIP:WEIP-1", "DUP:WEIP-1", "WEIP-2"}; /* prefixed only where needed */
  assert_list(a.statements, a.nstatements, want, 3);
  cp_activity_clear(&a);
  cp_activity_item *items;
  size_t n;
  assert_int_equal(cp_activity_items(st, "x1", &items, &n, &e), 0);
  assert_int_equal(n, 3);
  assert_string_equal(items[1].framework, "DUP");
  assert_string_equal(items[1].code, "WEIP-1");
  assert_string_equal(items[1].text, "A statement with a borrowed code");
  cp_activity_items_free(items, n);
  /* the export reads back as it is */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(cp_activity_export_csv(st, NULL, f, &e), 0);
  fclose(f);
  assert_string_equal(buf, "code,title,kind,strand,statements,prerequisites,days,cost,language,provider,stages,"
                           "eligibility,awarding_body,credits\n"
                           "X1,One,,,WEIP:WEIP-1 DUP:WEIP-1 WEIP-2,,0,0,both,,,,,\n");
  char *before = digest(st);
  assert_int_equal(import_text(st, buf, &r, &e), 0);
  assert_int_equal(r.unchanged, 1);
  cp_import_result_clear(&r);
  assert_unchanged(st, before);
  free(buf);
}

static void test_shipped(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_activity_install_shipped(st, &e), 0);
  assert_int_equal(count(st, "SELECT count(*) FROM activity"), 13);
  assert_int_equal(count(st, "SELECT count(*) FROM activity_prereq"), 2);
  char *before = digest(st);
  assert_int_equal(cp_activity_install_shipped(st, &e), 0);
  assert_unchanged(st, before);
  /* the export is the shipped file, byte for byte */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(cp_activity_export_csv(st, NULL, f, &e), 0);
  fclose(f);
  assert_non_null(cp_embedded_catalogues[0].name);
  assert_null(cp_embedded_catalogues[1].name);
  assert_int_equal(len, cp_embedded_catalogues[0].size);
  assert_memory_equal(buf, cp_embedded_catalogues[0].data, len);
  free(buf);
  /* parsing alone (what the sample generator does) */
  cp_activity *list;
  size_t n;
  assert_int_equal(cp_activity_parse("vsc-cymru.csv", cp_embedded_catalogues[0].data, cp_embedded_catalogues[0].size,
                                     &list, &n, &e),
                   0);
  assert_int_equal(n, 13);
  assert_string_equal(list[1].code, "VSC-IND-RES");
  assert_string_equal(list[1].prerequisites[0], "VSC-IND-EL");
  assert_string_equal(list[12].language, "en");
  cp_activity_list_free(list, n);
  assert_int_equal(cp_activity_parse("x.csv", "code,title\nA,\n", 13, &list, &n, &e), CP_EINVAL);
  assert_null(list);
  assert_string_equal(e.msg, "title is empty for A");
  /* with the frameworks missing, nothing is written */
  cp_store *empty;
  assert_int_equal(cp_store_open(&empty, ":memory:", 0, &e), 0);
  assert_int_equal(cp_activity_install_shipped(empty, &e), CP_ENOTFOUND);
  assert_string_equal(e.file, "frameworks/catalogues/vsc-cymru.csv");
  assert_int_equal(count(empty, "SELECT count(*) FROM activity"), 0);
  cp_store_close(empty);
}

static void test_get_and_list(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  import_activities(st);
  cp_activity a;
  assert_int_equal(cp_activity_get(st, "NOPE", &a, &e), CP_ENOTFOUND);
  assert_string_equal(e.msg, "no activity \"NOPE\"");
  assert_null(a.code);
  cp_activity *list;
  size_t n;
  cp_activity_filter f = {"INDUCTION", NULL};
  assert_int_equal(cp_activity_list(st, &f, &list, &n, &e), 0);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].code, "TST-A");
  cp_activity_list_free(list, n);
  cp_activity_filter k = {NULL, "Briefing"};
  assert_int_equal(cp_activity_list(st, &k, &list, &n, &e), 0);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].code, "TST-D");
  cp_activity_list_free(list, n);
  cp_activity_item *items;
  assert_int_equal(cp_activity_items(st, "TST-C", &items, &n, &e), 0);
  assert_int_equal(n, 2);
  assert_string_equal(items[0].framework, "ASP05");
  assert_string_equal(items[0].code, "ASP05-1.K.1");
  assert_string_equal(items[1].framework, "PSS19");
  assert_true(strlen(items[0].text) > 10);
  cp_activity_items_free(items, n);
  assert_int_equal(cp_activity_items(st, "NOPE", &items, &n, &e), CP_ENOTFOUND);
  assert_null(items);
}

/* ---- sessions ---- */

static void test_sessions(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  import_activities(st);
  import_ok(st, DATA "sessions.csv", true, 4, 4, 0, 0);
  cp_session *list;
  size_t n;
  assert_int_equal(cp_session_list(st, NULL, &list, &n, &e), 0);
  assert_int_equal(n, 4);
  assert_string_equal(list[0].activity, "TST-A");
  assert_string_equal(list[0].language, "cy"); /* the activity's */
  assert_string_equal(list[0].place, "Online");
  assert_string_equal(list[1].uuid, MOVED_ID);
  assert_string_equal(list[1].place, "Cardiff"); /* Cardiff before Newport at the same start */
  assert_string_equal(list[1].facilitator, "bob@test.gov.uk");
  assert_string_equal(list[1].language, "cy");
  assert_string_equal(list[1].end, "2026-11-04T16:00+01:00");
  assert_string_equal(list[2].place, "Newport");
  assert_string_equal(list[2].language, "en"); /* activity both: en */
  assert_int_equal(list[2].capacity, 0);
  assert_string_equal(list[3].activity, "TST-C");
  assert_string_equal(list[3].language, "both");
  assert_true(cp_uuid_valid(list[3].uuid));
  char newport[37];
  memcpy(newport, list[2].uuid, sizeof newport);
  cp_session_list_free(list, n);
  char *before = digest(st);
  import_ok(st, DATA "sessions.csv", true, 4, 0, 0, 4);
  assert_unchanged(st, before);
  /* A's capacity, Newport's facilitator; the id in capitals is the same id */
  import_ok(st, DATA "sessions-update.csv", true, 4, 0, 2, 2);
  /* an id moves a session; the columns the file lacks are kept */
  import_ok(st, DATA "sessions-move.csv", true, 1, 0, 1, 0);
  assert_int_equal(cp_session_list(st, NULL, &list, &n, &e), 0);
  assert_int_equal(n, 4);
  assert_int_equal(list[0].capacity, 25);
  assert_string_equal(list[1].uuid, newport);
  assert_string_equal(list[1].facilitator, "dan@test.gov.uk");
  assert_string_equal(list[2].uuid, MOVED_ID);
  assert_string_equal(list[2].start, "2026-12-01T09:30");
  assert_string_equal(list[2].place, "Cardiff");
  assert_int_equal(list[2].capacity, 20);
  assert_string_equal(list[2].facilitator, "bob@test.gov.uk");
  cp_session_list_free(list, n);
  /* without a place column a row is the held session of that activity and start */
  import_ok(st, DATA "sessions-noplace.csv", true, 1, 0, 1, 0);
  cp_session_filter f = {"TST-A", NULL, NULL};
  assert_int_equal(cp_session_list(st, &f, &list, &n, &e), 0);
  assert_int_equal(n, 1);
  assert_int_equal(list[0].capacity, 26);
  assert_string_equal(list[0].place, "Online");
  cp_session_list_free(list, n);
}

static void test_session_filters(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  import_activities(st);
  import_ok(st, DATA "sessions.csv", true, 4, 4, 0, 0);
  cp_session *list;
  size_t n;
  cp_session_filter f = {NULL, "2026-11-03", "2026-12-31"};
  assert_int_equal(cp_session_list(st, &f, &list, &n, &e), 0);
  assert_int_equal(n, 2); /* the two of 3 November (date-times) */
  cp_session_list_free(list, n);
  cp_session_filter g = {"tst-c", "2027-01-10", NULL};
  assert_int_equal(cp_session_list(st, &g, &list, &n, &e), 0);
  assert_int_equal(n, 1);
  cp_session_list_free(list, n);
  cp_session_filter bad = {NULL, "2026-13-01", NULL};
  assert_int_equal(cp_session_list(st, &bad, &list, &n, &e), CP_EINVAL);
  assert_string_equal(e.msg, "from \"2026-13-01\" is not a date (YYYY-MM-DD)");
  assert_null(list);
  cp_session_filter none = {"NOPE", NULL, NULL};
  assert_int_equal(cp_session_list(st, &none, &list, &n, &e), CP_ENOTFOUND);
  assert_string_equal(e.msg, "no activity \"NOPE\"");
  /* the export reads back unchanged */
  char path[] = "/tmp/cpdplan-sessions-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *out = fdopen(fd, "w");
  assert_int_equal(cp_session_export_csv(st, NULL, out, &e), 0);
  fclose(out);
  char *before = digest(st);
  import_ok(st, path, true, 4, 0, 0, 4);
  assert_unchanged(st, before);
  remove(path);
}

static void test_bad_sessions(void **state) {
  cp_store *st = *state;
  import_activities(st);
  import_ok(st, DATA "sessions.csv", true, 4, 4, 0, 0);
  static const bad_case cases[] = {
      {"bad-session-missing-column.csv", CP_EPARSE, 1, 0, "missing required column \"end\""},
      {"bad-session-activity.csv", CP_ENOTFOUND, 3, 1, "unknown activity NOPE"},
      {"bad-session-date.csv", CP_EINVAL, 2, 2,
       "start \"2026-02-30\" is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"},
      {"bad-session-time.csv", CP_EINVAL, 2, 3,
       "end \"2026-10-01T24:00\" is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"},
      {"bad-session-order.csv", CP_EINVAL, 2, 3, "end 2026-10-01 is before start 2026-10-02"},
      {"bad-session-offset.csv", CP_EINVAL, 2, 3,
       "end 2026-10-01T10:30+01:00 is before start 2026-10-01T10:00Z"},
      {"bad-session-capacity.csv", CP_EINVAL, 2, 4, "capacity \"-3\" is not a whole number of 0 or more"},
      {"bad-session-facilitator.csv", CP_ENOTFOUND, 2, 4, "unknown facilitator zed@test.gov.uk"},
      {"bad-session-language.csv", CP_EINVAL, 2, 4, "language \"Gaelic\" is not one of en, cy, both"},
      {"bad-session-uuid.csv", CP_EINVAL, 2, 4, "id \"1234\" is not a UUID"},
      {"bad-session-duplicate-id.csv", CP_EEXISTS, 3, 4,
       "duplicate id 6f0c1b9e-4a8e-4f5b-9a53-0d7a2f1c3e99 (also on line 2)"},
      {"bad-session-duplicate.csv", CP_EEXISTS, 3, 2,
       "duplicate session of TST-A starting 2026-10-01 at Online (also on line 2)"},
      {"empty.csv", CP_EPARSE, 1, 0, "empty file: no header row"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) expect_rejected(st, &cases[i], true);
}

static void test_session_add(void **state) {
  cp_store *st = *state;
  cp_error e;
  cp_error_clear(&e);
  import_activities(st);
  cp_session s = {.activity = "TST-A", .start = "2026-10-05", .end = "2026-10-06", .place = "Online",
                  .facilitator = "Ann@Test.gov.uk"};
  assert_int_equal(cp_session_add(st, &s, &e), 0);
  assert_true(cp_uuid_valid(s.uuid));
  int before = count(st, "SELECT count(*) FROM session");
  assert_int_equal(cp_session_add(st, &s, &e), CP_EEXISTS);
  char want[200];
  snprintf(want, sizeof want, "a session of TST-A starting 2026-10-05 at Online is already held (%s)", s.uuid);
  assert_string_equal(e.msg, want);
  assert_string_equal(e.file, "");
  cp_session u = {.activity = "NOPE", .start = "2026-10-05", .end = "2026-10-06"};
  assert_int_equal(cp_session_add(st, &u, &e), CP_ENOTFOUND);
  assert_string_equal(e.msg, "unknown activity NOPE");
  cp_session d = {.activity = "TST-A", .start = "2026-10-05T17:00", .end = "2026-10-05T09:00"};
  assert_int_equal(cp_session_add(st, &d, &e), CP_EINVAL);
  assert_string_equal(e.msg, "end 2026-10-05T09:00 is before start 2026-10-05T17:00");
  cp_session c = {.activity = "TST-A", .start = "2026-10-05", .end = "2026-10-05", .capacity = -1};
  assert_int_equal(cp_session_add(st, &c, &e), CP_EINVAL);
  assert_int_equal(count(st, "SELECT count(*) FROM session"), before);
  assert_int_equal(cp_store_depth(st), 0);
  cp_session en = {.activity = "TST-D", .start = "2026-10-05", .end = "2026-10-05", .language = "both"};
  assert_int_equal(cp_session_add(st, &en, &e), 0);
  assert_int_equal(count(st, "SELECT count(*) FROM session WHERE language='both'"), 1);
  assert_int_equal(count(st, "SELECT count(*) FROM session s JOIN person p ON p.id=s.facilitator_id"
                             " WHERE p.email='ann@test.gov.uk'"),
                   1);
}

static void test_dates(void **state) {
  (void)state;
  const char *good[] = {"2026-10-01", "2028-02-29", "2026-10-01T09:30", "2026-10-01T09:30:59",
                        "2026-10-01T23:59Z", "2026-10-01T00:00+01:00", "2026-10-01T12:00:00-05:30"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    if (!cp_datetime_valid(good[i])) fail_msg("%s should be valid", good[i]);
  const char *bad[] = {"", "2026-1-01", "2027-02-29", "2026-10-01 09:30", "2026-10-01T9:30", "2026-10-01T24:00",
                       "2026-10-01T09:60", "2026-10-01T09:30:60", "2026-10-01T09:30z", "2026-10-01T09:30+1:00",
                       "2026-10-01T09:30+15:00", "2026-10-01T09:30Z ", "2026-10-01T", "2026-10-01T09:30+01:00x"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (cp_datetime_valid(bad[i])) fail_msg("%s should be invalid", bad[i]);
  assert_false(cp_datetime_valid(NULL));
  assert_true(cp_datetime_minutes("1970-01-02", false) == 1440);
  assert_true(cp_datetime_minutes("1970-01-01", true) == 1439);
  assert_true(cp_datetime_minutes("2026-10-01T10:00+01:00", false) == cp_datetime_minutes("2026-10-01T09:00Z", false));
  assert_true(cp_datetime_minutes("2026-10-01T09:00-00:30", false) == cp_datetime_minutes("2026-10-01T09:30", false));
  assert_true(cp_datetime_minutes("2026-10-01T23:59", false) < cp_datetime_minutes("2026-10-01", true) + 1);
}

/* ---- operations for the allocation-failure sweeps ---- */

static int op_import(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_activity_import_csv(st, DATA "activities.csv", &r, e);
  if (!rc && (r.rows != 4 || r.added != 4 || !r.unknown_columns)) rc = MISMATCH;
  cp_import_result_clear(&r);
  return rc;
}

static int op_update(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_activity_import_csv(st, DATA "activities-update.csv", &r, e);
  if (!rc && (r.added != 1 || r.updated != 2)) rc = MISMATCH;
  cp_import_result_clear(&r);
  return rc;
}

static int op_cycle(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_activity_import_csv(st, DATA "bad-activity-cycle-held.csv", &r, e);
  cp_import_result_clear(&r);
  return rc == CP_ECYCLE ? 0 : rc ? rc : MISMATCH;
}

static int op_shipped(cp_store *st, cp_error *e) { return cp_activity_install_shipped(st, e); }

static int op_read(cp_store *st, cp_error *e) {
  cp_activity a;
  int rc = cp_activity_get(st, "TST-C", &a, e);
  if (!rc && a.nprerequisites != 2) rc = MISMATCH;
  cp_activity_clear(&a);
  cp_activity *list = NULL;
  size_t n = 0;
  if (!rc) {
    rc = cp_activity_list(st, NULL, &list, &n, e);
    if (!rc && n != 4) rc = MISMATCH;
    if (rc && (list || n)) rc = MISMATCH; /* a failed list hands nothing back */
    cp_activity_list_free(list, n);
  }
  cp_activity_item *items = NULL;
  if (!rc) {
    rc = cp_activity_items(st, "TST-A", &items, &n, e);
    if (!rc && n != 2) rc = MISMATCH;
    if (rc && (items || n)) rc = MISMATCH;
    cp_activity_items_free(items, n);
  }
  return rc;
}

static int op_parse(cp_store *st, cp_error *e) {
  (void)st;
  cp_activity *list;
  size_t n;
  const cp_embedded_file *f = &cp_embedded_catalogues[0];
  int rc = cp_activity_parse(f->name, f->data, f->size, &list, &n, e);
  if (!rc && n != 13) rc = MISMATCH;
  if (rc && (list || n)) rc = MISMATCH;
  cp_activity_list_free(list, n);
  return rc;
}

static int op_sessions(cp_store *st, cp_error *e) {
  cp_import_result r;
  int rc = cp_session_import_csv(st, DATA "sessions.csv", &r, e);
  if (!rc && r.added != 4) rc = MISMATCH;
  cp_import_result_clear(&r);
  return rc;
}

static int op_session_add(cp_store *st, cp_error *e) {
  cp_session s = {.activity = "tst-b", .start = "2026-10-05T10:00", .end = "2026-10-05T12:00", .place = "Bangor",
                  .facilitator = "dan@test.gov.uk", .capacity = 9};
  return cp_session_add(st, &s, e);
}

static int op_session_list(cp_store *st, cp_error *e) {
  cp_session *list;
  size_t n;
  cp_session_filter f = {"TST-B", "2026-01-01", "2027-12-31"};
  int rc = cp_session_list(st, &f, &list, &n, e);
  if (!rc && n != 2) rc = MISMATCH;
  if (rc && (list || n)) rc = MISMATCH;
  cp_session_list_free(list, n);
  return rc;
}

static void test_out_of_memory(void **state) {
  cp_store *st = *state;
  sweep(st, op_import);
  sweep(st, op_shipped);
  sweep(st, op_parse);
  import_activities(st);
  sweep(st, op_update);
  sweep(st, op_cycle);
  sweep(st, op_read);
  sweep(st, op_sessions);
  sweep(st, op_session_add);
  import_ok(st, DATA "sessions.csv", true, 4, 4, 0, 0);
  sweep(st, op_session_list);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_import_and_reimport, setup, teardown),
      cmocka_unit_test_setup_teardown(test_update_in_place, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_activities, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ambiguous_codes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shipped, setup, teardown),
      cmocka_unit_test_setup_teardown(test_get_and_list, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_session_filters, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_session_add, setup, teardown),
      cmocka_unit_test(test_dates),
      cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
  };
  faults_setup();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
