/* framework.c: framework documents in memory (building, tree order, gradeable
 * statements, applicability) and in the store: save (insert, or update in
 * place keeping item rows and so their grades; dropped items deleted, or
 * retired when graded), load, resolve, list, find_item and the frameworks
 * compiled into the library. extra_json/doc_json hold one object per source
 * format ("case", "moodle"); a save keeps the held sections a document lacks. */
#include "cpdplan/framework.h"

#include "embedded.h"
#include "framework_internal.h"
#include "store_internal.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#define CP_FW_MAX_FILE (256L * 1024 * 1024)

/* ---- documents in memory ---- */

static void item_free(cp_fw_item *it) {
  free(it->code);
  free(it->item_type);
  free(it->statement);
  free(it->abbreviated);
  free(it->notes);
  free(it->extra_json);
}

void cp_fw_doc_free(cp_fw_doc *doc) {
  if (!doc) return;
  for (size_t i = 0; i < doc->nitems; i++) item_free(&doc->items[i]);
  free(doc->items);
  free(doc->short_name);
  free(doc->title);
  free(doc->description);
  free(doc->version);
  free(doc->doc_json);
  free(doc);
}

int cp_fw_set(char **field, const char *value) {
  char *s = cp_strdup(value ? value : "");
  if (!s) return CP_ENOMEM;
  free(*field);
  *field = s;
  return 0;
}

cp_fw_doc *cp_fw_doc_new(void) {
  cp_fw_doc *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->source_format = CP_FW_CASE;
  if (cp_fw_set(&d->short_name, "") || cp_fw_set(&d->title, "") || cp_fw_set(&d->description, "") ||
      cp_fw_set(&d->version, "") || cp_fw_set(&d->doc_json, "{}")) {
    cp_fw_doc_free(d);
    return NULL;
  }
  return d;
}

int cp_fw_doc_add_item(cp_fw_doc *doc) {
  if (cp_grow(&doc->items, doc->nitems, &doc->capitems, sizeof *doc->items, 64)) return -1;
  cp_fw_item *it = &doc->items[doc->nitems];
  memset(it, 0, sizeof *it);
  it->parent = -1;
  if (cp_fw_set(&it->code, "") || cp_fw_set(&it->item_type, "") || cp_fw_set(&it->statement, "") ||
      cp_fw_set(&it->abbreviated, "") || cp_fw_set(&it->notes, "") || cp_fw_set(&it->extra_json, "{}")) {
    item_free(it);
    return -1;
  }
  return (int)doc->nitems++;
}

cp_applicability cp_fw_doc_applicability(const cp_fw_doc *doc, size_t i) {
  for (long k = (long)i; k >= 0 && (size_t)k < doc->nitems; k = doc->items[k].parent)
    if (doc->items[k].applicability != CP_APPLY_INHERIT) return doc->items[k].applicability;
  return CP_APPLY_ALL;
}

static bool is_principle(const cp_fw_item *it) { return cp_strcasecmp(it->item_type, "Principle") == 0; }

int cp_fw_doc_finish(cp_fw_doc *doc, cp_error *err) {
  int *kids = calloc(doc->nitems + 1, sizeof *kids); /* children counted so far, [0] = top level */
  if (!kids) return cp_error_set(err, CP_ENOMEM, "out of memory");
  for (size_t i = 0; i < doc->nitems; i++) {
    cp_fw_item *it = &doc->items[i];
    if (it->parent >= (int)i || it->parent < -1) {
      free(kids);
      return cp_error_set(err, CP_EINVAL, "item %s: its parent does not come before it", it->code);
    }
    it->depth = it->parent < 0 ? 0 : doc->items[it->parent].depth + 1;
    it->seq = ++kids[it->parent + 1];
    it->gradeable = 1;
  }
  for (size_t i = 0; i < doc->nitems; i++) {
    cp_fw_item *it = &doc->items[i];
    if (it->parent >= 0) doc->items[it->parent].gradeable = 0;
    if (is_principle(it)) it->gradeable = 0;
  }
  free(kids);
  return 0;
}

long cp_fw_doc_statements(const cp_fw_doc *doc) {
  long n = 0;
  for (size_t i = 0; i < doc->nitems; i++) n += doc->items[i].gradeable != 0;
  return n;
}

long cp_fw_doc_principles(const cp_fw_doc *doc) {
  long n = 0;
  for (size_t i = 0; i < doc->nitems; i++) n += is_principle(&doc->items[i]);
  return n;
}

void cp_fw_uuid_for(char out[37], const char *name) {
  uuid_t ns, u;
  uuid_parse("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f", ns);
  uuid_generate_sha1(u, ns, name, strlen(name));
  uuid_unparse_lower(u, out);
}

/* ---- reading a file ---- */

static int read_all(const char *path, char **data, size_t *size, cp_error *err) {
  bool is_stdin = strcmp(path, "-") == 0;
  FILE *fp = is_stdin ? stdin : fopen(path, "rb");
  if (!fp) return cp_error_set_at(err, CP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  cp_buf b;
  cp_buf_init(&b);
  char chunk[65536];
  size_t got;
  int rc = 0;
  while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    if (b.len + got > (size_t)CP_FW_MAX_FILE) {
      rc = cp_error_set_at(err, CP_ELIMIT, path, 0, 0, "file larger than %ld MiB", CP_FW_MAX_FILE >> 20);
      break;
    }
    if (cp_buf_append(&b, chunk, got)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  }
  if (!rc && ferror(fp)) rc = cp_error_set_at(err, CP_EIO, path, 0, 0, "read error: %s", strerror(errno));
  if (!is_stdin) fclose(fp);
  if (rc) {
    cp_buf_free(&b);
    return rc;
  }
  *size = b.len;
  *data = cp_buf_steal(&b);
  return *data ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
}

int cp_fw_parse_file(const char *path, cp_fw_doc **out, cp_error *err) {
  *out = NULL;
  char *data;
  size_t size;
  int rc = read_all(path, &data, &size, err);
  if (rc) return rc;
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  size_t i = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
  if (i < size && (data[i] == '{' || data[i] == '['))
    rc = cp_fw_parse_case(name, data, size, out, err);
  else
    rc = cp_fw_parse_moodle(name, data, size, out, err);
  free(data);
  return rc;
}

/* ---- JSON sections of extra_json / doc_json ---- */

/* Parse a stored JSON object ("" or invalid gives an empty object). */
static json_t *load_object(const char *s) {
  json_t *j = s && *s ? json_loads(s, JSON_REJECT_DUPLICATES, NULL) : NULL;
  if (j && !json_is_object(j)) {
    json_decref(j);
    j = NULL;
  }
  return j ? j : json_object();
}

static int key_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The stored form of an extra object: the new document's sections plus the
 * held sections (object values) it lacks, keys sorted; "inherit": true marks
 * an item whose applicability is inherited. Returns NULL on out of memory. */
static char *merge_sections(const char *fresh, const char *held, bool inherit) {
  json_t *a = load_object(fresh), *h = load_object(held), *m = json_object();
  char *out = NULL;
  const char **keys = NULL;
  if (!a || !h || !m) goto done;
  json_object_del(a, "inherit");
  const char *k;
  json_t *v;
  json_object_foreach(h, k, v) {
    if (json_is_object(v) && !json_object_get(a, k)) json_object_set(a, k, v);
  }
  size_t n = json_object_size(a), i = 0;
  keys = malloc((n + 1) * sizeof *keys);
  if (!keys) goto done;
  json_object_foreach(a, k, v) keys[i++] = k;
  qsort(keys, n, sizeof *keys, key_cmp);
  for (i = 0; i < n; i++) json_object_set(m, keys[i], json_object_get(a, keys[i]));
  if (inherit) json_object_set_new(m, "inherit", json_true());
  out = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
done:
  free(keys);
  json_decref(a);
  json_decref(h);
  json_decref(m);
  return out;
}

/* Split a stored extra_json into the document's form and the inherit flag. */
static char *unmerge_sections(const char *stored, bool *inherit) {
  json_t *a = load_object(stored);
  if (!a) return NULL;
  *inherit = json_is_true(json_object_get(a, "inherit"));
  json_object_del(a, "inherit");
  char *out = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(a);
  return out;
}

/* ---- small statement helpers ---- */

static int step_done(cp_store *st, sqlite3_stmt *s, cp_error *err, const char *what) {
  int r = sqlite3_step(s);
  int rc = r == SQLITE_DONE || r == SQLITE_ROW ? 0 : cp_store_db_error(st, err, what);
  sqlite3_reset(s);
  return rc;
}

/* Run a query with one text parameter that returns one integer; *found set. */
static int query_id(cp_store *st, const char *sql, const char *a, const char *b, int64_t *id, bool *found,
                    cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, a);
  if (b) cp_bind_text(s, 2, b);
  int r = sqlite3_step(s);
  *found = r == SQLITE_ROW;
  if (*found) *id = sqlite3_column_int64(s, 0);
  else if (r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading frameworks");
  sqlite3_reset(s);
  return rc;
}

static const char *apply_name(cp_applicability a) { return a == CP_APPLY_AGREED ? "agreed" : "all"; }

/* ---- resolve, list, find ---- */

int cp_framework_resolve(cp_store *st, const char *ref, int64_t *id, cp_error *err) {
  bool found;
  int rc = query_id(st, "SELECT id FROM framework WHERE uuid=?1 COLLATE NOCASE OR short_name=?1 ORDER BY id LIMIT 1",
                    ref ? ref : "", NULL, id, &found, err);
  if (!rc && !found) rc = cp_error_set(err, CP_ENOTFOUND, "no framework \"%s\"", ref ? ref : "");
  return rc;
}

void cp_fw_summaries_free(cp_fw_summary *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) {
    free(list[i].short_name);
    free(list[i].title);
    free(list[i].version);
  }
  free(list);
}

int cp_framework_list(cp_store *st, cp_fw_summary **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(
      st,
      "SELECT f.uuid, f.short_name, f.title, f.version,"
      " (SELECT count(*) FROM item i WHERE i.framework_id=f.id AND i.gradeable AND NOT i.retired),"
      " (SELECT count(*) FROM item i WHERE i.framework_id=f.id AND NOT i.retired),"
      " (SELECT count(*) FROM item i WHERE i.framework_id=f.id AND NOT i.retired"
      "   AND i.item_type='Principle' COLLATE NOCASE)"
      " FROM framework f ORDER BY f.short_name",
      &s, err);
  if (rc) return rc;
  cp_fw_summary *list = NULL;
  size_t cnt = 0, cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(&list, cnt, &cap, sizeof *list, 8)) break;
    cp_fw_summary *f = &list[cnt++];
    memset(f, 0, sizeof *f);
    snprintf(f->uuid, sizeof f->uuid, "%s", cp_col_text(s, 0));
    f->short_name = cp_strdup(cp_col_text(s, 1));
    f->title = cp_strdup(cp_col_text(s, 2));
    f->version = cp_strdup(cp_col_text(s, 3));
    f->statements = sqlite3_column_int64(s, 4);
    f->items = sqlite3_column_int64(s, 5);
    f->principles = sqlite3_column_int64(s, 6);
    if (!f->short_name || !f->title || !f->version) break;
  }
  if (r == SQLITE_ROW) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  else if (r != SQLITE_DONE) rc = cp_store_db_error(st, err, "listing frameworks");
  sqlite3_reset(s);
  if (rc) {
    cp_fw_summaries_free(list, cnt);
    return rc;
  }
  *out = list;
  *n = cnt;
  return 0;
}

/* Items with this code: the first active one, and how many active/retired. */
static int items_by_code(cp_store *st, const char *code, bool nocase, int64_t *id, int *active, int *retired,
                         cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            nocase ? "SELECT id, retired FROM item WHERE code=?1 COLLATE NOCASE ORDER BY retired, id"
                                   : "SELECT id, retired FROM item WHERE code=?1 ORDER BY retired, id",
                            &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, code);
  *active = *retired = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (*active + *retired == 0) *id = sqlite3_column_int64(s, 0);
    if (sqlite3_column_int(s, 1)) (*retired)++;
    else (*active)++;
  }
  if (r != SQLITE_DONE) rc = cp_store_db_error(st, err, "finding statement");
  sqlite3_reset(s);
  return rc;
}

/* The item with this code in framework fid (exact, else case-insensitive). */
static int code_in_framework(cp_store *st, int64_t fid, const char *code, int64_t *item_id, bool *found,
                             cp_error *err) {
  *found = false;
  int rc = 0;
  for (int pass = 0; pass < 2 && !rc && !*found; pass++) {
    sqlite3_stmt *s;
    rc = cp_store_prepare(st,
                          pass ? "SELECT id FROM item WHERE framework_id=?1 AND code=?2 COLLATE NOCASE"
                                 " ORDER BY retired, id LIMIT 1"
                               : "SELECT id FROM item WHERE framework_id=?1 AND code=?2 ORDER BY retired LIMIT 1",
                          &s, err);
    if (rc) break;
    sqlite3_bind_int64(s, 1, fid);
    cp_bind_text(s, 2, code);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
      *item_id = sqlite3_column_int64(s, 0);
      *found = true;
    } else if (r != SQLITE_DONE) {
      rc = cp_store_db_error(st, err, "finding statement");
    }
    sqlite3_reset(s);
  }
  return rc;
}

/* "SHORTNAME:CODE": *found is false when SHORTNAME is no framework. */
static int find_prefixed(cp_store *st, const char *ref, int64_t *item_id, bool *found, cp_error *err) {
  *found = false;
  const char *colon = strchr(ref, ':');
  if (!colon) return 0;
  char *fw = cp_strndup(ref, (size_t)(colon - ref));
  if (!fw) return cp_error_set(err, CP_ENOMEM, "out of memory");
  int64_t fid;
  bool have;
  int rc = query_id(st, "SELECT id FROM framework WHERE short_name=?1", fw, NULL, &fid, &have, err);
  free(fw);
  if (rc || !have) return rc;
  rc = code_in_framework(st, fid, colon + 1, item_id, found, err);
  if (!rc && !*found) rc = cp_error_set(err, CP_ENOTFOUND, "no statement \"%s\"", ref);
  if (rc) *found = true; /* answered: stop looking */
  return rc;
}

int cp_framework_find_item(cp_store *st, const char *ref, int64_t *item_id, cp_error *err) {
  if (!ref || !*ref) return cp_error_set(err, CP_ENOTFOUND, "no statement given");
  bool found;
  int rc;
  if (cp_uuid_valid(ref)) {
    rc = query_id(st, "SELECT id FROM item WHERE uuid=?1 COLLATE NOCASE", ref, NULL, item_id, &found, err);
    if (rc || found) return rc;
  }
  if ((rc = find_prefixed(st, ref, item_id, &found, err)) || found) return rc;
  int active, retired;
  for (int pass = 0; pass < 2; pass++) {
    if ((rc = items_by_code(st, ref, pass == 1, item_id, &active, &retired, err))) return rc;
    if (active > 1 || (active == 0 && retired > 1))
      return cp_error_set(err, CP_EAMBIGUOUS, "statement code \"%s\" is in more than one framework: write FRAMEWORK:%s",
                          ref, ref);
    if (active + retired) return 0;
  }
  return cp_error_set(err, CP_ENOTFOUND, "no statement \"%s\"", ref);
}

/* ---- load ---- */

static int load_items(cp_store *st, int64_t fid, cp_fw_doc *doc, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT id, uuid, parent_id, code, item_type, statement, abbreviated, notes,"
                            " applicability, extra_json FROM item WHERE framework_id=?1 AND NOT retired ORDER BY ord",
                            &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, fid);
  cp_map index;
  cp_map_init(&index, false);
  int r;
  while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
    int i = cp_fw_doc_add_item(doc);
    if (i < 0) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    cp_fw_item *it = &doc->items[i];
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(s, 0));
    snprintf(it->uuid, sizeof it->uuid, "%s", cp_col_text(s, 1));
    int64_t pidx = -1;
    if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
      char pkey[32];
      snprintf(pkey, sizeof pkey, "%lld", (long long)sqlite3_column_int64(s, 2));
      if (!cp_map_get(&index, pkey, &pidx)) pidx = -1;
    }
    it->parent = (int)pidx;
    bool inherit = false;
    char *extra = unmerge_sections(cp_col_text(s, 9), &inherit);
    it->applicability = inherit ? CP_APPLY_INHERIT
                        : strcmp(cp_col_text(s, 8), "agreed") == 0 ? CP_APPLY_AGREED
                                                                    : CP_APPLY_ALL;
    if (!extra || cp_fw_set(&it->code, cp_col_text(s, 3)) || cp_fw_set(&it->item_type, cp_col_text(s, 4)) ||
        cp_fw_set(&it->statement, cp_col_text(s, 5)) || cp_fw_set(&it->abbreviated, cp_col_text(s, 6)) ||
        cp_fw_set(&it->notes, cp_col_text(s, 7)) || cp_map_put(&index, key, i))
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    if (extra) {
      free(it->extra_json);
      it->extra_json = extra;
    }
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "loading framework items");
  sqlite3_reset(s);
  cp_map_free(&index);
  return rc;
}

int cp_framework_load(cp_store *st, const char *ref, cp_fw_doc **out, cp_error *err) {
  *out = NULL;
  int64_t fid;
  int rc = cp_framework_resolve(st, ref, &fid, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st,
                             "SELECT uuid, short_name, title, description, version, source_format, doc_json"
                             " FROM framework WHERE id=?1",
                             &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, fid);
  cp_fw_doc *doc = cp_fw_doc_new();
  if (!doc) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  else if (sqlite3_step(s) != SQLITE_ROW) rc = cp_store_db_error(st, err, "loading framework");
  else {
    snprintf(doc->uuid, sizeof doc->uuid, "%s", cp_col_text(s, 0));
    doc->source_format = strcmp(cp_col_text(s, 5), "moodle") == 0 ? CP_FW_MOODLE : CP_FW_CASE;
    if (cp_fw_set(&doc->short_name, cp_col_text(s, 1)) || cp_fw_set(&doc->title, cp_col_text(s, 2)) ||
        cp_fw_set(&doc->description, cp_col_text(s, 3)) || cp_fw_set(&doc->version, cp_col_text(s, 4)) ||
        cp_fw_set(&doc->doc_json, cp_col_text(s, 6)))
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  sqlite3_reset(s);
  if (!rc) rc = load_items(st, fid, doc, err);
  if (!rc) rc = cp_fw_doc_finish(doc, err);
  if (rc) {
    cp_fw_doc_free(doc);
    return rc;
  }
  *out = doc;
  return 0;
}

/* ---- save ---- */

/* A row of the item table of the framework being updated. */
typedef struct held_item {
  int64_t id, parent_id; /* parent_id 0 = none */
  char uuid[37];
  char *code, *item_type, *statement, *abbreviated, *notes, *applicability, *extra_json;
  int ord, seq, depth, gradeable, retired;
  int match;  /* index of the document item it becomes, or -1 */
  int fate;   /* for unmatched rows: 1 retire, 2 delete */
  int new_depth;
} held_item;

typedef struct saver {
  cp_store *st;
  cp_fw_doc *doc;
  cp_fw_save_result *res;
  cp_error *err;
  int64_t fid;
  held_item *held;
  size_t nheld;
  cp_map by_uuid, by_code, by_id; /* held rows: uuid / code / id -> index */
  cp_map doc_codes;               /* codes of the document's items */
  int64_t *row_id;                /* row id of each document item */
  char now[21];
  bool changed;
} saver;

static void saver_free(saver *sv) {
  for (size_t i = 0; i < sv->nheld; i++) {
    held_item *h = &sv->held[i];
    free(h->code);
    free(h->item_type);
    free(h->statement);
    free(h->abbreviated);
    free(h->notes);
    free(h->applicability);
    free(h->extra_json);
  }
  free(sv->held);
  free(sv->row_id);
  cp_map_free(&sv->by_uuid);
  cp_map_free(&sv->by_code);
  cp_map_free(&sv->by_id);
  cp_map_free(&sv->doc_codes);
}

static int oom(saver *sv) { return cp_error_set(sv->err, CP_ENOMEM, "out of memory"); }

static int held_add(saver *sv, sqlite3_stmt *s) {
  held_item *p = realloc(sv->held, (sv->nheld + 1) * sizeof *p);
  if (!p) return oom(sv);
  sv->held = p;
  held_item *h = &p[sv->nheld];
  memset(h, 0, sizeof *h);
  h->match = -1;
  h->id = sqlite3_column_int64(s, 0);
  snprintf(h->uuid, sizeof h->uuid, "%s", cp_col_text(s, 1));
  h->parent_id = sqlite3_column_int64(s, 2);
  h->ord = sqlite3_column_int(s, 3);
  h->seq = sqlite3_column_int(s, 4);
  h->depth = sqlite3_column_int(s, 5);
  h->gradeable = sqlite3_column_int(s, 13);
  h->retired = sqlite3_column_int(s, 14);
  h->code = cp_strdup(cp_col_text(s, 6));
  h->item_type = cp_strdup(cp_col_text(s, 7));
  h->statement = cp_strdup(cp_col_text(s, 8));
  h->abbreviated = cp_strdup(cp_col_text(s, 9));
  h->notes = cp_strdup(cp_col_text(s, 10));
  h->applicability = cp_strdup(cp_col_text(s, 11));
  h->extra_json = cp_strdup(cp_col_text(s, 12));
  sv->nheld++;
  char key[32];
  snprintf(key, sizeof key, "%lld", (long long)h->id);
  if (!h->code || !h->item_type || !h->statement || !h->abbreviated || !h->notes || !h->applicability ||
      !h->extra_json || cp_map_put(&sv->by_uuid, h->uuid, (int64_t)sv->nheld - 1) ||
      cp_map_put(&sv->by_code, h->code, (int64_t)sv->nheld - 1) ||
      cp_map_put(&sv->by_id, key, (int64_t)sv->nheld - 1))
    return oom(sv);
  return 0;
}

static int load_held(saver *sv) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st,
                            "SELECT id, uuid, coalesce(parent_id, 0), ord, seq, depth, code, item_type, statement,"
                            " abbreviated, notes, applicability, extra_json, gradeable, retired"
                            " FROM item WHERE framework_id=?1 ORDER BY ord, id",
                            &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, sv->fid);
  int r;
  while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) rc = held_add(sv, s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(sv->st, sv->err, "reading framework items");
  sqlite3_reset(s);
  return rc;
}

/* Find the framework the document updates, if any (sets sv->fid). */
static int find_target(saver *sv) {
  cp_fw_doc *doc = sv->doc;
  bool found = false;
  int64_t id;
  int rc = 0;
  if (doc->uuid[0] &&
      (rc = query_id(sv->st, "SELECT id FROM framework WHERE uuid=?1 COLLATE NOCASE", doc->uuid, NULL, &id, &found,
                     sv->err)))
    return rc;
  if (found) {
    sv->fid = id;
    return 0;
  }
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(sv->st, "SELECT id, uuid FROM framework WHERE short_name=?1", &s, sv->err))) return rc;
  cp_bind_text(s, 1, doc->short_name);
  if (sqlite3_step(s) == SQLITE_ROW) {
    if (doc->uuid[0] && doc->source_format == CP_FW_CASE)
      rc = cp_error_set(sv->err, CP_EEXISTS,
                        "framework %s: the short name is already used by another framework (identifier %s)",
                        doc->short_name, cp_col_text(s, 1));
    else {
      sv->fid = sqlite3_column_int64(s, 0);
      snprintf(doc->uuid, sizeof doc->uuid, "%s", cp_col_text(s, 1));
    }
  }
  sqlite3_reset(s);
  return rc;
}

/* Is the identifier held by any row of table (framework or item)? */
static int uuid_taken(saver *sv, bool item, const char *uuid, bool *taken) {
  int64_t id;
  return query_id(sv->st,
                  item ? "SELECT id FROM item WHERE uuid=?1 COLLATE NOCASE"
                       : "SELECT id FROM framework WHERE uuid=?1 COLLATE NOCASE",
                  uuid, NULL, &id, taken, sv->err);
}

/* Give a new row a fresh identifier: deterministic from name, else random. */
static int fresh_uuid(saver *sv, bool item, const char *name, char out[37]) {
  bool taken;
  cp_fw_uuid_for(out, name);
  int rc = uuid_taken(sv, item, out, &taken);
  while (!rc && taken) {
    cp_uuid_new(out);
    rc = uuid_taken(sv, item, out, &taken);
  }
  return rc;
}

static int match_items(saver *sv) {
  cp_fw_doc *doc = sv->doc;
  for (size_t i = 0; i < doc->nitems; i++) {
    cp_fw_item *it = &doc->items[i];
    int64_t h = -1;
    if (it->uuid[0] && !cp_map_get(&sv->by_uuid, it->uuid, &h)) h = -1;
    if (h < 0 && (!it->uuid[0] || doc->source_format == CP_FW_MOODLE) && !cp_map_get(&sv->by_code, it->code, &h))
      h = -1;
    if (h >= 0 && sv->held[h].match >= 0) h = -1;
    if (cp_map_put(&sv->doc_codes, it->code, (int64_t)i)) return oom(sv);
    if (h >= 0) {
      sv->held[h].match = (int)i;
      snprintf(it->uuid, sizeof it->uuid, "%s", sv->held[h].uuid);
      continue;
    }
    int rc;
    if (!it->uuid[0]) {
      char name[1024];
      snprintf(name, sizeof name, "cpdplan:moodle:%s:%s", doc->short_name, it->code);
      if ((rc = fresh_uuid(sv, true, name, it->uuid))) return rc;
      continue;
    }
    bool taken;
    if ((rc = uuid_taken(sv, true, it->uuid, &taken))) return rc;
    if (taken)
      return cp_error_set(sv->err, CP_EEXISTS, "item %s: identifier %s is already used by another framework",
                          it->code, it->uuid);
  }
  return 0;
}

static int insert_framework(saver *sv, const char *fmt) {
  cp_fw_doc *doc = sv->doc;
  sqlite3_stmt *s;
  int rc;
  if (!doc->uuid[0]) {
    char name[600];
    snprintf(name, sizeof name, "cpdplan:moodle:doc:%s", doc->short_name);
    if ((rc = fresh_uuid(sv, false, name, doc->uuid))) return rc;
  }
  char *dj = merge_sections(doc->doc_json, "{}", false);
  if (!dj) return oom(sv);
  rc = cp_store_prepare(sv->st,
                        "INSERT INTO framework(uuid, short_name, title, description, version, source_format,"
                        " doc_json, imported_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8)",
                        &s, sv->err);
  if (!rc) {
    const char *v[] = {doc->uuid, doc->short_name, doc->title, doc->description, doc->version, fmt, dj, sv->now};
    for (int i = 0; i < 8; i++) cp_bind_text(s, i + 1, v[i]);
    rc = step_done(sv->st, s, sv->err, "adding framework");
  }
  free(dj);
  if (!rc) sv->fid = sqlite3_last_insert_rowid(cp_store_db(sv->st));
  sv->res->created = 1;
  return rc;
}

static int update_framework(saver *sv, const char *fmt) {
  cp_fw_doc *doc = sv->doc;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st, "SELECT doc_json FROM framework WHERE id=?1", &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, sv->fid);
  char *held = sqlite3_step(s) == SQLITE_ROW ? cp_strdup(cp_col_text(s, 0)) : cp_strdup("{}");
  sqlite3_reset(s);
  char *dj = held ? merge_sections(doc->doc_json, held, false) : NULL;
  free(held);
  if (!dj) return oom(sv);
  rc = cp_store_prepare(sv->st,
                        "UPDATE framework SET short_name=?2, title=?3, description=?4, version=?5,"
                        " source_format=?6, doc_json=?7 WHERE id=?1 AND (short_name IS NOT ?2 OR title IS NOT ?3"
                        " OR description IS NOT ?4 OR version IS NOT ?5 OR source_format IS NOT ?6"
                        " OR doc_json IS NOT ?7)",
                        &s, sv->err);
  if (!rc) {
    sqlite3_bind_int64(s, 1, sv->fid);
    const char *v[] = {doc->short_name, doc->title, doc->description, doc->version, fmt, dj};
    for (int i = 0; i < 6; i++) cp_bind_text(s, i + 2, v[i]);
    rc = step_done(sv->st, s, sv->err, "updating framework");
  }
  free(dj);
  if (!rc && sqlite3_changes(cp_store_db(sv->st)) > 0) sv->changed = true;
  return rc;
}

static int write_framework(saver *sv) {
  const char *fmt = sv->doc->source_format == CP_FW_MOODLE ? "moodle" : "case";
  return sv->fid ? update_framework(sv, fmt) : insert_framework(sv, fmt);
}

static int set_code(saver *sv, int64_t id, const char *code) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st, "UPDATE item SET code=?2 WHERE id=?1", &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  cp_bind_text(s, 2, code);
  return step_done(sv->st, s, sv->err, "updating item code");
}

/* Move codes out of the way so that no write hits UNIQUE(framework, code)
 * half way: rows that change code, and rows leaving whose code is reused. */
static int park_codes(saver *sv) {
  for (size_t k = 0; k < sv->nheld; k++) {
    held_item *h = &sv->held[k];
    bool moves = h->match >= 0 ? strcmp(h->code, sv->doc->items[h->match].code) != 0
                               : cp_map_get(&sv->doc_codes, h->code, NULL);
    if (!moves) continue;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "\x01parked %lld", (long long)h->id);
    int rc = set_code(sv, h->id, tmp);
    if (rc) return rc;
  }
  return 0;
}

static bool item_content_differs(const held_item *h, const cp_fw_item *it, const char *app, int64_t parent) {
  return h->retired || strcmp(h->code, it->code) || strcmp(h->item_type, it->item_type) ||
         strcmp(h->statement, it->statement) || strcmp(h->abbreviated, it->abbreviated) ||
         strcmp(h->notes, it->notes) || strcmp(h->applicability, app) || h->parent_id != parent || h->seq != it->seq;
}

static void bind_item(sqlite3_stmt *s, const cp_fw_item *it, int ord, int64_t parent, const char *app,
                      const char *extra) {
  if (parent) sqlite3_bind_int64(s, 2, parent);
  else sqlite3_bind_null(s, 2);
  sqlite3_bind_int(s, 3, ord);
  sqlite3_bind_int(s, 4, it->seq);
  sqlite3_bind_int(s, 5, it->depth);
  cp_bind_text(s, 6, it->code);
  cp_bind_text(s, 7, it->item_type);
  cp_bind_text(s, 8, it->statement);
  cp_bind_text(s, 9, it->abbreviated);
  cp_bind_text(s, 10, it->notes);
  cp_bind_text(s, 11, app);
  sqlite3_bind_int(s, 12, it->gradeable);
  cp_bind_text(s, 13, extra);
}

static int insert_item(saver *sv, size_t i, int64_t parent, const char *app, const char *extra) {
  cp_fw_item *it = &sv->doc->items[i];
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st,
                            "INSERT INTO item(framework_id, parent_id, ord, seq, depth, code, item_type, statement,"
                            " abbreviated, notes, applicability, gradeable, extra_json, uuid, retired)"
                            " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,0)",
                            &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, sv->fid);
  bind_item(s, it, (int)i + 1, parent, app, extra);
  cp_bind_text(s, 14, it->uuid);
  if ((rc = step_done(sv->st, s, sv->err, "adding item"))) return rc;
  sv->row_id[i] = sqlite3_last_insert_rowid(cp_store_db(sv->st));
  sv->res->items_added++;
  sv->changed = true;
  return 0;
}

/* Update held row hd to document item i when anything differs; only a
 * change of content or place counts as "updated". */
static int update_item(saver *sv, size_t i, held_item *hd, int64_t parent, const char *app, const char *extra) {
  cp_fw_item *it = &sv->doc->items[i];
  sv->row_id[i] = hd->id;
  bool differs = item_content_differs(hd, it, app, parent);
  if (differs) sv->res->items_updated++;
  else sv->res->items_unchanged++;
  if (!differs && hd->ord == (int)i + 1 && hd->depth == it->depth && hd->gradeable == it->gradeable &&
      strcmp(hd->extra_json, extra) == 0)
    return 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st,
                            "UPDATE item SET parent_id=?2, ord=?3, seq=?4, depth=?5, code=?6, item_type=?7,"
                            " statement=?8, abbreviated=?9, notes=?10, applicability=?11, gradeable=?12,"
                            " extra_json=?13, retired=0 WHERE id=?1",
                            &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, hd->id);
  bind_item(s, it, (int)i + 1, parent, app, extra);
  sv->changed = true;
  return step_done(sv->st, s, sv->err, "updating item");
}

static int write_item(saver *sv, size_t i, const cp_applicability *eff) {
  cp_fw_item *it = &sv->doc->items[i];
  int64_t parent = it->parent >= 0 ? sv->row_id[it->parent] : 0, h = -1;
  const char *app = apply_name(eff[i]);
  if (!cp_map_get(&sv->by_uuid, it->uuid, &h) || sv->held[h].match != (int)i) h = -1;
  char *extra = merge_sections(it->extra_json, h >= 0 ? sv->held[h].extra_json : "{}",
                               it->applicability == CP_APPLY_INHERIT);
  if (!extra) return oom(sv);
  int rc = h < 0 ? insert_item(sv, i, parent, app, extra) : update_item(sv, i, &sv->held[h], parent, app, extra);
  free(extra);
  return rc;
}

static int has_grades(saver *sv, int64_t id, bool *graded) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st, "SELECT 1 FROM assessment WHERE item_id=?1 LIMIT 1", &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  int r = sqlite3_step(s);
  *graded = r == SQLITE_ROW;
  if (r != SQLITE_ROW && r != SQLITE_DONE) rc = cp_store_db_error(sv->st, sv->err, "reading assessments");
  sqlite3_reset(s);
  return rc;
}

/* Nearest ancestor of held row k that stays (kept or retired): its row id
 * and the depth a child of it has. */
static void surviving_parent(saver *sv, size_t k, int64_t *parent, int *depth) {
  int64_t pid = sv->held[k].parent_id, idx;
  char key[32];
  while (pid) {
    snprintf(key, sizeof key, "%lld", (long long)pid);
    if (!cp_map_get(&sv->by_id, key, &idx)) break;
    held_item *p = &sv->held[idx];
    if (p->match >= 0) {
      *parent = pid;
      *depth = sv->doc->items[p->match].depth + 1;
      return;
    }
    if (p->fate == 1) {
      *parent = pid;
      *depth = p->new_depth + 1;
      return;
    }
    pid = p->parent_id;
  }
  *parent = 0;
  *depth = 0;
}

static int retire(saver *sv, size_t k, int ord) {
  held_item *h = &sv->held[k];
  int64_t parent;
  surviving_parent(sv, k, &parent, &h->new_depth);
  char code[600];
  if (cp_map_get(&sv->doc_codes, h->code, NULL))
    snprintf(code, sizeof code, "%s (retired %lld)", h->code, (long long)h->id);
  else
    snprintf(code, sizeof code, "%s", h->code);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st,
                            "UPDATE item SET retired=1, gradeable=0, parent_id=?2, ord=?3, depth=?4, code=?5"
                            " WHERE id=?1",
                            &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, h->id);
  if (parent) sqlite3_bind_int64(s, 2, parent);
  else sqlite3_bind_null(s, 2);
  sqlite3_bind_int(s, 3, ord);
  sqlite3_bind_int(s, 4, h->new_depth);
  cp_bind_text(s, 5, code);
  if (!h->retired) {
    sv->res->items_retired++;
    sv->changed = true;
  }
  return step_done(sv->st, s, sv->err, "retiring item");
}

/* Rows the document no longer has: retire the graded ones, delete the rest. */
static int drop_missing(saver *sv) {
  int rc = 0, ord = (int)sv->doc->nitems;
  for (size_t k = 0; k < sv->nheld && !rc; k++) {
    held_item *h = &sv->held[k];
    if (h->match >= 0) continue;
    bool graded;
    if ((rc = has_grades(sv, h->id, &graded))) break;
    h->fate = graded || h->retired ? 1 : 2;
    if (h->fate == 1) rc = retire(sv, k, ++ord);
  }
  sqlite3_stmt *s;
  for (size_t k = sv->nheld; k-- > 0 && !rc;) { /* children first: no deep cascades */
    if (sv->held[k].match >= 0 || sv->held[k].fate != 2) continue;
    if ((rc = cp_store_prepare(sv->st, "DELETE FROM item WHERE id=?1", &s, sv->err))) break;
    sqlite3_bind_int64(s, 1, sv->held[k].id);
    rc = step_done(sv->st, s, sv->err, "removing item");
    sv->res->items_removed++;
    sv->changed = true;
  }
  return rc;
}

static int touch_framework(saver *sv) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(sv->st, "UPDATE framework SET updated_at=?2 WHERE id=?1", &s, sv->err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, sv->fid);
  cp_bind_text(s, 2, sv->now);
  return step_done(sv->st, s, sv->err, "updating framework");
}

static int save_items(saver *sv) {
  cp_fw_doc *doc = sv->doc;
  cp_applicability *eff = malloc((doc->nitems + 1) * sizeof *eff);
  sv->row_id = calloc(doc->nitems + 1, sizeof *sv->row_id);
  if (!eff || !sv->row_id) {
    free(eff);
    return oom(sv);
  }
  for (size_t i = 0; i < doc->nitems; i++) eff[i] = cp_fw_doc_applicability(doc, i);
  int rc = park_codes(sv);
  for (size_t i = 0; i < doc->nitems && !rc; i++) rc = write_item(sv, i, eff);
  free(eff);
  if (!rc) rc = drop_missing(sv);
  if (!rc && sv->changed && !sv->res->created) rc = touch_framework(sv);
  return rc;
}

static int check_doc(const cp_fw_doc *doc, cp_error *err) {
  if (cp_is_blank(doc->short_name)) return cp_error_set(err, CP_EINVAL, "framework has no short name");
  if (!doc->title) return cp_error_set(err, CP_EINVAL, "framework %s has no title", doc->short_name);
  cp_map codes;
  cp_map_init(&codes, false);
  int rc = 0;
  for (size_t i = 0; i < doc->nitems && !rc; i++) {
    const cp_fw_item *it = &doc->items[i];
    if (cp_is_blank(it->code)) rc = cp_error_set(err, CP_EINVAL, "framework %s: item %zu has no code", doc->short_name, i + 1);
    else if (cp_map_get(&codes, it->code, NULL))
      rc = cp_error_set(err, CP_EEXISTS, "framework %s: duplicate code %s", doc->short_name, it->code);
    else if (cp_map_put(&codes, it->code, 1)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  cp_map_free(&codes);
  return rc;
}

static int save_body(saver *sv) {
  int rc = cp_fw_doc_finish(sv->doc, sv->err);
  if (!rc) rc = check_doc(sv->doc, sv->err);
  if (!rc) rc = find_target(sv);
  if (!rc && sv->fid) rc = load_held(sv);
  if (!rc) rc = match_items(sv);
  if (!rc) rc = write_framework(sv);
  if (!rc) rc = save_items(sv);
  return rc;
}

int cp_framework_save(cp_store *st, cp_fw_doc *doc, cp_fw_save_result *res, cp_error *err) {
  cp_fw_save_result local;
  if (!res) res = &local;
  memset(res, 0, sizeof *res);
  saver sv = {0};
  sv.st = st;
  sv.doc = doc;
  sv.res = res;
  sv.err = err;
  cp_map_init(&sv.by_uuid, true);
  cp_map_init(&sv.by_code, false);
  cp_map_init(&sv.by_id, false);
  cp_map_init(&sv.doc_codes, false);
  cp_now_utc(sv.now);
  int rc = cp_store_begin(st, err);
  if (!rc) {
    rc = save_body(&sv);
    if (!rc) rc = cp_store_commit(st, err);
    else cp_store_rollback(st);
  }
  if (!rc) res->framework_id = sv.fid;
  else memset(res, 0, sizeof *res);
  saver_free(&sv);
  return rc;
}

/* ---- the shipped frameworks ---- */

int cp_framework_install_shipped(cp_store *st, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  for (const cp_embedded_file *f = cp_embedded_frameworks; f->name && !rc; f++) {
    char name[300];
    snprintf(name, sizeof name, "frameworks/%s", f->name);
    cp_fw_doc *doc = NULL;
    rc = cp_fw_parse_case(name, f->data, f->size, &doc, err);
    if (!rc) rc = cp_framework_save(st, doc, NULL, err);
    cp_fw_doc_free(doc);
  }
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

json_t *cp_fw_section(const char *stored, const char *format) {
  json_t *j = stored ? json_loads(stored, 0, NULL) : NULL;
  json_t *s = json_is_object(j) ? json_object_get(j, format) : NULL;
  if (json_is_object(s)) json_incref(s);
  else s = NULL;
  json_decref(j);
  return s;
}
