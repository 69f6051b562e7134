/* people.c: people records: validation, the batch write path shared by add,
 * edit and CSV import (services and posts created on the way, line managers
 * resolved in the batch or the store, cycles refused, one transaction that
 * also reads the people held), and reading people back for show, list and
 * export. Email is the key, compared without regard to case and stored in
 * lower case. An import updates only the columns its file has: a column the
 * file lacks leaves the held value alone (an empty cell in a column it has
 * clears it). A person renamed with `person edit --email` is known by the new
 * address only: a file that still has the old one adds it as a new person. */
#include "cpdplan/people.h"

#include "cpdplan/csvio.h"
#include "cpdplan/service.h"
#include "store_internal.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---------- records ---------- */

void cp_person_clear(cp_person *p) {
  if (!p) return;
  free(p->name);
  free(p->email);
  free(p->post);
  free(p->team);
  free(p->service);
  free(p->line_manager);
  free(p->appointed);
  free(p->stage);
  free(p->language);
  memset(p, 0, sizeof *p);
}

void cp_people_free(cp_person *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) cp_person_clear(&list[i]);
  free(list);
}

void cp_import_result_clear(cp_import_result *r) {
  if (!r) return;
  free(r->unknown_columns);
  memset(r, 0, sizeof *r);
}

const char *cp_people_stage_norm(const char *s) {
  static const char *stages[] = {"new", "established", "experienced", "senior", "chief"};
  if (!s) return NULL;
  for (size_t i = 0; i < 5; i++)
    if (cp_strcasecmp(s, stages[i]) == 0) return stages[i];
  if (cp_strcasecmp(s, "chief officer") == 0) return "chief";
  if (cp_strcasecmp(s, "newly appointed") == 0) return "new";
  return NULL;
}

const char *cp_people_language_norm(const char *s) {
  if (!s) return NULL;
  if (!cp_strcasecmp(s, "en") || !cp_strcasecmp(s, "english") || !cp_strcasecmp(s, "saesneg")) return "en";
  if (!cp_strcasecmp(s, "cy") || !cp_strcasecmp(s, "welsh") || !cp_strcasecmp(s, "cymraeg")) return "cy";
  if (!cp_strcasecmp(s, "both") || !cp_strcasecmp(s, "en cy") || !cp_strcasecmp(s, "cy en") ||
      !cp_strcasecmp(s, "bilingual") || !cp_strcasecmp(s, "dwyieithog"))
    return "both";
  return NULL;
}

static bool email_valid(const char *e) {
  const char *at = strchr(e, '@');
  if (!at || at == e || !at[1] || strchr(at + 1, '@')) return false;
  for (const char *p = e; *p; p++)
    if (isspace((unsigned char)*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>') return false;
  return strchr(at + 1, '.') != NULL;
}

static bool parse_int(const char *s, long lo, long hi, int *out) {
  if (!s || !*s) return false;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v < lo || v > hi) return false;
  *out = (int)v;
  return true;
}

/* Column positions of the people CSV, for error columns. */
enum { C_NAME, C_EMAIL, C_POST, C_TEAM, C_SERVICE, C_MANAGER, C_APPOINTED, C_STAGE,
       C_LANGUAGE, C_CAPACITY, C_RETIREMENT, C_NCOLS };

static const cp_csv_column people_cols[C_NCOLS] = {
    {"name", true}, {"email", true}, {"post", false}, {"team", false},
    {"service", false}, {"line_manager", false}, {"appointed", false}, {"stage", false},
    {"language", false}, {"mentor_capacity", false}, {"retirement_year", false},
};

/* Where a record came from, for messages. */
typedef struct origin {
  const char *file; /* NULL for records not from a file */
  long line;
  const int *col;   /* column index per C_*, or NULL */
} origin;

static int col_of(const origin *o, int column) {
  return (o && o->col && column >= 0 && o->col[column] >= 0) ? o->col[column] + 1 : 0;
}

static int rec_fail(const origin *o, int column, int code, cp_error *err, const char *fmt, const char *a,
                    const char *b) {
  char msg[900];
  snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
  if (o && o->file) return cp_error_set_at(err, code, o->file, o->line, col_of(o, column), "%s", msg);
  return cp_error_set(err, code, "%s", msg);
}

static int rec_error(const origin *o, int column, cp_error *err, const char *fmt, const char *a, const char *b) {
  return rec_fail(o, column, CP_EINVAL, err, fmt, a, b);
}

/* Give an error raised below (a look-up, the database) the record's place. */
static int rec_locate(const origin *o, int column, int rc, cp_error *err) {
  if (rc && err && o && o->file && !err->file[0]) {
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    cp_error_set_at(err, rc, o->file, o->line, col_of(o, column), "%s", msg);
  }
  return rc;
}

static void lower(char *s) {
  for (; s && *s; s++) *s = (char)tolower((unsigned char)*s);
}

/* Replace *field by the static name norm; CP_ENOMEM if the copy fails. */
static int set_norm(char **field, const char *norm, cp_error *err) {
  char *v = cp_strdup(norm);
  if (!v) return cp_error_set(err, CP_ENOMEM, "out of memory");
  free(*field);
  *field = v;
  return 0;
}

/* Trim and normalise a record; report the first bad value. */
static int validate(cp_person *p, const origin *o, cp_error *err) {
  char **fields[] = {&p->name, &p->email, &p->post, &p->team, &p->service, &p->line_manager,
                     &p->appointed, &p->stage, &p->language};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (*fields[i]) cp_trim(*fields[i]);
  if (cp_is_blank(p->email)) return rec_error(o, C_EMAIL, err, "email is empty", NULL, NULL);
  if (!email_valid(p->email))
    return rec_error(o, C_EMAIL, err, "\"%s\" is not an email address", p->email, NULL);
  lower(p->email);
  if (cp_is_blank(p->name)) return rec_error(o, C_NAME, err, "name is empty for %s", p->email, NULL);
  if (p->line_manager && *p->line_manager) {
    if (!email_valid(p->line_manager))
      return rec_error(o, C_MANAGER, err, "line_manager \"%s\" is not an email address", p->line_manager, NULL);
    lower(p->line_manager);
    if (strcmp(p->line_manager, p->email) == 0)
      return rec_error(o, C_MANAGER, err, "%s cannot be their own line manager", p->email, NULL);
  }
  if (p->appointed && *p->appointed && !cp_date_valid(p->appointed))
    return rec_error(o, C_APPOINTED, err, "appointed \"%s\" is not a date (YYYY-MM-DD)", p->appointed, NULL);
  if (p->stage && *p->stage) {
    const char *s = cp_people_stage_norm(p->stage);
    if (!s)
      return rec_error(o, C_STAGE, err,
                       "stage \"%s\" is not one of new, established, experienced, senior, chief", p->stage, NULL);
    if (set_norm(&p->stage, s, err)) return CP_ENOMEM;
  }
  if (p->language && *p->language) {
    const char *l = cp_people_language_norm(p->language);
    if (!l) return rec_error(o, C_LANGUAGE, err, "language \"%s\" is not one of en, cy, both", p->language, NULL);
    if (set_norm(&p->language, l, err)) return CP_ENOMEM;
  }
  if (p->mentor_capacity < 0 || p->mentor_capacity > 50)
    return rec_error(o, C_CAPACITY, err, "mentor_capacity must be a whole number from 0 to 50", NULL, NULL);
  if (p->retirement_year && (p->retirement_year < 1950 || p->retirement_year > 2150))
    return rec_error(o, C_RETIREMENT, err, "retirement_year must be a year such as 2031", NULL, NULL);
  return 0;
}

/* Step a statement to its end and reset it at once; returns the step's code. */
static int step_once(sqlite3_stmt *s) {
  int r = sqlite3_step(s);
  sqlite3_reset(s);
  return r;
}

/* ---------- the batch write path ---------- */

#define ALL_FIELDS ((1u << C_NCOLS) - 1) /* CP_PERSON_* bit i is column i */

typedef struct batch {
  cp_person *recs;
  origin *orig;
  int64_t *held_id; /* id of the person held under the record's email, 0 when new */
  size_t n, cap;
  unsigned given;   /* CP_PERSON_* fields the records give (others keep held values) */
  cp_map by_email;  /* email -> index in recs */
} batch;

static void batch_init(batch *b) {
  memset(b, 0, sizeof *b);
  b->given = ALL_FIELDS;
  cp_map_init(&b->by_email, true);
}

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n; i++) cp_person_clear(&b->recs[i]);
  free(b->recs);
  free(b->orig);
  free(b->held_id);
  cp_map_free(&b->by_email);
}

static int batch_push(batch *b, cp_error *err) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    cp_person *r = realloc(b->recs, cap * sizeof *r);
    if (!r) return cp_error_set(err, CP_ENOMEM, "out of memory");
    b->recs = r;
    origin *o = realloc(b->orig, cap * sizeof *o);
    if (!o) return cp_error_set(err, CP_ENOMEM, "out of memory");
    b->orig = o;
    b->cap = cap;
  }
  memset(&b->recs[b->n], 0, sizeof b->recs[0]);
  memset(&b->orig[b->n], 0, sizeof b->orig[0]);
  b->n++;
  return 0;
}

typedef struct held {  /* people already in the store */
  cp_map id_by_email;  /* email -> id */
  int64_t *ids, *mgr;  /* parallel: id, line_manager_id (0 = none) */
  char **emails;       /* parallel: email */
  size_t n, cap;
  cp_map idx_by_id;    /* id (as decimal string) -> index */
} held;

static void held_init(held *h) {
  memset(h, 0, sizeof *h);
  cp_map_init(&h->id_by_email, true);
  cp_map_init(&h->idx_by_id, false);
}

static void held_free(held *h) {
  cp_map_free(&h->id_by_email);
  cp_map_free(&h->idx_by_id);
  for (size_t i = 0; h->emails && i < h->n; i++) free(h->emails[i]);
  free(h->emails);
  free(h->ids);
  free(h->mgr);
}

static void id_key(char key[24], int64_t id) { snprintf(key, 24, "%lld", (long long)id); }

static int held_grow(held *h) {
  size_t cap = h->cap ? h->cap * 2 : 1024;
  int64_t *a = realloc(h->ids, cap * sizeof *a);
  if (!a) return CP_ENOMEM;
  h->ids = a;
  int64_t *m = realloc(h->mgr, cap * sizeof *m);
  if (!m) return CP_ENOMEM;
  h->mgr = m;
  char **em = realloc(h->emails, cap * sizeof *em);
  if (!em) return CP_ENOMEM;
  h->emails = em;
  h->cap = cap;
  return 0;
}

/* Append one held person; 0 or CP_ENOMEM. */
static int held_add(held *h, int64_t id, const char *email, int64_t mgr) {
  if (h->n == h->cap && held_grow(h)) return CP_ENOMEM;
  char key[24];
  id_key(key, id);
  char *e = cp_strdup(email);
  if (!e || cp_map_put(&h->id_by_email, email, id) || cp_map_put(&h->idx_by_id, key, (int64_t)h->n)) {
    free(e);
    return CP_ENOMEM;
  }
  h->emails[h->n] = e;
  h->ids[h->n] = id;
  h->mgr[h->n] = mgr;
  h->n++;
  return 0;
}

static int held_load(cp_store *st, held *h, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id, email, coalesce(line_manager_id, 0) FROM person ORDER BY id", &s, err);
  if (rc) return rc;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW)
    if (held_add(h, sqlite3_column_int64(s, 0), cp_col_text(s, 1), sqlite3_column_int64(s, 2))) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  sqlite3_reset(s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading people");
  return rc;
}

/* An edit that changes the email: the new address must be free; it then
 * names the held person of the old one. */
static int held_rename(held *h, const char *from, const char *to, cp_error *err) {
  int64_t id;
  if (cp_map_get(&h->id_by_email, to, NULL))
    return cp_error_set(err, CP_EEXISTS, "%s is already held by someone else", to);
  if (!cp_map_get(&h->id_by_email, from, &id)) return cp_error_set(err, CP_ENOTFOUND, "no person %s", from);
  return cp_map_put(&h->id_by_email, to, id) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
}

/* Held manager of the held person id, 0 if none. */
static int64_t held_manager(const held *h, int64_t id) {
  char key[24];
  int64_t idx;
  id_key(key, id);
  return cp_map_get(&h->idx_by_id, key, &idx) ? h->mgr[idx] : 0;
}

/* Next node after v on the line-manager chain, or (size_t)-1. Nodes are batch
 * records (0..n-1) and held people (n + index); a held person the batch
 * rewrites is represented by its batch record. A record whose file has no
 * line_manager column keeps its held manager. */
static size_t chain_next(const batch *b, const held *h, const cp_map *batch_by_id, size_t v) {
  int64_t id = 0, idx;
  char key[24];
  if (v < b->n && !(b->given & CP_PERSON_MANAGER)) {
    id = b->held_id[v] ? held_manager(h, b->held_id[v]) : 0;
  } else if (v < b->n) {
    const char *m = b->recs[v].line_manager;
    if (!m || !*m) return (size_t)-1;
    if (cp_map_get(&b->by_email, m, &idx)) return (size_t)idx;
    if (!cp_map_get(&h->id_by_email, m, &id)) return (size_t)-1;
  } else {
    id = h->mgr[v - b->n];
  }
  if (!id) return (size_t)-1;
  id_key(key, id);
  if (cp_map_get(batch_by_id, key, &idx)) return (size_t)idx;
  if (cp_map_get(&h->idx_by_id, key, &idx)) return b->n + (size_t)idx;
  return (size_t)-1;
}

static int cycle_error(const batch *b, const held *h, const size_t *path, size_t from, size_t len,
                       cp_error *err) {
  cp_buf msg;
  cp_buf_init(&msg);
  cp_buf_puts(&msg, "line managers form a cycle: ");
  size_t first = (size_t)-1;
  for (size_t j = from; j <= len; j++) {
    size_t node = path[j < len ? j : from];
    if (node < b->n) {
      cp_buf_puts(&msg, b->recs[node].email);
      if (first == (size_t)-1) first = node;
    } else {
      cp_buf_puts(&msg, h->emails[node - b->n]);
    }
    if (j < len) cp_buf_puts(&msg, " -> ");
  }
  int rc = msg.oom ? cp_error_set(err, CP_ENOMEM, "out of memory")
                   : rec_fail(first != (size_t)-1 ? &b->orig[first] : NULL, C_MANAGER, CP_ECYCLE, err, "%s",
                              msg.data, NULL);
  cp_buf_free(&msg);
  return rc;
}

/* Map the ids of held people the batch rewrites to their records. */
static int batch_ids(const batch *b, cp_map *batch_by_id, cp_error *err) {
  for (size_t i = 0; i < b->n; i++) {
    char key[24];
    if (!b->held_id[i]) continue;
    id_key(key, b->held_id[i]);
    if (cp_map_put(batch_by_id, key, (int64_t)i)) return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  return 0;
}

/* Check that line managers stay a forest once the batch is applied. */
static int check_cycles(const batch *b, const held *h, cp_error *err) {
  size_t total = b->n + h->n;
  unsigned char *state = calloc(total ? total : 1, 1); /* 0 unseen, 1 on path, 2 done */
  size_t *path = malloc((total ? total : 1) * sizeof *path);
  cp_map batch_by_id;
  cp_map_init(&batch_by_id, false);
  int rc = 0;
  if (!state || !path) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = batch_ids(b, &batch_by_id, err);
  for (size_t start = 0; start < total && !rc; start++) {
    if (state[start]) continue;
    size_t len = 0;
    for (size_t v = start; v != (size_t)-1 && state[v] != 2; v = chain_next(b, h, &batch_by_id, v)) {
      if (state[v] == 1) {
        size_t k = 0;
        while (path[k] != v) k++;
        rc = cycle_error(b, h, path, k, len, err);
        break;
      }
      state[v] = 1;
      path[len++] = v;
    }
    for (size_t j = 0; j < len; j++) state[path[j]] = 2;
  }
  cp_map_free(&batch_by_id);
  free(state);
  free(path);
  return rc;
}

typedef struct id_cache {
  cp_map services, posts; /* name -> id */
} id_cache;

static int lookup_service(cp_store *st, id_cache *c, const char *name, int64_t *id, cp_error *err) {
  if (cp_map_get(&c->services, name, id)) return 0;
  int created;
  int rc = cp_service_ensure(st, name, id, &created, err);
  if (!rc && cp_map_put(&c->services, name, *id)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  return rc;
}

static int lookup_post(cp_store *st, id_cache *c, const char *name, int64_t *id, cp_error *err) {
  if (cp_map_get(&c->posts, name, id)) return 0;
  int rc = cp_post_ensure(st, name, id, err);
  if (!rc && cp_map_put(&c->posts, name, *id)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  return rc;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v) {
  if (v && *v) cp_bind_text(s, i, v);
  else sqlite3_bind_null(s, i);
}

static void bind_id(sqlite3_stmt *s, int i, int64_t id) {
  if (id) sqlite3_bind_int64(s, i, id);
  else sqlite3_bind_null(s, i);
}

/* Parameters 2..11 of the insert and update: the record's fields. */
static void bind_fields(sqlite3_stmt *s, const cp_person *p, int64_t post_id, int64_t service_id) {
  cp_bind_text(s, 2, p->email);
  cp_bind_text(s, 3, p->name);
  bind_id(s, 4, post_id);
  cp_bind_text(s, 5, p->team ? p->team : "");
  bind_id(s, 6, service_id);
  bind_opt(s, 7, p->appointed);
  cp_bind_text(s, 8, p->stage && *p->stage ? p->stage : "established");
  cp_bind_text(s, 9, p->language && *p->language ? p->language : "en");
  sqlite3_bind_int(s, 10, p->mentor_capacity);
  if (p->retirement_year) sqlite3_bind_int(s, 11, p->retirement_year);
  else sqlite3_bind_null(s, 11);
}

static int insert_person(cp_store *st, cp_person *p, int64_t post_id, int64_t service_id, int64_t *id,
                         cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "INSERT INTO person(uuid,email,name,post_id,team,service_id,appointed,stage,language,"
                            "mentor_capacity,retirement_year) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                            &s, err);
  if (rc) return rc;
  cp_uuid_new(p->uuid);
  cp_bind_text(s, 1, p->uuid);
  bind_fields(s, p, post_id, service_id);
  if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "adding person");
  *id = sqlite3_last_insert_rowid(cp_store_db(st));
  return 0;
}

/* Update the given fields of held person id; *changed tells whether any differed. */
static int update_person(cp_store *st, const batch *b, size_t i, int64_t post_id, int64_t service_id,
                         int *changed, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(
      st,
      "UPDATE person SET email=?2, name=?3, post_id=iif(?12&4, ?4, post_id), team=iif(?12&8, ?5, team),"
      " service_id=iif(?12&16, ?6, service_id), appointed=iif(?12&64, ?7, appointed),"
      " stage=iif(?12&128, ?8, stage), language=iif(?12&256, ?9, language),"
      " mentor_capacity=iif(?12&512, ?10, mentor_capacity), retirement_year=iif(?12&1024, ?11, retirement_year)"
      " WHERE id=?1 AND (email IS NOT ?2 OR name IS NOT ?3 OR (?12&4 AND post_id IS NOT ?4)"
      " OR (?12&8 AND team IS NOT ?5) OR (?12&16 AND service_id IS NOT ?6) OR (?12&64 AND appointed IS NOT ?7)"
      " OR (?12&128 AND stage IS NOT ?8) OR (?12&256 AND language IS NOT ?9)"
      " OR (?12&512 AND mentor_capacity IS NOT ?10) OR (?12&1024 AND retirement_year IS NOT ?11))",
      &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, b->held_id[i]);
  bind_fields(s, &b->recs[i], post_id, service_id);
  sqlite3_bind_int(s, 12, (int)b->given);
  int r = step_once(s);
  if (r == SQLITE_CONSTRAINT_UNIQUE)
    return rec_fail(&b->orig[i], C_EMAIL, CP_EEXISTS, err, "%s is already held by someone else", b->recs[i].email,
                    NULL);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "updating person");
  *changed = sqlite3_changes(cp_store_db(st)) > 0;
  return 0;
}

/* Write record i (without its manager); state[i]: 0 new, 1 held unchanged, 2 held changed. */
static int write_one(cp_store *st, id_cache *c, batch *b, size_t i, held *h, bool must_be_new,
                     unsigned char *state, cp_error *err) {
  cp_person *p = &b->recs[i];
  const origin *o = &b->orig[i];
  int64_t service_id = 0, post_id = 0, id = 0;
  int rc = 0;
  if (p->service && *p->service && (rc = lookup_service(st, c, p->service, &service_id, err)))
    return rec_locate(o, C_SERVICE, rc, err);
  if (p->post && *p->post && (rc = lookup_post(st, c, p->post, &post_id, err))) return rec_locate(o, C_POST, rc, err);
  if (b->held_id[i] && must_be_new)
    return rec_fail(o, C_EMAIL, CP_EEXISTS, err, "%s is already held (use `person edit`)", p->email, NULL);
  if (b->held_id[i]) {
    int changed = 0;
    rc = update_person(st, b, i, post_id, service_id, &changed, err);
    state[i] = changed ? 2 : 1;
    return rec_locate(o, -1, rc, err);
  }
  if ((rc = insert_person(st, p, post_id, service_id, &id, err))) return rec_locate(o, -1, rc, err);
  b->held_id[i] = id;
  if (cp_map_put(&h->id_by_email, p->email, id)) return cp_error_set(err, CP_ENOMEM, "out of memory");
  return 0;
}

/* The manager pass: set each record's line manager (all records now exist). */
static int write_managers(cp_store *st, const batch *b, const held *h, unsigned char *state, cp_error *err) {
  if (!(b->given & CP_PERSON_MANAGER)) return 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "UPDATE person SET line_manager_id=?2 WHERE id=?1 AND line_manager_id IS NOT ?2",
                            &s, err);
  for (size_t i = 0; i < b->n && !rc; i++) {
    const char *m = b->recs[i].line_manager;
    int64_t mid = 0;
    if (m && *m) cp_map_get(&h->id_by_email, m, &mid); /* batch_check made sure it is held or written */
    sqlite3_bind_int64(s, 1, b->held_id[i]);
    bind_id(s, 2, mid);
    if (step_once(s) != SQLITE_DONE)
      return rec_locate(&b->orig[i], C_MANAGER, cp_store_db_error(st, err, "setting line manager"), err);
    if (sqlite3_changes(cp_store_db(st)) > 0 && state[i] == 1) state[i] = 2;
  }
  return rc;
}

/* Insert or update every record, then set managers. Caller holds the
 * transaction; res is counted only when all was written. */
static int batch_write(cp_store *st, batch *b, held *h, cp_import_result *res, bool must_be_new,
                       cp_error *err) {
  id_cache c;
  cp_map_init(&c.services, true);
  cp_map_init(&c.posts, true);
  unsigned char *state = calloc(b->n ? b->n : 1, 1);
  int rc = state ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
  for (size_t i = 0; i < b->n && !rc; i++) rc = write_one(st, &c, b, i, h, must_be_new, state, err);
  if (!rc) rc = write_managers(st, b, h, state, err);
  for (size_t i = 0; i < b->n && !rc; i++) {
    if (state[i] == 0) res->added++;
    else if (state[i] == 1) res->unchanged++;
    else res->updated++;
  }
  free(state);
  cp_map_free(&c.services);
  cp_map_free(&c.posts);
  return rc;
}

/* Validate the batch as a whole against the people held: resolve the held
 * ids, then unknown managers and cycles. */
static int batch_check(batch *b, held *h, cp_error *err) {
  b->held_id = calloc(b->n ? b->n : 1, sizeof *b->held_id);
  if (!b->held_id) return cp_error_set(err, CP_ENOMEM, "out of memory");
  for (size_t i = 0; i < b->n; i++) {
    cp_map_get(&h->id_by_email, b->recs[i].email, &b->held_id[i]);
    const char *m = b->recs[i].line_manager;
    if (m && *m && !cp_map_get(&b->by_email, m, NULL) && !cp_map_get(&h->id_by_email, m, NULL))
      return rec_error(&b->orig[i], C_MANAGER, err, "line manager %s is not in the file or the database", m, NULL);
  }
  return check_cycles(b, h, err);
}

/* In one transaction: read the people held, check the batch, write it.
 * renamed_from is the old email when an edit changes it, else NULL. */
static int batch_apply(cp_store *st, batch *b, const char *renamed_from, cp_import_result *res, bool must_be_new,
                       cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  held h;
  held_init(&h);
  rc = held_load(st, &h, err);
  if (!rc && renamed_from) rc = held_rename(&h, renamed_from, b->recs[0].email, err);
  if (!rc) rc = batch_check(b, &h, err);
  if (!rc) rc = batch_write(st, b, &h, res, must_be_new, err);
  held_free(&h);
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

/* ---------- CSV import ---------- */

typedef struct import_ctx {
  batch *b;
  int col[C_NCOLS];
  bool header_done;
  char *unknown;
  long rows;
} import_ctx;

static int import_header(import_ctx *c, const cp_csv_row *row, cp_error *err) {
  c->header_done = true;
  int rc = cp_csv_map_header(row, people_cols, C_NCOLS, c->col, &c->unknown, err);
  c->b->given = 0;
  for (int i = 0; i < C_NCOLS; i++)
    if (c->col[i] >= 0) c->b->given |= 1u << i;
  return rc;
}

/* Copy the text fields of a row into p; CP_ENOMEM if a copy fails. */
static int row_fields(const cp_csv_row *row, const int *col, cp_person *p, cp_error *err) {
  char **out[] = {&p->name, &p->email, &p->post, &p->team, &p->service,
                  &p->line_manager, &p->appointed, &p->stage, &p->language};
  for (int i = 0; i < 9; i++) /* C_NAME .. C_LANGUAGE */
    if (!(*out[i] = cp_strdup(cp_csv_get(row, col[i])))) return cp_error_set(err, CP_ENOMEM, "out of memory");
  return 0;
}

/* Parse the whole-number cell of column which into *out (kept when empty). */
static int row_int(const cp_csv_row *row, const origin *o, int which, long lo, long hi, int *out, const char *what,
                   cp_error *err) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%s", cp_csv_get(row, o->col[which]));
  cp_trim(tmp);
  if (tmp[0] && !parse_int(tmp, lo, hi, out)) return rec_error(o, which, err, what, tmp, NULL);
  return 0;
}

static int import_row(void *vctx, const cp_csv_row *row, cp_error *err) {
  import_ctx *c = vctx;
  if (!c->header_done) return import_header(c, row, err);
  bool empty = true;
  for (size_t i = 0; i < row->nfields && empty; i++) empty = cp_is_blank(row->fields[i]);
  if (empty) return 0;
  c->rows++;
  batch *b = c->b;
  int rc = batch_push(b, err);
  if (rc) return rc;
  cp_person *p = &b->recs[b->n - 1];
  origin *o = &b->orig[b->n - 1];
  *o = (origin){row->file, row->line, c->col};
  if ((rc = row_fields(row, c->col, p, err))) return rc;
  if ((rc = row_int(row, o, C_CAPACITY, 0, 50, &p->mentor_capacity,
                    "mentor_capacity \"%s\" is not a whole number from 0 to 50", err)))
    return rc;
  if ((rc = row_int(row, o, C_RETIREMENT, 1950, 2150, &p->retirement_year, "retirement_year \"%s\" is not a year",
                    err)))
    return rc;
  if ((rc = validate(p, o, err))) return rc;
  int64_t prev;
  if (cp_map_get(&b->by_email, p->email, &prev))
    return cp_error_set_at(err, CP_EEXISTS, row->file, row->line, c->col[C_EMAIL] + 1,
                           "duplicate email %s (also on line %ld)", p->email, b->orig[prev].line);
  if (cp_map_put(&b->by_email, p->email, (int64_t)(b->n - 1))) return cp_error_set(err, CP_ENOMEM, "out of memory");
  return 0;
}

int cp_people_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  memset(res, 0, sizeof *res);
  batch b;
  batch_init(&b);
  import_ctx c = {.b = &b};
  int rc = cp_csv_read(path, import_row, &c, err);
  if (!rc && !c.header_done) rc = cp_error_set_at(err, CP_EPARSE, path, 1, 0, "empty file: no header row");
  if (!rc) rc = batch_apply(st, &b, NULL, res, false, err);
  if (rc) memset(res, 0, sizeof *res); /* nothing was written */
  res->rows = c.rows;
  res->unknown_columns = c.unknown;
  batch_free(&b);
  return rc;
}

/* ---------- add, edit ---------- */

static int dup_person(cp_person *dst, const cp_person *src) {
  memset(dst, 0, sizeof *dst);
  memcpy(dst->uuid, src->uuid, sizeof dst->uuid);
  const char *const in[] = {src->name, src->email, src->post, src->team, src->service,
                            src->line_manager, src->appointed, src->stage, src->language};
  char **out[] = {&dst->name, &dst->email, &dst->post, &dst->team, &dst->service,
                  &dst->line_manager, &dst->appointed, &dst->stage, &dst->language};
  for (size_t i = 0; i < 9; i++) {
    *out[i] = cp_strdup(in[i] ? in[i] : "");
    if (!*out[i]) return CP_ENOMEM;
  }
  dst->mentor_capacity = src->mentor_capacity;
  dst->retirement_year = src->retirement_year;
  return 0;
}

/* A one-record batch holding a validated copy of p. */
static int single_batch(batch *b, const cp_person *p, cp_error *err) {
  int rc = batch_push(b, err);
  if (!rc && dup_person(&b->recs[0], p)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = validate(&b->recs[0], &b->orig[0], err);
  if (!rc && cp_map_put(&b->by_email, b->recs[0].email, 0)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  return rc;
}

int cp_people_add(cp_store *st, cp_person *p, cp_error *err) {
  batch b;
  batch_init(&b);
  cp_import_result res = {0};
  int rc = single_batch(&b, p, err);
  if (!rc) rc = batch_apply(st, &b, NULL, &res, true, err);
  if (!rc) memcpy(p->uuid, b.recs[0].uuid, sizeof p->uuid);
  batch_free(&b);
  return rc;
}

/* Overwrite *dst with a copy of v ("" for NULL); CP_ENOMEM leaves *dst alone. */
static int set_field(char **dst, const char *v) {
  char *copy = cp_strdup(v ? v : "");
  if (!copy) return CP_ENOMEM;
  free(*dst);
  *dst = copy;
  return 0;
}

/* Apply the fields of ch selected by mask to cur. */
static int apply_changes(cp_person *cur, const cp_person *ch, unsigned mask) {
  char **dst[] = {&cur->name, &cur->email, &cur->post, &cur->team, &cur->service,
                  &cur->line_manager, &cur->appointed, &cur->stage, &cur->language};
  const char *const src[] = {ch->name, ch->email, ch->post, ch->team, ch->service,
                             ch->line_manager, ch->appointed, ch->stage, ch->language};
  for (int i = 0; i < 9; i++) /* CP_PERSON_NAME .. CP_PERSON_LANGUAGE are bits 0..8 */
    if ((mask & (1u << i)) && set_field(dst[i], src[i])) return CP_ENOMEM;
  if (mask & CP_PERSON_CAPACITY) cur->mentor_capacity = ch->mentor_capacity;
  if (mask & CP_PERSON_RETIREMENT) cur->retirement_year = ch->retirement_year;
  return 0;
}

int cp_people_edit(cp_store *st, const char *ref, const cp_person *ch, unsigned mask, cp_error *err) {
  cp_person cur;
  int rc = cp_people_get(st, ref, &cur, err);
  if (rc) return rc;
  char *old_email = cp_strdup(cur.email);
  if (!old_email || apply_changes(&cur, ch, mask)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  batch b;
  batch_init(&b);
  cp_import_result res = {0};
  if (!rc) rc = single_batch(&b, &cur, err);
  bool renamed = !rc && cp_strcasecmp(old_email, b.recs[0].email) != 0;
  if (!rc) rc = batch_apply(st, &b, renamed ? old_email : NULL, &res, false, err);
  free(old_email);
  batch_free(&b);
  cp_person_clear(&cur);
  return rc;
}

/* ---------- reading ---------- */

#define PERSON_SELECT                                                                               \
  "SELECT p.uuid, p.name, p.email, coalesce(po.name,''), p.team, coalesce(s.name,''),"              \
  " coalesce(m.email,''), coalesce(p.appointed,''), p.stage, p.language, p.mentor_capacity,"        \
  " coalesce(p.retirement_year,0) FROM person p LEFT JOIN post po ON po.id=p.post_id"               \
  " LEFT JOIN service s ON s.id=p.service_id LEFT JOIN person m ON m.id=p.line_manager_id "

static int row_to_person(sqlite3_stmt *s, cp_person *p) {
  memset(p, 0, sizeof *p);
  snprintf(p->uuid, sizeof p->uuid, "%s", cp_col_text(s, 0));
  char **out[] = {&p->name, &p->email, &p->post, &p->team, &p->service,
                  &p->line_manager, &p->appointed, &p->stage, &p->language};
  for (int i = 0; i < 9; i++) {
    *out[i] = cp_strdup(cp_col_text(s, i + 1));
    if (!*out[i]) return CP_ENOMEM;
  }
  p->mentor_capacity = sqlite3_column_int(s, 10);
  p->retirement_year = sqlite3_column_int(s, 11);
  return 0;
}

int cp_people_get(cp_store *st, const char *ref, cp_person *out, cp_error *err) {
  memset(out, 0, sizeof *out);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, PERSON_SELECT "WHERE p.email=?1 OR p.uuid=lower(?1)", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, ref);
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) {
    if (row_to_person(s, out)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  } else if (r == SQLITE_DONE) {
    rc = cp_error_set(err, CP_ENOTFOUND, "no person %s", ref);
  } else {
    rc = cp_store_db_error(st, err, "reading person");
  }
  sqlite3_reset(s);
  if (rc) cp_person_clear(out);
  return rc;
}

int cp_people_list(cp_store *st, const cp_people_filter *f, cp_person **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            PERSON_SELECT "WHERE (?1 IS NULL OR s.name=?1 COLLATE NOCASE) AND (?2 IS NULL OR "
                                          "p.team=?2 COLLATE NOCASE) AND (?3 IS NULL OR po.name=?3 COLLATE NOCASE) "
                                          "AND (?4 IS NULL OR p.stage=?4) "
                                          "ORDER BY s.name, p.team, p.name, p.email",
                            &s, err);
  if (rc) return rc;
  if (f) {
    cp_bind_text(s, 1, f->service);
    cp_bind_text(s, 2, f->team);
    cp_bind_text(s, 3, f->post);
    cp_bind_text(s, 4, f->stage);
  }
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 64)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    if (row_to_person(s, &(*out)[*n])) {
      cp_person_clear(&(*out)[*n]);
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    (*n)++;
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "listing people");
  sqlite3_reset(s);
  if (rc) {
    cp_people_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int cp_people_export_csv(cp_store *st, const cp_people_filter *filter, FILE *out, cp_error *err) {
  cp_person *list;
  size_t n;
  int rc = cp_people_list(st, filter, &list, &n, err);
  if (rc) return rc;
  const char *header[C_NCOLS];
  for (int i = 0; i < C_NCOLS; i++) header[i] = people_cols[i].name;
  cp_csv_write_row(out, header, C_NCOLS);
  for (size_t i = 0; i < n; i++) {
    cp_person *p = &list[i];
    char cap[16], ret[16];
    snprintf(cap, sizeof cap, "%d", p->mentor_capacity);
    snprintf(ret, sizeof ret, "%d", p->retirement_year);
    const char *row[C_NCOLS] = {p->name, p->email, p->post, p->team, p->service, p->line_manager,
                                p->appointed, p->stage, p->language, cap, p->retirement_year ? ret : ""};
    cp_csv_write_row(out, row, C_NCOLS);
  }
  cp_people_free(list, n);
  if (ferror(out)) return cp_error_set(err, CP_EIO, "error writing people");
  return 0;
}
