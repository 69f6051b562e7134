/* plugins_enabled.c: the plugin table: which local plugins run, in which
 * order and with which options. Enabling loads the plugin in a scratch host
 * (so a broken plugin is refused with its loader message) before anything is
 * written; the options must be JSON. */
#define _DEFAULT_SOURCE /* realpath */
#include "cpdplan/plugins_enabled.h"

#include "cpdplan/rules.h"
#include "store_internal.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void cp_enabled_plugins_free(cp_enabled_plugin *v, size_t n) {
  for (size_t i = 0; v && i < n; i++) {
    free(v[i].path);
    free(v[i].name);
    free(v[i].version);
    free(v[i].options_json);
    free(v[i].enabled_at);
  }
  free(v);
}

int cp_plugins_enabled(cp_store *st, cp_enabled_plugin **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT path, name, version, options_json, enabled_at, position FROM plugin ORDER BY position",
                            &s, err);
  if (rc) return rc;
  cp_enabled_plugin *v = NULL;
  size_t cnt = 0, cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(&v, cnt, &cap, sizeof *v, 8)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    cp_enabled_plugin *p = &v[cnt++];
    memset(p, 0, sizeof *p);
    p->path = cp_strdup(cp_col_text(s, 0));
    p->name = cp_strdup(cp_col_text(s, 1));
    p->version = cp_strdup(cp_col_text(s, 2));
    p->options_json = sqlite3_column_type(s, 3) == SQLITE_NULL ? NULL : cp_strdup(cp_col_text(s, 3));
    p->enabled_at = cp_strdup(cp_col_text(s, 4));
    p->position = sqlite3_column_int(s, 5);
    if (!p->path || !p->name || !p->version || !p->enabled_at ||
        (sqlite3_column_type(s, 3) != SQLITE_NULL && !p->options_json)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  }
  sqlite3_reset(s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading plugins");
  if (rc) {
    cp_enabled_plugins_free(v, cnt);
    return rc;
  }
  *out = v;
  *n = cnt;
  return 0;
}

/* Load the plugin (or the default rules with options) to check it. */
static int check_loads(const char *path, const char *options_json, const cp_plugin_limits *lim, char **name,
                       char **version, cp_error *err) {
  cp_plugin_host *h = NULL;
  int rc = cp_plugin_host_new(&h, lim, err);
  if (rc) return rc;
  if (strcmp(path, "default") == 0)
    rc = cp_plugin_load_text(h, cp_rules_default_name, cp_rules_default_text(), options_json, err);
  else rc = cp_plugin_load_file(h, path, options_json, err);
  const char *nm = NULL, *ver = NULL;
  if (!rc && cp_plugin_info(h, cp_plugin_count(h) - 1, NULL, &nm, &ver, NULL) == 0) {
    *name = cp_strdup(nm);
    *version = cp_strdup(ver);
    if (!*name || !*version) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  cp_plugin_host_free(h);
  return rc;
}

int cp_plugins_enable(cp_store *st, const char *path, const char *options_json, const cp_plugin_limits *lim,
                      char **name_out, cp_error *err) {
  if (name_out) *name_out = NULL;
  if (!path || !*path) return cp_error_set(err, CP_EINVAL, "plugin enable: no file given");
  char abs[PATH_MAX];
  if (strcmp(path, "default") == 0) snprintf(abs, sizeof abs, "default");
  else if (!realpath(path, abs))
    return cp_error_set_at(err, CP_EIO, path, 0, 0, "plugin %s: cannot open %s: %s", path, path, strerror(errno));
  if (options_json) {
    json_error_t je;
    json_t *j = json_loads(options_json, JSON_DECODE_ANY, &je);
    if (!j) return cp_error_set(err, CP_EPARSE, "plugin %s: options: %s (column %d)", path, je.text, je.column);
    json_decref(j);
  }
  char *name = NULL, *version = NULL;
  int rc = check_loads(abs, options_json, lim, &name, &version, err);
  if (rc && strcmp(abs, path) != 0 && err) {
    /* report the path as the user gave it */
    char *m = cp_strdup(err->msg);
    const char *at = m ? strstr(m, abs) : NULL;
    if (at) {
      cp_buf b;
      cp_buf_init(&b);
      cp_buf_append(&b, m, (size_t)(at - m));
      cp_buf_puts(&b, path);
      cp_buf_puts(&b, at + strlen(abs));
      if (!b.oom) snprintf(err->msg, sizeof err->msg, "%s", b.data);
      if (!b.oom && err->file[0]) snprintf(err->file, sizeof err->file, "%s", path);
      cp_buf_free(&b);
    }
    free(m);
  }
  char now[21];
  cp_now_utc(now);
  sqlite3_stmt *s;
  if (!rc) rc = cp_store_begin(st, err);
  if (!rc) {
    int began = 1;
    rc = cp_store_prepare(st,
                          "INSERT INTO plugin(path, name, version, options_json, position, enabled_at) VALUES(?1, ?2, ?3,"
                          " ?4, CASE WHEN ?1='default' THEN 0 ELSE (SELECT coalesce(max(position), 0) + 1 FROM plugin) END, ?5)"
                          " ON CONFLICT(path) DO UPDATE SET name=excluded.name, version=excluded.version,"
                          " options_json=excluded.options_json, enabled_at=excluded.enabled_at",
                          &s, err);
    if (!rc) {
      cp_bind_text(s, 1, abs);
      cp_bind_text(s, 2, name);
      cp_bind_text(s, 3, version);
      cp_bind_text(s, 4, options_json);
      cp_bind_text(s, 5, now);
      if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "enabling the plugin");
      sqlite3_reset(s);
    }
    if (!rc) rc = cp_store_commit(st, err);
    else if (began) cp_store_rollback(st);
  }
  if (!rc && name_out) {
    *name_out = name;
    name = NULL;
  }
  free(name);
  free(version);
  return rc;
}

int cp_plugins_disable(cp_store *st, const char *ref, cp_error *err) {
  if (!ref || !*ref) return cp_error_set(err, CP_EINVAL, "plugin disable: no plugin given");
  char abs[PATH_MAX];
  const char *full = realpath(ref, abs) ? abs : ref;
  sqlite3_stmt *s;
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  rc = cp_store_prepare(st, "DELETE FROM plugin WHERE path=?1 OR path=?2 OR name=?2", &s, err);
  if (!rc) {
    cp_bind_text(s, 1, full);
    cp_bind_text(s, 2, ref);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "disabling the plugin");
    sqlite3_reset(s);
    if (!rc && sqlite3_changes(cp_store_db(st)) == 0)
      rc = cp_error_set(err, CP_ENOTFOUND, "no enabled plugin \"%s\" (see cpdplan plugin list)", ref);
  }
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}
