/* assess.c: recording judgements (one at a time or from an assessments CSV
 * in one transaction, with people, statements, cycles and profiles resolved
 * from in-memory maps), and the self-evaluation profile: per relevant
 * statement the self, manager, peer and stakeholder grades, the agreed grade
 * and the evidence referenced. */
#include "cpdplan/assess.h"

#include "cpdplan/csvio.h"
#include "cpdplan/framework.h"
#include "cpdplan/profile.h"
#include "profile_index.h"
#include "store_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int cp_assess_parse_grade(const char *s) {
  if (!s) return -1;
  while (*s == ' ') s++;
  if (!cp_strcasecmp(s, "NA") || !cp_strcasecmp(s, "N/A") || !cp_strcasecmp(s, "N.A.")) return CP_GRADE_NA;
  if (s[0] >= '1' && s[0] <= '4' && (s[1] == '\0' || (s[1] == '.' && s[2] == '0' && !s[3]))) return s[0] - '0';
  return -1;
}

const char *cp_grade_str(int g) {
  static const char *names[] = {"N/A", "1", "2", "3", "4"};
  return g >= 0 && g <= 4 ? names[g] : "";
}

static const char *kind_norm(const char *k) {
  static const char *kinds[] = {"self", "manager", "peer", "stakeholder"};
  for (int i = 0; i < 4; i++)
    if (k && !cp_strcasecmp(k, kinds[i])) return kinds[i];
  return NULL;
}

static bool cycle_valid(const char *c) {
  if (!c || !*c || strlen(c) > 32) return false;
  for (const char *p = c; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-' ||
          *p == '_' || *p == '/' || *p == '.'))
      return false;
  return true;
}

/* Check "title <location>; title <location>" and normalise spacing into out. */
static int parse_evidence(const char *s, cp_buf *out, const char **why) {
  cp_buf_reset(out);
  if (!s) return 0;
  const char *p = s;
  while (*p) {
    const char *end = strchr(p, ';');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *item = cp_strndup(p, n);
    if (!item) return CP_ENOMEM;
    cp_trim(item);
    if (*item) {
      char *lt = strchr(item, '<');
      char *gt = strrchr(item, '>');
      if ((lt && (!gt || gt < lt)) || (!lt && gt)) {
        free(item);
        *why = "evidence item has an unclosed <location>";
        return CP_EINVAL;
      }
      if (gt && gt[1] != '\0' && !cp_is_blank(gt + 1)) {
        free(item);
        *why = "text after the <location> of an evidence item (separate items with ';')";
        return CP_EINVAL;
      }
      if (lt == item) {
        free(item);
        *why = "evidence item has a location but no title";
        return CP_EINVAL;
      }
      if (out->len) cp_buf_puts(out, "; ");
      cp_buf_puts(out, item);
    }
    free(item);
    p += n;
    if (*p == ';') p++;
  }
  return out->oom ? CP_ENOMEM : 0;
}

/* ---------- the write engine ---------- */

typedef struct engine {
  cp_store *st;
  cp_profile_index *ix;
  cp_map people;  /* email -> index in arrays below */
  int64_t *pid, *psvc, *ppost;
  size_t npeople;
  cp_map items;   /* code -> item id, -1 when held by two frameworks */
  cp_map cycles;  /* name -> id */
  cp_set64 fps;   /* fingerprints of the judgements held (and written so far) */
  cp_buf ev;
  char today[11], now[21];
} engine;

static void engine_free(engine *e) {
  cp_profile_index_free(e->ix);
  cp_map_free(&e->people);
  cp_map_free(&e->items);
  cp_map_free(&e->cycles);
  cp_set64_free(&e->fps);
  free(e->pid);
  free(e->psvc);
  free(e->ppost);
  cp_buf_free(&e->ev);
}

static int engine_load(engine *e, cp_store *st, cp_error *err) {
  memset(e, 0, sizeof *e);
  e->st = st;
  cp_map_init(&e->people, true);
  cp_map_init(&e->items, false);
  cp_map_init(&e->cycles, false);
  cp_set64_init(&e->fps);
  cp_buf_init(&e->ev);
  cp_date_today(e->today);
  cp_now_utc(e->now);
  int rc = cp_profile_index_load(st, &e->ix, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st, "SELECT id, email, coalesce(service_id,0), coalesce(post_id,0) FROM person", &s, err)))
    return rc;
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (e->npeople == cap) {
      cap = cap ? cap * 2 : 1024;
      int64_t *a = realloc(e->pid, cap * sizeof *a);
      if (a) e->pid = a;
      int64_t *b = realloc(e->psvc, cap * sizeof *b);
      if (b) e->psvc = b;
      int64_t *c = realloc(e->ppost, cap * sizeof *c);
      if (c) e->ppost = c;
      if (!a || !b || !c) {
        sqlite3_reset(s);
        return cp_error_set(err, CP_ENOMEM, "out of memory");
      }
    }
    e->pid[e->npeople] = sqlite3_column_int64(s, 0);
    e->psvc[e->npeople] = sqlite3_column_int64(s, 2);
    e->ppost[e->npeople] = sqlite3_column_int64(s, 3);
    if (cp_map_put(&e->people, cp_col_text(s, 1), (int64_t)e->npeople)) {
      sqlite3_reset(s);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    e->npeople++;
  }
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "reading people");
  if ((rc = cp_store_prepare(st, "SELECT id, code FROM item WHERE NOT retired", &s, err))) return rc;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    const char *code = cp_col_text(s, 1);
    int64_t id = sqlite3_column_int64(s, 0);
    if (cp_map_get(&e->items, code, NULL)) id = -1;
    if (cp_map_put(&e->items, code, id)) {
      sqlite3_reset(s);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
  }
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "reading statements");
  if ((rc = cp_store_prepare(st, "SELECT fingerprint FROM assessment", &s, err))) return rc;
  while ((r = sqlite3_step(s)) == SQLITE_ROW)
    if (cp_set64_add(&e->fps, sqlite3_column_int64(s, 0))) {
      sqlite3_reset(s);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "reading judgements");
  if ((rc = cp_store_prepare(st, "SELECT id, name FROM cycle", &s, err))) return rc;
  while ((r = sqlite3_step(s)) == SQLITE_ROW)
    if (cp_map_put(&e->cycles, cp_col_text(s, 1), sqlite3_column_int64(s, 0))) {
      sqlite3_reset(s);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
  sqlite3_reset(s);
  return r == SQLITE_DONE ? 0 : cp_store_db_error(st, err, "reading cycles");
}

static int cycle_id(engine *e, const char *name, int64_t *id, cp_error *err) {
  if (cp_map_get(&e->cycles, name, id)) return 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(e->st, "INSERT INTO cycle(name) VALUES(?1)", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, name);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(e->st, err, "adding cycle");
  sqlite3_reset(s);
  if (rc) return rc;
  *id = sqlite3_last_insert_rowid(cp_store_db(e->st));
  return cp_map_put(&e->cycles, name, *id) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
}

static uint64_t fnv(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  h ^= 0xff; /* field separator */
  h *= 1099511628211ULL;
  return h;
}

/* Where a value came from, for error messages: file/line and column. */
typedef struct at {
  const char *file;
  long line;
  int col[9]; /* person statement cycle by grade assessor evidence date comment */
} at;

enum { A_PERSON, A_STATEMENT, A_CYCLE, A_BY, A_GRADE, A_ASSESSOR, A_EVIDENCE, A_DATE, A_COMMENT, A_NCOLS };

static int fail(const at *w, int which, int code, cp_error *err, const char *fmt, const char *a, const char *b) {
  char msg[900];
  snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
  if (w && w->file)
    return cp_error_set_at(err, code, w->file, w->line, w->col[which] >= 0 ? w->col[which] + 1 : 0, "%s", msg);
  return cp_error_set(err, code, "%s", msg);
}

/* Validate and write one judgement. *skipped is set when an identical one is held. */
static int engine_record(engine *e, cp_assessment *a, const at *w, int *skipped, cp_error *err) {
  *skipped = 0;
  int64_t pidx, item = 0, aidx = -1, cyc;
  if (cp_is_blank(a->person)) return fail(w, A_PERSON, CP_EINVAL, err, "person is empty", NULL, NULL);
  if (!cp_map_get(&e->people, a->person, &pidx))
    return fail(w, A_PERSON, CP_ENOTFOUND, err, "unknown person %s", a->person, NULL);
  if (cp_is_blank(a->statement)) return fail(w, A_STATEMENT, CP_EINVAL, err, "statement is empty", NULL, NULL);
  if (!cp_map_get(&e->items, a->statement, &item) || item == -1) {
    cp_error tmp;
    cp_error_clear(&tmp);
    int rc = cp_framework_find_item(e->st, a->statement, &item, &tmp);
    if (rc == CP_EAMBIGUOUS)
      return fail(w, A_STATEMENT, rc, err, "statement code %s is in more than one framework: write FRAMEWORK:%s",
                  a->statement, a->statement);
    if (rc) return fail(w, A_STATEMENT, CP_ENOTFOUND, err, "unknown statement %s", a->statement, NULL);
    cp_map_put(&e->items, a->statement, item);
  }
  if (!cp_profile_index_gradeable(e->ix, item))
    return fail(w, A_STATEMENT, CP_EINVAL, err, "%s is not a statement that can be graded (it groups statements)",
                a->statement, NULL);
  if (!cp_profile_index_source(e->ix, e->pid[pidx], e->psvc[pidx], e->ppost[pidx], item))
    return fail(w, A_STATEMENT, CP_EINVAL, err,
                "%s is not in the profile of %s (agree it first: cpdplan profile add PERSON STATEMENT)",
                a->statement, a->person);
  if (!cycle_valid(a->cycle))
    return fail(w, A_CYCLE, CP_EINVAL, err, "cycle \"%s\" is not a review cycle name such as 2026-27",
                a->cycle ? a->cycle : "", NULL);
  const char *kind = kind_norm(a->kind);
  if (!kind)
    return fail(w, A_BY, CP_EINVAL, err, "by \"%s\" is not one of self, manager, peer, stakeholder",
                a->kind ? a->kind : "", NULL);
  int grade = cp_assess_parse_grade(a->grade);
  if (grade < 0)
    return fail(w, A_GRADE, CP_EINVAL, err, "grade \"%s\" is not 1, 2, 3, 4 or NA", a->grade ? a->grade : "", NULL);
  if (!cp_is_blank(a->assessor)) {
    if (!cp_map_get(&e->people, a->assessor, &aidx))
      return fail(w, A_ASSESSOR, CP_ENOTFOUND, err, "unknown assessor %s", a->assessor, NULL);
  } else if (!strcmp(kind, "self")) {
    aidx = pidx;
  }
  if (!strcmp(kind, "self") && aidx != pidx)
    return fail(w, A_ASSESSOR, CP_EINVAL, err, "a self-evaluation's assessor must be %s", a->person, NULL);
  if (strcmp(kind, "self") && aidx == pidx)
    return fail(w, A_ASSESSOR, CP_EINVAL, err, "a %s judgement cannot be made by the person themself", kind, NULL);
  const char *date = cp_is_blank(a->date) ? e->today : a->date;
  if (!cp_date_valid(date)) return fail(w, A_DATE, CP_EINVAL, err, "date \"%s\" is not a date (YYYY-MM-DD)", date, NULL);
  const char *why = NULL;
  int rc = parse_evidence(a->evidence, &e->ev, &why);
  if (rc == CP_ENOMEM) return cp_error_set(err, rc, "out of memory");
  if (rc) return fail(w, A_EVIDENCE, CP_EINVAL, err, "%s", why, NULL);
  if ((rc = cycle_id(e, a->cycle, &cyc, err))) return rc;
  const char *comment = a->comment ? a->comment : "";
  int64_t ids[4] = {e->pid[pidx], item, cyc, aidx >= 0 ? e->pid[aidx] : 0};
  uint64_t h = 1469598103934665603ULL;
  h = fnv(h, ids, sizeof ids);
  h = fnv(h, kind, strlen(kind));
  h = fnv(h, &grade, sizeof grade);
  h = fnv(h, date, strlen(date));
  h = fnv(h, comment, strlen(comment));
  h = fnv(h, e->ev.data ? e->ev.data : "", e->ev.len);
  int64_t fp = (int64_t)(h & 0x7fffffffffffffffULL);
  sqlite3_stmt *s;
  int r;
  if (!cp_set64_has(&e->fps, fp)) goto insert; /* certainly new: skip the look-up */
  if ((rc = cp_store_prepare(e->st,
                             "SELECT 1 FROM assessment WHERE person_id=?2 AND cycle_id=?4 AND item_id=?3 AND kind=?5 "
                             "AND fingerprint=?1 AND grade IS ?6 AND assessed_on=?7",
                             &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, fp);
  sqlite3_bind_int64(s, 2, ids[0]);
  sqlite3_bind_int64(s, 3, item);
  sqlite3_bind_int64(s, 4, cyc);
  cp_bind_text(s, 5, kind);
  if (grade) sqlite3_bind_int(s, 6, grade); else sqlite3_bind_null(s, 6);
  cp_bind_text(s, 7, date);
  r = sqlite3_step(s);
  sqlite3_reset(s);
  if (r == SQLITE_ROW) {
    *skipped = 1;
    return 0;
  }
  if (r != SQLITE_DONE) return cp_store_db_error(e->st, err, "checking judgement");
insert:
  if (cp_set64_add(&e->fps, fp)) return cp_error_set(err, CP_ENOMEM, "out of memory");
  if ((rc = cp_store_prepare(e->st,
                             "INSERT INTO assessment(uuid, person_id, item_id, cycle_id, kind, grade, assessor_id, "
                             "assessed_on, comment, recorded_at, fingerprint) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                             &s, err)))
    return rc;
  cp_uuid_new(a->uuid);
  cp_bind_text(s, 1, a->uuid);
  sqlite3_bind_int64(s, 2, ids[0]);
  sqlite3_bind_int64(s, 3, item);
  sqlite3_bind_int64(s, 4, cyc);
  cp_bind_text(s, 5, kind);
  if (grade) sqlite3_bind_int(s, 6, grade); else sqlite3_bind_null(s, 6);
  if (ids[3]) sqlite3_bind_int64(s, 7, ids[3]); else sqlite3_bind_null(s, 7);
  cp_bind_text(s, 8, date);
  cp_bind_text(s, 9, comment);
  cp_bind_text(s, 10, e->now);
  sqlite3_bind_int64(s, 11, fp);
  r = sqlite3_step(s);
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(e->st, err, "recording judgement");
  if (!e->ev.len) return 0;
  int64_t aid = sqlite3_last_insert_rowid(cp_store_db(e->st));
  if ((rc = cp_store_prepare(e->st, "INSERT INTO evidence(assessment_id, seq, title, location) VALUES(?1,?2,?3,?4)",
                             &s, err)))
    return rc;
  int seq = 0;
  for (char *p = e->ev.data; p && *p;) {
    char *end = strstr(p, "; ");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *lt = memchr(p, '<', n);
    size_t tn = lt ? (size_t)(lt - p) : n;
    while (tn && p[tn - 1] == ' ') tn--;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, aid);
    sqlite3_bind_int(s, 2, ++seq);
    sqlite3_bind_text(s, 3, p, (int)tn, SQLITE_TRANSIENT);
    if (lt) sqlite3_bind_text(s, 4, lt + 1, (int)(n - (size_t)(lt - p) - 2), SQLITE_TRANSIENT);
    else sqlite3_bind_text(s, 4, "", 0, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
      sqlite3_reset(s);
      return cp_store_db_error(e->st, err, "recording evidence");
    }
    p = end ? end + 2 : p + n;
  }
  sqlite3_reset(s);
  return 0;
}

int cp_assess_set(cp_store *st, cp_assessment *a, cp_error *err) {
  engine e;
  int rc = engine_load(&e, st, err);
  int skipped = 0;
  if (!rc) rc = cp_store_begin(st, err);
  if (!rc) {
    rc = engine_record(&e, a, NULL, &skipped, err);
    if (!rc) rc = cp_store_commit(st, err);
    else cp_store_rollback(st);
  }
  engine_free(&e);
  return rc;
}

/* ---------- CSV import ---------- */

static const cp_csv_column assess_cols[A_NCOLS] = {
    {"person", true}, {"statement", true}, {"cycle", true}, {"by", true}, {"grade", true},
    {"assessor", false}, {"evidence", false}, {"date", false}, {"comment", false},
};

typedef struct import_ctx {
  engine *e;
  at where;
  bool header_done;
  char *unknown;
  cp_import_result *res;
} import_ctx;

static int import_row(void *vctx, const cp_csv_row *row, cp_error *err) {
  import_ctx *c = vctx;
  if (!c->header_done) {
    c->header_done = true;
    return cp_csv_map_header(row, assess_cols, A_NCOLS, c->where.col, &c->unknown, err);
  }
  bool empty = true;
  for (size_t i = 0; i < row->nfields && empty; i++) empty = cp_is_blank(row->fields[i]);
  if (empty) return 0;
  c->res->rows++;
  c->where.file = row->file;
  c->where.line = row->line;
  const int *col = c->where.col;
  for (int i = 0; i < A_NCOLS; i++)
    if (col[i] >= 0 && (size_t)col[i] < row->nfields && i != A_COMMENT && i != A_EVIDENCE) cp_trim(row->fields[col[i]]);
  cp_assessment a = {
      .person = cp_csv_get(row, col[A_PERSON]),
      .statement = cp_csv_get(row, col[A_STATEMENT]),
      .cycle = cp_csv_get(row, col[A_CYCLE]),
      .kind = cp_csv_get(row, col[A_BY]),
      .grade = cp_csv_get(row, col[A_GRADE]),
      .assessor = cp_csv_get(row, col[A_ASSESSOR]),
      .evidence = cp_csv_get(row, col[A_EVIDENCE]),
      .date = cp_csv_get(row, col[A_DATE]),
      .comment = cp_csv_get(row, col[A_COMMENT]),
  };
  int skipped;
  int rc = engine_record(c->e, &a, &c->where, &skipped, err);
  if (!rc) {
    if (skipped) c->res->unchanged++;
    else c->res->added++;
  }
  return rc;
}

int cp_assess_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  memset(res, 0, sizeof *res);
  engine e;
  int rc = engine_load(&e, st, err);
  import_ctx c = {.e = &e, .res = res};
  if (!rc) rc = cp_store_begin(st, err);
  if (!rc) {
    rc = cp_csv_read(path, import_row, &c, err);
    if (!rc && !c.header_done) rc = cp_error_set_at(err, CP_EPARSE, path, 1, 0, "empty file: no header row");
    if (!rc) rc = cp_store_commit(st, err);
    else cp_store_rollback(st);
  }
  if (rc) {
    long rows = res->rows;
    memset(res, 0, sizeof *res);
    res->rows = rows;
  }
  res->unknown_columns = c.unknown;
  engine_free(&e);
  return rc;
}
