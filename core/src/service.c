/* service.c: services and the frameworks they adopt (a new service adopts
 * the default frameworks set at init), posts and the agreed framework items
 * added to their default profile; CSV import of both. Every change is one
 * transaction: on error the database is as it was. */
#include "cpdplan/service.h"

#include "cpdplan/csvio.h"
#include "cpdplan/framework.h"
#include "store_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int find_service(cp_store *st, const char *name, int64_t *id, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id FROM service WHERE name=?1 OR uuid=lower(?1)", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, name);
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) *id = sqlite3_column_int64(s, 0);
  else if (r == SQLITE_DONE) rc = cp_error_set(err, CP_ENOTFOUND, "no service %s", name);
  else rc = cp_store_db_error(st, err, "reading services");
  sqlite3_reset(s);
  return rc;
}

static int adopt_id(cp_store *st, int64_t service_id, int64_t framework_id, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "INSERT OR IGNORE INTO service_framework(service_id, framework_id) VALUES(?1,?2)",
                            &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, service_id);
  sqlite3_bind_int64(s, 2, framework_id);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "adopting framework");
  sqlite3_reset(s);
  return rc;
}

/* Adopt each framework named in a space-separated list. */
static int adopt_list(cp_store *st, int64_t service_id, const char *list, cp_error *err) {
  char *copy = cp_strdup(list ? list : "");
  if (!copy) return cp_error_set(err, CP_ENOMEM, "out of memory");
  int rc = 0;
  char *save = NULL;
  for (char *tok = strtok_r(copy, " \t,;", &save); tok && !rc; tok = strtok_r(NULL, " \t,;", &save)) {
    int64_t fw;
    rc = cp_framework_resolve(st, tok, &fw, err);
    if (!rc) rc = adopt_id(st, service_id, fw, err);
  }
  free(copy);
  return rc;
}

/* Add the service called name and adopt the database's default frameworks. */
static int add_service(cp_store *st, const char *name, int64_t *id, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "INSERT INTO service(uuid, name) VALUES(?1, ?2)", &s, err);
  if (rc) return rc;
  char uuid[37];
  cp_uuid_new(uuid);
  cp_bind_text(s, 1, uuid);
  cp_bind_text(s, 2, name);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "adding service");
  sqlite3_reset(s);
  if (rc) return rc;
  *id = sqlite3_last_insert_rowid(cp_store_db(st));
  char *def = NULL;
  if ((rc = cp_store_meta_get(st, "default_adoption", &def, err))) return rc;
  if (def) rc = adopt_list(st, *id, def, err);
  free(def);
  return rc;
}

int cp_service_ensure(cp_store *st, const char *name, int64_t *id, int *created, cp_error *err) {
  *created = 0;
  cp_error tmp;
  int rc = find_service(st, name, id, &tmp);
  if (rc != CP_ENOTFOUND) {
    if (rc && err) *err = tmp;
    return rc;
  }
  if (cp_is_blank(name)) return cp_error_set(err, CP_EINVAL, "service name is empty");
  if ((rc = cp_store_begin(st, err))) return rc; /* the service and its adoptions, or neither */
  rc = add_service(st, name, id, err);
  if (!rc) rc = cp_store_commit(st, err);
  else cp_store_rollback(st);
  if (!rc) *created = 1;
  return rc;
}

int cp_service_adopt(cp_store *st, const char *service, const char *framework, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  int64_t sid, fid;
  int created;
  rc = cp_framework_resolve(st, framework, &fid, err);
  if (!rc) rc = cp_service_ensure(st, service, &sid, &created, err);
  if (!rc) rc = adopt_id(st, sid, fid, err);
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

int cp_service_drop(cp_store *st, const char *service, const char *framework, cp_error *err) {
  int64_t sid, fid;
  int rc = find_service(st, service, &sid, err);
  if (!rc) rc = cp_framework_resolve(st, framework, &fid, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st, "DELETE FROM service_framework WHERE service_id=?1 AND framework_id=?2", &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, sid);
  sqlite3_bind_int64(s, 2, fid);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "dropping framework");
  else if (sqlite3_changes(cp_store_db(st)) == 0)
    rc = cp_error_set(err, CP_ENOTFOUND, "%s does not use %s", service, framework);
  sqlite3_reset(s);
  return rc;
}

int cp_service_list(cp_store *st, cp_service_info **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT s.uuid, s.name, s.nation,"
                            " coalesce((SELECT group_concat(short_name, ' ') FROM (SELECT f.short_name FROM "
                            "service_framework sf JOIN framework f ON f.id=sf.framework_id WHERE sf.service_id=s.id "
                            "ORDER BY f.short_name)), ''),"
                            " (SELECT count(*) FROM person p WHERE p.service_id=s.id) FROM service s ORDER BY s.name",
                            &s, err);
  if (rc) return rc;
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 32)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    cp_service_info *i = &(*out)[(*n)++];
    snprintf(i->uuid, sizeof i->uuid, "%s", cp_col_text(s, 0));
    i->name = cp_strdup(cp_col_text(s, 1));
    i->nation = cp_strdup(cp_col_text(s, 2));
    i->frameworks = cp_strdup(cp_col_text(s, 3));
    i->people = sqlite3_column_int64(s, 4);
    if (!i->name || !i->nation || !i->frameworks) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "listing services");
  sqlite3_reset(s);
  if (rc) {
    cp_service_list_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

void cp_service_list_free(cp_service_info *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) {
    free(list[i].name);
    free(list[i].nation);
    free(list[i].frameworks);
  }
  free(list);
}

/* ---------- posts ---------- */

/* The post called name: *found tells whether there is one. */
static int find_post(cp_store *st, const char *name, int64_t *id, bool *found, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id FROM post WHERE name=?1", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, name);
  int r = sqlite3_step(s);
  *found = r == SQLITE_ROW;
  if (*found) *id = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : cp_store_db_error(st, err, "reading posts");
}

int cp_post_ensure(cp_store *st, const char *name, int64_t *id, cp_error *err) {
  sqlite3_stmt *s;
  bool found;
  int rc = find_post(st, name, id, &found, err);
  if (rc || found) return rc;
  if (cp_is_blank(name)) return cp_error_set(err, CP_EINVAL, "post name is empty");
  if ((rc = cp_store_prepare(st, "INSERT INTO post(name) VALUES(?1)", &s, err))) return rc;
  cp_bind_text(s, 1, name);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "adding post");
  sqlite3_reset(s);
  if (!rc) *id = sqlite3_last_insert_rowid(cp_store_db(st));
  return rc;
}

/* Agree (add) or withdraw an item on a post; the post is created only to agree. */
static int post_item(cp_store *st, const char *post, const char *item, bool add, cp_error *err) {
  int64_t pid, iid;
  bool found = true;
  int rc = cp_framework_find_item(st, item, &iid, err);
  if (rc) return rc;
  if ((rc = add ? cp_post_ensure(st, post, &pid, err) : find_post(st, post, &pid, &found, err))) return rc;
  if (!found) return cp_error_set(err, CP_ENOTFOUND, "no post %s", post);
  sqlite3_stmt *s;
  rc = cp_store_prepare(st,
                        add ? "INSERT OR IGNORE INTO post_item(post_id, item_id) VALUES(?1,?2)"
                            : "DELETE FROM post_item WHERE post_id=?1 AND item_id=?2",
                        &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, pid);
  sqlite3_bind_int64(s, 2, iid);
  if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "changing post profile");
  else if (!add && sqlite3_changes(cp_store_db(st)) == 0)
    rc = cp_error_set(err, CP_ENOTFOUND, "%s is not agreed for post %s", item, post);
  sqlite3_reset(s);
  return rc;
}

static int post_change(cp_store *st, const char *post, const char *item, bool add, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  rc = post_item(st, post, item, add, err);
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

int cp_post_agree(cp_store *st, const char *post, const char *item, cp_error *err) {
  return post_change(st, post, item, true, err);
}

int cp_post_unagree(cp_store *st, const char *post, const char *item, cp_error *err) {
  return post_change(st, post, item, false, err);
}

int cp_post_list(cp_store *st, cp_post_info **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT po.name, coalesce((SELECT group_concat(code, ' ') FROM (SELECT i.code FROM "
                            "post_item pi JOIN item i ON i.id=pi.item_id WHERE pi.post_id=po.id ORDER BY "
                            "i.framework_id, i.ord)), ''), (SELECT count(*) FROM person p WHERE p.post_id=po.id) "
                            "FROM post po ORDER BY po.name",
                            &s, err);
  if (rc) return rc;
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 32)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    cp_post_info *i = &(*out)[(*n)++];
    i->name = cp_strdup(cp_col_text(s, 0));
    i->agreed = cp_strdup(cp_col_text(s, 1));
    i->people = sqlite3_column_int64(s, 2);
    if (!i->name || !i->agreed) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "listing posts");
  sqlite3_reset(s);
  if (rc) {
    cp_post_list_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

void cp_post_list_free(cp_post_info *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) {
    free(list[i].name);
    free(list[i].agreed);
  }
  free(list);
}

/* ---------- CSV imports: services.csv and posts.csv ---------- */

typedef struct simple_import {
  cp_store *st;
  bool posts; /* false: services */
  bool header_done;
  int col[3];
  char *unknown;
  cp_import_result *res;
} simple_import;

static const cp_csv_column service_cols[] = {{"service", true}, {"nation", false}, {"frameworks", false}};
static const cp_csv_column post_cols[] = {{"post", true}, {"statements", false}};

/* Re-locate error rc raised by a look-up at the row and column it came from. */
static int at(const cp_csv_row *row, int col, int rc, cp_error *err) {
  if (rc && err && !err->file[0]) {
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    cp_error_set_at(err, rc, row->file, row->line, col >= 0 ? col + 1 : 0, "%s", msg);
  }
  return rc;
}

static int service_row(simple_import *c, const cp_csv_row *row, cp_error *err) {
  char *name = cp_trim(cp_strdup(cp_csv_get(row, c->col[0])));
  char *nation = cp_trim(cp_strdup(cp_csv_get(row, c->col[1])));
  int rc = 0;
  if (!name || !nation) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  else if (!*name) rc = cp_error_set_at(err, CP_EINVAL, row->file, row->line, c->col[0] + 1, "service is empty");
  int64_t id;
  int created = 0;
  if (!rc && (rc = cp_service_ensure(c->st, name, &id, &created, err))) rc = at(row, c->col[0], rc, err);
  if (!rc && c->col[1] >= 0) {
    for (char *p = nation; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    sqlite3_stmt *s;
    if (!(rc = cp_store_prepare(c->st, "UPDATE service SET nation=?2 WHERE id=?1 AND nation IS NOT ?2", &s, err))) {
      sqlite3_bind_int64(s, 1, id);
      cp_bind_text(s, 2, nation);
      if (sqlite3_step(s) != SQLITE_DONE)
        rc = at(row, c->col[1], cp_store_db_error(c->st, err, "updating service"), err);
      else if (!created && sqlite3_changes(cp_store_db(c->st))) c->res->updated++, created = 2;
      sqlite3_reset(s);
    }
  }
  if (!rc) {
    int before = sqlite3_total_changes(cp_store_db(c->st));
    if ((rc = adopt_list(c->st, id, cp_csv_get(row, c->col[2]), err))) rc = at(row, c->col[2], rc, err);
    else if (!created && sqlite3_total_changes(cp_store_db(c->st)) != before) c->res->updated++, created = 2;
  }
  if (!rc) {
    if (created == 1) c->res->added++;
    else if (created == 0) c->res->unchanged++;
  }
  free(name);
  free(nation);
  return rc;
}

static int post_row(simple_import *c, const cp_csv_row *row, cp_error *err) {
  char *name = cp_trim(cp_strdup(cp_csv_get(row, c->col[0])));
  char *items = cp_strdup(cp_csv_get(row, c->col[1]));
  int rc = 0;
  if (!name || !items) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  else if (!*name) rc = cp_error_set_at(err, CP_EINVAL, row->file, row->line, c->col[0] + 1, "post is empty");
  int64_t pid;
  int before = sqlite3_total_changes(cp_store_db(c->st));
  if (!rc && (rc = cp_post_ensure(c->st, name, &pid, err))) rc = at(row, c->col[0], rc, err);
  bool added = !rc && sqlite3_total_changes(cp_store_db(c->st)) != before;
  char *save = NULL;
  for (char *tok = rc ? NULL : strtok_r(items, " \t,;", &save); tok && !rc; tok = strtok_r(NULL, " \t,;", &save)) {
    int64_t iid;
    if ((rc = cp_framework_find_item(c->st, tok, &iid, err))) {
      rc = at(row, c->col[1], rc, err);
      break;
    }
    sqlite3_stmt *s;
    if ((rc = cp_store_prepare(c->st, "INSERT OR IGNORE INTO post_item(post_id, item_id) VALUES(?1,?2)", &s, err)))
      break;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int64(s, 2, iid);
    if (sqlite3_step(s) != SQLITE_DONE) rc = at(row, c->col[1], cp_store_db_error(c->st, err, "agreeing item"), err);
    sqlite3_reset(s);
  }
  if (!rc) {
    if (added) c->res->added++;
    else if (sqlite3_total_changes(cp_store_db(c->st)) != before) c->res->updated++;
    else c->res->unchanged++;
  }
  free(name);
  free(items);
  return rc;
}

static int simple_row(void *vctx, const cp_csv_row *row, cp_error *err) {
  simple_import *c = vctx;
  if (!c->header_done) {
    c->header_done = true;
    return c->posts ? cp_csv_map_header(row, post_cols, 2, c->col, &c->unknown, err)
                    : cp_csv_map_header(row, service_cols, 3, c->col, &c->unknown, err);
  }
  bool empty = true;
  for (size_t i = 0; i < row->nfields && empty; i++) empty = cp_is_blank(row->fields[i]);
  if (empty) return 0;
  c->res->rows++;
  return c->posts ? post_row(c, row, err) : service_row(c, row, err);
}

static int simple_import_run(cp_store *st, const char *path, bool posts, cp_import_result *res, cp_error *err) {
  memset(res, 0, sizeof *res);
  simple_import c = {.st = st, .posts = posts, .res = res};
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  rc = cp_csv_read(path, simple_row, &c, err);
  if (!rc && !c.header_done) rc = cp_error_set_at(err, CP_EPARSE, path, 1, 0, "empty file: no header row");
  res->unknown_columns = c.unknown;
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  long rows = res->rows;
  char *unk = res->unknown_columns;
  memset(res, 0, sizeof *res);
  res->rows = rows;
  res->unknown_columns = unk;
  return rc;
}

int cp_service_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  return simple_import_run(st, path, false, res, err);
}

int cp_post_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  return simple_import_run(st, path, true, res, err);
}
