/* grade_digest.c: agreed grades folded from judgements (cp_grade_fold) and
 * the digest table that keeps each person's folded grades of a cycle as one
 * blob (migration 005), so that a snapshot of the whole service reads one
 * row per person, not every judgement.
 *
 * Blob format 1: the byte 0x01, then per agreed grade, in increasing item
 * order, the item id's difference from the previous one (from 0) as an
 * unsigned LEB128 varint (at least 1) and one byte, the grade: 0 for N/A,
 * 1..4. Anything else is malformed and is folded again from the judgements. */
#include "grade_digest.h"

#include "cpdplan/assess.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DIGEST_FORMAT 1

int cp_grade_fold(cp_store *st, int64_t cycle_id, int64_t person_id, void (*emit)(void *ud, int64_t item, int grade),
                  void *ud, size_t *rows, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT item_id, kind, grade FROM assessment WHERE cycle_id=?1 AND person_id=?2"
                            " ORDER BY item_id, kind, assessed_on, id", /* index assessment_cycle: no sort */
                            &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, cycle_id);
  sqlite3_bind_int64(s, 2, person_id);
  int64_t cur = -1;
  int self = CP_GRADE_NONE, mgr = CP_GRADE_NONE, r;
  size_t n = 0;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    n++;
    int64_t item = sqlite3_column_int64(s, 0);
    if (item != cur) {
      if (mgr != CP_GRADE_NONE || self != CP_GRADE_NONE) emit(ud, cur, mgr != CP_GRADE_NONE ? mgr : self);
      cur = item;
      self = mgr = CP_GRADE_NONE;
    }
    const char *kind = (const char *)sqlite3_column_text(s, 1);
    int len = sqlite3_column_bytes(s, 1);
    int is_mgr = kind && len == 7 && memcmp(kind, "manager", 7) == 0;
    if (!is_mgr && !(kind && len == 4 && memcmp(kind, "self", 4) == 0)) continue;
    int grade = sqlite3_column_type(s, 2) == SQLITE_NULL ? CP_GRADE_NA : sqlite3_column_int(s, 2);
    if (grade < CP_GRADE_NA || grade > 4) continue;
    if (is_mgr) mgr = grade;
    else self = grade;
  }
  if (r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading judgements");
  else if (mgr != CP_GRADE_NONE || self != CP_GRADE_NONE) emit(ud, cur, mgr != CP_GRADE_NONE ? mgr : self);
  sqlite3_reset(s);
  if (rows) *rows = n;
  return rc;
}

int cp_digest_open(cp_digest_reader *rd, const void *blob, size_t n) {
  const unsigned char *p = blob;
  rd->p = rd->end = NULL;
  rd->item = -1;
  if (!p || n < 1 || p[0] != DIGEST_FORMAT) return -1;
  rd->p = p + 1;
  rd->end = p + n;
  return 0;
}

int cp_digest_next(cp_digest_reader *rd, int64_t *item, int *grade) {
  if (rd->p == rd->end) return 0;
  uint64_t d = 0;
  for (int shift = 0;; shift += 7) {
    if (rd->p == rd->end || shift > 56) return -1;
    unsigned char b = *rd->p++;
    d |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  uint64_t room = (uint64_t)INT64_MAX - (uint64_t)(rd->item + 1) + 1; /* up to item INT64_MAX */
  if (d == 0 || d > room || rd->p == rd->end || *rd->p > 4) return -1;
  rd->item += (int64_t)d;
  *item = rd->item;
  *grade = *rd->p++;
  return 1;
}

/* ---- writing digests ---- */

typedef struct encoder {
  cp_buf b;
  int64_t last;
} encoder;

static void encode(void *ud, int64_t item, int grade) {
  encoder *e = ud;
  unsigned char tmp[11];
  size_t n = 0;
  uint64_t d = (uint64_t)(item - e->last);
  e->last = item;
  do {
    tmp[n] = d & 0x7f;
    d >>= 7;
    if (d) tmp[n] |= 0x80;
    n++;
  } while (d);
  tmp[n++] = (unsigned char)grade;
  cp_buf_append(&e->b, (const char *)tmp, n);
}

typedef struct stale {
  int64_t cycle, person;
} stale;

int cp_grade_digest_refresh(cp_store *st, size_t *folded, cp_error *err) {
  if (folded) *folded = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT cycle_id, person_id FROM grade_digest WHERE grades IS NULL", &s, err);
  if (rc) return rc;
  stale *list = NULL;
  size_t n = 0, cap = 0;
  int r;
  while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(&list, n, &cap, sizeof *list, 64)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    else list[n++] = (stale){sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1)};
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "finding stale grade digests");
  sqlite3_reset(s);
  if (rc || !n) {
    free(list);
    return rc;
  }
  rc = cp_store_begin(st, err);
  if (rc) {
    free(list);
    return rc;
  }
  encoder e;
  cp_buf_init(&e.b);
  for (size_t i = 0; !rc && i < n; i++) {
    cp_buf_reset(&e.b);
    e.last = -1;
    unsigned char format = DIGEST_FORMAT;
    cp_buf_append(&e.b, (const char *)&format, 1);
    size_t rows;
    rc = cp_grade_fold(st, list[i].cycle, list[i].person, encode, &e, &rows, err);
    if (!rc && e.b.oom) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    if (rc) break;
    rc = cp_store_prepare(st,
                          rows ? "UPDATE grade_digest SET grades=?3 WHERE cycle_id=?1 AND person_id=?2"
                               : "DELETE FROM grade_digest WHERE cycle_id=?1 AND person_id=?2",
                          &s, err);
    if (rc) break;
    sqlite3_bind_int64(s, 1, list[i].cycle);
    sqlite3_bind_int64(s, 2, list[i].person);
    if (rows) sqlite3_bind_blob(s, 3, e.b.data, (int)e.b.len, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "writing a grade digest");
    sqlite3_reset(s);
  }
  cp_buf_free(&e.b);
  free(list);
  if (rc) {
    cp_store_rollback(st);
    return rc;
  }
  rc = cp_store_commit(st, err);
  if (!rc && folded) *folded = n;
  return rc;
}
