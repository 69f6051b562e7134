/* plugins_enabled.h: the local rule plugins a database runs after the
 * default rules, in order, each with its options (ctx.options). A plugin is
 * checked by loading it before it is recorded; "default" stands for the
 * built-in default rules, whose options can be set the same way. */
#ifndef CPDPLAN_PLUGINS_ENABLED_H
#define CPDPLAN_PLUGINS_ENABLED_H

#include <stddef.h>

#include "cpdplan/error.h"
#include "cpdplan/plugin.h"
#include "cpdplan/store.h"

typedef struct cp_enabled_plugin {
  char *path;         /* absolute path, or "default" */
  char *name, *version;
  char *options_json; /* NULL when none */
  char *enabled_at;   /* UTC time */
  int position;
} cp_enabled_plugin;

/* Enabled plugins in load order (caller frees with cp_enabled_plugins_free). */
int cp_plugins_enabled(cp_store *st, cp_enabled_plugin **out, size_t *n, cp_error *err);
void cp_enabled_plugins_free(cp_enabled_plugin *v, size_t n);

/* Enable the plugin at path (made absolute) after those enabled, or change
 * the options of one already enabled (keeping its place). The plugin is
 * loaded first under lim (NULL: defaults) and refused with the loader's
 * message if it does not load. *name_out (may be NULL) gets its name. */
int cp_plugins_enable(cp_store *st, const char *path, const char *options_json, const cp_plugin_limits *lim,
                      char **name_out, cp_error *err);
/* Disable by path (as given or absolute) or by the plugin's name. */
int cp_plugins_disable(cp_store *st, const char *ref, cp_error *err);

#endif
