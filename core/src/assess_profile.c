/* assess_profile.c: the self-evaluation profile of the seeds: each statement
 * relevant to the person with the self, manager, peer and stakeholder grades
 * of a review cycle, the agreed grade (manager's benchmark, else self) and
 * the evidence referenced. The latest judgement of each kind wins (by date,
 * then by when it was recorded); peers' and stakeholders' spreads count the
 * latest judgement of each assessor (anonymous ones each count). Without a
 * cycle the profile is of the latest cycle (by name: "2026-27" after
 * "2025-26") the person has judgements in. */
#include "cpdplan/assess.h"

#include "cpdplan/profile.h"
#include "store_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void cp_self_profile_free(cp_self_profile *p) {
  if (!p) return;
  for (size_t i = 0; i < p->nlines; i++) {
    cp_profile_line *l = &p->lines[i];
    free(l->code);
    free(l->statement);
    free(l->framework);
    free(l->dimension_code);
    free(l->dimension);
    free(l->evidence);
    free(l->comment);
  }
  free(p->lines);
  free(p->cycle);
  cp_person_clear(&p->person);
  free(p);
}

static int latest_cycle(cp_store *st, const char *email, char **out, cp_error *err) {
  *out = NULL;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT c.name FROM assessment a JOIN cycle c ON c.id=a.cycle_id JOIN person p ON "
                            "p.id=a.person_id WHERE p.email=?1 ORDER BY c.name DESC LIMIT 1",
                            &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, email);
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW && !(*out = cp_strdup(cp_col_text(s, 0)))) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  sqlite3_reset(s);
  if (r != SQLITE_ROW && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading cycles");
  return rc;
}

static void spread_add(cp_grade_spread *g, int grade) {
  if (grade == CP_GRADE_NA) {
    g->na++;
    return;
  }
  if (!g->count || grade < g->min) g->min = grade;
  if (!g->count || grade > g->max) g->max = grade;
  g->mean = (g->mean * g->count + grade) / (g->count + 1);
  g->count++;
}

/* What the cycle's judgements give the lines while they are read. */
typedef struct acc {
  cp_self_profile *sp;
  const int64_t *item_ids; /* parallel to sp->lines */
  char **self_c, **mgr_c;  /* comment of the latest self / manager judgement per line */
  cp_buf *ev;              /* evidence per line */
  cp_map seen;             /* "line\x1ftitle\x1flocation" of the evidence items given */
} acc;

static int acc_init(acc *a, cp_self_profile *sp, const int64_t *item_ids) {
  memset(a, 0, sizeof *a);
  a->sp = sp;
  a->item_ids = item_ids;
  cp_map_init(&a->seen, false);
  size_t n = sp->nlines ? sp->nlines : 1;
  a->self_c = calloc(n, sizeof *a->self_c);
  a->mgr_c = calloc(n, sizeof *a->mgr_c);
  a->ev = calloc(n, sizeof *a->ev);
  return a->self_c && a->mgr_c && a->ev ? 0 : CP_ENOMEM;
}

static void acc_free(acc *a) {
  for (size_t i = 0; i < a->sp->nlines; i++) {
    if (a->self_c) free(a->self_c[i]);
    if (a->mgr_c) free(a->mgr_c[i]);
    if (a->ev) cp_buf_free(&a->ev[i]);
  }
  free(a->self_c);
  free(a->mgr_c);
  free(a->ev);
  cp_map_free(&a->seen);
}

/* Add an evidence item to line i unless the line has it already. */
static int evidence_add(acc *a, size_t i, const char *title, const char *loc) {
  cp_buf key;
  cp_buf_init(&key);
  cp_buf_printf(&key, "%zu\x1f%s\x1f%s", i, title, loc);
  int rc = key.oom ? CP_ENOMEM : 0;
  if (!rc && !cp_map_get(&a->seen, key.data, NULL)) {
    rc = cp_map_put(&a->seen, key.data, 1);
    cp_buf *b = &a->ev[i];
    if (b->len) cp_buf_puts(b, "; ");
    cp_buf_puts(b, title);
    if (*loc) cp_buf_printf(b, " <%s>", loc);
    if (b->oom) rc = CP_ENOMEM;
  }
  cp_buf_free(&key);
  return rc ? CP_ENOMEM : 0;
}

static int read_evidence(cp_store *st, acc *a, size_t i, int64_t assessment_id, cp_error *err) {
  sqlite3_stmt *ev;
  int rc = cp_store_prepare(st, "SELECT title, location FROM evidence WHERE assessment_id=?1 ORDER BY seq", &ev, err);
  if (rc) return rc;
  sqlite3_bind_int64(ev, 1, assessment_id);
  int r;
  while ((r = sqlite3_step(ev)) == SQLITE_ROW)
    if (evidence_add(a, i, cp_col_text(ev, 0), cp_col_text(ev, 1))) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  sqlite3_reset(ev);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading evidence");
  return rc;
}

/* Keep a copy of the comment of the latest judgement in *slot. */
static int keep_comment(char **slot, const char *comment) {
  char *c = cp_strdup(comment);
  if (!c) return CP_ENOMEM;
  free(*slot);
  *slot = c;
  return 0;
}

/* Fold one judgement row (id, item, kind, grade, comment, superseded) in. */
static int fold_row(cp_store *st, acc *a, sqlite3_stmt *s, cp_error *err) {
  int64_t item = sqlite3_column_int64(s, 1);
  size_t i;
  for (i = 0; i < a->sp->nlines && a->item_ids[i] != item; i++) {}
  if (i == a->sp->nlines) return 0; /* judged before a profile change */
  cp_profile_line *l = &a->sp->lines[i];
  const char *kind = cp_col_text(s, 2);
  int grade = sqlite3_column_int(s, 3);
  int rc = 0;
  if (!strcmp(kind, "self")) {
    l->self = grade;
    rc = keep_comment(&a->self_c[i], cp_col_text(s, 4));
  } else if (!strcmp(kind, "manager")) {
    l->manager = grade;
    rc = keep_comment(&a->mgr_c[i], cp_col_text(s, 4));
  } else if (!sqlite3_column_int(s, 5)) {
    spread_add(!strcmp(kind, "peer") ? &l->peer : &l->stakeholder, grade);
  }
  if (rc) return cp_error_set(err, CP_ENOMEM, "out of memory");
  return read_evidence(st, a, i, sqlite3_column_int64(s, 0), err);
}

/* The agreed grade, its comment and the evidence of each line. */
static int finish_lines(acc *a, cp_error *err) {
  cp_self_profile *sp = a->sp;
  for (size_t i = 0; i < sp->nlines; i++) {
    cp_profile_line *l = &sp->lines[i];
    char **from = NULL;
    if (l->manager != CP_GRADE_NONE) {
      l->agreed = l->manager;
      l->agreed_by = "manager";
      from = &a->mgr_c[i];
    } else if (l->self != CP_GRADE_NONE) {
      l->agreed = l->self;
      l->agreed_by = "self";
      from = &a->self_c[i];
    }
    l->comment = from && *from ? *from : cp_strdup("");
    if (from) *from = NULL;
    l->evidence = cp_buf_steal(&a->ev[i]);
    if (!l->comment || !l->evidence) return cp_error_set(err, CP_ENOMEM, "out of memory");
    if (l->agreed == CP_GRADE_NONE) sp->ungraded++;
    else if (l->agreed >= 0 && l->agreed <= 4) sp->counts[l->agreed]++; /* a wider scale's grades are not counted */
  }
  return 0;
}

/* Fold the cycle's judgements into the lines (item_ids parallel to lines). */
static int fill_grades(cp_store *st, cp_self_profile *sp, const int64_t *item_ids, cp_error *err) {
  acc a;
  int rc = acc_init(&a, sp, item_ids) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
  sqlite3_stmt *s = NULL;
  if (!rc)
    rc = cp_store_prepare(
        st,
        "SELECT a.id, a.item_id, a.kind, coalesce(a.grade, 0), a.comment,"
        " a.kind IN ('peer', 'stakeholder') AND a.assessor_id IS NOT NULL AND EXISTS (SELECT 1 FROM assessment b"
        " WHERE b.person_id=a.person_id AND b.cycle_id=a.cycle_id AND b.item_id=a.item_id AND b.kind=a.kind"
        " AND b.assessor_id=a.assessor_id AND (b.assessed_on>a.assessed_on OR (b.assessed_on=a.assessed_on"
        " AND b.id>a.id))) FROM assessment a JOIN person p ON p.id=a.person_id JOIN cycle c ON c.id=a.cycle_id"
        " WHERE p.email=?1 AND c.name=?2 ORDER BY a.item_id, a.assessed_on, a.id",
        &s, err);
  if (!rc) {
    cp_bind_text(s, 1, sp->person.email);
    cp_bind_text(s, 2, sp->cycle);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) rc = fold_row(st, &a, s, err);
    if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading judgements");
    sqlite3_reset(s);
  }
  if (!rc) rc = finish_lines(&a, err);
  acc_free(&a);
  return rc;
}

/* Move the profile entries into lines; ids gets each line's item id. */
static int take_entries(cp_self_profile *sp, cp_profile_entry *entries, size_t n, int64_t **ids, cp_error *err) {
  if (!n) return 0;
  sp->lines = calloc(n, sizeof *sp->lines);
  *ids = calloc(n, sizeof **ids);
  if (!sp->lines || !*ids) return cp_error_set(err, CP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    cp_profile_line *l = &sp->lines[i];
    l->code = entries[i].code;
    l->statement = entries[i].statement;
    l->framework = entries[i].framework;
    l->dimension_code = entries[i].dimension_code;
    l->dimension = entries[i].dimension;
    entries[i].code = entries[i].statement = entries[i].framework = NULL;
    entries[i].dimension_code = entries[i].dimension = NULL;
    l->self = l->manager = l->agreed = CP_GRADE_NONE;
    l->agreed_by = "";
    (*ids)[i] = entries[i].item_id;
    sp->nlines++;
  }
  return 0;
}

int cp_assess_profile(cp_store *st, const char *person, const char *cycle, cp_self_profile **out, cp_error *err) {
  *out = NULL;
  cp_self_profile *sp = calloc(1, sizeof *sp);
  if (!sp) return cp_error_set(err, CP_ENOMEM, "out of memory");
  cp_profile_entry *entries = NULL;
  size_t n = 0;
  int64_t *ids = NULL;
  int rc = cp_people_get(st, person, &sp->person, err);
  if (!rc && cycle && !(sp->cycle = cp_strdup(cycle))) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc && !cycle) rc = latest_cycle(st, sp->person.email, &sp->cycle, err);
  if (!rc && !sp->cycle) rc = cp_error_set(err, CP_ENOTFOUND, "%s has no judgements yet: give --cycle", person);
  if (!rc) rc = cp_profile_get(st, person, &entries, &n, err);
  if (!rc) rc = take_entries(sp, entries, n, &ids, err);
  if (!rc) rc = fill_grades(st, sp, ids, err);
  cp_profile_free(entries, n);
  free(ids);
  if (rc) {
    cp_self_profile_free(sp);
    return rc;
  }
  *out = sp;
  return 0;
}
