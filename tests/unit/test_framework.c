/* test_framework.c: the framework module: CASE and Moodle CSV parse/write
 * round trips (shipped frameworks byte for byte, another publisher's CASE
 * package, a real Moodle export), the store (save, load, list, find,
 * update in place keeping graded rows, retiring), malformed inputs with
 * their exact messages and positions, and nothing written on failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/framework.h"
#include "store_internal.h"

#define FW_DIR CP_TEST_DATA "/../../frameworks/"
#define FX_DIR CP_TEST_DATA "/frameworks/"

static const struct shipped {
  const char *file, *code;
  long statements, principles, items;
} shipped[] = {
    {"aspect-eip-2005.json", "ASP05", 153, 0, 189},
    {"prospect-ecs-scotland-2019.json", "PSS19", 151, 6, 181},
    {"wales-eip.json", "WEIP", 3, 0, 3},
    {"vsc-cymru-standard.json", "VSC", 30, 0, 33},
};

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = '\0';
  fclose(f);
  if (size) *size = (size_t)n;
  return s;
}

typedef int (*writer_fn)(const cp_fw_doc *, FILE *, cp_error *);

/* Write doc with fn into a string (caller frees). */
static char *write_to_string(const cp_fw_doc *doc, writer_fn fn) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(fn(doc, f, &e), 0);
  fclose(f);
  return buf;
}

static cp_fw_doc *parse_path(const char *path) {
  cp_fw_doc *doc = NULL;
  cp_error e;
  cp_error_clear(&e);
  int rc = cp_fw_parse_file(path, &doc, &e);
  if (rc) fail_msg("%s: %s", path, e.msg);
  return doc;
}

static cp_store *open_store(bool with_shipped) {
  cp_store *st;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_store_open(&st, ":memory:", CP_STORE_CREATE, &e), 0);
  if (with_shipped) assert_int_equal(cp_framework_install_shipped(st, &e), 0);
  return st;
}

static long count(cp_store *st, const char *sql) {
  sqlite3_stmt *s;
  cp_error e;
  assert_int_equal(cp_store_prepare(st, sql, &s, &e), 0);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  long n = (long)sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  return n;
}

static int find(const cp_fw_doc *doc, const char *code) {
  for (size_t i = 0; i < doc->nitems; i++)
    if (strcmp(doc->items[i].code, code) == 0) return (int)i;
  return -1;
}

static void assert_json_equal(const char *a, const char *b) {
  json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
  assert_non_null(x);
  assert_non_null(y);
  assert_true(json_equal(x, y));
  json_decref(x);
  json_decref(y);
}

/* ---- shipped frameworks ---- */

static void test_shipped_parse_counts_and_bytes(void **state) {
  (void)state;
  for (size_t k = 0; k < 4; k++) {
    char path[512];
    snprintf(path, sizeof path, FW_DIR "%s", shipped[k].file);
    cp_fw_doc *doc = parse_path(path);
    assert_string_equal(doc->short_name, shipped[k].code);
    assert_int_equal(cp_fw_doc_statements(doc), shipped[k].statements);
    assert_int_equal(cp_fw_doc_principles(doc), shipped[k].principles);
    assert_int_equal(doc->nitems, shipped[k].items);
    char *src = slurp(path, NULL), *out = write_to_string(doc, cp_fw_write_case);
    assert_string_equal(out, src);
    free(src);
    free(out);
    cp_fw_doc_free(doc);
  }
}

static void test_shipped_tree(void **state) {
  (void)state;
  cp_fw_doc *doc = parse_path(FW_DIR "prospect-ecs-scotland-2019.json");
  int p1 = find(doc, "PSS19-P1"), d4 = find(doc, "PSS19-4"), s = find(doc, "PSS19-4.K.1");
  assert_true(p1 >= 0 && d4 >= 0 && s >= 0);
  assert_int_equal(doc->items[p1].depth, 0);
  assert_false(doc->items[p1].gradeable);
  assert_int_equal(doc->items[s].depth, 2);
  assert_int_equal(doc->items[s].seq, 1);
  assert_true(doc->items[s].gradeable);
  assert_string_equal(doc->items[doc->items[s].parent].code, "PSS19-4.K");
  assert_int_equal(cp_fw_doc_applicability(doc, (size_t)s), CP_APPLY_AGREED);
  assert_int_equal(cp_fw_doc_applicability(doc, (size_t)find(doc, "PSS19-1.K.1")), CP_APPLY_ALL);
  for (size_t i = 0; i < doc->nitems; i++) assert_true(doc->items[i].parent < (int)i);
  cp_fw_doc_free(doc);
}

static void test_shipped_store(void **state) {
  (void)state;
  cp_store *st = open_store(true);
  cp_error e;
  cp_error_clear(&e);
  cp_fw_summary *list;
  size_t n;
  assert_int_equal(cp_framework_list(st, &list, &n, &e), 0);
  assert_int_equal(n, 4);
  const char *order[] = {"ASP05", "PSS19", "VSC", "WEIP"};
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(list[i].short_name, order[i]);
    for (size_t k = 0; k < 4; k++) {
      if (strcmp(shipped[k].code, order[i]) != 0) continue;
      assert_int_equal(list[i].statements, shipped[k].statements);
      assert_int_equal(list[i].principles, shipped[k].principles);
      assert_int_equal(list[i].items, shipped[k].items);
    }
  }
  cp_fw_summaries_free(list, n);
  /* load -> write gives the shipped file back, byte for byte */
  for (size_t k = 0; k < 4; k++) {
    char path[512];
    snprintf(path, sizeof path, FW_DIR "%s", shipped[k].file);
    cp_fw_doc *doc;
    assert_int_equal(cp_framework_load(st, shipped[k].code, &doc, &e), 0);
    char *src = slurp(path, NULL), *out = write_to_string(doc, cp_fw_write_case);
    assert_string_equal(out, src);
    free(src);
    free(out);
    /* saving it again changes nothing */
    cp_fw_save_result r;
    assert_int_equal(cp_framework_save(st, doc, &r, &e), 0);
    assert_int_equal(r.created, 0);
    assert_int_equal(r.items_added + r.items_updated + r.items_removed + r.items_retired, 0);
    assert_int_equal(r.items_unchanged, shipped[k].items);
    cp_fw_doc_free(doc);
  }
  assert_int_equal(count(st, "SELECT count(*) FROM item"), 189 + 181 + 3 + 33);
  /* effective applicability is stored: PSS19 dimensions 4-6 are agreed */
  assert_int_equal(count(st, "SELECT count(*) FROM item i JOIN framework f ON f.id=i.framework_id"
                             " WHERE f.short_name='PSS19' AND i.applicability='agreed'"),
                   3 + 3 * 3 + 10 + 5 + 9 + 12 + 6 + 13 + 6 + 9 + 6);
  cp_store_close(st);
}

/* ---- another publisher's CASE package ---- */

static void test_other_publisher(void **state) {
  (void)state;
  size_t size;
  char *src = slurp(FX_DIR "other-publisher-case.json", &size);
  cp_fw_doc *doc = parse_path(FX_DIR "other-publisher-case.json");
  assert_int_equal(doc->nitems, 8);
  assert_int_equal(cp_fw_doc_statements(doc), 5);
  assert_string_equal(doc->short_name, "What Standards Could Be");
  /* sequenceNumber "1"/"2" order the top level; children follow file order */
  assert_string_equal(doc->items[0].code, "CCSS.Math.Content.6.RP.A");
  assert_string_equal(doc->items[6].code, "CCSS.Math.Content.7.RP.A");
  int a3a = find(doc, "CCSS.Math.Content.6.RP.A.3a");
  assert_string_equal(doc->items[doc->items[a3a].parent].code, "CCSS.Math.Content.6.RP.A.3");
  assert_int_equal(doc->items[a3a].depth, 2);
  assert_string_equal(doc->items[find(doc, "CCSS.Math.Content.6.RP.A.1")].item_type, "Standard");
  assert_non_null(strstr(doc->items[find(doc, "CCSS.Math.Content.7.RP.A.1")].notes, "<sup>1/2</sup>"));
  char *out = write_to_string(doc, cp_fw_write_case);
  assert_json_equal(out, src);
  free(out);
  /* save -> load -> write: the same JSON again */
  cp_store *st = open_store(false);
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_framework_save(st, doc, NULL, &e), 0);
  cp_fw_doc *back;
  assert_int_equal(cp_framework_load(st, "20c5134f-423d-4097-a971-3dd5152bf507", &back, &e), 0);
  out = write_to_string(back, cp_fw_write_case);
  assert_json_equal(out, src);
  free(out);
  cp_fw_doc_free(back);
  cp_store_close(st);
  cp_fw_doc_free(doc);
  /* the same package inside {"CFPackage": ...} */
  char *wrapped = malloc(size + 32);
  assert_non_null(wrapped);
  snprintf(wrapped, size + 32, "{\"CFPackage\": %s}", src);
  cp_fw_doc *w = NULL;
  assert_int_equal(cp_fw_parse_case("wrapped.json", wrapped, strlen(wrapped), &w, &e), 0);
  assert_int_equal(w->nitems, 8);
  out = write_to_string(w, cp_fw_write_case);
  assert_json_equal(out, wrapped);
  free(out);
  cp_fw_doc_free(w);
  free(wrapped);
  free(src);
}

static void test_derived_codes(void **state) {
  (void)state;
  const char *json =
      "{\"CFDocument\": {\"identifier\": \"11111111-2222-3333-4444-555555555501\", \"title\": \"No codes\"},\n"
      " \"CFItems\": [\n"
      "  {\"identifier\": \"11111111-2222-3333-4444-555555555502\", \"fullStatement\": \"Area\", \"listEnumeration\": \"1\"},\n"
      "  {\"identifier\": \"11111111-2222-3333-4444-555555555503\", \"fullStatement\": \"Skill\", \"listEnumeration\": \"a\"},\n"
      "  {\"identifier\": \"11111111-2222-3333-4444-555555555504\", \"fullStatement\": \"Loose\", \"notes\": \"\"}],\n"
      " \"CFAssociations\": [\n"
      "  {\"identifier\": \"11111111-2222-3333-4444-555555555505\", \"associationType\": \"isChildOf\",\n"
      "   \"originNodeURI\": {\"identifier\": \"11111111-2222-3333-4444-555555555503\"},\n"
      "   \"destinationNodeURI\": {\"identifier\": \"11111111-2222-3333-4444-555555555502\"}}]}";
  cp_fw_doc *doc = NULL;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_fw_parse_case("codes.json", json, strlen(json), &doc, &e), 0);
  assert_string_equal(doc->short_name, "No codes");
  assert_string_equal(doc->items[0].code, "1");
  assert_string_equal(doc->items[1].code, "1.a");
  assert_string_equal(doc->items[2].code, "11111111"); /* no listEnumeration: short identifier */
  assert_int_equal(doc->items[2].parent, -1);          /* no isChildOf: top level */
  char *out = write_to_string(doc, cp_fw_write_case);
  assert_json_equal(out, json);
  free(out);
  cp_fw_doc_free(doc);
}

/* ---- Moodle ---- */

static void test_moodle_export(void **state) {
  (void)state;
  char *src = slurp(FX_DIR "moodle-export.csv", NULL);
  cp_fw_doc *doc = parse_path(FX_DIR "moodle-export.csv");
  assert_int_equal(doc->source_format, CP_FW_MOODLE);
  assert_string_equal(doc->short_name, "OECD-CORE");
  assert_string_equal(doc->title, "OECD");
  assert_int_equal(doc->nitems, 27);
  assert_int_equal(cp_fw_doc_statements(doc), 17);
  assert_non_null(strstr(doc->description, "OECD’s overall success"));
  int at1 = find(doc, "DR-AT1"), comp = find(doc, "competencies"), ds1 = find(doc, "DR-DS-1");
  assert_string_equal(doc->items[at1].statement, "Distinguishes between critical and irrelevant pieces of information");
  assert_string_equal(doc->items[doc->items[at1].parent].code, "analytical-thinking");
  assert_int_equal(doc->items[at1].depth, 3);
  assert_string_equal(doc->items[comp].statement, "Competencies"); /* empty description: the short name */
  assert_string_equal(doc->items[ds1].abbreviated,
                      "Tailors communication (e.g. content, style and medium) to diverse audiences. ");
  assert_string_equal(doc->items[ds1].statement,
                      "Tailors communication (e.g. content, style and medium) to diverse audiences.");
  char *out = write_to_string(doc, cp_fw_write_moodle);
  assert_string_equal(out, src);
  free(out);
  /* through the store and back: still byte for byte */
  cp_store *st = open_store(false);
  cp_error e;
  cp_error_clear(&e);
  cp_fw_save_result r;
  assert_int_equal(cp_framework_save(st, doc, &r, &e), 0);
  assert_int_equal(r.created, 1);
  assert_true(doc->uuid[0] && doc->items[0].uuid[0]); /* identifiers made */
  cp_fw_doc *back;
  assert_int_equal(cp_framework_load(st, "oecd-core", &back, &e), 0);
  out = write_to_string(back, cp_fw_write_moodle);
  assert_string_equal(out, src);
  free(out);
  /* a second import matches by ID number and changes nothing */
  cp_fw_doc *again = parse_path(FX_DIR "moodle-export.csv");
  assert_int_equal(cp_framework_save(st, again, &r, &e), 0);
  assert_int_equal(r.created, 0);
  assert_int_equal(r.items_added + r.items_updated + r.items_removed, 0);
  assert_string_equal(again->items[0].uuid, back->items[0].uuid);
  /* and as CASE: the tree and texts survive a CASE round trip */
  char *cs = write_to_string(back, cp_fw_write_case);
  cp_fw_doc *c = NULL;
  assert_int_equal(cp_fw_parse_case("oecd.json", cs, strlen(cs), &c, &e), 0);
  assert_int_equal(c->nitems, 27);
  for (size_t i = 0; i < c->nitems; i++) {
    assert_string_equal(c->items[i].code, back->items[i].code);
    assert_string_equal(c->items[i].statement, back->items[i].statement);
    assert_int_equal(c->items[i].parent, back->items[i].parent);
    assert_string_equal(c->items[i].uuid, back->items[i].uuid);
  }
  free(cs);
  cp_fw_doc_free(c);
  cp_fw_doc_free(again);
  cp_fw_doc_free(back);
  cp_store_close(st);
  cp_fw_doc_free(doc);
  free(src);
}

/* CASE -> Moodle CSV -> import keeps identifiers, codes, texts, types,
 * notes, applicability and the tree; writing it again gives the same CSV. */
static void test_case_to_moodle(void **state) {
  (void)state;
  for (size_t k = 0; k < 4; k++) {
    char path[512];
    snprintf(path, sizeof path, FW_DIR "%s", shipped[k].file);
    cp_fw_doc *a = parse_path(path);
    char *csv = write_to_string(a, cp_fw_write_moodle);
    assert_non_null(strstr(csv, "\"Parent ID number\",\"ID number\",\"Short name\",Description,"));
    cp_fw_doc *b = NULL;
    cp_error e;
    cp_error_clear(&e);
    assert_int_equal(cp_fw_parse_moodle("x.csv", csv, strlen(csv), &b, &e), 0);
    assert_string_equal(b->uuid, a->uuid);
    assert_string_equal(b->short_name, a->short_name);
    assert_string_equal(b->title, a->title);
    assert_string_equal(b->description, a->description);
    assert_string_equal(b->version, a->version);
    assert_int_equal(b->nitems, a->nitems);
    for (size_t i = 0; i < a->nitems; i++) {
      const cp_fw_item *x = &a->items[i], *y = &b->items[i];
      assert_string_equal(y->uuid, x->uuid);
      assert_string_equal(y->code, x->code);
      assert_string_equal(y->statement, x->statement);
      assert_string_equal(y->item_type, x->item_type);
      assert_string_equal(y->notes, x->notes);
      assert_string_equal(y->abbreviated, x->abbreviated);
      assert_int_equal(y->applicability, x->applicability);
      assert_int_equal(y->parent, x->parent);
      assert_int_equal(y->gradeable, x->gradeable);
    }
    assert_int_equal(cp_fw_doc_statements(b), shipped[k].statements);
    char *csv2 = write_to_string(b, cp_fw_write_moodle);
    assert_string_equal(csv2, csv);
    free(csv2);
    free(csv);
    cp_fw_doc_free(a);
    cp_fw_doc_free(b);
  }
}

static void test_moodle_text(void **state) {
  (void)state;
  const char *csv =
      "\"Parent ID number\",\"ID number\",\"Short name\",Description,\"Description format\",\"Is framework\",Taxonomy,"
      "Notes\n"
      ",T,Test,\"<p>A &amp; B</p><p>C&nbsp;&#8217;s <b>bold</b><br>next</p><!-- hidden -->\",1,1,,x\n"
      ",T-1,One,\"  plain   text\n kept  \",2,,,y\n"
      ",T-2,Two,\"line\none\",0,,,z\n";
  cp_fw_doc *doc = NULL;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_fw_parse_moodle("t.csv", csv, strlen(csv), &doc, &e), 0);
  assert_string_equal(doc->description, "A & B\n\nC\xC2\xA0\xE2\x80\x99s bold\nnext");
  assert_string_equal(doc->items[0].statement, "plain   text\n kept");
  assert_string_equal(doc->items[1].statement, "line\none");
  /* a header of our own: unknown columns kept, written back as read */
  char *out = write_to_string(doc, cp_fw_write_moodle);
  assert_string_equal(out, csv);
  free(out);
  cp_fw_doc_free(doc);
}

/* ---- update in place ---- */

/* Remove leaf item i from doc, keeping parent indexes right. */
static void remove_leaf(cp_fw_doc *doc, int i) {
  free(doc->items[i].code);
  free(doc->items[i].item_type);
  free(doc->items[i].statement);
  free(doc->items[i].abbreviated);
  free(doc->items[i].notes);
  free(doc->items[i].extra_json);
  memmove(&doc->items[i], &doc->items[i + 1], (doc->nitems - (size_t)i - 1) * sizeof doc->items[0]);
  doc->nitems--;
  for (size_t k = 0; k < doc->nitems; k++)
    if (doc->items[k].parent > i) doc->items[k].parent--;
}

static int64_t item_id(cp_store *st, const char *ref) {
  int64_t id = 0;
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_framework_find_item(st, ref, &id, &e), 0);
  return id;
}

static void grade(cp_store *st, int64_t item) {
  cp_error e;
  sqlite3_stmt *s;
  assert_int_equal(cp_store_prepare(st, "INSERT OR IGNORE INTO person(uuid, email, name) VALUES('p1','a@b.cc','A')",
                                    &s, &e), 0);
  assert_int_equal(sqlite3_step(s), SQLITE_DONE);
  sqlite3_reset(s);
  assert_int_equal(cp_store_prepare(st, "INSERT OR IGNORE INTO cycle(name) VALUES('2026-27')", &s, &e), 0);
  assert_int_equal(sqlite3_step(s), SQLITE_DONE);
  sqlite3_reset(s);
  assert_int_equal(cp_store_prepare(st,
                                    "INSERT INTO assessment(uuid, person_id, item_id, cycle_id, kind, grade,"
                                    " assessed_on, recorded_at, fingerprint) VALUES(?1, (SELECT id FROM person),"
                                    " ?2, (SELECT id FROM cycle), 'self', 2, '2026-11-23', '2026-11-23', ?2)",
                                    &s, &e), 0);
  char uuid[48];
  snprintf(uuid, sizeof uuid, "a-%lld", (long long)item);
  sqlite3_bind_text(s, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, item);
  assert_int_equal(sqlite3_step(s), SQLITE_DONE);
  sqlite3_reset(s);
}

static void test_update_in_place(void **state) {
  (void)state;
  cp_store *st = open_store(true);
  cp_error e;
  cp_error_clear(&e);
  int64_t k1 = item_id(st, "ASP05-1.K.1"), k3 = item_id(st, "ASP05-1.K.3");
  grade(st, k1);
  grade(st, k3);
  long assessments = count(st, "SELECT count(*) FROM assessment");
  /* a new version: K.1 (graded) and K.2 dropped, K.3 reworded, a new
   * statement takes the code K.1 under a new identifier */
  cp_fw_doc *doc = parse_path(FW_DIR "aspect-eip-2005.json");
  remove_leaf(doc, find(doc, "ASP05-1.K.2"));
  int at = find(doc, "ASP05-1.K.1");
  assert_int_equal(cp_fw_set(&doc->items[at].statement, "A new first statement"), 0);
  assert_int_equal(cp_fw_set(&doc->items[at].extra_json, "{}"), 0);
  snprintf(doc->items[at].uuid, sizeof doc->items[at].uuid, "%s", "99999999-0000-4000-8000-000000000001");
  assert_int_equal(cp_fw_set(&doc->items[find(doc, "ASP05-1.K.3")].statement, "Reworded"), 0);
  cp_fw_save_result r;
  assert_int_equal(cp_framework_save(st, doc, &r, &e), 0);
  assert_int_equal(r.created, 0);
  assert_int_equal(r.items_added, 1);
  assert_int_equal(r.items_removed, 1);
  assert_int_equal(r.items_retired, 1);
  assert_int_equal(r.items_updated, 3); /* K.3 reworded and moved up; K.4, K.5 moved up */
  assert_int_equal(r.items_unchanged, 189 - 2 - 3);
  assert_int_equal(item_id(st, "ASP05-1.K.3"), k3); /* same row: grades kept */
  assert_int_equal(count(st, "SELECT count(*) FROM assessment"), assessments);
  int64_t fresh = item_id(st, "ASP05-1.K.1");
  assert_true(fresh != k1);
  assert_int_equal(count(st, "SELECT count(*) FROM item WHERE retired"), 1);
  char ref[64];
  snprintf(ref, sizeof ref, "ASP05-1.K.1 (retired %lld)", (long long)k1);
  assert_int_equal(item_id(st, ref), k1);
  assert_int_equal(count(st, "SELECT gradeable FROM item WHERE retired"), 0);
  assert_int_equal(count(st, "SELECT count(*) FROM item WHERE id=(SELECT item_id FROM assessment LIMIT 1)"), 1);
  cp_fw_summary *list;
  size_t n;
  assert_int_equal(cp_framework_list(st, &list, &n, &e), 0);
  assert_int_equal(list[0].statements, 152);
  cp_fw_summaries_free(list, n);
  /* a loaded framework leaves the retired row out */
  cp_fw_doc *held;
  assert_int_equal(cp_framework_load(st, "ASP05", &held, &e), 0);
  assert_int_equal(held->nitems, 188);
  cp_fw_doc_free(held);
  cp_fw_doc_free(doc);
  /* the old version again: K.1 comes back to life in its own row */
  doc = parse_path(FW_DIR "aspect-eip-2005.json");
  assert_int_equal(cp_framework_save(st, doc, &r, &e), 0);
  assert_int_equal(r.items_added, 1);   /* K.2 */
  assert_int_equal(r.items_removed, 1); /* the ungraded newcomer */
  assert_int_equal(r.items_retired, 0);
  assert_int_equal(item_id(st, "ASP05-1.K.1"), k1);
  assert_true(item_id(st, "ASP05-1.K.2") > 0);
  assert_int_equal(count(st, "SELECT count(*) FROM item WHERE retired"), 0);
  cp_fw_doc *back;
  assert_int_equal(cp_framework_load(st, "ASP05", &back, &e), 0);
  char *src = slurp(FW_DIR "aspect-eip-2005.json", NULL), *out = write_to_string(back, cp_fw_write_case);
  assert_string_equal(out, src);
  free(src);
  free(out);
  cp_fw_doc_free(back);
  cp_fw_doc_free(doc);
  cp_store_close(st);
}

/* A CASE framework updated from its Moodle export keeps its CASE data. */
static void test_moodle_update_keeps_case(void **state) {
  (void)state;
  cp_store *st = open_store(true);
  cp_error e;
  cp_error_clear(&e);
  cp_fw_doc *doc;
  assert_int_equal(cp_framework_load(st, "PSS19", &doc, &e), 0);
  char *csv = write_to_string(doc, cp_fw_write_moodle);
  cp_fw_doc *m = NULL;
  assert_int_equal(cp_fw_parse_moodle("pss19.csv", csv, strlen(csv), &m, &e), 0);
  cp_fw_save_result r;
  assert_int_equal(cp_framework_save(st, m, &r, &e), 0);
  assert_int_equal(r.created + r.items_added + r.items_updated + r.items_removed + r.items_retired, 0);
  cp_fw_doc *back;
  assert_int_equal(cp_framework_load(st, "PSS19", &back, &e), 0);
  assert_int_equal(back->source_format, CP_FW_MOODLE);
  char *src = slurp(FW_DIR "prospect-ecs-scotland-2019.json", NULL), *out = write_to_string(back, cp_fw_write_case);
  assert_string_equal(out, src);
  char *csv2 = write_to_string(back, cp_fw_write_moodle);
  assert_string_equal(csv2, csv);
  free(csv2);
  free(src);
  free(out);
  free(csv);
  cp_fw_doc_free(back);
  cp_fw_doc_free(m);
  cp_fw_doc_free(doc);
  cp_store_close(st);
}

/* ---- finding ---- */

static void test_find_and_resolve(void **state) {
  (void)state;
  cp_store *st = open_store(true);
  cp_error e;
  cp_error_clear(&e);
  int64_t id, fid;
  assert_int_equal(cp_framework_resolve(st, "pss19", &fid, &e), 0);
  assert_int_equal(cp_framework_resolve(st, "14D30D53-5B40-5486-91A3-5AF7147D4DE0", &id, &e), 0);
  assert_int_equal(id, fid);
  assert_int_equal(cp_framework_resolve(st, "NOPE", &id, &e), CP_ENOTFOUND);
  assert_string_equal(e.msg, "no framework \"NOPE\"");
  int64_t k3 = item_id(st, "ASP05-1.K.3");
  assert_int_equal(item_id(st, "asp05-1.k.3"), k3);
  assert_int_equal(item_id(st, "ASP05:ASP05-1.K.3"), k3);
  char uuid[37];
  cp_fw_uuid_for(uuid, "cpdplan:ASP05-1.K.3"); /* the scheme of frameworks/README.md */
  assert_int_equal(item_id(st, uuid), k3);
  assert_int_equal(cp_framework_find_item(st, "ASP05-9.Z", &id, &e), CP_ENOTFOUND);
  assert_int_equal(cp_framework_find_item(st, "ASP05:NOPE", &id, &e), CP_ENOTFOUND);
  /* the same code in a second framework is ambiguous without a prefix */
  const char *csv = "ID number,Short name,Is framework,Parent ID number\n"
                    "OTHER,Other,1,\n"
                    "ASP05-1.K.3,Same code,,\n";
  cp_fw_doc *doc = NULL;
  assert_int_equal(cp_fw_parse_moodle("other.csv", csv, strlen(csv), &doc, &e), 0);
  assert_int_equal(cp_framework_save(st, doc, NULL, &e), 0);
  assert_int_equal(cp_framework_find_item(st, "ASP05-1.K.3", &id, &e), CP_EAMBIGUOUS);
  assert_int_equal(item_id(st, "ASP05:ASP05-1.K.3"), k3);
  assert_true(item_id(st, "OTHER:ASP05-1.K.3") != k3);
  cp_fw_doc_free(doc);
  cp_store_close(st);
}

/* ---- failures ---- */

static const struct bad {
  const char *file;
  long line, col;
  const char *msg;
} bad[] = {
    {"bad-syntax.json", 10, 25, "invalid JSON: '}' expected near '\"humanCodingScheme\"'"},
    {"bad-no-document.json", 1, 1, "no \"CFDocument\" object: not a CASE 1.0 package"},
    {"bad-duplicate-identifier.json", 14, 21, "item DUPID-2: duplicate identifier 0b3c1a52-6a34-4d3e-9d52-4c6f0f6f0b02"},
    {"bad-unknown-node.json", 19, 29, "item UNK-1: isChildOf an unknown node 0b3c1a52-6a34-4d3e-9d52-4c6f0f6f0cff"},
    {"bad-cycle.json", 31, 5, "isChildOf cycle: CYC-3 -> CYC-2 -> CYC-3"},
    {"bad-duplicate-code.json", 16, 28,
     "duplicate code DUPC-1 (items 0b3c1a52-6a34-4d3e-9d52-4c6f0f6f0e02 and 0b3c1a52-6a34-4d3e-9d52-4c6f0f6f0e03)"},
    {"bad-applicability.json", 13, 26, "item APP-1: extensions.applicability must be \"all\" or \"agreed\""},
    {"bad-moodle-parent.csv", 4, 0, "competency BADP-2: parent ID number BADP-9 is not in the file"},
    {"bad-moodle-duplicate.csv", 4, 0, "duplicate ID number BADD-1 (also on line 3)"},
    {"bad-moodle-no-framework.csv", 1, 0, "no framework row (a row with Is framework = 1)"},
    {"bad-moodle-quote.csv", 3, 15, "malformed CSV: a quote inside an unquoted field, or text after a closing quote"},
};

static void test_malformed(void **state) {
  (void)state;
  cp_store *st = open_store(true);
  long fws = count(st, "SELECT count(*) FROM framework"), items = count(st, "SELECT count(*) FROM item");
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    char path[512];
    snprintf(path, sizeof path, FX_DIR "%s", bad[k].file);
    cp_fw_doc *doc = NULL;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_fw_parse_file(path, &doc, &e);
    assert_int_equal(rc, CP_EPARSE);
    assert_null(doc);
    assert_string_equal(e.file, path);
    assert_int_equal(e.line, bad[k].line);
    assert_int_equal(e.col, bad[k].col);
    assert_string_equal(e.msg, bad[k].msg);
  }
  assert_int_equal(count(st, "SELECT count(*) FROM framework"), fws);
  assert_int_equal(count(st, "SELECT count(*) FROM item"), items);
  cp_store_close(st);
}

/* A failure inside save (a short name another framework holds) writes nothing. */
static void test_save_failure_writes_nothing(void **state) {
  (void)state;
  cp_store *st = open_store(true);
  long fws = count(st, "SELECT count(*) FROM framework"), items = count(st, "SELECT count(*) FROM item");
  cp_fw_doc *doc = parse_path(FX_DIR "other-publisher-case.json");
  assert_int_equal(cp_fw_set(&doc->short_name, "asp05"), 0);
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_framework_save(st, doc, NULL, &e), CP_EEXISTS);
  assert_string_equal(e.msg, "framework asp05: the short name is already used by another framework (identifier "
                             "eaf79246-4037-5bff-9b9c-c54f86247d9f)");
  assert_int_equal(cp_store_depth(st), 0);
  assert_int_equal(count(st, "SELECT count(*) FROM framework"), fws);
  assert_int_equal(count(st, "SELECT count(*) FROM item"), items);
  cp_fw_doc_free(doc);
  /* inside a caller's transaction that rolls back, nothing stays either */
  doc = parse_path(FX_DIR "moodle-export.csv");
  assert_int_equal(cp_store_begin(st, &e), 0);
  assert_int_equal(cp_framework_save(st, doc, NULL, &e), 0);
  assert_int_equal(count(st, "SELECT count(*) FROM framework"), fws + 1);
  cp_store_rollback(st);
  assert_int_equal(count(st, "SELECT count(*) FROM framework"), fws);
  assert_int_equal(count(st, "SELECT count(*) FROM item"), items);
  cp_fw_doc_free(doc);
  cp_store_close(st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_parse_counts_and_bytes),
      cmocka_unit_test(test_shipped_tree),
      cmocka_unit_test(test_shipped_store),
      cmocka_unit_test(test_other_publisher),
      cmocka_unit_test(test_derived_codes),
      cmocka_unit_test(test_moodle_export),
      cmocka_unit_test(test_case_to_moodle),
      cmocka_unit_test(test_moodle_text),
      cmocka_unit_test(test_update_in_place),
      cmocka_unit_test(test_moodle_update_keeps_case),
      cmocka_unit_test(test_find_and_resolve),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_save_failure_writes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
