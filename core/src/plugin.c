/* plugin.c: the Lua plugin host: one lua_State per host under a counting
 * allocator, plugins loaded as text into their own environment over a frozen
 * library table, hooks kept as registry refs (chained for ctx.previous), and
 * calls run with lua_pcall under an instruction budget and a deadline.
 * Sandbox choices (what a plugin sees) are listed above open_sandbox(). */
#include "cpdplan/plugin.h"

#include "plugin_internal.h"

#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

#define HOOK_COUNT 5
#define COUNT_STEP 1000
#define MAX_DEPTH 32
#define MAX_RESULT_TABLES 100000

static const char *const hook_names[HOOK_COUNT] = {"needs", "eligible", "score_activity",
                                                   "score_mentor", "induction"};
static const int hook_arity[HOOK_COUNT] = {1, 2, 2, 2, 1};

typedef struct plugin_rec {
  char *path;
  char *name, *version;
  int options_ref; /* frozen table/value or LUA_NOREF */
  int strength_pairs; /* mentor_pairs: 0 none, 1 "strengths", 2 "strengths in service", -1 a function */
  int pairs_fn_ref;   /* the mentor_pairs function, or LUA_NOREF */
} plugin_rec;

typedef struct hook_entry {
  int fn_ref;
  int ctx_ref;  /* the frozen ctx this level sees (options, previous) */
  long line;    /* where the function is defined */
  size_t plugin;
} hook_entry;

struct cp_plugin_host {
  lua_State *L;
  size_t mem_used, mem_limit;
  int mem_hit;
  uint64_t budget, used;
  unsigned wall_ms;
  struct timespec deadline;
  int deadline_set; /* the call's deadline is set (by its first count hook) */
  int stop; /* 1 instructions, 2 time */
  unsigned long calls;
  size_t conv_nodes; /* values converted for the current result */
  int ro_newindex_ref, ro_len_ref, ro_pairs_ref, lib_ref;
  cp_ctx_slot ctx;                   /* what ctx shows during a call */
  int cur_hook;                      /* hook being called, or -1 */
  plugin_rec *plugins;
  size_t nplugins, cap_plugins;
  hook_entry *chain[HOOK_COUNT];
  size_t nchain[HOOK_COUNT], cap_chain[HOOK_COUNT];
  char err_src[512];
  long err_line;
  const cp_hook_io *cur_io; /* the typed call running, or NULL */
  int blame_level;          /* chain level whose result is being checked, or -1 */
  int bad_located;          /* the error raised is located at bad_src:bad_line */
  char bad_src[512];
  long bad_line;
  char mem_src[512]; /* where the memory limit was reached, if in Lua code */
  long mem_line;
  cp_buf trace;
};

static cp_plugin_host *host_of(lua_State *L) {
  cp_plugin_host *h;
  memcpy(&h, lua_getextraspace(L), sizeof h);
  return h;
}

/* ---- memory ---- */

/* Record the plugin line running when the memory limit is reached: Lua
 * reports a memory error without a location and calls no message handler.
 * Reading the call stack allocates nothing, so it is safe in the allocator. */
static void note_mem_place(cp_plugin_host *h) {
  h->mem_src[0] = '\0';
  h->mem_line = 0;
  lua_Debug ar;
  for (int level = 0; h->L && lua_getstack(h->L, level, &ar); level++) {
    if (lua_getinfo(h->L, "Sl", &ar) && ar.currentline > 0) {
      const char *src = ar.source[0] == '@' || ar.source[0] == '=' ? ar.source + 1 : ar.short_src;
      snprintf(h->mem_src, sizeof h->mem_src, "%s", src);
      h->mem_line = ar.currentline;
      return;
    }
  }
}

static void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  cp_plugin_host *h = ud;
  if (!ptr) osize = 0;
  if (nsize == 0) {
    free(ptr);
    h->mem_used -= osize;
    return NULL;
  }
  if (nsize > osize && h->mem_used + (nsize - osize) > h->mem_limit) {
    if (!h->mem_hit) note_mem_place(h);
    h->mem_hit = 1;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (!p) {
    h->mem_hit = 1;
    return NULL;
  }
  h->mem_used = h->mem_used - osize + nsize;
  return p;
}

/* ---- CPU budget ---- */

/* The clock is read at a call's first count hook, not when the call
 * begins: most calls (a score of one pair) end within COUNT_STEP
 * instructions and never read it, and the instructions before the first
 * hook take microseconds. A hook never fires inside one long C call either
 * way (see the sandbox's limits on string functions). */
static int past_deadline(cp_plugin_host *h) {
  if (!h->wall_ms) return 0;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (!h->deadline_set) {
    h->deadline = now;
    h->deadline.tv_sec += h->wall_ms / 1000;
    h->deadline.tv_nsec += (long)(h->wall_ms % 1000) * 1000000L;
    if (h->deadline.tv_nsec >= 1000000000L) {
      h->deadline.tv_sec++;
      h->deadline.tv_nsec -= 1000000000L;
    }
    h->deadline_set = 1;
    return 0;
  }
  return now.tv_sec > h->deadline.tv_sec ||
         (now.tv_sec == h->deadline.tv_sec && now.tv_nsec > h->deadline.tv_nsec);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  cp_plugin_host *h = host_of(L);
  if (!h->stop) {
    h->used += COUNT_STEP;
    if (h->used > h->budget) h->stop = 1;
    else if (past_deadline(h)) h->stop = 2;
    if (!h->stop) return;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1); /* re-raise at every instruction */
  }
  if (h->stop == 1)
    luaL_error(L, "instruction limit of %llu exceeded", (unsigned long long)h->budget);
  else
    luaL_error(L, "time limit of %u ms exceeded", h->wall_ms);
}

static void budget_begin(cp_plugin_host *h) {
  h->used = 0;
  h->stop = 0;
  h->mem_hit = 0;
  h->deadline_set = 0;
  lua_sethook(h->L, count_hook, LUA_MASKCOUNT, COUNT_STEP);
}

static void budget_end(cp_plugin_host *h) { lua_sethook(h->L, NULL, 0, 0); }

/* ---- read-only proxies ---- */

static void push_raw_of_proxy(lua_State *L, int idx) {
  if (!lua_getmetatable(L, idx)) luaL_error(L, "not a read-only table");
  lua_getfield(L, -1, "__index");
  lua_remove(L, -2);
}

static int ro_newindex(lua_State *L) {
  luaL_where(L, 2);
  lua_pushliteral(L, "attempt to modify a read-only table");
  lua_concat(L, 2);
  return lua_error(L);
}

static int ro_len(lua_State *L) {
  push_raw_of_proxy(L, 1);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
  return 1;
}

static int ro_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

static int ro_pairs(lua_State *L) {
  lua_pushcfunction(L, ro_next);
  push_raw_of_proxy(L, 1);
  lua_pushnil(L);
  return 3;
}

/* Replace the table on top of the stack with a read-only proxy of it. */
static void freeze_top(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  lua_createtable(L, 0, 0);            /* raw proxy */
  lua_createtable(L, 0, 5);            /* raw proxy mt */
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_newindex_ref);
  lua_setfield(L, -2, "__newindex");
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_len_ref);
  lua_setfield(L, -2, "__len");
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_pairs_ref);
  lua_setfield(L, -2, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

static int is_proxy(lua_State *L, int idx) {
  cp_plugin_host *h = host_of(L);
  if (!lua_getmetatable(L, idx)) return 0;
  lua_pushliteral(L, "__newindex");
  lua_rawget(L, -2);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_newindex_ref);
  int yes = lua_rawequal(L, -1, -2);
  lua_pop(L, 3);
  return yes;
}

/* ---- sandbox ----
 * A plugin's globals are its own table; reads fall through to one frozen
 * library table holding: assert error ipairs next pairs pcall select tonumber
 * tostring type xpcall rawequal rawlen rawget getmetatable, setmetatable (which
 * refuses __gc), _VERSION, and frozen string (without dump), table, math, utf8.
 * Not offered: print, load, loadstring, dofile, loadfile, require,
 * collectgarbage, rawset, io, os, debug, package, coroutine. */

static int safe_setmetatable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_getfield(L, 2, "__gc") != LUA_TNIL) return luaL_error(L, "__gc metamethods are not allowed in plugins");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/* ---- pattern guard ----
 * The count hook never fires inside one C call, and Lua's matcher can
 * backtrack: with k repetition items (x*, x+, x-, %b) it tries every way of
 * sharing the n bytes of the subject among them, C(n+k, k) ways (and every
 * start position, one item more, unless the pattern is anchored), twice over
 * for each optional item (x?). string.find, match, gmatch and gsub estimate
 * that worst case first and refuse a call whose worst case exceeds the
 * instructions left in the budget, counting a matcher step as an
 * instruction; the time limit bounds the sum of the calls allowed. The trim
 * idiom ("^%s*(.-)%s*$", three items) passes on subjects of about 390 bytes
 * with the default budget. */

static double pattern_worst_case(const char *p, size_t plen, size_t n, int can_anchor) {
  unsigned items = 0, optional = 0;
  size_t i = 0;
  if (can_anchor && plen && p[0] == '^') i = 1;
  else items++; /* every start position */
  for (; i < plen; i++) {
    char c = p[i];
    if (c == '%' && i + 1 < plen) {
      if (p[i + 1] == 'b') {
        items++;
        i += 3;
        continue;
      }
      i++;
    } else if (c == '[') {
      i++;
      if (i < plen && p[i] == '^') i++;
      do {
        if (i < plen && p[i] == '%') i++;
        i++;
      } while (i < plen && p[i] != ']');
    }
    if (i + 1 < plen) {
      char q = p[i + 1];
      if (q == '*' || q == '+' || q == '-') {
        items++;
        i++;
      } else if (q == '?') {
        optional++;
        i++;
      }
    }
  }
  /* C(n + items, items) * 2^optional, computed in doubles */
  double steps = 1;
  for (unsigned j = 1; j <= items && steps < 1e300; j++) steps = steps * ((double)n + j) / j;
  for (unsigned j = 0; j < optional && steps < 1e300; j++) steps *= 2;
  return steps < 1 ? 1 : steps;
}

static int guarded_match(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  int kind = (int)lua_tointeger(L, lua_upvalueindex(2)); /* 0 find, 1 match, 2 gmatch, 3 gsub */
  size_t n, plen;
  luaL_checklstring(L, 1, &n);
  const char *pat = luaL_checklstring(L, 2, &plen);
  int plain = kind == 0 && lua_toboolean(L, 4);
  if (!plain && h->budget) {
    double worst = pattern_worst_case(pat, plen, n, kind != 2);
    double left = h->used < h->budget ? (double)(h->budget - h->used) : 0;
    if (worst > left)
      return luaL_error(L, "pattern too costly: on a subject of %d bytes it could take more than the %d instructions left",
                        (int)n, (int)(left > 2e9 ? 2e9 : left));
  }
  int nargs = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, nargs, LUA_MULTRET);
  return lua_gettop(L);
}

static void guard_patterns(lua_State *L) {
  static const char *const names[] = {"find", "match", "gmatch", "gsub"};
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, LUA_STRLIBNAME);
  for (int i = 0; i < 4; i++) {
    lua_getfield(L, -1, names[i]);
    lua_pushinteger(L, i);
    lua_pushcclosure(L, guarded_match, 2);
    lua_setfield(L, -2, names[i]);
  }
  lua_pop(L, 1);
  /* math.random: a fixed seed, so the same input gives the same results */
  lua_getfield(L, -1, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, 20261123);
  lua_call(L, 1, 0);
  lua_pushnil(L);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 2);
}

static const char *const base_names[] = {"assert", "error", "ipairs", "next", "pairs", "pcall",
                                         "select", "tonumber", "tostring", "type", "xpcall",
                                         "rawequal", "rawlen", "rawget", "getmetatable",
                                         "_VERSION", NULL};

static int open_sandbox(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
  for (const luaL_Reg *l = libs; l->name; l++) {
    luaL_requiref(L, l->name, l->func, 0);
    lua_pop(L, 1);
  }
  guard_patterns(L);
  lua_pushcfunction(L, ro_newindex);
  h->ro_newindex_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushcfunction(L, ro_len);
  h->ro_len_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushcfunction(L, ro_pairs);
  h->ro_pairs_ref = luaL_ref(L, LUA_REGISTRYINDEX);

  lua_createtable(L, 0, 24); /* the library table */
  lua_pushglobaltable(L);
  for (const char *const *n = base_names; *n; n++) {
    lua_getfield(L, -1, *n);
    lua_setfield(L, -3, *n);
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, safe_setmetatable);
  lua_setfield(L, -2, "setmetatable");
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  for (const luaL_Reg *l = libs + 1; l->name; l++) {
    lua_getfield(L, -1, l->name);
    if (l->func == luaopen_string) {
      lua_pushnil(L);
      lua_setfield(L, -2, "dump"); /* also gone from ("").dump */
    }
    freeze_top(L);
    lua_setfield(L, -3, l->name);
  }
  lua_pop(L, 1);
  /* hide the string metatable (and with it the real string table) */
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  h->lib_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

/* ---- messages ---- */

/* Message handler: give the message the full "path:line:" of the first Lua
 * frame, record that position and the traceback. */
static int msgh(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) msg = lua_tostring(L, -1);
    else msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  lua_Debug ar;
  int found = 0;
  for (int level = 1; lua_getstack(L, level, &ar); level++) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      found = 1;
      break;
    }
  }
  h->err_src[0] = '\0';
  h->err_line = 0;
  if (h->bad_located) { /* a bad result from a replaced hook, located already */
    snprintf(h->err_src, sizeof h->err_src, "%s", h->bad_src);
    h->err_line = h->bad_line;
  } else if (found) {
    const char *src = ar.source[0] == '@' || ar.source[0] == '=' ? ar.source + 1 : ar.short_src;
    snprintf(h->err_src, sizeof h->err_src, "%s", src);
    h->err_line = ar.currentline;
    size_t sl = strlen(ar.short_src);
    if (strncmp(msg, ar.short_src, sl) == 0 && msg[sl] == ':') {
      /* already located: strip "short_src:N: " and use the full path */
      const char *p = msg + sl + 1;
      char *end;
      long line = strtol(p, &end, 10);
      if (end != p && *end == ':') {
        h->err_line = line;
        msg = end + 1 + (end[1] == ' ');
      }
    }
    msg = lua_pushfstring(L, "%s:%d: %s", h->err_src, (int)h->err_line, msg);
  }
  if (h->stop) { /* whatever the plugin made of the stop, report the stop */
    const char *what = h->stop == 1 ? "instruction limit exceeded" : "time limit exceeded";
    if (h->err_line) msg = lua_pushfstring(L, "%s:%d: %s", h->err_src, (int)h->err_line, what);
    else msg = what;
  }
  luaL_traceback(L, L, msg, 1);
  size_t tl;
  const char *tb = lua_tolstring(L, -1, &tl);
  cp_buf_reset(&h->trace);
  cp_buf_append(&h->trace, tb, tl);
  lua_pushstring(L, msg);
  return 1;
}

/* Turn a failed pcall into err. where_file is the plugin file (or NULL). */
static int fail(cp_plugin_host *h, int status, const char *hook, const char *person,
                const char *where_file, cp_error *err) {
  lua_State *L = h->L;
  const char *msg = lua_tostring(L, -1);
  char suffix[300] = "";
  if (hook && person) snprintf(suffix, sizeof suffix, " (in hook %s for person %s)", hook, person);
  else if (hook) snprintf(suffix, sizeof suffix, " (in hook %s)", hook);
  int code = CP_EINVAL;
  char body[900];
  if (status == LUA_ERRMEM || (h->mem_hit && (status == LUA_ERRERR || (msg && strstr(msg, "not enough memory"))))) {
    code = CP_ELIMIT;
    if (h->mem_line) {
      cp_buf_reset(&h->trace);
      cp_error_set_at(err, code, h->mem_src, h->mem_line, 0, "plugin %s:%ld: memory limit of %zu bytes exceeded%s",
                      h->mem_src, h->mem_line, h->mem_limit, suffix);
      return code;
    }
    const char *src = h->err_src[0] ? h->err_src : (where_file ? where_file : "?");
    if (status == LUA_ERRMEM) src = where_file ? where_file : "?";
    snprintf(body, sizeof body, "%s: memory limit of %zu bytes exceeded", src, h->mem_limit);
    cp_buf_reset(&h->trace);
  } else {
    if (h->stop) code = CP_ELIMIT;
    if (!msg) msg = "unknown error";
    snprintf(body, sizeof body, "%s", msg);
  }
  /* bare messages (no "FILE:") get the plugin's file */
  const char *file = where_file;
  long line = 0;
  if (where_file && strncmp(body, where_file, strlen(where_file)) == 0 && body[strlen(where_file)] == ':') {
    line = strtol(body + strlen(where_file) + 1, NULL, 10);
    cp_error_set_at(err, code, file, line, 0, "plugin %s%s", body, suffix);
  } else if (h->err_src[0] && strncmp(body, h->err_src, strlen(h->err_src)) == 0) {
    cp_error_set_at(err, code, h->err_src, h->err_line, 0, "plugin %s%s", body, suffix);
  } else if (where_file) {
    cp_error_set_at(err, code, where_file, 0, 0, "plugin %s: %s%s", where_file, body, suffix);
  } else {
    cp_error_set(err, code, "plugin %s%s", body, suffix);
  }
  return code;
}

/* ---- marshalling ---- */

static void push_lval(lua_State *L, const cp_lval *v, int depth) {
  if (depth > MAX_DEPTH) luaL_error(L, "argument nested too deeply");
  luaL_checkstack(L, 4, "argument nesting");
  switch (v->kind) {
  case CP_LVAL_BOOL: lua_pushboolean(L, v->b); break;
  case CP_LVAL_NUMBER:
    if (v->num == floor(v->num) && fabs(v->num) < 9007199254740992.0) lua_pushinteger(L, (lua_Integer)v->num);
    else lua_pushnumber(L, v->num);
    break;
  case CP_LVAL_STRING:
    if (v->str) lua_pushlstring(L, v->str, v->len);
    else lua_pushnil(L);
    break;
  case CP_LVAL_LIST:
  case CP_LVAL_MULTI:
    lua_createtable(L, (int)v->n, 0);
    for (size_t i = 0; i < v->n; i++) {
      push_lval(L, &v->items[i], depth + 1);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    freeze_top(L);
    break;
  case CP_LVAL_MAP:
    lua_createtable(L, 0, (int)v->n);
    for (size_t i = 0; i < v->n; i++) {
      if (!v->keys[i]) continue;
      lua_pushstring(L, v->keys[i]);
      push_lval(L, &v->items[i], depth + 1);
      lua_rawset(L, -3);
    }
    freeze_top(L);
    break;
  default: lua_pushnil(L); break;
  }
}

static void push_json(lua_State *L, json_t *j, int depth) {
  if (depth > MAX_DEPTH) luaL_error(L, "options nested too deeply");
  luaL_checkstack(L, 4, "options nesting");
  if (json_is_object(j)) {
    lua_createtable(L, 0, (int)json_object_size(j));
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      lua_pushstring(L, k);
      push_json(L, v, depth + 1);
      lua_rawset(L, -3);
    }
    freeze_top(L);
  } else if (json_is_array(j)) {
    lua_createtable(L, (int)json_array_size(j), 0);
    for (size_t i = 0; i < json_array_size(j); i++) {
      push_json(L, json_array_get(j, i), depth + 1);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    freeze_top(L);
  } else if (json_is_string(j)) lua_pushlstring(L, json_string_value(j), json_string_length(j));
  else if (json_is_integer(j)) lua_pushinteger(L, (lua_Integer)json_integer_value(j));
  else if (json_is_real(j)) lua_pushnumber(L, json_real_value(j));
  else if (json_is_boolean(j)) lua_pushboolean(L, json_is_true(j));
  else lua_pushnil(L);
}

cp_lval cp_lval_str(const char *s) {
  cp_lval v = cp_lval_nil();
  v.kind = CP_LVAL_STRING;
  v.str = s;
  v.len = s ? strlen(s) : 0;
  return v;
}

void cp_lval_clear(cp_lval *v) {
  if (!v) return;
  if (v->kind == CP_LVAL_STRING) free((void *)v->str);
  if (v->kind == CP_LVAL_LIST || v->kind == CP_LVAL_MAP || v->kind == CP_LVAL_MULTI) {
    for (size_t i = 0; i < v->n; i++) {
      cp_lval_clear(&v->items[i]);
      if (v->keys) free((void *)v->keys[i]);
    }
    free(v->items);
    free((void *)v->keys);
  }
  *v = cp_lval_nil();
}

const cp_lval *cp_lval_get(const cp_lval *map, const char *key) {
  if (!map || map->kind != CP_LVAL_MAP || !key) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (map->keys[i] && strcmp(map->keys[i], key) == 0) return &map->items[i];
  return NULL;
}

/* Convert the Lua value at idx into *out (zeroed by the caller). Raises on
 * values that are not plain data; *out stays freeable (cp_lval_clear). */
static void to_lval(lua_State *L, int idx, cp_lval *out, int depth) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TNIL: return;
  case LUA_TBOOLEAN: *out = cp_lval_bool(lua_toboolean(L, idx)); return;
  case LUA_TNUMBER: {
    double x = lua_tonumber(L, idx);
    if (!isfinite(x)) luaL_error(L, "returned %s (numbers must be finite)", isnan(x) ? "NaN" : "an infinite number");
    *out = cp_lval_num(x);
    return;
  }
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    char *c = malloc(n + 1);
    if (!c) luaL_error(L, "out of memory");
    memcpy(c, s, n);
    c[n] = '\0';
    out->kind = CP_LVAL_STRING;
    out->str = c;
    out->len = n;
    return;
  }
  case LUA_TTABLE: break;
  default: luaL_error(L, "returned a %s (only nil, booleans, numbers, strings and tables are allowed)", luaL_typename(L, idx));
  }
  if (depth > MAX_DEPTH) luaL_error(L, "returned a table nested too deeply (or a cycle)");
  if (++host_of(L)->conv_nodes > MAX_RESULT_TABLES) luaL_error(L, "returned too many tables (or a cycle)");
  luaL_checkstack(L, 6, "result nesting");
  if (is_proxy(L, idx)) {
    push_raw_of_proxy(L, idx);
    to_lval(L, -1, out, depth);
    lua_pop(L, 1);
    return;
  }
  size_t count = 0, len = lua_rawlen(L, idx);
  int all_strings = 1;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    count++;
    if (lua_type(L, -2) != LUA_TSTRING) all_strings = 0;
    lua_pop(L, 1);
  }
  int is_list = count == len;
  if (is_list) {
    for (size_t i = 1; i <= len; i++) {
      if (lua_rawgeti(L, idx, (lua_Integer)i) == LUA_TNIL) is_list = 0;
      lua_pop(L, 1);
    }
  }
  if (count && !is_list && !all_strings) luaL_error(L, "returned a table with keys that are neither 1..n nor strings");
  out->kind = is_list ? CP_LVAL_LIST : CP_LVAL_MAP;
  if (!count) return;
  out->items = calloc(count, sizeof *out->items);
  if (!out->items) luaL_error(L, "out of memory");
  if (!is_list) {
    out->keys = calloc(count, sizeof *out->keys);
    if (!out->keys) luaL_error(L, "out of memory");
  }
  if (is_list) {
    for (size_t i = 0; i < count; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i + 1);
      out->n = i + 1;
      to_lval(L, -1, &out->items[i], depth + 1);
      lua_pop(L, 1);
    }
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, idx) && out->n < count) {
    size_t i = out->n++;
    out->keys[i] = cp_strdup(lua_tostring(L, -2));
    if (!out->keys[i]) luaL_error(L, "out of memory");
    to_lval(L, -1, &out->items[i], depth + 1);
    lua_pop(L, 1);
  }
}

/* ---- hook dispatch ---- */

static int hook_index(const char *name) {
  for (int i = 0; i < HOOK_COUNT; i++)
    if (strcmp(name, hook_names[i]) == 0) return i;
  return -1;
}

static int call_previous(lua_State *L);

/* ctx's __index: needs from the call's needs slot, the rest from its base. */
static int ctx_index(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  const char *k = lua_tostring(L, 2);
  if (k && h->ctx.needs && strcmp(k, "needs") == 0) {
    h->ctx.needs(L, h->ctx.ud);
    return 1;
  }
  if (h->ctx.base_ref == LUA_NOREF) return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->ctx.base_ref);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  return 1;
}

/* Build the ctx table of chain level `level` of hook (options, previous);
 * other fields resolve through ctx_index at call time. Leaves it on top. */
static void build_level_ctx(lua_State *L, int hook, size_t level, int options_ref) {
  cp_plugin_host *h = host_of(L);
  lua_createtable(L, 0, 2);
  if (level > 0) {
    lua_pushinteger(L, hook);
    lua_pushinteger(L, (lua_Integer)level - 1);
    lua_pushcclosure(L, call_previous, 2);
    lua_setfield(L, -2, "previous");
  }
  if (options_ref != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, options_ref);
    lua_setfield(L, -2, "options");
  }
  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, ctx_index);
  lua_setfield(L, -2, "__index");
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_newindex_ref);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  /* the table itself is the ctx: its two own fields cannot be reassigned
   * through a proxy, so freeze it */
  freeze_top(L);
}

/* ctx.previous(args..., ctx): call the replaced hook with its own ctx. */
static int call_previous(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  int hook = (int)lua_tointeger(L, lua_upvalueindex(1));
  size_t level = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  int arity = hook_arity[hook];
  lua_settop(L, arity); /* the plugin's own ctx argument is replaced */
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->chain[hook][level].fn_ref);
  lua_insert(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->chain[hook][level].ctx_ref);
  lua_call(L, arity + 1, LUA_MULTRET);
  int nres = lua_gettop(L);
  if (h->cur_io && h->cur_io->reread && hook == h->cur_hook) {
    /* check the replaced hook's results here, so a bad one names its line */
    int saved = h->blame_level;
    h->blame_level = (int)level;
    h->cur_io->read(L, 1, nres, h->cur_io->ud);
    h->blame_level = saved;
    lua_settop(L, nres);
  }
  return nres;
}

/* The file of the plugin whose hook is on top of the chain, and its line. */
static const char *hook_file(const cp_plugin_host *h, int hook, long *line) {
  const hook_entry *e = &h->chain[hook][h->nchain[hook] - 1];
  if (line) *line = e->line;
  return h->plugins[e->plugin].path;
}

typedef struct invoke_state {
  int hook;
  const cp_hook_io *io;
  size_t n;                         /* calls in this protected call */
  void (*at)(void *ud, size_t k);   /* selects call k's arguments (n > 1) */
  size_t done;                      /* calls finished */
} invoke_state;

/* What each call starts from: no error place, no blame, a full budget. */
static void call_begin(cp_plugin_host *h) {
  h->err_src[0] = '\0';
  h->blame_level = -1;
  h->bad_located = 0;
  budget_begin(h);
}

static int invoke_body(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  invoke_state *is = lua_touserdata(L, 1);
  const hook_entry *e = &h->chain[is->hook][h->nchain[is->hook] - 1];
  for (size_t k = 0; k < is->n; k++) {
    if (is->at) is->at(is->io->ud, k);
    if (k) call_begin(h);
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn_ref);
    is->io->push(L, is->io->ud);
    if (lua_gettop(L) != 1 + hook_arity[is->hook]) return luaL_error(L, "host pushed the wrong number of arguments");
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->ctx_ref);
    lua_call(L, hook_arity[is->hook] + 1, LUA_MULTRET);
    /* results are read under the budget: a returned table may carry metamethods */
    is->io->read(L, 1, lua_gettop(L), is->io->ud);
    is->done = k + 1;
  }
  return 0;
}

int cp_plugin_invoke_each(cp_plugin_host *h, int hook, const cp_hook_io *io, size_t n,
                          void (*at)(void *ud, size_t k), const char *person, cp_error *err) {
  if (hook < 0 || hook >= HOOK_COUNT) return cp_error_set(err, CP_EINVAL, "unknown hook %d", hook);
  if (!h->nchain[hook]) return cp_error_set(err, CP_ENOTFOUND, "no plugin provides hook %s", hook_names[hook]);
  if (!n) return 0;
  lua_State *L = h->L;
  int top = lua_gettop(L);
  invoke_state is = {hook, io, n, at, 0};
  lua_pushcfunction(L, msgh);
  lua_pushcfunction(L, invoke_body);
  lua_pushlightuserdata(L, &is);
  h->cur_hook = hook;
  h->cur_io = io;
  call_begin(h);
  int status = lua_pcall(L, 1, 0, top + 1);
  budget_end(h);
  h->cur_io = NULL;
  h->cur_hook = -1;
  int rc = 0;
  if (status != LUA_OK) rc = fail(h, status, hook_names[hook], person, hook_file(h, hook, NULL), err);
  lua_settop(L, top);
  h->calls += status == LUA_OK ? n : is.done + 1;
  return rc;
}

int cp_plugin_invoke(cp_plugin_host *h, int hook, const cp_hook_io *io, const char *person, cp_error *err) {
  return cp_plugin_invoke_each(h, hook, io, 1, NULL, person, err);
}

int cp_plugin_bad_result(lua_State *L, const char *fmt, ...) {
  cp_plugin_host *h = host_of(L);
  int hook = h->cur_hook;
  const char *file = "?";
  long line = 0;
  if (hook >= 0 && h->blame_level >= 0 && (size_t)h->blame_level < h->nchain[hook]) {
    const hook_entry *e = &h->chain[hook][h->blame_level];
    file = h->plugins[e->plugin].path;
    line = e->line;
    /* raised inside ctx.previous: keep this place, not the caller's line */
    snprintf(h->bad_src, sizeof h->bad_src, "%s", file);
    h->bad_line = line;
    h->bad_located = 1;
  } else if (hook >= 0 && h->nchain[hook]) {
    file = hook_file(h, hook, &line);
  }
  va_list ap;
  va_start(ap, fmt);
  lua_pushfstring(L, "%s:%d: %s returned ", file, (int)line, hook >= 0 ? hook_names[hook] : "hook");
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  lua_concat(L, 2);
  return lua_error(L);
}

void cp_plugin_set_ctx(cp_plugin_host *h, const cp_ctx_slot *slot) { h->ctx = *slot; }
void cp_plugin_get_ctx(const cp_plugin_host *h, cp_ctx_slot *slot) { *slot = h->ctx; }

lua_State *cp_plugin_lua(cp_plugin_host *h) { return h->L; }

static int pairs_kind(const char *v);

static int pairs_body(lua_State *L) {
  const hook_entry *e = lua_touserdata(L, 1);
  cp_plugin_host *h = host_of(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->plugins[e->plugin].pairs_fn_ref);
  lua_rawgeti(L, LUA_REGISTRYINDEX, e->ctx_ref);
  lua_call(L, 1, 1);
  lua_pushinteger(L, lua_type(L, -1) == LUA_TSTRING ? pairs_kind(lua_tostring(L, -1)) : 0);
  return 1;
}

int cp_plugin_strength_pairs(cp_plugin_host *h) {
  size_t n = h->nchain[CP_HOOK_SCORE_MENTOR];
  if (!n) return 0;
  const hook_entry *e = &h->chain[CP_HOOK_SCORE_MENTOR][n - 1];
  plugin_rec *pr = &h->plugins[e->plugin];
  if (pr->strength_pairs >= 0) return pr->strength_pairs;
  /* a function of ctx (the plugin's options): ask it once, under the limits;
   * a fault or another answer means every pair is scored */
  lua_State *L = h->L;
  int top = lua_gettop(L);
  lua_pushcfunction(L, pairs_body);
  lua_pushlightuserdata(L, (void *)e);
  budget_begin(h);
  int st = lua_pcall(L, 1, 1, 0);
  budget_end(h);
  pr->strength_pairs = st == LUA_OK ? (int)lua_tointeger(L, -1) : 0;
  lua_settop(L, top);
  return pr->strength_pairs;
}
void cp_plugin_freeze(lua_State *L) { freeze_top(L); }
int cp_plugin_ro_newindex(lua_State *L) { return ro_newindex(L); }
int cp_plugin_ro_len(lua_State *L) { return ro_len(L); }
const char *cp_plugin_hook_name(int hook) { return hook >= 0 && hook < HOOK_COUNT ? hook_names[hook] : "?"; }

/* The generic call: arguments and results as cp_lval trees. */
typedef struct lval_io {
  const cp_lval *args;
  size_t nargs;
  int arity;
  cp_lval *result;
} lval_io;

static void lval_push(lua_State *L, void *ud) {
  lval_io *io = ud;
  for (int i = 0; i < io->arity; i++) {
    if ((size_t)i < io->nargs) push_lval(L, &io->args[i], 0);
    else lua_pushnil(L);
  }
}

static void lval_read(lua_State *L, int first, int nres, void *ud) {
  lval_io *io = ud;
  budget_end(host_of(L)); /* raw reads only: conversion is host work, bounded by MAX_DEPTH and MAX_RESULT_TABLES */
  host_of(L)->conv_nodes = 0;
  if (nres <= 1) {
    if (nres == 1) to_lval(L, first, io->result, 0);
    return;
  }
  io->result->kind = CP_LVAL_MULTI;
  io->result->items = calloc((size_t)nres, sizeof *io->result->items);
  if (!io->result->items) luaL_error(L, "out of memory");
  for (int i = 0; i < nres; i++) {
    io->result->n = (size_t)i + 1;
    to_lval(L, first + i, &io->result->items[i], 1);
  }
}

/* Push the extra ctx fields (a MAP) as a plain table and ref it. */
static int make_base(lua_State *L) {
  const cp_lval *extra = lua_touserdata(L, 1);
  lua_createtable(L, 0, extra ? (int)extra->n : 0);
  for (size_t i = 0; extra && i < extra->n; i++) {
    if (!extra->keys[i]) continue;
    lua_pushstring(L, extra->keys[i]);
    push_lval(L, &extra->items[i], 1);
    lua_rawset(L, -3);
  }
  lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
  return 1;
}

int cp_plugin_call(cp_plugin_host *h, const char *hook, const cp_lval *args, size_t nargs,
                   cp_lval *result, const char *person_label, cp_error *err) {
  if (!h || !hook || !result) return cp_error_set(err, CP_EINVAL, "cp_plugin_call: missing argument");
  *result = cp_lval_nil();
  int hi = hook_index(hook);
  if (hi < 0) return cp_error_set(err, CP_EINVAL, "unknown hook \"%s\"", hook);
  if (!h->nchain[hi]) return cp_error_set(err, CP_ENOTFOUND, "no plugin provides hook %s", hook);
  lua_State *L = h->L;
  const cp_lval *extra = nargs > (size_t)hook_arity[hi] && args[hook_arity[hi]].kind == CP_LVAL_MAP
                             ? &args[hook_arity[hi]] : NULL;
  lua_pushcfunction(L, make_base);
  lua_pushlightuserdata(L, (void *)extra);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    lua_pop(L, 1);
    return cp_error_set(err, CP_ENOMEM, "plugin host: out of memory for ctx");
  }
  int base = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  cp_ctx_slot saved = h->ctx, call = {base, NULL, NULL};
  cp_plugin_set_ctx(h, &call);
  lval_io lio = {args, nargs, hook_arity[hi], result};
  cp_hook_io io = {lval_push, lval_read, &lio};
  int rc = cp_plugin_invoke(h, hi, &io, person_label, err);
  cp_plugin_set_ctx(h, &saved);
  luaL_unref(L, LUA_REGISTRYINDEX, base);
  if (rc) cp_lval_clear(result);
  return rc;
}

size_t cp_plugin_count(const cp_plugin_host *h) { return h ? h->nplugins : 0; }

int cp_plugin_info(const cp_plugin_host *h, size_t i, const char **path, const char **name, const char **version,
                   unsigned *hooks) {
  if (!h || i >= h->nplugins) return CP_ENOTFOUND;
  if (path) *path = h->plugins[i].path;
  if (name) *name = h->plugins[i].name;
  if (version) *version = h->plugins[i].version;
  if (hooks) {
    *hooks = 0;
    for (int k = 0; k < HOOK_COUNT; k++)
      for (size_t e = 0; e < h->nchain[k]; e++)
        if (h->chain[k][e].plugin == i) *hooks |= 1u << k;
  }
  return 0;
}

int cp_plugin_has_hook(const cp_plugin_host *h, const char *hook) {
  int hi = h && hook ? hook_index(hook) : -1;
  return hi >= 0 && h->nchain[hi] > 0;
}

/* ---- loading ---- */

static size_t edit_distance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b), row[65];
  if (na > 64 || nb > 64) return 99;
  for (size_t j = 0; j <= nb; j++) row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

static const char *suggest(const char *s, const char *const *names, size_t n) {
  const char *best = NULL;
  size_t bd = 3;
  for (size_t i = 0; i < n; i++) {
    size_t d = edit_distance(s, names[i]);
    if (d < bd) {
      bd = d;
      best = names[i];
    }
  }
  return best;
}

typedef struct load_state {
  const char *path;     /* name in messages */
  const char *text;     /* NULL: read path */
  json_t *options;
} load_state;

static int bad(lua_State *L, const char *path, const char *fmt, const char *a, const char *b) {
  lua_pushfstring(L, "%s: ", path);
  if (b) lua_pushfstring(L, fmt, a, b);
  else lua_pushfstring(L, fmt, a);
  lua_concat(L, 2);
  return lua_error(L);
}

/* "strengths" 1, "strengths in service" 2, anything else 0 */
static int pairs_kind(const char *v) {
  if (!v) return 0;
  if (strcmp(v, "strengths") == 0) return 1;
  if (strcmp(v, "strengths in service") == 0) return 2;
  return 0;
}

static const char *const top_keys[] = {"name", "version", "api", "hooks", "description", "mentor_pairs"};

static int load_body(lua_State *L) {
  cp_plugin_host *h = host_of(L);
  load_state *ls = lua_touserdata(L, 1);
  lua_settop(L, 0);
  char chunk[520];
  snprintf(chunk, sizeof chunk, "@%s", ls->path);
  int st = ls->text ? luaL_loadbufferx(L, ls->text, strlen(ls->text), chunk, "t")
                    : luaL_loadfilex(L, ls->path, "t");
  if (st != LUA_OK) return lua_error(L);
  /* environment: own globals over the frozen library table */
  lua_createtable(L, 0, 4);
  lua_createtable(L, 0, 2);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->lib_ref);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G");
  lua_setupvalue(L, 1, 1);
  lua_call(L, 0, 1);
  budget_end(h); /* validation is host work */
  const char *p = ls->path;
  if (!lua_istable(L, 1)) bad(L, p, "must return a table (got %s)", luaL_typename(L, 1), NULL);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) bad(L, p, "returned table has a %s key", luaL_typename(L, -1), NULL);
    const char *k = lua_tostring(L, -1);
    int known = 0;
    for (size_t i = 0; i < sizeof top_keys / sizeof *top_keys; i++) known |= strcmp(k, top_keys[i]) == 0;
    if (!known) {
      const char *s = suggest(k, top_keys, sizeof top_keys / sizeof *top_keys);
      if (s) bad(L, p, "unknown field \"%s\" (did you mean \"%s\"?)", k, s);
      bad(L, p, "unknown field \"%s\" (fields are name, version, api, hooks, description, mentor_pairs)", k, NULL);
    }
  }
  const char *fields[] = {"name", "version"};
  for (int i = 0; i < 2; i++) {
    int t = lua_getfield(L, 1, fields[i]);
    if (t == LUA_TNIL) bad(L, p, "missing field \"%s\"", fields[i], NULL);
    if (t != LUA_TSTRING) bad(L, p, "field \"%s\" must be a string", fields[i], NULL);
    if (lua_rawlen(L, -1) == 0) bad(L, p, "field \"%s\" is empty", fields[i], NULL);
  } /* stack: ret name version */
  int t = lua_getfield(L, 1, "api");
  if (t == LUA_TNIL) bad(L, p, "missing field \"api\" (this host supports api = 1)", "", NULL);
  int isint;
  lua_Integer api = lua_tointegerx(L, -1, &isint);
  if (t != LUA_TNUMBER || !isint || api != CP_PLUGIN_API)
    bad(L, p, "unsupported api %s (this host supports api = 1)", luaL_tolstring(L, 4, NULL), NULL);
  lua_settop(L, 3);
  t = lua_getfield(L, 1, "mentor_pairs");
  int strength_pairs = t == LUA_TFUNCTION ? -1 : t == LUA_TSTRING ? pairs_kind(lua_tostring(L, -1)) : 0;
  if (t != LUA_TNIL && (strength_pairs == 0 || (t != LUA_TSTRING && t != LUA_TFUNCTION)))
    bad(L, p, "field \"mentor_pairs\" must be \"strengths\", \"strengths in service\" or a function of ctx returning"
        " one of them (what score_mentor can value)", "", NULL);
  int pairs_fn = LUA_NOREF;
  if (t == LUA_TFUNCTION) {
    lua_pushvalue(L, -1);
    pairs_fn = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_settop(L, 3);
  t = lua_getfield(L, 1, "hooks"); /* index 4 */
  if (t != LUA_TTABLE) bad(L, p, "field \"hooks\" must be a table (got %s)", luaL_typename(L, 4), NULL);
  int present[HOOK_COUNT] = {0};
  lua_pushnil(L);
  while (lua_next(L, 4)) {
    if (lua_type(L, -2) != LUA_TSTRING) bad(L, p, "hooks table has a %s key", luaL_typename(L, -2), NULL);
    const char *k = lua_tostring(L, -2);
    int hi = hook_index(k);
    if (hi < 0) {
      const char *s = suggest(k, hook_names, HOOK_COUNT);
      if (s) bad(L, p, "unknown hook \"%s\" (did you mean \"%s\"?)", k, s);
      bad(L, p, "unknown hook \"%s\" (hooks are needs, eligible, score_activity, score_mentor, induction)", k,
          NULL);
    }
    if (!lua_isfunction(L, -1)) bad(L, p, "hook \"%s\" must be a function (got %s)", k, luaL_typename(L, -1));
    present[hi] = 1;
    lua_pop(L, 1);
  }
  /* reserve C memory first so registration cannot half-fail */
  if (h->nplugins == h->cap_plugins) {
    size_t nc = h->cap_plugins ? h->cap_plugins * 2 : 4;
    plugin_rec *np = realloc(h->plugins, nc * sizeof *np);
    if (!np) return luaL_error(L, "out of memory");
    h->plugins = np;
    h->cap_plugins = nc;
  }
  for (int i = 0; i < HOOK_COUNT; i++) {
    if (!present[i] || h->nchain[i] < h->cap_chain[i]) continue;
    size_t nc = h->cap_chain[i] ? h->cap_chain[i] * 2 : 4;
    hook_entry *ne = realloc(h->chain[i], nc * sizeof *ne);
    if (!ne) return luaL_error(L, "out of memory");
    h->chain[i] = ne;
    h->cap_chain[i] = nc;
  }
  plugin_rec rec = {cp_strdup(p), cp_strdup(lua_tostring(L, 2)), cp_strdup(lua_tostring(L, 3)), LUA_NOREF,
                    strength_pairs, pairs_fn};
  if (!rec.path || !rec.name || !rec.version) {
    free(rec.path);
    free(rec.name);
    free(rec.version);
    return luaL_error(L, "out of memory");
  }
  if (ls->options) {
    push_json(L, ls->options, 0);
    rec.options_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  hook_entry entries[HOOK_COUNT];
  for (int i = 0; i < HOOK_COUNT; i++) {
    if (!present[i]) continue;
    lua_getfield(L, 4, hook_names[i]);
    lua_Debug ar;
    lua_pushvalue(L, -1);
    entries[i].line = lua_getinfo(L, ">S", &ar) ? ar.linedefined : 0;
    entries[i].fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    build_level_ctx(L, i, h->nchain[i], rec.options_ref);
    entries[i].ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    entries[i].plugin = h->nplugins;
  }
  /* nothing below raises */
  h->plugins[h->nplugins++] = rec;
  for (int i = 0; i < HOOK_COUNT; i++)
    if (present[i]) h->chain[i][h->nchain[i]++] = entries[i];
  return 0;
}

static int load_common(cp_plugin_host *h, const char *path, const char *text, const char *options_json,
                       cp_error *err) {
  if (!h || !path) return cp_error_set(err, CP_EINVAL, "plugin: missing argument");
  load_state ls = {path, text, NULL};
  if (options_json) {
    json_error_t je;
    ls.options = json_loads(options_json, JSON_DECODE_ANY, &je);
    if (!ls.options)
      return cp_error_set(err, CP_EPARSE, "plugin %s: options: %s (line %d, column %d)", path, je.text, je.line,
                          je.column);
  }
  lua_State *L = h->L;
  int top = lua_gettop(L);
  lua_pushcfunction(L, msgh);
  lua_pushcfunction(L, load_body);
  lua_pushlightuserdata(L, &ls);
  h->err_src[0] = '\0';
  budget_begin(h);
  int status = lua_pcall(L, 1, 0, top + 1);
  budget_end(h);
  int rc = 0;
  if (status != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    if (!text && m && strstr(m, "cannot open ")) {
      rc = cp_error_set_at(err, CP_EIO, path, 0, 0, "plugin %s: %s", path, m);
    } else {
      rc = fail(h, status, NULL, NULL, path, err);
    }
  }
  lua_settop(L, top);
  json_decref(ls.options);
  return rc;
}

int cp_plugin_load_file(cp_plugin_host *h, const char *path, const char *options_json, cp_error *err) {
  return load_common(h, path, NULL, options_json, err);
}

int cp_plugin_load_string(cp_plugin_host *h, const char *chunkname, const char *text, cp_error *err) {
  return cp_plugin_load_text(h, chunkname, text, NULL, err);
}

int cp_plugin_load_text(cp_plugin_host *h, const char *chunkname, const char *text, const char *options_json,
                        cp_error *err) {
  if (!text) return cp_error_set(err, CP_EINVAL, "plugin: missing text");
  return load_common(h, chunkname, text, options_json, err);
}

/* ---- host ---- */

static int panic(lua_State *L) {
  (void)L;
  abort(); /* unreachable: every entry into Lua is protected */
}

int cp_plugin_host_new(cp_plugin_host **out, const cp_plugin_limits *lim, cp_error *err) {
  if (!out) return cp_error_set(err, CP_EINVAL, "cp_plugin_host_new: missing out");
  *out = NULL;
  if (lim && lim->version != CP_PLUGIN_LIMITS_VERSION)
    return cp_error_set(err, CP_EINVAL, "plugin limits: unsupported version %u", lim->version);
  cp_plugin_host *h = calloc(1, sizeof *h);
  if (!h) return cp_error_set(err, CP_ENOMEM, "out of memory");
  h->budget = lim && lim->instructions ? lim->instructions : 10000000u;
  h->mem_limit = lim && lim->memory ? lim->memory : (size_t)64 << 20;
  h->wall_ms = lim && lim->wall_ms ? lim->wall_ms : 2000;
  cp_buf_init(&h->trace);
  h->ctx.base_ref = LUA_NOREF;
  h->blame_level = -1;
  h->cur_hook = -1;
  h->L = lua_newstate(host_alloc, h);
  if (!h->L) {
    size_t cap = h->mem_limit;
    free(h);
    return cp_error_set(err, CP_ENOMEM, "plugin host: cannot create Lua state (memory limit %zu)", cap);
  }
  memcpy(lua_getextraspace(h->L), &h, sizeof h);
  lua_atpanic(h->L, panic);
  lua_pushcfunction(h->L, open_sandbox);
  if (lua_pcall(h->L, 0, 0, 0) != LUA_OK) {
    cp_plugin_host_free(h);
    return cp_error_set(err, CP_ENOMEM, "plugin host: cannot open libraries within the memory limit");
  }
  lua_gc(h->L, LUA_GCINC, 0, 0, 0);
  *out = h;
  return 0;
}

void cp_plugin_host_free(cp_plugin_host *h) {
  if (!h) return;
  if (h->L) lua_close(h->L);
  for (size_t i = 0; i < h->nplugins; i++) {
    free(h->plugins[i].path);
    free(h->plugins[i].name);
    free(h->plugins[i].version);
  }
  free(h->plugins);
  for (int i = 0; i < HOOK_COUNT; i++) free(h->chain[i]);
  cp_buf_free(&h->trace);
  free(h);
}

const char *cp_plugin_last_traceback(const cp_plugin_host *h) {
  return h && h->trace.data ? h->trace.data : "";
}

size_t cp_plugin_memory_used(const cp_plugin_host *h) { return h ? h->mem_used : 0; }
