/* plugin.h: the Lua 5.4 plugin host (design: "Plugin contract (API version 1)").
 * A cp_plugin_host owns one sandboxed lua_State under a memory cap; plugins are
 * loaded as text into their own environments, later hooks replace earlier ones
 * (reachable as ctx.previous), and every hook call runs under an instruction
 * budget and a wall-clock deadline. Values cross the boundary as cp_lval trees. */
#ifndef CPDPLAN_PLUGIN_H
#define CPDPLAN_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"

#define CP_PLUGIN_API 1
#define CP_PLUGIN_LIMITS_VERSION 1

/* Resource limits; a 0 field takes the default. */
typedef struct cp_plugin_limits {
  unsigned version;      /* CP_PLUGIN_LIMITS_VERSION */
  uint64_t instructions; /* VM instructions per call (default 10,000,000) */
  size_t memory;         /* bytes for the whole Lua state (default 64 MiB) */
  unsigned wall_ms;      /* wall-clock milliseconds per call (default 2000) */
} cp_plugin_limits;
#define CP_PLUGIN_LIMITS_INIT {CP_PLUGIN_LIMITS_VERSION, 0, 0, 0}

typedef enum cp_lval_kind {
  CP_LVAL_NIL = 0,
  CP_LVAL_BOOL,
  CP_LVAL_NUMBER,
  CP_LVAL_STRING,
  CP_LVAL_LIST,  /* items[0..n-1] (a Lua sequence 1..n) */
  CP_LVAL_MAP,   /* keys[i] -> items[i] (string keys) */
  CP_LVAL_MULTI  /* result only: a hook returned several values, items[0..n-1] */
} cp_lval_kind;

/* A small value tree. As arguments the caller owns everything (nothing is
 * copied or kept); as results the host allocates and cp_lval_clear frees. */
typedef struct cp_lval {
  cp_lval_kind kind;
  int b;                 /* BOOL */
  double num;            /* NUMBER (always finite) */
  const char *str;       /* STRING, NUL-terminated; len bytes */
  size_t len;
  struct cp_lval *items; /* LIST, MAP, MULTI */
  const char **keys;     /* MAP only */
  size_t n;
} cp_lval;

static inline cp_lval cp_lval_nil(void) { cp_lval v = {CP_LVAL_NIL, 0, 0, NULL, 0, NULL, NULL, 0}; return v; }
static inline cp_lval cp_lval_bool(int b) { cp_lval v = cp_lval_nil(); v.kind = CP_LVAL_BOOL; v.b = !!b; return v; }
static inline cp_lval cp_lval_num(double x) { cp_lval v = cp_lval_nil(); v.kind = CP_LVAL_NUMBER; v.num = x; return v; }
cp_lval cp_lval_str(const char *s); /* len = strlen(s) */
static inline cp_lval cp_lval_list(cp_lval *items, size_t n) {
  cp_lval v = cp_lval_nil(); v.kind = CP_LVAL_LIST; v.items = items; v.n = n; return v;
}
static inline cp_lval cp_lval_map(const char **keys, cp_lval *items, size_t n) {
  cp_lval v = cp_lval_nil(); v.kind = CP_LVAL_MAP; v.keys = keys; v.items = items; v.n = n; return v;
}
/* Free a result filled by cp_plugin_call and reset it to nil. NULL is accepted. */
void cp_lval_clear(cp_lval *v);
/* The value under key in a MAP, or NULL. */
const cp_lval *cp_lval_get(const cp_lval *map, const char *key);

typedef struct cp_plugin_host cp_plugin_host;

/* New host; lim may be NULL for the defaults. */
int cp_plugin_host_new(cp_plugin_host **out, const cp_plugin_limits *lim, cp_error *err);
void cp_plugin_host_free(cp_plugin_host *host);

/* Load a plugin file (text only, chunk name "@path"). options_json, if not
 * NULL, is a JSON value the plugin sees (frozen) as ctx.options. Errors are
 * CP_EIO, CP_EINVAL ("plugin FILE[:LINE]: ..."), CP_EPARSE (bad options),
 * CP_ELIMIT (budget or memory). On failure no hook of the plugin is kept. */
int cp_plugin_load_file(cp_plugin_host *host, const char *path, const char *options_json, cp_error *err);
/* Same from memory; chunkname is used as the FILE in messages. */
int cp_plugin_load_string(cp_plugin_host *host, const char *chunkname, const char *text, cp_error *err);
/* Same with options (as for cp_plugin_load_file). */
int cp_plugin_load_text(cp_plugin_host *host, const char *chunkname, const char *text, const char *options_json,
                        cp_error *err);

/* Plugins loaded, in load order, and what each declared. Strings belong to
 * the host. hooks is a bit set over needs, eligible, score_activity,
 * score_mentor, induction (bit 0 = needs). Returns CP_ENOTFOUND past the end. */
size_t cp_plugin_count(const cp_plugin_host *host);
int cp_plugin_info(const cp_plugin_host *host, size_t i, const char **path, const char **name, const char **version,
                   unsigned *hooks);

/* True if some loaded plugin provides hook. */
int cp_plugin_has_hook(const cp_plugin_host *host, const char *hook);

/* Call hook (needs, eligible, score_activity, score_mentor, induction).
 * args are the hook's arguments before ctx (1 for needs/induction, 2 for the
 * others); an optional extra MAP argument supplies ctx fields (needs, cycle,
 * date). Tables reach the plugin read-only. *result receives the returned
 * value (nil if none), or a CP_LVAL_MULTI when several were returned; free it
 * with cp_lval_clear. person_label names the person in error messages (may
 * be NULL). Errors: CP_ENOTFOUND (no such hook), CP_EINVAL (runtime error or
 * a result that is not plain data: function, NaN, inf, cycle...), CP_ELIMIT. */
int cp_plugin_call(cp_plugin_host *host, const char *hook, const cp_lval *args, size_t nargs,
                   cp_lval *result, const char *person_label, cp_error *err);

/* The Lua traceback of the last failed call or load ("" if none). */
const char *cp_plugin_last_traceback(const cp_plugin_host *host);
/* Bytes the Lua state holds now. */
size_t cp_plugin_memory_used(const cp_plugin_host *host);

#endif
