/* assess_profile.c: the self-evaluation profile of the seeds: each statement
 * relevant to the person with the self, manager, peer and stakeholder grades
 * of a review cycle, the agreed grade (manager's benchmark, else self) and
 * the evidence referenced. */
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
  if (r == SQLITE_ROW) *out = cp_strdup(cp_col_text(s, 0));
  sqlite3_reset(s);
  if (r != SQLITE_ROW && r != SQLITE_DONE) return cp_store_db_error(st, err, "reading cycles");
  return 0;
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

static void evidence_add(cp_buf *b, const char *title, const char *loc) {
  cp_buf one;
  cp_buf_init(&one);
  cp_buf_puts(&one, title);
  if (loc && *loc) cp_buf_printf(&one, " <%s>", loc);
  if (one.data && !(b->data && strstr(b->data, one.data))) {
    if (b->len) cp_buf_puts(b, "; ");
    cp_buf_puts(b, one.data);
  }
  cp_buf_free(&one);
}

/* Fold the cycle's judgements into the lines (entries ordered like lines). */
static int fill_grades(cp_store *st, cp_self_profile *sp, const int64_t *item_ids, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT a.id, a.item_id, a.kind, coalesce(a.grade, 0), a.comment FROM assessment a "
                            "JOIN person p ON p.id=a.person_id JOIN cycle c ON c.id=a.cycle_id "
                            "WHERE p.email=?1 AND c.name=?2 ORDER BY a.item_id, a.assessed_on, a.id",
                            &s, err);
  if (rc) return rc;
  sqlite3_stmt *ev;
  cp_bind_text(s, 1, sp->person.email);
  cp_bind_text(s, 2, sp->cycle);
  cp_buf *evb = calloc(sp->nlines ? sp->nlines : 1, sizeof *evb);
  char **self_c = calloc(sp->nlines ? sp->nlines : 1, sizeof *self_c);
  char **mgr_c = calloc(sp->nlines ? sp->nlines : 1, sizeof *mgr_c);
  if (!evb || !self_c || !mgr_c) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
    int64_t item = sqlite3_column_int64(s, 1);
    size_t i;
    for (i = 0; i < sp->nlines && item_ids[i] != item; i++) {}
    if (i == sp->nlines) continue; /* judged before a profile change */
    cp_profile_line *l = &sp->lines[i];
    const char *kind = cp_col_text(s, 2);
    int grade = sqlite3_column_int(s, 3);
    if (!strcmp(kind, "self")) {
      l->self = grade;
      free(self_c[i]);
      self_c[i] = cp_strdup(cp_col_text(s, 4));
    } else if (!strcmp(kind, "manager")) {
      l->manager = grade;
      free(mgr_c[i]);
      mgr_c[i] = cp_strdup(cp_col_text(s, 4));
    } else if (!strcmp(kind, "peer")) {
      spread_add(&l->peer, grade);
    } else {
      spread_add(&l->stakeholder, grade);
    }
    if ((rc = cp_store_prepare(st, "SELECT title, location FROM evidence WHERE assessment_id=?1 ORDER BY seq", &ev,
                               err)))
      break;
    sqlite3_bind_int64(ev, 1, sqlite3_column_int64(s, 0));
    while (sqlite3_step(ev) == SQLITE_ROW) evidence_add(&evb[i], cp_col_text(ev, 0), cp_col_text(ev, 1));
    sqlite3_reset(ev);
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading judgements");
  sqlite3_reset(s);
  for (size_t i = 0; i < sp->nlines && evb; i++) {
    cp_profile_line *l = &sp->lines[i];
    if (l->manager != CP_GRADE_NONE) {
      l->agreed = l->manager;
      l->agreed_by = "manager";
      l->comment = mgr_c[i] ? mgr_c[i] : cp_strdup("");
      mgr_c[i] = NULL;
    } else if (l->self != CP_GRADE_NONE) {
      l->agreed = l->self;
      l->agreed_by = "self";
      l->comment = self_c[i] ? self_c[i] : cp_strdup("");
      self_c[i] = NULL;
    } else {
      l->comment = cp_strdup("");
    }
    l->evidence = evb[i].data ? cp_buf_steal(&evb[i]) : cp_strdup("");
    if (l->agreed == CP_GRADE_NONE) sp->ungraded++;
    else sp->counts[l->agreed]++;
    free(self_c[i]);
    free(mgr_c[i]);
    cp_buf_free(&evb[i]);
  }
  free(evb);
  free(self_c);
  free(mgr_c);
  return rc;
}

int cp_assess_profile(cp_store *st, const char *person, const char *cycle, cp_self_profile **out, cp_error *err) {
  *out = NULL;
  cp_self_profile *sp = calloc(1, sizeof *sp);
  if (!sp) return cp_error_set(err, CP_ENOMEM, "out of memory");
  cp_profile_entry *entries = NULL;
  size_t n = 0;
  int64_t *ids = NULL;
  int rc = cp_people_get(st, person, &sp->person, err);
  if (!rc) {
    if (cycle) sp->cycle = cp_strdup(cycle);
    else rc = latest_cycle(st, sp->person.email, &sp->cycle, err);
  }
  if (!rc && !sp->cycle) rc = cp_error_set(err, CP_ENOTFOUND, "%s has no judgements yet: give --cycle", person);
  if (!rc) rc = cp_profile_get(st, person, &entries, &n, err);
  if (!rc && n) {
    sp->lines = calloc(n, sizeof *sp->lines);
    ids = calloc(n, sizeof *ids);
    if (!sp->lines || !ids) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  for (size_t i = 0; !rc && i < n; i++) {
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
    ids[i] = entries[i].item_id;
    sp->nlines++;
  }
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
