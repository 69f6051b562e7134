/* assess.c: recording judgements (one at a time or from an assessments CSV
 * in one transaction, with people, statements, cycles and profiles resolved
 * from in-memory maps loaded inside that transaction). A judgement is
 * refused when its statement is outside the person's profile, when a
 * non-self judgement names the person as its assessor, or when it is dated
 * in the future: a judgement records what was judged, so a date after
 * tomorrow (one day's grace for time zones) is taken for a typing error.
 * Evidence items are separated by ';' outside a <location>, so a location
 * may hold ';'. A row identical to a judgement held, or to an earlier row of
 * the same file, is skipped and counted unchanged ("already held"). */
#include "cpdplan/assess.h"

#include "cpdplan/csvio.h"
#include "cpdplan/framework.h"
#include "cpdplan/profile.h"
#include "grade_digest.h"
#include "profile_index.h"
#include "store_internal.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cp_assess_parse_grade(const char *s) {
  if (!s) return -1;
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) n--;
  char g[8];
  if (n == 0 || n >= sizeof g) return -1;
  memcpy(g, s, n);
  g[n] = '\0';
  if (!cp_strcasecmp(g, "NA") || !cp_strcasecmp(g, "N/A") || !cp_strcasecmp(g, "N.A.")) return CP_GRADE_NA;
  if (g[0] >= '1' && g[0] <= '4' && (g[1] == '\0' || (g[1] == '.' && g[2] == '0' && !g[3]))) return g[0] - '0';
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

/* ---------- evidence ---------- */

/* Parsed evidence: the normalised text ("title <location>; ...", used for the
 * fingerprint) and the items as "title\0location\0" pairs in parts. */
typedef struct evidence {
  cp_buf text, parts;
  size_t n;
} evidence;

static void evidence_reset(evidence *ev) {
  cp_buf_reset(&ev->text);
  cp_buf_reset(&ev->parts);
  ev->n = 0;
}

/* Length of the item starting at p: up to the first ';' outside <...>. */
static size_t item_len(const char *p) {
  bool inside = false;
  const char *q = p;
  for (; *q && (inside || *q != ';'); q++) {
    if (*q == '<') inside = true;
    else if (*q == '>') inside = false;
  }
  return (size_t)(q - p);
}

static int bad_evidence(const char **why, const char *msg) {
  *why = msg;
  return CP_EINVAL;
}

/* Check one trimmed item and append it; *why says what is wrong. */
static int evidence_item(evidence *ev, char *item, const char **why) {
  char *lt = strchr(item, '<'), *gt = strrchr(item, '>');
  if ((lt && (!gt || gt < lt)) || (!lt && gt)) return bad_evidence(why, "evidence item has an unclosed <location>");
  if (gt && !cp_is_blank(gt + 1))
    return bad_evidence(why, "text after the <location> of an evidence item (separate items with ';')");
  if (lt == item) return bad_evidence(why, "evidence item has a location but no title");
  const char *loc = "";
  if (lt) {
    *lt = *gt = '\0';
    loc = cp_trim(lt + 1);
    cp_trim(item);
  }
  if (ev->text.len) cp_buf_puts(&ev->text, "; ");
  cp_buf_puts(&ev->text, item);
  if (*loc) cp_buf_printf(&ev->text, " <%s>", loc);
  cp_buf_append(&ev->parts, item, strlen(item) + 1);
  cp_buf_append(&ev->parts, loc, strlen(loc) + 1);
  ev->n++;
  return 0;
}

/* Check "title <location>; title <location>" into ev. */
static int parse_evidence(const char *s, evidence *ev, const char **why) {
  evidence_reset(ev);
  for (const char *p = s ? s : ""; *p;) {
    size_t n = item_len(p);
    char *item = cp_strndup(p, n);
    if (!item) return CP_ENOMEM;
    int rc = *cp_trim(item) ? evidence_item(ev, item, why) : 0;
    free(item);
    if (rc) return rc;
    p += n;
    if (*p == ';') p++;
  }
  return ev->text.oom || ev->parts.oom ? CP_ENOMEM : 0;
}

/* ---------- the write engine ---------- */

typedef struct engine {
  cp_store *st;
  cp_profile_index *ix;
  cp_map people;  /* email -> index in arrays below */
  int64_t *pid, *psvc, *ppost;
  size_t npeople, cap;
  cp_map items;   /* code -> item id, -1 when held by two frameworks */
  cp_map cycles;  /* name -> id */
  cp_set64 fps;   /* fingerprints of the judgements held (and written so far) */
  bool all_fps;   /* fps holds every judgement held: a miss means "new" */
  evidence ev;
  char today[11], latest[11], now[21];
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
  cp_buf_free(&e->ev.text);
  cp_buf_free(&e->ev.parts);
}

/* Tomorrow's date (local time): the latest date a judgement may carry. */
static void date_tomorrow(char out[11]) {
  time_t t = time(NULL) + 24 * 60 * 60;
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

static void engine_init(engine *e, cp_store *st) {
  memset(e, 0, sizeof *e);
  e->st = st;
  cp_map_init(&e->people, true);
  cp_map_init(&e->items, false);
  cp_map_init(&e->cycles, false);
  cp_set64_init(&e->fps);
  cp_buf_init(&e->ev.text);
  cp_buf_init(&e->ev.parts);
  cp_date_today(e->today);
  date_tomorrow(e->latest);
  cp_now_utc(e->now);
}

static int people_grow(engine *e) {
  size_t cap = e->cap ? e->cap * 2 : 1024;
  int64_t *a = realloc(e->pid, cap * sizeof *a);
  if (!a) return CP_ENOMEM;
  e->pid = a;
  int64_t *b = realloc(e->psvc, cap * sizeof *b);
  if (!b) return CP_ENOMEM;
  e->psvc = b;
  int64_t *c = realloc(e->ppost, cap * sizeof *c);
  if (!c) return CP_ENOMEM;
  e->ppost = c;
  e->cap = cap;
  return 0;
}

/* One row of the people query; 0 or CP_ENOMEM. */
static int load_person(engine *e, sqlite3_stmt *s) {
  if (e->npeople == e->cap && people_grow(e)) return CP_ENOMEM;
  e->pid[e->npeople] = sqlite3_column_int64(s, 0);
  e->psvc[e->npeople] = sqlite3_column_int64(s, 2);
  e->ppost[e->npeople] = sqlite3_column_int64(s, 3);
  if (cp_map_put(&e->people, cp_col_text(s, 1), (int64_t)e->npeople)) return CP_ENOMEM;
  e->npeople++;
  return 0;
}

static int load_item(engine *e, sqlite3_stmt *s) {
  const char *code = cp_col_text(s, 1);
  int64_t id = sqlite3_column_int64(s, 0);
  if (cp_map_get(&e->items, code, NULL)) id = -1;
  return cp_map_put(&e->items, code, id);
}

static int load_fingerprint(engine *e, sqlite3_stmt *s) { return cp_set64_add(&e->fps, sqlite3_column_int64(s, 0)); }

static int load_cycle(engine *e, sqlite3_stmt *s) {
  return cp_map_put(&e->cycles, cp_col_text(s, 1), sqlite3_column_int64(s, 0));
}

/* Run sql and hand each row to fn; the statement is reset on every path. */
static int load_rows(engine *e, const char *sql, int (*fn)(engine *, sqlite3_stmt *), const char *what,
                     cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(e->st, sql, &s, err);
  if (rc) return rc;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW)
    if (fn(e, s)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  sqlite3_reset(s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(e->st, err, what);
  return rc;
}

/* Load what the checks need. Call inside the transaction that writes.
 * bulk: also every judgement's fingerprint, so that an import of millions of
 * rows asks the database only about likely repeats; one judgement asks it
 * directly instead of reading them all. */
static int engine_load(engine *e, bool bulk, cp_error *err) {
  int rc = cp_profile_index_load(e->st, &e->ix, err);
  if (!rc)
    rc = load_rows(e, "SELECT id, email, coalesce(service_id,0), coalesce(post_id,0) FROM person", load_person,
                   "reading people", err);
  if (!rc) rc = load_rows(e, "SELECT id, code FROM item WHERE NOT retired", load_item, "reading statements", err);
  if (!rc && bulk) rc = load_rows(e, "SELECT fingerprint FROM assessment", load_fingerprint, "reading judgements", err);
  e->all_fps = !rc && bulk;
  if (!rc) rc = load_rows(e, "SELECT id, name FROM cycle", load_cycle, "reading cycles", err);
  return rc;
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

/* A judgement checked and resolved to ids, ready to write. */
typedef struct judgement {
  int64_t person, item, cycle, assessor; /* assessor 0 = none */
  const char *kind, *date, *comment;
  int grade;
  int64_t fp;
} judgement;

/* Resolve the statement of a into j->item (by code, FRAMEWORK:CODE or uuid). */
static int resolve_statement(engine *e, const cp_assessment *a, const at *w, judgement *j, cp_error *err) {
  if (cp_is_blank(a->statement)) return fail(w, A_STATEMENT, CP_EINVAL, err, "statement is empty", NULL, NULL);
  if (cp_map_get(&e->items, a->statement, &j->item) && j->item != -1) return 0;
  cp_error tmp;
  cp_error_clear(&tmp);
  int rc = cp_framework_find_item(e->st, a->statement, &j->item, &tmp);
  if (rc == CP_EAMBIGUOUS)
    return fail(w, A_STATEMENT, rc, err, "statement code %s is in more than one framework: write FRAMEWORK:%s",
                a->statement, a->statement);
  if (rc == CP_ENOTFOUND) return fail(w, A_STATEMENT, rc, err, "unknown statement %s", a->statement, NULL);
  if (rc) return fail(w, A_STATEMENT, rc, err, "%s", tmp.msg, NULL);
  return cp_map_put(&e->items, a->statement, j->item) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
}

/* The person, the statement and the profile that must hold it. */
static int check_subject(engine *e, const cp_assessment *a, const at *w, int64_t *pidx, judgement *j,
                         cp_error *err) {
  if (cp_is_blank(a->person)) return fail(w, A_PERSON, CP_EINVAL, err, "person is empty", NULL, NULL);
  if (!cp_map_get(&e->people, a->person, pidx))
    return fail(w, A_PERSON, CP_ENOTFOUND, err, "unknown person %s", a->person, NULL);
  j->person = e->pid[*pidx];
  int rc = resolve_statement(e, a, w, j, err);
  if (rc) return rc;
  if (!cp_profile_index_gradeable(e->ix, j->item))
    return fail(w, A_STATEMENT, CP_EINVAL, err, "%s is not a statement that can be graded (it groups statements)",
                a->statement, NULL);
  int src = cp_profile_index_source(e->ix, j->person, e->psvc[*pidx], e->ppost[*pidx], j->item);
  if (src < 0) return cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!src)
    return fail(w, A_STATEMENT, CP_EINVAL, err,
                "%s is not in the profile of %s (agree it first: cpdplan profile add PERSON STATEMENT)",
                a->statement, a->person);
  return 0;
}

/* Kind, grade and assessor: a self-evaluation is the person's own, any other
 * judgement someone else's (or anonymous). */
static int check_judge(engine *e, const cp_assessment *a, const at *w, int64_t pidx, judgement *j, cp_error *err) {
  if (!(j->kind = kind_norm(a->kind)))
    return fail(w, A_BY, CP_EINVAL, err, "by \"%s\" is not one of self, manager, peer, stakeholder",
                a->kind ? a->kind : "", NULL);
  if ((j->grade = cp_assess_parse_grade(a->grade)) < 0)
    return fail(w, A_GRADE, CP_EINVAL, err, "grade \"%s\" is not 1, 2, 3, 4 or NA", a->grade ? a->grade : "", NULL);
  bool self = !strcmp(j->kind, "self");
  int64_t aidx = self ? pidx : -1;
  if (!cp_is_blank(a->assessor) && !cp_map_get(&e->people, a->assessor, &aidx))
    return fail(w, A_ASSESSOR, CP_ENOTFOUND, err, "unknown assessor %s", a->assessor, NULL);
  if (self && aidx != pidx)
    return fail(w, A_ASSESSOR, CP_EINVAL, err, "a self-evaluation's assessor must be %s", a->person, NULL);
  if (!self && aidx == pidx)
    return fail(w, A_ASSESSOR, CP_EINVAL, err, "a %s judgement cannot be made by the person themself", j->kind, NULL);
  j->assessor = aidx >= 0 ? e->pid[aidx] : 0;
  return 0;
}

/* Cycle, date, evidence and comment. */
static int check_context(engine *e, const cp_assessment *a, const at *w, judgement *j, cp_error *err) {
  if (!cycle_valid(a->cycle))
    return fail(w, A_CYCLE, CP_EINVAL, err, "cycle \"%s\" is not a review cycle name such as 2026-27",
                a->cycle ? a->cycle : "", NULL);
  j->date = cp_is_blank(a->date) ? e->today : a->date;
  if (!cp_date_valid(j->date))
    return fail(w, A_DATE, CP_EINVAL, err, "date \"%s\" is not a date (YYYY-MM-DD)", j->date, NULL);
  if (strcmp(j->date, e->latest) > 0)
    return fail(w, A_DATE, CP_EINVAL, err, "date %s is in the future (today is %s)", j->date, e->today);
  const char *why = NULL;
  int rc = parse_evidence(a->evidence, &e->ev, &why);
  if (rc == CP_ENOMEM) return cp_error_set(err, rc, "out of memory");
  if (rc) return fail(w, A_EVIDENCE, CP_EINVAL, err, "%s", why, NULL);
  j->comment = a->comment ? a->comment : "";
  return cycle_id(e, a->cycle, &j->cycle, err);
}

static int64_t fingerprint(const judgement *j, const evidence *ev) {
  int64_t ids[4] = {j->person, j->item, j->cycle, j->assessor};
  uint64_t h = 1469598103934665603ULL;
  h = fnv(h, ids, sizeof ids);
  h = fnv(h, j->kind, strlen(j->kind));
  h = fnv(h, &j->grade, sizeof j->grade);
  h = fnv(h, j->date, strlen(j->date));
  h = fnv(h, j->comment, strlen(j->comment));
  h = fnv(h, ev->text.data ? ev->text.data : "", ev->text.len);
  return (int64_t)(h & 0x7fffffffffffffffULL);
}

/* Is the judgement (by its fingerprint) held already? */
static int is_held(engine *e, const judgement *j, bool *held, cp_error *err) {
  *held = false;
  if (e->all_fps && !cp_set64_has(&e->fps, j->fp)) return 0; /* certainly new: skip the look-up */
  sqlite3_stmt *s;
  int rc = cp_store_prepare(e->st,
                            "SELECT 1 FROM assessment WHERE person_id=?2 AND cycle_id=?4 AND item_id=?3 AND kind=?5 "
                            "AND fingerprint=?1 AND grade IS ?6 AND assessed_on=?7",
                            &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, j->fp);
  sqlite3_bind_int64(s, 2, j->person);
  sqlite3_bind_int64(s, 3, j->item);
  sqlite3_bind_int64(s, 4, j->cycle);
  cp_bind_text(s, 5, j->kind);
  if (j->grade) sqlite3_bind_int(s, 6, j->grade);
  else sqlite3_bind_null(s, 6);
  cp_bind_text(s, 7, j->date);
  int r = sqlite3_step(s);
  sqlite3_reset(s);
  *held = r == SQLITE_ROW;
  return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : cp_store_db_error(e->st, err, "checking judgement");
}

static int insert_evidence(engine *e, int64_t aid, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(e->st, "INSERT INTO evidence(assessment_id, seq, title, location) VALUES(?1,?2,?3,?4)",
                            &s, err);
  const char *p = e->ev.parts.data;
  for (size_t i = 0; !rc && i < e->ev.n; i++) {
    const char *loc = p + strlen(p) + 1;
    sqlite3_bind_int64(s, 1, aid);
    sqlite3_bind_int(s, 2, (int)i + 1);
    cp_bind_text(s, 3, p);
    cp_bind_text(s, 4, loc);
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r != SQLITE_DONE) rc = cp_store_db_error(e->st, err, "recording evidence");
    p = loc + strlen(loc) + 1;
  }
  return rc;
}

static int insert_judgement(engine *e, const judgement *j, char uuid[37], cp_error *err) {
  if (cp_set64_add(&e->fps, j->fp)) return cp_error_set(err, CP_ENOMEM, "out of memory");
  sqlite3_stmt *s;
  int rc = cp_store_prepare(e->st,
                            "INSERT INTO assessment(uuid, person_id, item_id, cycle_id, kind, grade, assessor_id, "
                            "assessed_on, comment, recorded_at, fingerprint) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                            &s, err);
  if (rc) return rc;
  cp_uuid_new(uuid);
  cp_bind_text(s, 1, uuid);
  sqlite3_bind_int64(s, 2, j->person);
  sqlite3_bind_int64(s, 3, j->item);
  sqlite3_bind_int64(s, 4, j->cycle);
  cp_bind_text(s, 5, j->kind);
  if (j->grade) sqlite3_bind_int(s, 6, j->grade);
  else sqlite3_bind_null(s, 6);
  if (j->assessor) sqlite3_bind_int64(s, 7, j->assessor);
  else sqlite3_bind_null(s, 7);
  cp_bind_text(s, 8, j->date);
  cp_bind_text(s, 9, j->comment);
  cp_bind_text(s, 10, e->now);
  sqlite3_bind_int64(s, 11, j->fp);
  int r = sqlite3_step(s);
  sqlite3_reset(s);
  if (r != SQLITE_DONE) {
    uuid[0] = '\0';
    return cp_store_db_error(e->st, err, "recording judgement");
  }
  return insert_evidence(e, sqlite3_last_insert_rowid(cp_store_db(e->st)), err);
}

/* Validate and write one judgement. *skipped is set (and a->uuid left empty)
 * when an identical one is held. */
static int engine_record(engine *e, cp_assessment *a, const at *w, int *skipped, cp_error *err) {
  *skipped = 0;
  a->uuid[0] = '\0';
  judgement j = {0};
  int64_t pidx;
  int rc = check_subject(e, a, w, &pidx, &j, err);
  if (!rc) rc = check_judge(e, a, w, pidx, &j, err);
  if (!rc) rc = check_context(e, a, w, &j, err);
  if (rc) return rc;
  j.fp = fingerprint(&j, &e->ev);
  bool held;
  if ((rc = is_held(e, &j, &held, err))) return rc;
  if (held) {
    *skipped = 1;
    return 0;
  }
  return insert_judgement(e, &j, a->uuid, err);
}

/* ---------- one judgement ---------- */

/* A copy of a with its key fields trimmed (as the CSV import trims them). */
typedef struct trimmed {
  cp_assessment a;
  char *f[7];
} trimmed;

static int trim_copy(trimmed *t, const cp_assessment *a) {
  memset(t, 0, sizeof *t);
  t->a = *a;
  const char **fields[7] = {&t->a.person, &t->a.statement, &t->a.cycle, &t->a.kind,
                            &t->a.grade,  &t->a.assessor,  &t->a.date};
  for (int i = 0; i < 7; i++) {
    if (!*fields[i]) continue;
    if (!(t->f[i] = cp_strdup(*fields[i]))) return CP_ENOMEM;
    *fields[i] = cp_trim(t->f[i]);
  }
  return 0;
}

static void trim_free(trimmed *t) {
  for (int i = 0; i < 7; i++) free(t->f[i]);
}

int cp_assess_set(cp_store *st, cp_assessment *a, cp_error *err) {
  engine e;
  engine_init(&e, st);
  trimmed t;
  int skipped = 0;
  a->uuid[0] = '\0';
  int rc = trim_copy(&t, a) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
  if (!rc) rc = cp_store_begin(st, err);
  if (!rc) {
    rc = engine_load(&e, false, err);
    if (!rc) rc = engine_record(&e, &t.a, NULL, &skipped, err);
    if (!rc) rc = cp_grade_digest_refresh(st, NULL, err);
    if (!rc) rc = cp_store_commit(st, err);
    else cp_store_rollback(st);
  }
  if (!rc) memcpy(a->uuid, t.a.uuid, sizeof a->uuid);
  trim_free(&t);
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

/* Give an error raised below (the database, memory) the row's place. */
static int locate(const at *w, int rc, cp_error *err) {
  if (rc && err && !err->file[0]) {
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    cp_error_set_at(err, rc, w->file, w->line, 0, "%s", msg);
  }
  return rc;
}

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
    if (col[i] >= 0 && (size_t)col[i] < row->nfields && i != A_COMMENT && i != A_EVIDENCE)
      cp_trim(row->fields[col[i]]);
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
  if (rc) return locate(&c->where, rc, err);
  if (skipped) c->res->unchanged++;
  else c->res->added++;
  return 0;
}

int cp_assess_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  memset(res, 0, sizeof *res);
  engine e;
  engine_init(&e, st);
  import_ctx c = {.e = &e, .res = res};
  int rc = cp_store_begin(st, err);
  if (!rc) {
    rc = engine_load(&e, true, err);
    if (!rc) rc = cp_csv_read(path, import_row, &c, err);
    if (!rc && !c.header_done) rc = cp_error_set_at(err, CP_EPARSE, path, 1, 0, "empty file: no header row");
    if (!rc) rc = cp_grade_digest_refresh(st, NULL, err);
    if (!rc) rc = cp_store_commit(st, err);
    else cp_store_rollback(st);
  }
  if (rc) { /* nothing was written */
    long rows = res->rows;
    memset(res, 0, sizeof *res);
    res->rows = rows;
  }
  res->unknown_columns = c.unknown;
  engine_free(&e);
  return rc;
}
