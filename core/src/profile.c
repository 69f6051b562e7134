/* profile.c: computing who is graded on what. The profile index loads the
 * framework items (with parents, effective applicability), service adoptions,
 * post agreements and person changes once and caches each (service, post)
 * profile as a bitset; profile show/add/remove sit on top of it. Of a
 * person's changes the one on the nearest enclosing item decides, and a
 * change on a grouping replaces the earlier changes on the items under it, so
 * the latest change always wins. cp_profile_index_source returns CP_ENOMEM
 * (negative) when it cannot build a profile. */
#include "cpdplan/profile.h"

#include "cpdplan/framework.h"
#include "profile_index.h"
#include "store_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct ix_item {
  int64_t framework_id;
  int64_t parent_id;
  unsigned char agreed;    /* effective applicability is 'agreed' */
  unsigned char gradeable; /* statement, not retired */
  unsigned char present;
} ix_item;

typedef struct combo {
  int64_t service_id, post_id;
  unsigned char *src; /* per item id: 0 none, CP_PROFILE_ALL, CP_PROFILE_POST */
} combo;

typedef struct change {
  int64_t person_id, item_id;
  int add;
} change;

struct cp_profile_index {
  ix_item *items;   /* indexed by item id */
  int64_t max_id;
  int64_t *sf;      /* adoptions: pairs (service_id, framework_id) */
  size_t nsf;
  int64_t *pi;      /* post agreements: pairs (post_id, item_id) */
  size_t npi;
  change *changes;  /* sorted by person_id */
  size_t nchanges;
  combo *combos;
  size_t ncombos, capcombos;
  size_t last; /* index of the combo used last */
};

void cp_profile_index_free(cp_profile_index *ix) {
  if (!ix) return;
  for (size_t i = 0; i < ix->ncombos; i++) free(ix->combos[i].src);
  free(ix->combos);
  free(ix->items);
  free(ix->sf);
  free(ix->pi);
  free(ix->changes);
  free(ix);
}

static int load_pairs(cp_store *st, const char *sql, int64_t **out, size_t *n, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, 2 * sizeof **out, 64)) { /* pairs */
      sqlite3_reset(s);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    (*out)[2 * *n] = sqlite3_column_int64(s, 0);
    (*out)[2 * *n + 1] = sqlite3_column_int64(s, 1);
    (*n)++;
  }
  sqlite3_reset(s);
  return r == SQLITE_DONE ? 0 : cp_store_db_error(st, err, "reading profiles");
}

static int cmp_change(const void *a, const void *b) {
  const change *x = a, *y = b;
  return x->person_id < y->person_id ? -1 : x->person_id > y->person_id;
}

int cp_profile_index_load(cp_store *st, cp_profile_index **out, cp_error *err) {
  *out = NULL;
  cp_profile_index *ix = calloc(1, sizeof *ix);
  if (!ix) return cp_error_set(err, CP_ENOMEM, "out of memory");
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT coalesce(max(id), 0) FROM item", &s, err);
  if (!rc) {
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) ix->max_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (r != SQLITE_ROW) rc = cp_store_db_error(st, err, "reading items");
  }
  if (!rc) {
    ix->items = calloc((size_t)ix->max_id + 1, sizeof *ix->items);
    if (!ix->items) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  if (!rc)
    rc = cp_store_prepare(st,
                          "SELECT id, framework_id, coalesce(parent_id, 0), applicability='agreed', gradeable AND NOT "
                          "retired FROM item ORDER BY framework_id, ord",
                          &s, err);
  if (!rc) {
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
      int64_t id = sqlite3_column_int64(s, 0);
      if (id < 0 || id > ix->max_id) continue;
      ix_item *it = &ix->items[id];
      it->framework_id = sqlite3_column_int64(s, 1);
      it->parent_id = sqlite3_column_int64(s, 2);
      it->agreed = (unsigned char)sqlite3_column_int(s, 3);
      it->gradeable = (unsigned char)sqlite3_column_int(s, 4);
      it->present = 1;
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading items");
  }
  /* effective applicability: agreed if the item or any ancestor is agreed
   * (parents come before children in ord, but walk to be safe) */
  for (int64_t id = 1; !rc && id <= ix->max_id; id++) {
    ix_item *it = &ix->items[id];
    if (!it->present || it->agreed) continue;
    for (int64_t p = it->parent_id, guard = 0; p > 0 && p <= ix->max_id && guard < 64; guard++) {
      if (ix->items[p].agreed) {
        it->agreed = 1;
        break;
      }
      p = ix->items[p].parent_id;
    }
  }
  if (!rc) rc = load_pairs(st, "SELECT service_id, framework_id FROM service_framework", &ix->sf, &ix->nsf, err);
  if (!rc) rc = load_pairs(st, "SELECT post_id, item_id FROM post_item", &ix->pi, &ix->npi, err);
  if (!rc) {
    int64_t *pairs = NULL;
    size_t n = 0;
    rc = load_pairs(st, "SELECT person_id, item_id * CASE mode WHEN 'add' THEN 1 ELSE -1 END FROM person_item",
                    &pairs, &n, err);
    if (!rc && n) {
      ix->changes = malloc(n * sizeof *ix->changes);
      if (!ix->changes) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      for (size_t i = 0; !rc && i < n; i++) {
        ix->changes[i].person_id = pairs[2 * i];
        int64_t v = pairs[2 * i + 1];
        ix->changes[i].item_id = v < 0 ? -v : v;
        ix->changes[i].add = v > 0;
      }
      if (!rc) {
        ix->nchanges = n;
        qsort(ix->changes, n, sizeof *ix->changes, cmp_change);
      }
    }
    free(pairs);
  }
  if (rc) {
    cp_profile_index_free(ix);
    return rc;
  }
  *out = ix;
  return 0;
}

bool cp_profile_index_gradeable(const cp_profile_index *ix, int64_t id) {
  return id > 0 && id <= ix->max_id && ix->items[id].present && ix->items[id].gradeable;
}

bool cp_profile_index_has_changes(const cp_profile_index *ix, int64_t person_id) {
  size_t lo = 0, hi = ix->nchanges;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (ix->changes[mid].person_id < person_id) lo = mid + 1;
    else hi = mid;
  }
  return lo < ix->nchanges && ix->changes[lo].person_id == person_id;
}

/* Steps from item up to x (0 when item is x), or -1 when item is not under x. */
static int distance(const cp_profile_index *ix, int64_t item, int64_t x) {
  for (int steps = 0; item > 0 && item <= ix->max_id && steps < 64; steps++) {
    if (item == x) return steps;
    item = ix->items[item].parent_id;
  }
  return -1;
}

/* True if item is x or lies under x. */
static bool under(const cp_profile_index *ix, int64_t item, int64_t x) { return distance(ix, item, x) >= 0; }

static combo *get_combo(cp_profile_index *ix, int64_t service_id, int64_t post_id) {
  if (ix->last < ix->ncombos && ix->combos[ix->last].service_id == service_id &&
      ix->combos[ix->last].post_id == post_id)
    return &ix->combos[ix->last];
  for (size_t i = 0; i < ix->ncombos; i++)
    if (ix->combos[i].service_id == service_id && ix->combos[i].post_id == post_id) {
      ix->last = i;
      return &ix->combos[i];
    }
  if (cp_grow(&ix->combos, ix->ncombos, &ix->capcombos, sizeof *ix->combos, 32)) return NULL;
  unsigned char *src = calloc((size_t)ix->max_id + 1, 1);
  if (!src) return NULL;
  for (int64_t id = 1; id <= ix->max_id; id++) {
    const ix_item *it = &ix->items[id];
    if (!it->present || !it->gradeable) continue;
    bool adopted = false;
    for (size_t k = 0; k < ix->nsf && !adopted; k++)
      adopted = ix->sf[2 * k] == service_id && ix->sf[2 * k + 1] == it->framework_id;
    if (!adopted) continue;
    if (!it->agreed) {
      src[id] = CP_PROFILE_ALL;
      continue;
    }
    for (size_t k = 0; k < ix->npi; k++)
      if (ix->pi[2 * k] == post_id && under(ix, id, ix->pi[2 * k + 1])) {
        src[id] = CP_PROFILE_POST;
        break;
      }
  }
  combo *c = &ix->combos[ix->ncombos++];
  c->service_id = service_id;
  c->post_id = post_id;
  c->src = src;
  return c;
}

int cp_profile_index_source(cp_profile_index *ix, int64_t person_id, int64_t service_id, int64_t post_id,
                            int64_t item_id) {
  if (!cp_profile_index_gradeable(ix, item_id)) return 0;
  combo *c = get_combo(ix, service_id, post_id);
  if (!c) return CP_ENOMEM;
  int src = c->src[item_id];
  /* per-person changes: binary search the first change of the person */
  size_t lo = 0, hi = ix->nchanges;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (ix->changes[mid].person_id < person_id) lo = mid + 1;
    else hi = mid;
  }
  int best = -1, add = 0; /* the change on the nearest enclosing item decides */
  for (size_t i = lo; i < ix->nchanges && ix->changes[i].person_id == person_id; i++) {
    int d = distance(ix, item_id, ix->changes[i].item_id);
    if (d < 0 || (best >= 0 && d >= best)) continue;
    best = d;
    add = ix->changes[i].add;
  }
  if (best < 0) return src;
  if (!add) return 0;
  return src ? src : CP_PROFILE_ADDED;
}

/* ---------- one person's profile ---------- */

const char *cp_profile_source_name(cp_profile_source s) {
  switch (s) {
  case CP_PROFILE_ALL: return "all posts";
  case CP_PROFILE_POST: return "agreed for post";
  case CP_PROFILE_ADDED: return "agreed for person";
  default: return "";
  }
}

static int person_keys(cp_store *st, const char *ref, int64_t *pid, int64_t *sid, int64_t *post, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT id, coalesce(service_id,0), coalesce(post_id,0) FROM person WHERE email=?1 OR "
                            "uuid=lower(?1)",
                            &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, ref);
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) {
    *pid = sqlite3_column_int64(s, 0);
    *sid = sqlite3_column_int64(s, 1);
    *post = sqlite3_column_int64(s, 2);
  } else if (r == SQLITE_DONE) {
    rc = cp_error_set(err, CP_ENOTFOUND, "no person %s", ref);
  } else {
    rc = cp_store_db_error(st, err, "reading person");
  }
  sqlite3_reset(s);
  return rc;
}

void cp_profile_free(cp_profile_entry *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) {
    free(list[i].code);
    free(list[i].statement);
    free(list[i].framework);
    free(list[i].dimension_code);
    free(list[i].dimension);
    free(list[i].element);
  }
  free(list);
}

int cp_profile_get(cp_store *st, const char *person, cp_profile_entry **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  int64_t pid, sid, post;
  int rc = person_keys(st, person, &pid, &sid, &post, err);
  if (rc) return rc;
  cp_profile_index *ix;
  if ((rc = cp_profile_index_load(st, &ix, err))) return rc;
  sqlite3_stmt *s = NULL;
  rc = cp_store_prepare(st,
                        "WITH RECURSIVE up(id, top, depth) AS (SELECT id, id, 0 FROM item WHERE parent_id IS NULL "
                        "UNION ALL SELECT i.id, up.top, up.depth+1 FROM item i JOIN up ON i.parent_id=up.id) "
                        "SELECT i.id, i.code, i.statement, f.short_name, t.code, t.statement, "
                        "CASE WHEN par.id IS NOT NULL AND par.id<>t.id THEN par.statement ELSE '' END "
                        "FROM item i JOIN up ON up.id=i.id JOIN item t ON t.id=up.top JOIN framework f ON "
                        "f.id=i.framework_id LEFT JOIN item par ON par.id=i.parent_id "
                        "WHERE i.gradeable AND NOT i.retired ORDER BY f.short_name, i.ord",
                        &s, err);
  size_t cap = 0;
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(s, 0);
    int src = cp_profile_index_source(ix, pid, sid, post, id);
    if (src < 0) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    if (!src) continue;
    if (cp_grow(out, *n, &cap, sizeof **out, 64)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    cp_profile_entry *e = &(*out)[(*n)++];
    e->item_id = id;
    e->code = cp_strdup(cp_col_text(s, 1));
    e->statement = cp_strdup(cp_col_text(s, 2));
    e->framework = cp_strdup(cp_col_text(s, 3));
    e->dimension_code = cp_strdup(cp_col_text(s, 4));
    e->dimension = cp_strdup(cp_col_text(s, 5));
    e->element = cp_strdup(cp_col_text(s, 6));
    e->source = (cp_profile_source)src;
    if (!e->code || !e->statement || !e->framework || !e->dimension_code || !e->dimension || !e->element)
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  if (!rc && r != SQLITE_DONE && r != SQLITE_ROW) rc = cp_store_db_error(st, err, "reading profile");
  if (s) sqlite3_reset(s);
  cp_profile_index_free(ix);
  if (rc) {
    cp_profile_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

/* Run a person_item statement with person ?1, item ?2 and (if it has one) mode ?3. */
static int person_item_run(cp_store *st, const char *sql, int64_t pid, int64_t iid, const char *mode, int *changes,
                           cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, pid);
  sqlite3_bind_int64(s, 2, iid);
  if (mode) cp_bind_text(s, 3, mode);
  int r = sqlite3_step(s);
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "changing profile");
  if (changes) *changes = sqlite3_changes(cp_store_db(st));
  return 0;
}

/* Record the change: an opposite change on the same item cancels (else the
 * change is kept), and the changes on items under it are superseded. */
static int record_change(cp_store *st, int64_t pid, int64_t iid, bool add, cp_error *err) {
  int cancelled = 0;
  int rc = person_item_run(st, "DELETE FROM person_item WHERE person_id=?1 AND item_id=?2 AND mode=?3", pid, iid,
                           add ? "remove" : "add", &cancelled, err);
  if (!rc && !cancelled)
    rc = person_item_run(st, "INSERT OR IGNORE INTO person_item(person_id, item_id, mode) VALUES(?1,?2,?3)", pid,
                         iid, add ? "add" : "remove", NULL, err);
  if (!rc)
    rc = person_item_run(st,
                         "DELETE FROM person_item WHERE person_id=?1 AND item_id IN (WITH RECURSIVE d(id) AS "
                         "(SELECT id FROM item WHERE parent_id=?2 UNION ALL SELECT i.id FROM item i JOIN d ON "
                         "i.parent_id=d.id) SELECT id FROM d)",
                         pid, iid, NULL, NULL, err);
  return rc;
}

static int change_profile(cp_store *st, const char *person, const char *item, bool add, cp_error *err) {
  int64_t pid, sid, post, iid;
  int rc = person_keys(st, person, &pid, &sid, &post, err);
  if (!rc) rc = cp_framework_find_item(st, item, &iid, err);
  if (rc) return rc;
  if ((rc = cp_store_begin(st, err))) return rc;
  rc = record_change(st, pid, iid, add, err);
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

int cp_profile_add(cp_store *st, const char *person, const char *item, cp_error *err) {
  return change_profile(st, person, item, true, err);
}

int cp_profile_remove(cp_store *st, const char *person, const char *item, cp_error *err) {
  return change_profile(st, person, item, false, err);
}
