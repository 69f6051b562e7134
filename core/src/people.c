/* people.c: people records: validation, the batch write path shared by add,
 * edit and CSV import (services and posts created on the way, line managers
 * resolved in the batch or the store, cycles refused, one transaction), and
 * reading people back for show, list and export. */
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

static int rec_error(const origin *o, int column, cp_error *err, const char *fmt, const char *a,
                     const char *b) {
  char msg[900];
  snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
  if (o && o->file)
    return cp_error_set_at(err, CP_EINVAL, o->file, o->line,
                           (o->col && column >= 0 && o->col[column] >= 0) ? o->col[column] + 1 : 0, "%s", msg);
  return cp_error_set(err, CP_EINVAL, "%s", msg);
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
  for (char *c = p->email; *c; c++) *c = (char)tolower((unsigned char)*c);
  if (cp_is_blank(p->name)) return rec_error(o, C_NAME, err, "name is empty for %s", p->email, NULL);
  if (p->line_manager && *p->line_manager) {
    if (!email_valid(p->line_manager))
      return rec_error(o, C_MANAGER, err, "line_manager \"%s\" is not an email address", p->line_manager, NULL);
    for (char *c = p->line_manager; *c; c++) *c = (char)tolower((unsigned char)*c);
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
    free(p->stage);
    p->stage = cp_strdup(s);
  }
  if (p->language && *p->language) {
    const char *l = cp_people_language_norm(p->language);
    if (!l) return rec_error(o, C_LANGUAGE, err, "language \"%s\" is not one of en, cy, both", p->language, NULL);
    free(p->language);
    p->language = cp_strdup(l);
  }
  if (p->mentor_capacity < 0 || p->mentor_capacity > 50)
    return rec_error(o, C_CAPACITY, err, "mentor_capacity must be a whole number from 0 to 50", NULL, NULL);
  if (p->retirement_year && (p->retirement_year < 1950 || p->retirement_year > 2150))
    return rec_error(o, C_RETIREMENT, err, "retirement_year must be a year such as 2031", NULL, NULL);
  return 0;
}

/* ---------- the batch write path ---------- */

typedef struct batch {
  cp_person *recs;
  origin *orig;
  size_t n, cap;
  cp_map by_email; /* email -> index in recs */
} batch;

static void batch_init(batch *b) {
  memset(b, 0, sizeof *b);
  cp_map_init(&b->by_email, true);
}

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n; i++) cp_person_clear(&b->recs[i]);
  free(b->recs);
  free(b->orig);
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
  size_t n;
  cp_map idx_by_id;    /* id (as decimal string) -> index; built lazily */
} held;

static void held_free(held *h) {
  cp_map_free(&h->id_by_email);
  cp_map_free(&h->idx_by_id);
  for (size_t i = 0; h->emails && i < h->n; i++) free(h->emails[i]);
  free(h->emails);
  free(h->ids);
  free(h->mgr);
}

static int held_load(cp_store *st, held *h, cp_error *err) {
  memset(h, 0, sizeof *h);
  cp_map_init(&h->id_by_email, true);
  cp_map_init(&h->idx_by_id, false);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id, email, coalesce(line_manager_id, 0) FROM person ORDER BY id", &s, err);
  if (rc) return rc;
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (h->n == cap) {
      cap = cap ? cap * 2 : 1024;
      int64_t *a = realloc(h->ids, cap * sizeof *a), *m;
      if (!a) return cp_error_set(err, CP_ENOMEM, "out of memory");
      h->ids = a;
      m = realloc(h->mgr, cap * sizeof *m);
      if (!m) return cp_error_set(err, CP_ENOMEM, "out of memory");
      h->mgr = m;
      char **em = realloc(h->emails, cap * sizeof *em);
      if (!em) return cp_error_set(err, CP_ENOMEM, "out of memory");
      h->emails = em;
    }
    h->emails[h->n] = cp_strdup(cp_col_text(s, 1));
    h->ids[h->n] = sqlite3_column_int64(s, 0);
    h->mgr[h->n] = sqlite3_column_int64(s, 2);
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)h->ids[h->n]);
    if (cp_map_put(&h->id_by_email, cp_col_text(s, 1), h->ids[h->n]) ||
        cp_map_put(&h->idx_by_id, key, (int64_t)h->n))
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    h->n++;
  }
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "reading people");
  return 0;
}

static void id_key(char key[24], int64_t id) { snprintf(key, 24, "%lld", (long long)id); }

/* Next node after v on the line-manager chain, or (size_t)-1. Nodes are batch
 * records (0..n-1) and held people (n + index); a held person the batch
 * rewrites is represented by its batch record. */
static size_t chain_next(const batch *b, const held *h, const cp_map *batch_by_id, size_t v) {
  int64_t id = 0, idx;
  char key[24];
  if (v < b->n) {
    const char *m = b->recs[v].line_manager;
    if (!m || !*m) return (size_t)-1;
    if (cp_map_get(&b->by_email, m, &idx)) return (size_t)idx;
    if (!cp_map_get(&h->id_by_email, m, &id)) return (size_t)-1;
  } else {
    id = h->mgr[v - b->n];
    if (!id) return (size_t)-1;
  }
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
  int rc;
  const origin *o = first != (size_t)-1 ? &b->orig[first] : NULL;
  if (o && o->file)
    rc = cp_error_set_at(err, CP_ECYCLE, o->file, o->line, o->col && o->col[C_MANAGER] >= 0 ? o->col[C_MANAGER] + 1 : 0,
                         "%s", msg.data ? msg.data : "");
  else
    rc = cp_error_set(err, CP_ECYCLE, "%s", msg.data ? msg.data : "");
  cp_buf_free(&msg);
  return rc;
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
  for (size_t i = 0; i < b->n && !rc; i++) {
    int64_t id;
    char key[24];
    if (cp_map_get(&h->id_by_email, b->recs[i].email, &id)) {
      id_key(key, id);
      if (cp_map_put(&batch_by_id, key, (int64_t)i)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    }
  }
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

/* Insert or update every record (managers set in a second pass). Caller holds
 * the transaction. */
static int batch_write(cp_store *st, batch *b, held *h, cp_import_result *res, bool must_be_new,
                       cp_error *err) {
  id_cache c;
  cp_map_init(&c.services, true);
  cp_map_init(&c.posts, true);
  int rc = 0;
  int64_t *ids = calloc(b->n ? b->n : 1, sizeof *ids);
  unsigned char *state = calloc(b->n ? b->n : 1, 1); /* 0 new, 1 held unchanged, 2 held changed */
  if (!ids || !state) {
    free(ids);
    free(state);
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  sqlite3_stmt *ins, *upd, *setmgr;
  if ((rc = cp_store_prepare(st,
                             "INSERT INTO person(uuid,email,name,post_id,team,service_id,appointed,stage,language,"
                             "mentor_capacity,retirement_year) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                             &ins, err)))
    goto out;
  for (size_t i = 0; i < b->n && !rc; i++) {
    cp_person *p = &b->recs[i];
    int64_t service_id = 0, post_id = 0, id = 0;
    if (p->service && *p->service && (rc = lookup_service(st, &c, p->service, &service_id, err))) break;
    if (p->post && *p->post && (rc = lookup_post(st, &c, p->post, &post_id, err))) break;
    bool exists = cp_map_get(&h->id_by_email, p->email, &id);
    if (exists && must_be_new) {
      rc = rec_error(&b->orig[i], C_EMAIL, err, "%s is already held (use `person edit`)", p->email, NULL);
      break;
    }
    const char *stage = p->stage && *p->stage ? p->stage : "established";
    const char *lang = p->language && *p->language ? p->language : "en";
    if (!exists) {
      sqlite3_reset(ins);
      cp_uuid_new(p->uuid);
      cp_bind_text(ins, 1, p->uuid);
      cp_bind_text(ins, 2, p->email);
      cp_bind_text(ins, 3, p->name);
      if (post_id) sqlite3_bind_int64(ins, 4, post_id); else sqlite3_bind_null(ins, 4);
      cp_bind_text(ins, 5, p->team ? p->team : "");
      if (service_id) sqlite3_bind_int64(ins, 6, service_id); else sqlite3_bind_null(ins, 6);
      bind_opt(ins, 7, p->appointed);
      cp_bind_text(ins, 8, stage);
      cp_bind_text(ins, 9, lang);
      sqlite3_bind_int(ins, 10, p->mentor_capacity);
      if (p->retirement_year) sqlite3_bind_int(ins, 11, p->retirement_year); else sqlite3_bind_null(ins, 11);
      if (sqlite3_step(ins) != SQLITE_DONE) {
        rc = cp_store_db_error(st, err, "adding person");
        break;
      }
      id = sqlite3_last_insert_rowid(cp_store_db(st));
      if (cp_map_put(&h->id_by_email, p->email, id)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      res->added++;
    } else {
      if ((rc = cp_store_prepare(st,
                                 "UPDATE person SET email=?2,name=?3,post_id=?4,team=?5,service_id=?6,appointed=?7,"
                                 "stage=?8,language=?9,mentor_capacity=?10,retirement_year=?11 WHERE id=?1 AND "
                                 "(email IS NOT ?2 OR name IS NOT ?3 OR post_id IS NOT ?4 OR team IS NOT ?5 OR "
                                 "service_id IS NOT ?6 OR appointed IS NOT ?7 OR stage IS NOT ?8 OR language IS NOT ?9 "
                                 "OR mentor_capacity IS NOT ?10 OR retirement_year IS NOT ?11)",
                                 &upd, err)))
        break;
      sqlite3_bind_int64(upd, 1, id);
      cp_bind_text(upd, 2, p->email);
      cp_bind_text(upd, 3, p->name);
      if (post_id) sqlite3_bind_int64(upd, 4, post_id); else sqlite3_bind_null(upd, 4);
      cp_bind_text(upd, 5, p->team ? p->team : "");
      if (service_id) sqlite3_bind_int64(upd, 6, service_id); else sqlite3_bind_null(upd, 6);
      bind_opt(upd, 7, p->appointed);
      cp_bind_text(upd, 8, stage);
      cp_bind_text(upd, 9, lang);
      sqlite3_bind_int(upd, 10, p->mentor_capacity);
      if (p->retirement_year) sqlite3_bind_int(upd, 11, p->retirement_year); else sqlite3_bind_null(upd, 11);
      int r = sqlite3_step(upd);
      if (r != SQLITE_DONE) {
        rc = r == SQLITE_CONSTRAINT_UNIQUE
                 ? rec_error(&b->orig[i], C_EMAIL, err, "%s is already held by someone else", p->email, NULL)
                 : cp_store_db_error(st, err, "updating person");
        break;
      }
      if (sqlite3_changes(cp_store_db(st)) > 0) state[i] = 2; /* existing, changed */
      else state[i] = 1;                                     /* existing, same so far */
    }
    ids[i] = id;
  }
  if (rc) goto out;
  /* the manager pass */
  if ((rc = cp_store_prepare(st,
                             "UPDATE person SET line_manager_id=?2 WHERE id=?1 AND line_manager_id IS NOT ?2",
                             &setmgr, err)))
    goto out;
  for (size_t i = 0; i < b->n; i++) {
    const char *m = b->recs[i].line_manager;
    int64_t mid = 0;
    if (m && *m && !cp_map_get(&h->id_by_email, m, &mid)) {
      rc = rec_error(&b->orig[i], C_MANAGER, err, "line manager %s is not in the file or the database", m, NULL);
      goto out;
    }
    sqlite3_reset(setmgr);
    sqlite3_bind_int64(setmgr, 1, ids[i]);
    if (mid) sqlite3_bind_int64(setmgr, 2, mid); else sqlite3_bind_null(setmgr, 2);
    if (sqlite3_step(setmgr) != SQLITE_DONE) {
      rc = cp_store_db_error(st, err, "setting line manager");
      goto out;
    }
    if (sqlite3_changes(cp_store_db(st)) > 0 && state[i] == 1) state[i] = 2;
  }
  for (size_t i = 0; i < b->n; i++) {
    if (state[i] == 1) res->unchanged++;
    else if (state[i] == 2) res->updated++;
  }
out:
  free(ids);
  free(state);
  cp_map_free(&c.services);
  cp_map_free(&c.posts);
  return rc;
}

/* Validate the batch as a whole: duplicate emails, unknown managers, cycles. */
static int batch_check(batch *b, held *h, cp_error *err) {
  for (size_t i = 0; i < b->n; i++) {
    const char *m = b->recs[i].line_manager;
    if (m && *m && !cp_map_get(&b->by_email, m, NULL) && !cp_map_get(&h->id_by_email, m, NULL))
      return rec_error(&b->orig[i], C_MANAGER, err, "line manager %s is not in the file or the database", m, NULL);
  }
  return check_cycles(b, h, err);
}

/* Check, then write the batch in one transaction. */
static int batch_apply(cp_store *st, batch *b, held *h, cp_import_result *res, bool must_be_new,
                       cp_error *err) {
  int rc = batch_check(b, h, err);
  if (rc) return rc;
  if ((rc = cp_store_begin(st, err))) return rc;
  rc = batch_write(st, b, h, res, must_be_new, err);
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

static char *field_dup(const cp_csv_row *row, int idx) {
  const char *v = cp_csv_get(row, idx);
  return cp_strdup(v);
}

static int import_row(void *vctx, const cp_csv_row *row, cp_error *err) {
  import_ctx *c = vctx;
  if (!c->header_done) {
    c->header_done = true;
    return cp_csv_map_header(row, people_cols, C_NCOLS, c->col, &c->unknown, err);
  }
  bool empty = true;
  for (size_t i = 0; i < row->nfields && empty; i++) empty = cp_is_blank(row->fields[i]);
  if (empty) return 0;
  c->rows++;
  batch *b = c->b;
  int rc = batch_push(b, err);
  if (rc) return rc;
  cp_person *p = &b->recs[b->n - 1];
  origin *o = &b->orig[b->n - 1];
  o->file = row->file;
  o->line = row->line;
  o->col = c->col;
  p->name = field_dup(row, c->col[C_NAME]);
  p->email = field_dup(row, c->col[C_EMAIL]);
  p->post = field_dup(row, c->col[C_POST]);
  p->team = field_dup(row, c->col[C_TEAM]);
  p->service = field_dup(row, c->col[C_SERVICE]);
  p->line_manager = field_dup(row, c->col[C_MANAGER]);
  p->appointed = field_dup(row, c->col[C_APPOINTED]);
  p->stage = field_dup(row, c->col[C_STAGE]);
  p->language = field_dup(row, c->col[C_LANGUAGE]);
  if (!p->name || !p->email || !p->post || !p->team || !p->service || !p->line_manager || !p->appointed ||
      !p->stage || !p->language)
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%s", cp_csv_get(row, c->col[C_CAPACITY]));
  cp_trim(tmp);
  if (tmp[0] && !parse_int(tmp, 0, 50, &p->mentor_capacity))
    return rec_error(o, C_CAPACITY, err, "mentor_capacity \"%s\" is not a whole number from 0 to 50", tmp, NULL);
  snprintf(tmp, sizeof tmp, "%s", cp_csv_get(row, c->col[C_RETIREMENT]));
  cp_trim(tmp);
  if (tmp[0] && !parse_int(tmp, 1950, 2150, &p->retirement_year))
    return rec_error(o, C_RETIREMENT, err, "retirement_year \"%s\" is not a year", tmp, NULL);
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
  held h;
  int rc = cp_csv_read(path, import_row, &c, err);
  if (!rc && !c.header_done) rc = cp_error_set_at(err, CP_EPARSE, path, 1, 0, "empty file: no header row");
  if (!rc) rc = held_load(st, &h, err);
  else memset(&h, 0, sizeof h);
  if (!rc) rc = batch_apply(st, &b, &h, res, false, err);
  res->rows = c.rows;
  res->unknown_columns = c.unknown;
  held_free(&h);
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

int cp_people_add(cp_store *st, cp_person *p, cp_error *err) {
  batch b;
  batch_init(&b);
  held h;
  cp_import_result res = {0};
  int rc = batch_push(&b, err);
  if (!rc && dup_person(&b.recs[0], p)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = validate(&b.recs[0], &b.orig[0], err);
  if (!rc && cp_map_put(&b.by_email, b.recs[0].email, 0)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = held_load(st, &h, err);
  else memset(&h, 0, sizeof h);
  if (!rc) rc = batch_apply(st, &b, &h, &res, true, err);
  if (!rc) memcpy(p->uuid, b.recs[0].uuid, sizeof p->uuid);
  held_free(&h);
  batch_free(&b);
  return rc;
}

static void set_field(char **dst, const char *v) {
  free(*dst);
  *dst = cp_strdup(v ? v : "");
}

int cp_people_edit(cp_store *st, const char *ref, const cp_person *ch, unsigned mask, cp_error *err) {
  cp_person cur;
  int rc = cp_people_get(st, ref, &cur, err);
  if (rc) return rc;
  char *old_email = cp_strdup(cur.email);
  if (mask & CP_PERSON_NAME) set_field(&cur.name, ch->name);
  if (mask & CP_PERSON_EMAIL) set_field(&cur.email, ch->email);
  if (mask & CP_PERSON_POST) set_field(&cur.post, ch->post);
  if (mask & CP_PERSON_TEAM) set_field(&cur.team, ch->team);
  if (mask & CP_PERSON_SERVICE) set_field(&cur.service, ch->service);
  if (mask & CP_PERSON_MANAGER) set_field(&cur.line_manager, ch->line_manager);
  if (mask & CP_PERSON_APPOINTED) set_field(&cur.appointed, ch->appointed);
  if (mask & CP_PERSON_STAGE) set_field(&cur.stage, ch->stage);
  if (mask & CP_PERSON_LANGUAGE) set_field(&cur.language, ch->language);
  if (mask & CP_PERSON_CAPACITY) cur.mentor_capacity = ch->mentor_capacity;
  if (mask & CP_PERSON_RETIREMENT) cur.retirement_year = ch->retirement_year;
  batch b;
  batch_init(&b);
  held h;
  memset(&h, 0, sizeof h);
  cp_import_result res = {0};
  rc = batch_push(&b, err);
  if (!rc && dup_person(&b.recs[0], &cur)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = validate(&b.recs[0], &b.orig[0], err);
  if (!rc && cp_map_put(&b.by_email, b.recs[0].email, 0)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = held_load(st, &h, err);
  if (!rc && old_email && cp_strcasecmp(old_email, b.recs[0].email) != 0) {
    int64_t id, other;
    if (cp_map_get(&h.id_by_email, b.recs[0].email, &other))
      rc = cp_error_set(err, CP_EEXISTS, "%s is already held by someone else", b.recs[0].email);
    else if (cp_map_get(&h.id_by_email, old_email, &id) && cp_map_put(&h.id_by_email, b.recs[0].email, id))
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  if (!rc) rc = batch_apply(st, &b, &h, &res, false, err);
  free(old_email);
  held_free(&h);
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
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      cp_person *p = realloc(*out, cap * sizeof *p);
      if (!p) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        break;
      }
      *out = p;
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
