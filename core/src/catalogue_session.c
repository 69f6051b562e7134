/* catalogue_session.c: sessions, the dated runs of an activity. An import
 * parses the whole file into plain records first (per-row checks,
 * FILE:LINE:COL), then in one transaction resolves activities, facilitators
 * and the held session each row names (by id, else by activity + start +
 * place), refuses two rows for one session, and writes; on any error nothing
 * is written. Columns the file lacks keep their held values. */
#include "cpdplan/catalogue.h"

#include "catalogue_internal.h"

#include <limits.h>

/* A whole number from 0 to INT_MAX. */
static bool parse_count(const char *s, int *out) {
  if (!*s || strlen(s) > 10) return false;
  for (const char *p = s; *p; p++)
    if (!isdigit((unsigned char)*p)) return false;
  long long v = strtoll(s, NULL, 10);
  if (v > INT_MAX) return false;
  *out = (int)v;
  return true;
}

void cp_session_clear(cp_session *s) {
  if (!s) return;
  free(s->activity);
  free(s->start);
  free(s->end);
  free(s->place);
  free(s->facilitator);
  free(s->language);
  memset(s, 0, sizeof *s);
}

void cp_session_list_free(cp_session *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) cp_session_clear(&list[i]);
  free(list);
}

/* Columns of the sessions CSV, in the design's order. */
enum { S_ACTIVITY, S_START, S_END, S_ID, S_PLACE, S_CAPACITY, S_FACILITATOR, S_LANGUAGE, S_NCOLS };

static const cp_csv_column session_cols[S_NCOLS] = {
    {"activity", true}, {"start", true},    {"end", true},         {"id", false},
    {"place", false},   {"capacity", false}, {"facilitator", false}, {"language", false},
};

#define S_ALL ((1u << S_NCOLS) - 1)

typedef struct ses_rec {
  cp_session s;
  origin o;
  bool has_id;         /* the row gave its id */
  int64_t activity_id;
  char act_lang[8];    /* the activity's language */
  int64_t facilitator_id;
  int64_t held_id;     /* 0 when new */
} ses_rec;

typedef struct ses_batch {
  ses_rec *r;
  size_t n, cap;
  unsigned given;
  cp_map by_id; /* uuid -> index */
  int col[S_NCOLS];
  bool header_done;
  char *unknown;
  long rows;
} ses_batch;

static void ses_batch_init(ses_batch *b) {
  memset(b, 0, sizeof *b);
  b->given = S_ALL;
  cp_map_init(&b->by_id, false);
}

static void ses_batch_free(ses_batch *b) {
  for (size_t i = 0; i < b->n; i++) cp_session_clear(&b->r[i].s);
  free(b->r);
  free(b->unknown);
  cp_map_free(&b->by_id);
}

static int ses_batch_push(ses_batch *b, cp_error *err) {
  if (cp_grow(&b->r, b->n, &b->cap, sizeof *b->r, 64)) return oom(err);
  memset(&b->r[b->n++], 0, sizeof b->r[0]);
  return 0;
}

/* Per-record checks and normalisation of a trimmed record. */
static int session_validate(cp_session *s, const origin *o, cp_error *err) {
  if (cp_is_blank(s->activity)) return rec_fail(o, S_ACTIVITY, CP_EINVAL, err, "activity is empty");
  const struct {
    const char *v;
    int col;
    const char *name;
  } when[] = {{s->start, S_START, "start"}, {s->end, S_END, "end"}};
  for (int i = 0; i < 2; i++) {
    if (cp_is_blank(when[i].v)) return rec_fail(o, when[i].col, CP_EINVAL, err, "%s is empty", when[i].name);
    if (!cp_datetime_valid(when[i].v))
      return rec_fail(o, when[i].col, CP_EINVAL, err,
                      "%s \"%s\" is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", when[i].name,
                      when[i].v);
  }
  if (cp_datetime_minutes(s->end, true) < cp_datetime_minutes(s->start, false))
    return rec_fail(o, S_END, CP_EINVAL, err, "end %s is before start %s", s->end, s->start);
  if (s->capacity < 0) return rec_fail(o, S_CAPACITY, CP_EINVAL, err, "capacity must be 0 or more");
  if (s->language && *s->language) {
    const char *l = cp_people_language_norm(s->language);
    if (!l) return rec_fail(o, S_LANGUAGE, CP_EINVAL, err, "language \"%s\" is not one of en, cy, both", s->language);
    if (set_str(&s->language, l, err)) return CP_ENOMEM;
  }
  lower(s->facilitator);
  return 0;
}

static int ses_row(void *ctx, const cp_csv_row *row, cp_error *err) {
  ses_batch *b = ctx;
  if (!b->header_done) {
    b->header_done = true;
    int rc = cp_csv_map_header(row, session_cols, S_NCOLS, b->col, &b->unknown, err);
    b->given = 0;
    for (int i = 0; i < S_NCOLS; i++)
      if (b->col[i] >= 0) b->given |= 1u << i;
    return rc;
  }
  if (row_blank(row)) return 0;
  b->rows++;
  int rc = ses_batch_push(b, err);
  if (rc) return rc;
  ses_rec *r = &b->r[b->n - 1];
  cp_session *s = &r->s;
  r->o = (origin){row->file, row->line, b->col};
  char **text[] = {&s->activity, &s->start, &s->end, &s->place, &s->facilitator, &s->language};
  const int cols[] = {S_ACTIVITY, S_START, S_END, S_PLACE, S_FACILITATOR, S_LANGUAGE};
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
    if (!(*text[i] = cell(row, b->col[cols[i]]))) return oom(err);
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%s", cp_csv_get(row, b->col[S_ID]));
  cp_trim(tmp);
  if (tmp[0]) {
    if (!cp_uuid_valid(tmp)) return rec_fail(&r->o, S_ID, CP_EINVAL, err, "id \"%s\" is not a UUID", tmp);
    lower(tmp);
    memcpy(s->uuid, tmp, sizeof s->uuid);
    r->has_id = true;
  }
  snprintf(tmp, sizeof tmp, "%s", cp_csv_get(row, b->col[S_CAPACITY]));
  cp_trim(tmp);
  if (tmp[0] && !parse_count(tmp, &s->capacity))
    return rec_fail(&r->o, S_CAPACITY, CP_EINVAL, err, "capacity \"%s\" is not a whole number of 0 or more", tmp);
  if ((rc = session_validate(s, &r->o, err))) return rc;
  if (r->has_id) {
    int64_t prev;
    if (cp_map_get(&b->by_id, s->uuid, &prev))
      return rec_fail(&r->o, S_ID, CP_EEXISTS, err, "duplicate id %s (also on line %ld)", s->uuid, b->r[prev].o.line);
    if (cp_map_put(&b->by_id, s->uuid, (int64_t)(b->n - 1))) return oom(err);
  }
  return 0;
}

/* ---------- sessions: checking against the store ---------- */

typedef struct ses_cache {
  cp_map acts;       /* code -> index into langs */
  int64_t *act_ids;
  char (*langs)[8];
  size_t nacts, capacts;
  cp_map people;     /* email -> id */
  cp_map targets;    /* session key -> record index */
} ses_cache;

static void ses_cache_init(ses_cache *c) {
  memset(c, 0, sizeof *c);
  cp_map_init(&c->acts, true);
  cp_map_init(&c->people, true);
  cp_map_init(&c->targets, false);
}

static void ses_cache_free(ses_cache *c) {
  cp_map_free(&c->acts);
  cp_map_free(&c->people);
  cp_map_free(&c->targets);
  free(c->act_ids);
  free(c->langs);
}

static int resolve_activity(cp_store *st, ses_cache *c, ses_rec *r, cp_error *err) {
  int64_t k;
  if (!cp_map_get(&c->acts, r->s.activity, &k)) {
    if (c->nacts == c->capacts) {
      size_t cap = c->capacts ? c->capacts * 2 : 16;
      int64_t *ids = realloc(c->act_ids, cap * sizeof *ids);
      if (!ids) return oom(err);
      c->act_ids = ids;
      char(*langs)[8] = realloc(c->langs, cap * sizeof *langs);
      if (!langs) return oom(err);
      c->langs = langs;
      c->capacts = cap;
    }
    cp_error tmp;
    int rc = cp_cat_find_activity(st, r->s.activity, &c->act_ids[c->nacts], c->langs[c->nacts], &tmp);
    if (rc == CP_ENOTFOUND) return rec_fail(&r->o, S_ACTIVITY, rc, err, "unknown activity %s", r->s.activity);
    if (rc) {
      if (err) *err = tmp;
      return rec_locate(&r->o, S_ACTIVITY, rc, err);
    }
    k = (int64_t)c->nacts++;
    if (cp_map_put(&c->acts, r->s.activity, k)) return oom(err);
  }
  r->activity_id = c->act_ids[k];
  memcpy(r->act_lang, c->langs[k], sizeof r->act_lang);
  return 0;
}

static int resolve_facilitator(cp_store *st, ses_cache *c, ses_rec *r, cp_error *err) {
  const char *email = r->s.facilitator;
  r->facilitator_id = 0;
  if (!email || !*email) return 0;
  if (cp_map_get(&c->people, email, &r->facilitator_id)) return 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id FROM person WHERE email=?1", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, email);
  int q = sqlite3_step(s);
  if (q == SQLITE_ROW) r->facilitator_id = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  if (q == SQLITE_DONE) return rec_fail(&r->o, S_FACILITATOR, CP_ENOTFOUND, err, "unknown facilitator %s", email);
  if (q != SQLITE_ROW) return rec_locate(&r->o, S_FACILITATOR, cp_store_db_error(st, err, "reading people"), err);
  return cp_map_put(&c->people, email, r->facilitator_id) ? oom(err) : 0;
}

/* The held session r names: by id, else by activity, start and place (any
 * place when the file has no place column). */
static int resolve_held(cp_store *st, ses_rec *r, bool place_given, char held_uuid[37], cp_error *err) {
  sqlite3_stmt *s;
  int rc;
  if (r->has_id) {
    rc = cp_store_prepare(st, "SELECT id, uuid FROM session WHERE uuid=?1", &s, err);
    if (rc) return rc;
    cp_bind_text(s, 1, r->s.uuid);
  } else {
    rc = cp_store_prepare(st,
                          "SELECT id, uuid FROM session WHERE activity_id=?1 AND start=?2 AND (?3 IS NULL OR place=?3)"
                          " ORDER BY id LIMIT 1",
                          &s, err);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, r->activity_id);
    cp_bind_text(s, 2, r->s.start);
    cp_bind_text(s, 3, place_given ? (r->s.place ? r->s.place : "") : NULL);
  }
  int q = sqlite3_step(s);
  r->held_id = 0;
  if (q == SQLITE_ROW) {
    r->held_id = sqlite3_column_int64(s, 0);
    snprintf(held_uuid, 37, "%s", cp_col_text(s, 1));
  }
  sqlite3_reset(s);
  if (q != SQLITE_ROW && q != SQLITE_DONE)
    return rec_locate(&r->o, -1, cp_store_db_error(st, err, "reading sessions"), err);
  return 0;
}

/* "duplicate session of X starting S[ at P] (also on line N)" */
static int dup_session(const ses_rec *r, long line, cp_error *err) {
  const char *place = r->s.place && *r->s.place ? r->s.place : NULL;
  return rec_fail(&r->o, S_START, CP_EEXISTS, err, "duplicate session of %s starting %s%s%s (also on line %ld)",
                  r->s.activity, r->s.start, place ? " at " : "", place ? place : "", line);
}

/* Resolve every record; two records for one session are an error. When
 * must_be_new, a record naming a held session is CP_EEXISTS. */
static int ses_check(cp_store *st, ses_batch *b, bool must_be_new, cp_error *err) {
  ses_cache c;
  ses_cache_init(&c);
  int rc = 0;
  bool place_given = (b->given & (1u << S_PLACE)) != 0;
  for (size_t i = 0; i < b->n && !rc; i++) {
    ses_rec *r = &b->r[i];
    char held_uuid[37] = "";
    if ((rc = resolve_activity(st, &c, r, err)) || (rc = resolve_facilitator(st, &c, r, err)) ||
        (rc = resolve_held(st, r, place_given, held_uuid, err)))
      break;
    if (r->held_id && must_be_new) {
      rc = rec_fail(&r->o, -1, CP_EEXISTS, err, "a session of %s starting %s%s%s is already held (%s)", r->s.activity,
                    r->s.start, r->s.place && *r->s.place ? " at " : "", r->s.place ? r->s.place : "", held_uuid);
      break;
    }
    if (r->held_id) memcpy(r->s.uuid, held_uuid, sizeof r->s.uuid);
    /* what the record is: a held session, or a new one with its id or key */
    cp_buf key;
    cp_buf_init(&key);
    if (r->held_id) cp_buf_printf(&key, "h%lld", (long long)r->held_id);
    else if (r->has_id) cp_buf_printf(&key, "u%s", r->s.uuid);
    else
      cp_buf_printf(&key, "k%lld\x1f%s\x1f%s", (long long)r->activity_id, r->s.start,
                    place_given && r->s.place ? r->s.place : "");
    int64_t prev;
    if (key.oom) rc = oom(err);
    else if (cp_map_get(&c.targets, key.data, &prev)) rc = dup_session(r, b->r[prev].o.line, err);
    else if (cp_map_put(&c.targets, key.data, (int64_t)i)) rc = oom(err);
    cp_buf_free(&key);
  }
  ses_cache_free(&c);
  return rc;
}

/* ---------- sessions: writing ---------- */

/* The language a session is written with: as given, else the activity's
 * when that is en or cy, else en. */
static const char *session_language(const ses_rec *r) {
  if (r->s.language && *r->s.language) return r->s.language;
  return strcmp(r->act_lang, "cy") == 0 ? "cy" : "en";
}

static void bind_session(sqlite3_stmt *s, const ses_rec *r) {
  sqlite3_bind_int64(s, 2, r->activity_id);
  cp_bind_text(s, 3, r->s.start);
  cp_bind_text(s, 4, r->s.end);
  cp_bind_text(s, 5, r->s.place ? r->s.place : "");
  sqlite3_bind_int(s, 6, r->s.capacity);
  if (r->facilitator_id) sqlite3_bind_int64(s, 7, r->facilitator_id);
  else sqlite3_bind_null(s, 7);
  cp_bind_text(s, 8, session_language(r));
}

static int insert_session(cp_store *st, ses_rec *r, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "INSERT INTO session(uuid, activity_id, start, end, place, capacity, facilitator_id,"
                            " language) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
                            &s, err);
  if (rc) return rc;
  if (!r->has_id) cp_uuid_new(r->s.uuid);
  cp_bind_text(s, 1, r->s.uuid);
  bind_session(s, r);
  if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "adding session");
  return 0;
}

static int update_session(cp_store *st, const ses_rec *r, unsigned given, bool *changed, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(
      st,
      "UPDATE session SET activity_id=?2, start=?3, end=?4, place=iif(?9&16, ?5, place),"
      " capacity=iif(?9&32, ?6, capacity), facilitator_id=iif(?9&64, ?7, facilitator_id),"
      " language=iif(?9&128, ?8, language)"
      " WHERE id=?1 AND (activity_id IS NOT ?2 OR start IS NOT ?3 OR end IS NOT ?4"
      " OR (?9&16 AND place IS NOT ?5) OR (?9&32 AND capacity IS NOT ?6)"
      " OR (?9&64 AND facilitator_id IS NOT ?7) OR (?9&128 AND language IS NOT ?8))",
      &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, r->held_id);
  bind_session(s, r);
  sqlite3_bind_int(s, 9, (int)given);
  if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "updating session");
  *changed = sqlite3_changes(cp_store_db(st)) > 0;
  return 0;
}

static int ses_apply(cp_store *st, ses_batch *b, bool must_be_new, cp_import_result *res, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  rc = ses_check(st, b, must_be_new, err);
  long added = 0, updated = 0, unchanged = 0;
  for (size_t i = 0; i < b->n && !rc; i++) {
    ses_rec *r = &b->r[i];
    if (r->held_id) {
      bool changed = false;
      rc = update_session(st, r, b->given, &changed, err);
      if (changed) updated++;
      else unchanged++;
    } else {
      rc = insert_session(st, r, err);
      added++;
    }
    rc = rec_locate(&r->o, -1, rc, err);
  }
  if (!rc) rc = cp_store_commit(st, err);
  else cp_store_rollback(st);
  if (!rc) {
    res->added = added;
    res->updated = updated;
    res->unchanged = unchanged;
  }
  return rc;
}

int cp_session_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  memset(res, 0, sizeof *res);
  ses_batch b;
  ses_batch_init(&b);
  int rc = cp_csv_read(path, ses_row, &b, err);
  if (!rc && !b.header_done) rc = cp_error_set_at(err, CP_EPARSE, path, 1, 0, "empty file: no header row");
  if (!rc) rc = ses_apply(st, &b, false, res, err);
  if (rc) memset(res, 0, sizeof *res);
  res->rows = b.rows;
  res->unknown_columns = b.unknown;
  b.unknown = NULL;
  ses_batch_free(&b);
  return rc;
}

int cp_session_add(cp_store *st, cp_session *s, cp_error *err) {
  ses_batch b;
  ses_batch_init(&b);
  int rc = ses_batch_push(&b, err);
  cp_session *c = rc ? NULL : &b.r[0].s;
  if (c) {
    const char *in[] = {s->activity, s->start, s->end, s->place, s->facilitator, s->language};
    char **out[] = {&c->activity, &c->start, &c->end, &c->place, &c->facilitator, &c->language};
    for (int i = 0; i < 6 && !rc; i++)
      if (!(*out[i] = cp_strdup(in[i] ? in[i] : ""))) rc = oom(err);
      else cp_trim(*out[i]);
    c->capacity = s->capacity;
  }
  if (!rc) rc = session_validate(c, &b.r[0].o, err);
  cp_import_result res = {0};
  if (!rc) rc = ses_apply(st, &b, true, &res, err);
  if (!rc) memcpy(s->uuid, c->uuid, sizeof s->uuid);
  ses_batch_free(&b);
  return rc;
}

/* ---------- sessions: reading ---------- */

int cp_session_list(cp_store *st, const cp_session_filter *f, cp_session **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  int64_t act = 0;
  int rc = 0;
  if (f && f->from && !cp_date_valid(f->from))
    return cp_error_set(err, CP_EINVAL, "from \"%s\" is not a date (YYYY-MM-DD)", f->from);
  if (f && f->to && !cp_date_valid(f->to))
    return cp_error_set(err, CP_EINVAL, "to \"%s\" is not a date (YYYY-MM-DD)", f->to);
  if (f && f->activity && (rc = cp_cat_find_activity(st, f->activity, &act, NULL, err))) return rc;
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st,
                             "SELECT s.uuid, a.code, s.start, s.end, s.place, s.capacity, coalesce(p.email, ''),"
                             " s.language FROM session s JOIN activity a ON a.id=s.activity_id"
                             " LEFT JOIN person p ON p.id=s.facilitator_id"
                             " WHERE (?1 IS NULL OR s.activity_id=?1) AND (?2 IS NULL OR substr(s.start, 1, 10) >= ?2)"
                             " AND (?3 IS NULL OR substr(s.start, 1, 10) <= ?3)"
                             " ORDER BY s.start, a.code, s.place, s.uuid",
                             &s, err)))
    return rc;
  if (act) sqlite3_bind_int64(s, 1, act);
  if (f) {
    cp_bind_text(s, 2, f->from);
    cp_bind_text(s, 3, f->to);
  }
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 64)) {
      rc = oom(err);
      break;
    }
    cp_session *x = &(*out)[(*n)++];
    memset(x, 0, sizeof *x);
    snprintf(x->uuid, sizeof x->uuid, "%s", cp_col_text(s, 0));
    char **text[] = {&x->activity, &x->start, &x->end, &x->place};
    for (int i = 0; i < 4 && !rc; i++)
      if (!(*text[i] = cp_strdup(cp_col_text(s, i + 1)))) rc = oom(err);
    x->capacity = sqlite3_column_int(s, 5);
    if (!rc && (!(x->facilitator = cp_strdup(cp_col_text(s, 6))) || !(x->language = cp_strdup(cp_col_text(s, 7)))))
      rc = oom(err);
    if (rc) break;
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "listing sessions");
  sqlite3_reset(s);
  if (rc) {
    cp_session_list_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int cp_session_export_csv(cp_store *st, const cp_session_filter *filter, FILE *out, cp_error *err) {
  cp_session *list;
  size_t n;
  int rc = cp_session_list(st, filter, &list, &n, err);
  if (rc) return rc;
  const char *header[S_NCOLS];
  for (int i = 0; i < S_NCOLS; i++) header[i] = session_cols[i].name;
  cp_csv_write_row(out, header, S_NCOLS);
  for (size_t i = 0; i < n; i++) {
    const cp_session *x = &list[i];
    char cap[16];
    snprintf(cap, sizeof cap, "%d", x->capacity);
    const char *row[S_NCOLS] = {x->activity, x->start, x->end, x->uuid, x->place, cap, x->facilitator, x->language};
    cp_csv_write_row(out, row, S_NCOLS);
  }
  cp_session_list_free(list, n);
  if (ferror(out)) return cp_error_set(err, CP_EIO, "error writing sessions");
  return 0;
}
