/* rules.c: the hooks over a snapshot. People reach the plugins as frozen
 * tables made once per rules object and kept in a small cache (their
 * grades and strengths as userdata views read from the snapshot on access,
 * their profile a frozen table shared by everyone with the same one);
 * activities are frozen tables built once per run; one person's many pairs
 * can be scored in one protected call; ctx.needs is built when a hook first
 * reads it, once per person,
 * from the checked needs (as views too), and kept in a small cache. Each
 * typed call checks what the hook returned and names the plugin file, the
 * hook's line, the hook and the person on error. */
#include "cpdplan/rules.h"

#include "cpdplan/assess.h"
#include "embedded.h"
#include "plugin_internal.h"
#include "util.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEEDS_CACHE 256
#define PERSON_CACHE 8192
#define PROFILE_CACHE 1024
#define CODES_MT "cpdplan.codes"
#define GRADES_MT "cpdplan.grades"
#define NEED_MT "cpdplan.need"

const char *const cp_rules_default_name = "plugins/default.lua";

const char *cp_rules_default_text(void) {
  for (const cp_embedded_file *f = cp_embedded_plugins; f->name; f++)
    if (strcmp(f->name, "default.lua") == 0) return f->data;
  return NULL;
}

typedef struct person_rules {
  uint8_t state; /* 0 not run, 1 running, 2 done */
  uint32_t nneeds, nstrengths;
  cp_need *needs;
  uint32_t *strengths;
} person_rules;

/* A need's fields: what needs hooks return, what ctx.needs shows, in order. */
static const char *const need_fields[] = {"statement", "priority", "reason", "induction", NULL};

#define REASON_CACHE 64
typedef struct reason_slot {
  const char *lua;  /* a Lua string's text, as last seen */
  size_t len;
  const char *kept; /* its copy in reasons */
} reason_slot;

struct cp_rules {
  cp_plugin_host *host;
  lua_State *L;
  const cp_snapshot *snap;
  int base_ref;
  int *act_ref;
  person_rules *pr;
  int cache_ref[NEEDS_CACHE];
  uint32_t cache_person[NEEDS_CACHE];
  uint32_t ctx_person; /* whose needs ctx.needs shows */
  int32_t *need_at;     /* statement -> index in need_person's needs, or -1 */
  uint32_t need_person; /* whose needs need_at holds, or CP_SNAP_NONE */
  int ctx_needs_on;    /* ctx.needs is set (not inside a needs hook) */
  int person_views_ref; /* cache slot + 1 -> a person's view (push_person) */
  uint32_t person_slot[PERSON_CACHE]; /* whose view each slot holds, or CP_SNAP_NONE */
  int person_keys_ref, person_lazy_ref, person_pairs_ref, person_tostring_ref;
  int alias_mt_ref, list_pairs_ref, need_keys_ref;
  int profile_views_ref; /* cache slot + 1 -> a profile's view (push_profile) */
  const uint32_t *profile_slot[PROFILE_CACHE]; /* whose profile each slot holds */
  /* the options it was made with, kept for cp_rules_clone */
  cp_plugin_spec *specs;
  size_t nspecs;
  char *default_path;
  int no_default;
  cp_plugin_limits limits;
  cp_buf reason;
  cp_map reasons;     /* the needs' reasons, each text kept once */
  reason_slot reason_cache[REASON_CACHE];
  const char *need_key[4]; /* the need fields' names as Lua holds them (needs_read) */
  int code_index_ref; /* statement code -> snapshot index */
  unsigned long calls;
  int has[CP_HOOK_COUNT];
};

static void set_ctx(cp_rules *r, int with_needs);

/* ---- views ----
 * A view's __index, __len and __tostring are reachable only through its
 * metatable, which plugins cannot get (__metatable is false and there is no
 * debug library), so their first argument is always a view of that type and
 * they skip luaL_checkudata, the costliest part of a field read. The next
 * functions that pairs() hands out can be called with anything and check. */
#define VIEW_SELF(L) lua_touserdata((L), 1)

typedef struct pview {
  const cp_rules *r;
  uint32_t idx;
} pview;

typedef struct cview {
  const cp_snapshot *snap;
  const uint32_t *list;
  uint32_t n;
  int sorted;
} cview;

/* Statement codes as Lua strings, both ways, without hashing C strings on
 * every access: the view functions are closures whose upvalue 1 lists the
 * codes (statement index + 1 -> code) and upvalue 2 maps code -> index. */
#define CODE_LIST lua_upvalueindex(1)
#define CODE_INDEX lua_upvalueindex(2)

static void push_code(lua_State *L, uint32_t st) { lua_rawgeti(L, CODE_LIST, (lua_Integer)st + 1); }

static uint32_t statement_at(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TSTRING) return CP_SNAP_NONE;
  lua_pushvalue(L, idx);
  lua_Integer st = lua_rawget(L, CODE_INDEX) == LUA_TNUMBER ? lua_tointeger(L, -1) : -1;
  lua_pop(L, 1);
  return st < 0 ? CP_SNAP_NONE : (uint32_t)st;
}

static void push_codes(lua_State *L, const cp_snapshot *snap, const uint32_t *list, uint32_t n, int sorted) {
  cview *v = lua_newuserdatauv(L, sizeof *v, 0);
  v->snap = snap;
  v->list = list;
  v->n = n;
  v->sorted = sorted;
  luaL_setmetatable(L, CODES_MT);
}

static int codes_index(lua_State *L) {
  cview *v = VIEW_SELF(L);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    lua_Integer i = lua_tointeger(L, 2);
    if (i >= 1 && i <= (lua_Integer)v->n) push_code(L, v->list[i - 1]);
    else lua_pushnil(L);
    return 1;
  }
  uint32_t st = statement_at(L, 2);
  int found = 0;
  if (st != CP_SNAP_NONE) {
    if (v->sorted) {
      uint32_t lo = 0, hi = v->n;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->list[mid] < st) lo = mid + 1;
        else hi = mid;
      }
      found = lo < v->n && v->list[lo] == st;
    } else {
      for (uint32_t i = 0; i < v->n && !found; i++) found = v->list[i] == st;
    }
  }
  if (found) lua_pushboolean(L, 1);
  else lua_pushnil(L);
  return 1;
}

static int codes_len(lua_State *L) {
  cview *v = VIEW_SELF(L);
  lua_pushinteger(L, v->n);
  return 1;
}

static int codes_next(lua_State *L) {
  cview *v = luaL_checkudata(L, 1, CODES_MT);
  lua_Integer i = lua_isnil(L, 2) ? 1 : luaL_checkinteger(L, 2) + 1;
  if (i < 1 || i > (lua_Integer)v->n) return 0;
  lua_pushinteger(L, i);
  push_code(L, v->list[i - 1]);
  return 2;
}

/* ---- person.profile as a frozen table, person.grades as a view ----
 * The profile is an empty proxy whose metatable (out of plugins' reach)
 * reads through to a data table (the codes as a list and a set), so that a
 * lookup costs a table read, not a call into C; the data table's own
 * metatable (alias_index) answers FRAMEWORK:CODE through the plain code.
 * The grades are a userdata view: a table of them would cost each person
 * as much memory as the Lua state's cap allows a few thousand of. */

static int alias_index(lua_State *L) {
  uint32_t st = statement_at(L, 2);
  if (st == CP_SNAP_NONE) return 0;
  push_code(L, st);
  if (lua_rawequal(L, -1, 2)) return 0; /* the plain code itself: not there */
  lua_rawget(L, 1);
  return 1;
}

static int grades_index(lua_State *L) {
  pview *v = VIEW_SELF(L);
  const cp_snap_person *p = &v->r->snap->people[v->idx];
  uint32_t st = statement_at(L, 2);
  long pos = st == CP_SNAP_NONE ? -1 : cp_snapshot_profile_pos(p, st);
  int g = pos < 0 ? CP_GRADE_NONE : p->grades[pos];
  if (g == CP_GRADE_NONE) lua_pushnil(L);
  else if (g == CP_GRADE_NA) lua_pushliteral(L, "NA");
  else lua_pushinteger(L, g);
  return 1;
}

static int grades_next(lua_State *L) {
  pview *v = luaL_checkudata(L, 1, GRADES_MT);
  const cp_snap_person *p = &v->r->snap->people[v->idx];
  long pos = -1;
  if (!lua_isnil(L, 2)) {
    uint32_t st = statement_at(L, 2);
    pos = st == CP_SNAP_NONE ? (long)p->nprofile : cp_snapshot_profile_pos(p, st);
    if (pos < 0) pos = (long)p->nprofile;
  }
  for (pos++; pos < (long)p->nprofile; pos++) {
    int g = p->grades[pos];
    if (g == CP_GRADE_NONE) continue;
    push_code(L, p->profile[pos]);
    if (g == CP_GRADE_NA) lua_pushliteral(L, "NA");
    else lua_pushinteger(L, g);
    return 2;
  }
  return 0;
}

/* A list proxy's pairs: list order, as ipairs (its length is the host's
 * read-only one, cp_plugin_ro_len). */
static int list_next(lua_State *L) {
  lua_Integer i = lua_isnil(L, 2) ? 1 : luaL_checkinteger(L, 2) + 1;
  if (lua_geti(L, 1, i) == LUA_TNIL) return 0;
  lua_pushinteger(L, i);
  lua_insert(L, -2);
  return 2;
}

/* Wrap the data table on top in an empty proxy with a metatable of its own
 * (out of plugins' reach): __index the data, __newindex refused, __pairs
 * the function at registry ref pairs_ref, and __len and __tostring when
 * given (len a C function, tostring_ref a registry ref or LUA_NOREF).
 * Leaves the proxy on top. */
static void wrap_proxy(lua_State *L, int pairs_ref, lua_CFunction len, int tostring_ref) {
  lua_createtable(L, 0, 0); /* the proxy */
  lua_createtable(L, 0, 5); /* its metatable */
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, cp_plugin_ro_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_rawgeti(L, LUA_REGISTRYINDEX, pairs_ref);
  lua_setfield(L, -2, "__pairs");
  if (len) {
    lua_pushcfunction(L, len);
    lua_setfield(L, -2, "__len");
  }
  if (tostring_ref != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, tostring_ref);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

/* The small caches of views (persons, profiles): the cache table at
 * registry ref, slot + 1 -> view. cache_get pushes the view in slot when
 * held says the slot holds the wanted one (and returns 1); otherwise it
 * leaves the cache table on top for cache_put, which stores the view made
 * on top of it in slot and leaves the view on top. */
static int cache_get(lua_State *L, int ref, size_t slot, int held) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  if (held) {
    if (lua_rawgeti(L, -1, (lua_Integer)slot + 1) == LUA_TTABLE) {
      lua_remove(L, -2);
      return 1;
    }
    lua_pop(L, 1);
  }
  return 0;
}

static void cache_put(lua_State *L, size_t slot) {
  lua_pushvalue(L, -1);
  lua_rawseti(L, -3, (lua_Integer)slot + 1);
  lua_remove(L, -2);
}

/* person.profile: the codes as a list and a set, one table per profile
 * (people with the same post and service share it), kept in a small cache
 * by the profile's address. Runs in a closure with CODE_LIST. */
static void push_profile(lua_State *L, cp_rules *r, const uint32_t *list, uint32_t n) {
  size_t slot = ((uintptr_t)list / sizeof *list) % PROFILE_CACHE;
  if (cache_get(L, r->profile_views_ref, slot, r->profile_slot[slot] == list)) return;
  r->profile_slot[slot] = NULL; /* until the view is made (making it may raise) */
  lua_createtable(L, (int)n, (int)n);
  for (uint32_t k = 0; k < n; k++) {
    push_code(L, list[k]);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, (lua_Integer)k + 1);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->alias_mt_ref);
  lua_setmetatable(L, -2);
  wrap_proxy(L, r->list_pairs_ref, cp_plugin_ro_len, LUA_NOREF);
  cache_put(L, slot);
  r->profile_slot[slot] = list;
}

/* A person's view is a frozen table built once per rules object and kept in
 * a small cache (slot idx % PERSON_CACHE): mentors are pushed once per
 * candidate mentee, so their views are reused, while a run over everyone
 * keeps no more than the cache alive for the collector. The view is an empty
 * proxy whose metatable (its own, out of plugins' reach) reads through to a
 * data table holding the person's plain fields, so reading one costs a
 * table lookup, not a call into C. The data table's own metatable makes the
 * views that are built when first read (grades, profile, strengths) and
 * keeps them in the data table. */
static const char person_key = 0; /* data[&person_key] = the person's index */

static void push_opt_str(lua_State *L, const char *s) {
  if (s && *s) lua_pushstring(L, s);
  else lua_pushnil(L);
}

/* Field names, in pairs() order; the first PF_EAGER are in the data table
 * from the start, the others are made when first read. */
static const char *const person_fields[] = {"uuid", "name", "email", "post", "team", "service", "line_manager",
                                            "appointed", "days_in_post", "stage", "language", "mentor_capacity",
                                            "mentees", "retirement_year", "grades", "profile", "strengths", NULL};
enum { PF_EAGER = 14 };

/* data[person_fields[k - 1]] = the value on top (popped); keys holds the
 * field names as Lua strings, so none is hashed again. */
static void set_field(lua_State *L, int data, int keys, int k) {
  lua_rawgeti(L, keys, k);
  lua_insert(L, -2);
  lua_rawset(L, data);
}

static void build_person(lua_State *L, cp_rules *r, uint32_t idx) {
  const cp_snapshot *sn = r->snap;
  const cp_snap_person *p = &sn->people[idx];
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->person_keys_ref);
  int keys = lua_gettop(L);
  lua_createtable(L, 0, PF_EAGER + 4); /* the data */
  int data = lua_gettop(L);
  int k = 1;
  lua_pushstring(L, p->uuid), set_field(L, data, keys, k++);
  lua_pushstring(L, p->name), set_field(L, data, keys, k++);
  lua_pushstring(L, p->email), set_field(L, data, keys, k++);
  push_opt_str(L, p->post), set_field(L, data, keys, k++);
  push_opt_str(L, p->team), set_field(L, data, keys, k++);
  push_opt_str(L, p->service), set_field(L, data, keys, k++);
  push_opt_str(L, p->manager == CP_SNAP_NONE ? NULL : sn->people[p->manager].email), set_field(L, data, keys, k++);
  push_opt_str(L, p->appointed), set_field(L, data, keys, k++);
  if (*p->appointed) lua_pushinteger(L, cp_days_between(p->appointed, sn->today));
  else lua_pushnil(L);
  set_field(L, data, keys, k++);
  lua_pushstring(L, cp_stage_name(p->stage)), set_field(L, data, keys, k++);
  lua_pushstring(L, p->language), set_field(L, data, keys, k++);
  lua_pushinteger(L, p->mentor_capacity), set_field(L, data, keys, k++);
  lua_pushinteger(L, p->mentees), set_field(L, data, keys, k++);
  if (p->retirement_year) lua_pushinteger(L, p->retirement_year);
  else lua_pushnil(L);
  set_field(L, data, keys, k++);
  lua_pushlightuserdata(L, (void *)&person_key);
  lua_pushinteger(L, (lua_Integer)idx);
  lua_rawset(L, data);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->person_lazy_ref); /* the data's metatable */
  lua_setmetatable(L, data);
  wrap_proxy(L, r->person_pairs_ref, NULL, r->person_tostring_ref);
  lua_remove(L, keys);
}

static void push_person(lua_State *L, cp_rules *r, uint32_t idx) {
  size_t slot = idx % PERSON_CACHE;
  if (cache_get(L, r->person_views_ref, slot, r->person_slot[slot] == idx)) return;
  r->person_slot[slot] = CP_SNAP_NONE; /* until the view is made (making it may raise) */
  build_person(L, r, idx);
  cache_put(L, slot);
  r->person_slot[slot] = idx;
}

/* The data table's __index: the views made when first read, then kept in
 * the data table. Upvalues: CODE_LIST, CODE_INDEX, the rules. */
static int person_lazy(lua_State *L) {
  cp_rules *r = lua_touserdata(L, lua_upvalueindex(3));
  const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  if (!k) return 0;
  lua_pushlightuserdata(L, (void *)&person_key);
  lua_rawget(L, 1);
  uint32_t idx = (uint32_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  const cp_snapshot *sn = r->snap;
  const cp_snap_person *p = &sn->people[idx];
  if (!strcmp(k, "grades")) {
    pview *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->r = r;
    g->idx = idx;
    luaL_setmetatable(L, GRADES_MT);
  } else if (!strcmp(k, "profile")) {
    push_profile(L, r, p->profile, p->nprofile);
  } else if (!strcmp(k, "strengths")) {
    const person_rules *pr = &r->pr[idx];
    if (pr->state != 2) return 0; /* not known inside the person's own needs hook */
    push_codes(L, sn, pr->strengths, pr->nstrengths, 1);
  } else {
    return 0;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

static int person_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int i = 0;
  if (!lua_isnil(L, 2)) {
    const char *k = lua_tostring(L, 2);
    while (person_fields[i] && (!k || strcmp(person_fields[i], k))) i++;
    if (person_fields[i]) i++;
  }
  for (; person_fields[i]; i++) {
    lua_pushstring(L, person_fields[i]);
    lua_pushvalue(L, -1);
    lua_gettable(L, 1);
    if (!lua_isnil(L, -1)) return 2;
    lua_pop(L, 2);
  }
  return 0;
}

static int person_tostring(lua_State *L) {
  lua_getfield(L, 1, "email");
  lua_pushfstring(L, "person %s", lua_tostring(L, -1));
  return 1;
}

/* One need of one person: ctx.needs[i] and ctx.needs[code]. */
typedef struct nview {
  const cp_rules *r;
  uint32_t person, k;
} nview;

static int push_need_field(lua_State *L, const nview *v, const char *k) {
  const cp_need *nd = &v->r->pr[v->person].needs[v->k];
  if (!k) return 0;
  if (!strcmp(k, "statement")) push_code(L, nd->statement);
  else if (!strcmp(k, "priority")) lua_pushnumber(L, nd->priority);
  else if (!strcmp(k, "reason")) lua_pushstring(L, nd->reason);
  else if (!strcmp(k, "induction")) lua_pushboolean(L, nd->induction);
  else return 0;
  return 1;
}

static int need_index(lua_State *L) {
  const nview *v = VIEW_SELF(L);
  return push_need_field(L, v, lua_tostring(L, 2));
}

static int need_next(lua_State *L) {
  const nview *v = luaL_checkudata(L, 1, NEED_MT);
  int i = 0;
  if (!lua_isnil(L, 2)) {
    const char *k = lua_tostring(L, 2);
    while (need_fields[i] && (!k || strcmp(need_fields[i], k))) i++;
    if (need_fields[i]) i++;
  }
  if (!need_fields[i]) return 0;
  lua_pushstring(L, need_fields[i]);
  push_need_field(L, v, need_fields[i]);
  return 2;
}

static int need_tostring(lua_State *L) {
  const nview *v = luaL_checkudata(L, 1, NEED_MT);
  const cp_need *nd = &v->r->pr[v->person].needs[v->k];
  lua_pushfstring(L, "need %s (priority %f)", v->r->snap->statements[nd->statement].code, nd->priority);
  return 1;
}

/* __pairs of every view: its next function (upvalue 1), the view, nil. */
static int view_pairs(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/* ctx.needs_met(x): the sum of the priorities, and the number, of the
 * person's needs (ctx.needs) whose statement x develops or lists; x is an
 * activity, a codes view (person.strengths, person.profile) or a list of
 * statement codes. In C, so that a rule's commonest question costs one call.
 * Upvalues: the rules (light userdata), activity proxy -> index, the codes
 * views' metatable. */
static const int32_t *need_lookup(cp_rules *r, uint32_t person) {
  if (r->need_person != person) {
    if (r->need_person != CP_SNAP_NONE) {
      const person_rules *old = &r->pr[r->need_person];
      for (uint32_t i = 0; i < old->nneeds; i++) r->need_at[old->needs[i].statement] = -1;
    }
    const person_rules *pr = &r->pr[person];
    for (uint32_t i = 0; i < pr->nneeds; i++) r->need_at[pr->needs[i].statement] = (int32_t)i;
    r->need_person = person;
  }
  return r->need_at;
}

static int needs_met(lua_State *L) {
  cp_rules *r = lua_touserdata(L, lua_upvalueindex(1));
  double value = 0;
  lua_Integer count = 0;
  const person_rules *pr = r->ctx_needs_on ? &r->pr[r->ctx_person] : NULL;
  if (pr && pr->state == 2 && pr->nneeds) {
    const int32_t *at = need_lookup(r, r->ctx_person);
    const uint32_t *list = NULL;
    uint32_t n = 0;
    /* a codes view: its metatable is upvalue 3 (compared, not looked up
     * by name as luaL_testudata does, on a rule's commonest call) */
    cview *cv = NULL;
    if (lua_type(L, 1) == LUA_TUSERDATA && lua_getmetatable(L, 1)) {
      if (lua_rawequal(L, -1, lua_upvalueindex(3))) cv = lua_touserdata(L, 1);
      lua_pop(L, 1);
    }
    if (cv) {
      list = cv->list;
      n = cv->n;
    } else {
      luaL_checktype(L, 1, LUA_TTABLE);
      lua_pushvalue(L, 1);
      if (lua_rawget(L, lua_upvalueindex(2)) == LUA_TNUMBER) {
        const cp_snap_activity *a = &r->snap->activities[lua_tointeger(L, -1)];
        list = a->statements;
        n = a->nstatements;
      }
      lua_pop(L, 1);
    }
    if (list) {
      for (uint32_t i = 0; i < n; i++) {
        int32_t k = at[list[i]];
        if (k >= 0) value += pr->needs[k].priority, count++;
      }
    } else { /* a list of codes */
      lua_rawgeti(L, LUA_REGISTRYINDEX, r->code_index_ref);
      int ix = lua_gettop(L);
      lua_Integer len = luaL_len(L, 1);
      for (lua_Integer i = 1; i <= len; i++) {
        lua_geti(L, 1, i);
        int t = lua_rawget(L, ix);
        if (t == LUA_TNUMBER) {
          int32_t k = at[(uint32_t)lua_tointeger(L, -1)];
          if (k >= 0) value += pr->needs[k].priority, count++;
        }
        lua_pop(L, 1);
      }
    }
  }
  lua_pushnumber(L, value);
  lua_pushinteger(L, count);
  return 2;
}

/* A registry ref to the list of the first n names as Lua strings; the list
 * keeps them alive, so kept[i] (when given) can hold each one's address. */
static int ref_names(lua_State *L, const char *const *names, int n, const char **kept) {
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, names[i]);
    if (kept) kept[i] = lua_tostring(L, -1);
    lua_rawseti(L, -2, i + 1);
  }
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

static int views_open(lua_State *L) {
  cp_rules *r = lua_touserdata(L, 1);
  struct {
    const char *name;
    lua_CFunction index, next, len, tostring;
  } mts[] = {{CODES_MT, codes_index, codes_next, codes_len, NULL},
             {GRADES_MT, grades_index, grades_next, NULL, NULL},
             {NEED_MT, need_index, need_next, NULL, need_tostring}};
  const cp_snapshot *sn = r->snap;
  lua_createtable(L, (int)sn->nstatements, 0); /* CODE_LIST */
  lua_createtable(L, 0, (int)sn->nstatements); /* CODE_INDEX */
  for (size_t i = 0; i < sn->nstatements; i++) {
    lua_pushstring(L, sn->statements[i].code);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -4, (lua_Integer)i + 1);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, -3) == LUA_TNIL) { /* a code in two frameworks: the first, as cp_snapshot_statement */
      lua_pop(L, 1);
      lua_pushinteger(L, (lua_Integer)i);
      lua_rawset(L, -3);
    } else {
      lua_pop(L, 2);
    }
    lua_pushfstring(L, "%s:%s", sn->statements[i].framework, sn->statements[i].code);
    lua_pushinteger(L, (lua_Integer)i);
    lua_rawset(L, -3);
  }
  int list = lua_gettop(L) - 1, index = lua_gettop(L);
  lua_pushvalue(L, index);
  r->code_index_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  r->need_keys_ref = ref_names(L, need_fields, 4, r->need_key);
#define PUSH_VIEW_FN(f) (lua_pushvalue(L, list), lua_pushvalue(L, index), lua_pushcclosure(L, (f), 2))
  for (size_t i = 0; i < sizeof mts / sizeof *mts; i++) {
    luaL_newmetatable(L, mts[i].name);
    PUSH_VIEW_FN(mts[i].index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, cp_plugin_ro_newindex);
    lua_setfield(L, -2, "__newindex");
    PUSH_VIEW_FN(mts[i].next);
    lua_pushcclosure(L, view_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    if (mts[i].len) {
      lua_pushcfunction(L, mts[i].len);
      lua_setfield(L, -2, "__len");
    }
    if (mts[i].tostring) {
      lua_pushcfunction(L, mts[i].tostring);
      lua_setfield(L, -2, "__tostring");
    }
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  /* closures that also need the rules: upvalue 3 */
#define PUSH_FN_R(f) (lua_pushvalue(L, list), lua_pushvalue(L, index), lua_pushlightuserdata(L, r), lua_pushcclosure(L, (f), 3))
  /* what every person view shares (build_person) */
  r->person_keys_ref = ref_names(L, person_fields, PF_EAGER, NULL);
  lua_createtable(L, 0, 1);
  PUSH_FN_R(person_lazy);
  lua_setfield(L, -2, "__index");
  r->person_lazy_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushcfunction(L, person_next);
  lua_pushcclosure(L, view_pairs, 1);
  r->person_pairs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, 0, 1);
  PUSH_VIEW_FN(alias_index);
  lua_setfield(L, -2, "__index");
  r->alias_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushcfunction(L, list_next);
  lua_pushcclosure(L, view_pairs, 1);
  r->list_pairs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, PROFILE_CACHE, 0);
  r->profile_views_ref = luaL_ref(L, LUA_REGISTRYINDEX);
#undef PUSH_FN_R
#undef PUSH_VIEW_FN
  lua_pop(L, 2);
  lua_pushcfunction(L, person_tostring);
  r->person_tostring_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  /* activities: frozen tables; statements and stages as list + set */
  lua_createtable(L, 0, (int)sn->nactivities); /* code -> activity */
  for (size_t i = 0; i < sn->nactivities; i++) {
    const cp_snap_activity *a = &sn->activities[i];
    lua_createtable(L, 0, 16);
    const char *sf[][2] = {{"code", a->code},         {"title", a->title},       {"kind", a->kind},
                           {"strand", a->strand},     {"language", a->language}, {"provider", a->provider},
                           {"eligibility", a->eligibility}, {"awarding_body", a->awarding_body}};
    for (size_t k = 0; k < sizeof sf / sizeof *sf; k++) {
      lua_pushstring(L, sf[k][1]);
      lua_setfield(L, -2, sf[k][0]);
    }
    lua_pushnumber(L, a->days);
    lua_setfield(L, -2, "days");
    lua_pushnumber(L, a->cost);
    lua_setfield(L, -2, "cost");
    lua_pushnumber(L, a->credits);
    lua_setfield(L, -2, "credits");
    lua_createtable(L, (int)a->nstatements, (int)a->nstatements);
    for (uint32_t k = 0; k < a->nstatements; k++) {
      lua_pushstring(L, sn->statements[a->statements[k]].code);
      lua_pushvalue(L, -1);
      lua_rawseti(L, -3, k + 1);
      lua_pushboolean(L, 1);
      lua_rawset(L, -3);
    }
    cp_plugin_freeze(L);
    lua_setfield(L, -2, "statements");
    lua_createtable(L, (int)a->nprereqs, 0);
    for (uint32_t k = 0; k < a->nprereqs; k++) {
      lua_pushstring(L, sn->activities[a->prereqs[k]].code);
      lua_rawseti(L, -2, k + 1);
    }
    cp_plugin_freeze(L);
    lua_setfield(L, -2, "prerequisites");
    lua_createtable(L, 5, 5);
    int ns = 0;
    for (const char *s = a->stages; *s;) {
      size_t len = strcspn(s, " ");
      if (len) {
        lua_pushlstring(L, s, len);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, ++ns);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
      }
      s += len;
      s += strspn(s, " ");
    }
    cp_plugin_freeze(L);
    lua_setfield(L, -2, "stages");
    cp_plugin_freeze(L);
    lua_pushvalue(L, -1);
    r->act_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_setfield(L, -2, a->code);
  }
  cp_plugin_freeze(L);
  lua_createtable(L, PERSON_CACHE, 0);
  r->person_views_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, 0, 4); /* the run's ctx fields */
  lua_insert(L, -2);
  lua_setfield(L, -2, "activities");
  /* needs_met, with a map from each activity table to its index */
  lua_pushlightuserdata(L, r);
  lua_createtable(L, 0, (int)sn->nactivities);
  for (size_t i = 0; i < sn->nactivities; i++) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->act_ref[i]);
    lua_pushinteger(L, (lua_Integer)i);
    lua_rawset(L, -3);
  }
  luaL_getmetatable(L, CODES_MT);
  lua_pushcclosure(L, needs_met, 3);
  lua_setfield(L, -2, "needs_met");
  lua_pushstring(L, sn->cycle);
  lua_setfield(L, -2, "cycle");
  lua_pushstring(L, sn->today);
  lua_setfield(L, -2, "date");
  r->base_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

/* ---- life ---- */

void cp_rules_free(cp_rules *r) {
  if (!r) return;
  cp_plugin_host_free(r->host);
  if (r->pr) {
    for (size_t i = 0; i < r->snap->npeople; i++) {
      free(r->pr[i].needs);
      free(r->pr[i].strengths);
    }
  }
  free(r->pr);
  free(r->need_at);
  free(r->act_ref);
  cp_buf_free(&r->reason);
  cp_map_free(&r->reasons);
  for (size_t i = 0; i < r->nspecs; i++) {
    free((char *)r->specs[i].path);
    free((char *)r->specs[i].options_json);
  }
  free(r->specs);
  free(r->default_path);
  free(r);
}

int cp_rules_adopt_needs(cp_rules *dst, const cp_rules *src, uint32_t from, uint32_t to, cp_error *err) {
  if (!dst || !src || dst->snap != src->snap || to > dst->snap->npeople || from > to)
    return cp_error_set(err, CP_EINVAL, "cp_rules_adopt_needs: bad arguments");
  /* src's reasons are its own interned copies, so the same reason is the
   * same address: a few recent (src, dst) copies save hashing it again */
  const char *seen[8][2] = {{NULL, NULL}};
  for (uint32_t i = from; i < to; i++) {
    const person_rules *s = &src->pr[i];
    person_rules *d = &dst->pr[i];
    if (s->state != 2 || d->state != 0) continue;
    cp_need *nd = s->nneeds ? malloc(s->nneeds * sizeof *nd) : NULL;
    uint32_t *sv = s->nstrengths ? malloc(s->nstrengths * sizeof *sv) : NULL;
    int ok = (!s->nneeds || nd) && (!s->nstrengths || sv);
    for (uint32_t k = 0; ok && k < s->nneeds; k++) {
      nd[k] = s->needs[k];
      const char *why = s->needs[k].reason;
      size_t slot = ((uintptr_t)why >> 4) % 8;
      if (seen[slot][0] != why) {
        seen[slot][0] = why;
        seen[slot][1] = cp_map_intern(&dst->reasons, why); /* dst's own copy */
      }
      ok = (nd[k].reason = seen[slot][1]) != NULL;
      if (!ok) seen[slot][0] = NULL;
    }
    if (!ok) {
      free(nd);
      free(sv);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    if (s->nstrengths) memcpy(sv, s->strengths, s->nstrengths * sizeof *sv);
    d->needs = nd;
    d->nneeds = s->nneeds;
    d->strengths = sv;
    d->nstrengths = s->nstrengths;
    d->state = 2;
  }
  return 0;
}

int cp_rules_clone(cp_rules **out, const cp_rules *r, cp_error *err) {
  if (!out || !r) return cp_error_set(err, CP_EINVAL, "cp_rules_clone: missing argument");
  cp_rules_options o = CP_RULES_OPTIONS_INIT;
  o.plugins = r->specs;
  o.nplugins = r->nspecs;
  o.default_path = r->default_path;
  o.no_default = r->no_default;
  o.limits = r->limits;
  return cp_rules_new(out, r->snap, &o, err);
}

/* Keep a copy of opt for cp_rules_clone. */
static int keep_options(cp_rules *r, const cp_rules_options *opt) {
  r->no_default = opt->no_default;
  r->limits = opt->limits;
  if (opt->default_path && !(r->default_path = cp_strdup(opt->default_path))) return CP_ENOMEM;
  if (!opt->nplugins) return 0;
  r->specs = calloc(opt->nplugins, sizeof *r->specs);
  if (!r->specs) return CP_ENOMEM;
  for (size_t i = 0; i < opt->nplugins; i++, r->nspecs++) {
    const cp_plugin_spec *x = &opt->plugins[i];
    r->specs[i].path = x->path ? cp_strdup(x->path) : NULL;
    r->specs[i].options_json = x->options_json ? cp_strdup(x->options_json) : NULL;
    if ((x->path && !r->specs[i].path) || (x->options_json && !r->specs[i].options_json)) {
      r->nspecs++;
      return CP_ENOMEM;
    }
  }
  return 0;
}

const cp_snapshot *cp_rules_snapshot(const cp_rules *r) { return r ? r->snap : NULL; }
unsigned long cp_rules_calls(const cp_rules *r) { return r ? r->calls : 0; }
int cp_rules_strength_pairs(const cp_rules *r) {
  return r && r->has[CP_HOOK_SCORE_MENTOR] ? cp_plugin_strength_pairs(r->host) : 0;
}

int cp_rules_new(cp_rules **out, const cp_snapshot *snap, const cp_rules_options *opt, cp_error *err) {
  if (!out || !snap) return cp_error_set(err, CP_EINVAL, "cp_rules_new: missing argument");
  *out = NULL;
  cp_rules_options none = CP_RULES_OPTIONS_INIT;
  if (!opt) opt = &none;
  if (opt->version != CP_RULES_OPTIONS_VERSION)
    return cp_error_set(err, CP_EINVAL, "rules options: unsupported version %u", opt->version);
  cp_rules *r = calloc(1, sizeof *r);
  if (!r) return cp_error_set(err, CP_ENOMEM, "out of memory");
  r->snap = snap;
  cp_buf_init(&r->reason);
  cp_map_init(&r->reasons, false);
  for (int i = 0; i < NEEDS_CACHE; i++) {
    r->cache_ref[i] = LUA_NOREF;
    r->cache_person[i] = CP_SNAP_NONE;
  }
  for (int i = 0; i < PERSON_CACHE; i++) r->person_slot[i] = CP_SNAP_NONE;
  r->pr = calloc(snap->npeople ? snap->npeople : 1, sizeof *r->pr);
  r->act_ref = calloc(snap->nactivities ? snap->nactivities : 1, sizeof *r->act_ref);
  r->need_at = malloc((snap->nstatements ? snap->nstatements : 1) * sizeof *r->need_at);
  r->need_person = CP_SNAP_NONE;
  if (r->need_at) memset(r->need_at, 0xff, (snap->nstatements ? snap->nstatements : 1) * sizeof *r->need_at);
  int rc = r->pr && r->act_ref && r->need_at && !keep_options(r, opt) ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
  const cp_plugin_limits *lim = opt->limits.version ? &opt->limits : NULL;
  if (!rc) rc = cp_plugin_host_new(&r->host, lim, err);
  if (!rc) {
    r->L = cp_plugin_lua(r->host);
    lua_pushcfunction(r->L, views_open);
    lua_pushlightuserdata(r->L, r);
    if (lua_pcall(r->L, 1, 0, 0) != LUA_OK) {
      lua_pop(r->L, 1);
      rc = cp_error_set(err, CP_ELIMIT, "plugin host: the snapshot does not fit in the plugins' memory limit");
    }
  }
  if (!rc && !opt->no_default) {
    const char *def_opts = NULL;
    for (size_t i = 0; i < opt->nplugins; i++)
      if (opt->plugins[i].path && strcmp(opt->plugins[i].path, "default") == 0) def_opts = opt->plugins[i].options_json;
    if (opt->default_path) rc = cp_plugin_load_file(r->host, opt->default_path, def_opts, err);
    else if (!cp_rules_default_text()) rc = cp_error_set(err, CP_EINVAL, "the default rules are not built in");
    else rc = cp_plugin_load_text(r->host, cp_rules_default_name, cp_rules_default_text(), def_opts, err);
  }
  for (size_t i = 0; !rc && i < opt->nplugins; i++) {
    if (!opt->plugins[i].path || strcmp(opt->plugins[i].path, "default") == 0) continue;
    rc = cp_plugin_load_file(r->host, opt->plugins[i].path, opt->plugins[i].options_json, err);
  }
  if (rc) {
    cp_rules_free(r);
    return rc;
  }
  for (int h = 0; h < CP_HOOK_COUNT; h++) r->has[h] = cp_plugin_has_hook(r->host, cp_plugin_hook_name(h));
  set_ctx(r, 0);
  *out = r;
  return 0;
}

/* ---- reading results ---- */

/* The statement a returned code names, checked against the person's profile. */
/* what and i name the value in messages ("need 3"). */
static uint32_t checked_statement(lua_State *L, const cp_rules *r, uint32_t person, int idx, const char *what,
                                  lua_Integer i) {
  if (lua_type(L, idx) != LUA_TSTRING)
    return cp_plugin_bad_result(L, "%s %d that is a %s, not a statement code", what, (int)i, luaL_typename(L, idx)), 0;
  const char *code = lua_tostring(L, idx);
  idx = lua_absindex(L, idx);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->code_index_ref);
  lua_pushvalue(L, idx);
  uint32_t st = lua_rawget(L, -2) == LUA_TNUMBER ? (uint32_t)lua_tointeger(L, -1) : CP_SNAP_NONE;
  lua_pop(L, 2);
  if (st == CP_SNAP_NONE) return cp_plugin_bad_result(L, "%s %d naming unknown statement \"%s\"", what, (int)i, code), 0;
  if (cp_snapshot_profile_pos(&r->snap->people[person], st) < 0)
    return cp_plugin_bad_result(L, "%s %d naming statement %s, which is not in the person's profile", what, (int)i, code), 0;
  return st;
}

static int cmp_need(const void *a, const void *b) {
  const cp_need *x = a, *y = b;
  return x->statement < y->statement ? -1 : x->statement > y->statement;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct needs_io {
  cp_rules *r;
  uint32_t person;
  cp_need *needs;
  size_t n;
  uint32_t *strengths;
  size_t ns;
} needs_io;

static void needs_push(lua_State *L, void *ud) {
  needs_io *io = ud;
  push_person(L, io->r, io->person);
}


/* The reason at idx kept once in r->reasons. Hooks mostly return the same
 * few reason strings, the same Lua strings each time: a small cache by the
 * string's address (checked by content, as an address can be reused) saves
 * hashing them again. NULL when out of memory. */
static const char *intern_reason(lua_State *L, cp_rules *r, int idx) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  size_t slot = ((uintptr_t)s >> 4) % REASON_CACHE;
  reason_slot *c = &r->reason_cache[slot];
  if (c->lua == s && c->len == len && memcmp(c->kept, s, len) == 0) return c->kept;
  const char *kept = cp_map_intern(&r->reasons, s);
  if (kept && strlen(kept) == len) *c = (reason_slot){s, len, kept}; /* (not a text with a NUL in it) */
  return kept;
}

static void needs_read(lua_State *L, int first, int nres, void *ud) {
  needs_io *io = ud;
  cp_rules *r = io->r;
  luaL_checkstack(L, 10, "reading needs"); /* a hook's many results leave no room of their own */
  free(io->needs); /* read again: what a replaced hook returned came first */
  free(io->strengths);
  io->needs = NULL;
  io->strengths = NULL;
  io->n = io->ns = 0;
  if (nres >= 1 && !lua_isnil(L, first)) {
    if (lua_type(L, first) != LUA_TTABLE) cp_plugin_bad_result(L, "a %s (wanted a list of needs)", luaL_typename(L, first));
    lua_Integer n = luaL_len(L, first);
    if (n < 0 || n > (lua_Integer)r->snap->nstatements + 1) cp_plugin_bad_result(L, "%d needs, more than there are statements", (int)n);
    io->needs = calloc((size_t)n + 1, sizeof *io->needs);
    if (!io->needs) luaL_error(L, "out of memory");
    for (lua_Integer i = 1; i <= n; i++) {
      int t = lua_geti(L, first, i);
      if (t != LUA_TTABLE) cp_plugin_bad_result(L, "need %d as a %s (wanted a table {statement=, priority=, reason=, induction=})", (int)i, luaL_typename(L, -1));
      /* one pass over the need's fields (a plain table: its own fields, as
       * pairs() gives them), each value copied to its slot ni+1..ni+4 */
      int ni = lua_gettop(L);
      lua_settop(L, ni + 4);
      lua_pushnil(L);
      while (lua_next(L, ni)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        /* Lua keeps one copy of each short string (the field names are
         * short, and held in need_keys_ref): the pointer tells */
        int q = 0;
        while (q < 4 && (!k || k != r->need_key[q])) q++;
        if (q == 4) cp_plugin_bad_result(L, "need %d with unknown field %s (fields are statement, priority, reason, induction)", (int)i, k ? k : luaL_typename(L, -2));
        lua_copy(L, -1, ni + 1 + q);
        lua_pop(L, 1);
      }
      cp_need *nd = &io->needs[io->n];
      nd->statement = checked_statement(L, r, io->person, ni + 1, "need", i);
      if (lua_type(L, ni + 2) != LUA_TNUMBER) cp_plugin_bad_result(L, "need %d (%s) with priority %s (wanted a number > 0)", (int)i, r->snap->statements[nd->statement].code, luaL_typename(L, ni + 2));
      nd->priority = lua_tonumber(L, ni + 2);
      if (isnan(nd->priority)) cp_plugin_bad_result(L, "need %d (%s) with priority NaN (wanted a finite number > 0)", (int)i, r->snap->statements[nd->statement].code);
      if (!isfinite(nd->priority) || nd->priority <= 0) cp_plugin_bad_result(L, "need %d (%s) with priority %f (wanted a finite number > 0)", (int)i, r->snap->statements[nd->statement].code, nd->priority);
      int rt = lua_type(L, ni + 3);
      if (rt != LUA_TNIL && rt != LUA_TSTRING) cp_plugin_bad_result(L, "need %d with a %s reason (wanted a string)", (int)i, luaL_typename(L, ni + 3));
      nd->reason = rt == LUA_TSTRING ? intern_reason(L, r, ni + 3) : cp_map_intern(&r->reasons, "");
      if (!nd->reason) luaL_error(L, "out of memory");
      io->n++;
      int it = lua_type(L, ni + 4);
      if (it != LUA_TNIL && it != LUA_TBOOLEAN) cp_plugin_bad_result(L, "need %d with induction = %s (wanted true or false)", (int)i, luaL_typename(L, ni + 4));
      nd->induction = lua_toboolean(L, ni + 4);
      lua_settop(L, ni - 1);
    }
    qsort(io->needs, io->n, sizeof *io->needs, cmp_need);
    for (size_t i = 1; i < io->n; i++)
      if (io->needs[i].statement == io->needs[i - 1].statement)
        cp_plugin_bad_result(L, "statement %s as a need twice", r->snap->statements[io->needs[i].statement].code);
  }
  if (nres >= 2 && !lua_isnil(L, first + 1)) {
    int si = first + 1;
    if (lua_type(L, si) != LUA_TTABLE && lua_type(L, si) != LUA_TUSERDATA)
      cp_plugin_bad_result(L, "strengths as a %s (wanted a list of statement codes)", luaL_typename(L, si));
    lua_Integer n = luaL_len(L, si);
    if (n < 0 || n > (lua_Integer)r->snap->nstatements + 1) cp_plugin_bad_result(L, "%d strengths, more than there are statements", (int)n);
    io->strengths = calloc((size_t)n + 1, sizeof *io->strengths);
    if (!io->strengths) luaL_error(L, "out of memory");
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, si, i);
      io->strengths[io->ns++] = checked_statement(L, r, io->person, -1, "strength", i);
      lua_pop(L, 1);
    }
    qsort(io->strengths, io->ns, sizeof *io->strengths, cmp_u32);
    size_t w = 0;
    for (size_t i = 0; i < io->ns; i++)
      if (!w || io->strengths[w - 1] != io->strengths[i]) io->strengths[w++] = io->strengths[i];
    io->ns = w;
    for (size_t i = 0, k = 0; i < io->ns; i++) {
      while (k < io->n && io->needs[k].statement < io->strengths[i]) k++;
      if (k < io->n && io->needs[k].statement == io->strengths[i])
        cp_plugin_bad_result(L, "statement %s as both a need and a strength", r->snap->statements[io->strengths[i]].code);
    }
  }
}


static int ensure_needs(cp_rules *r, uint32_t person, cp_error *err) {
  person_rules *pr = &r->pr[person];
  if (pr->state == 2) return 0;
  if (!r->has[CP_HOOK_NEEDS]) {
    pr->state = 2;
    return 0;
  }
  needs_io io = {r, person, NULL, 0, NULL, 0};
  cp_hook_io hio = {needs_push, needs_read, &io, 1};
  pr->state = 1;
  set_ctx(r, 0);
  r->calls++;
  int rc = cp_plugin_invoke(r->host, CP_HOOK_NEEDS, &hio, r->snap->people[person].email, err);
  if (rc) {
    pr->state = 0;
    free(io.needs);
    free(io.strengths);
    return rc;
  }
  pr->needs = io.needs;
  pr->nneeds = (uint32_t)io.n;
  pr->strengths = io.strengths;
  pr->nstrengths = (uint32_t)io.ns;
  pr->state = 2;
  return 0;
}

/* ctx.needs of r->ctx_person, built when a hook first reads it and kept in a
 * small cache: a frozen list of need views, also indexed by statement code.
 * Runs inside the hook's protected call, so running out of memory here is
 * reported like any other error in the hook. */
static void push_ctx_needs(lua_State *L, void *ud) {
  cp_rules *r = ud;
  uint32_t person = r->ctx_person;
  size_t slot = person % NEEDS_CACHE;
  if (r->cache_person[slot] == person) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->cache_ref[slot]);
    return;
  }
  const person_rules *pr = &r->pr[person];
  luaL_getmetatable(L, NEED_MT);
  lua_createtable(L, (int)pr->nneeds, (int)pr->nneeds);
  for (uint32_t i = 0; i < pr->nneeds; i++) {
    nview *v = lua_newuserdatauv(L, sizeof *v, 0);
    v->r = r;
    v->person = person;
    v->k = i;
    lua_pushvalue(L, -3);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, i + 1);
    lua_setfield(L, -2, r->snap->statements[pr->needs[i].statement].code);
  }
  cp_plugin_freeze(L);
  lua_remove(L, -2); /* the metatable */
  lua_pushvalue(L, -1);
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (r->cache_ref[slot] != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, r->cache_ref[slot]);
  r->cache_ref[slot] = ref;
  r->cache_person[slot] = person;
}

/* ctx as the hooks see it: no needs (while computing needs), or person's. */
static void set_ctx(cp_rules *r, int with_needs) {
  cp_ctx_slot slot = {r->base_ref, with_needs ? push_ctx_needs : NULL, r};
  r->ctx_needs_on = with_needs;
  cp_plugin_set_ctx(r->host, &slot);
}

/* Make ctx.needs the needs of person for the next call. */
static int set_needs_ctx(cp_rules *r, uint32_t person, cp_error *err) {
  int rc = ensure_needs(r, person, err);
  if (rc) return rc;
  r->ctx_person = person;
  set_ctx(r, 1);
  return 0;
}

int cp_rules_needs(cp_rules *r, uint32_t person, const cp_need **needs, size_t *n, cp_error *err) {
  *needs = NULL;
  *n = 0;
  if (!r || person >= r->snap->npeople) return cp_error_set(err, CP_EINVAL, "cp_rules_needs: no such person");
  int rc = ensure_needs(r, person, err);
  if (rc) return rc;
  *needs = r->pr[person].needs;
  *n = r->pr[person].nneeds;
  return 0;
}

int cp_rules_strengths(cp_rules *r, uint32_t person, const uint32_t **statements, size_t *n, cp_error *err) {
  *statements = NULL;
  *n = 0;
  if (!r || person >= r->snap->npeople) return cp_error_set(err, CP_EINVAL, "cp_rules_strengths: no such person");
  int rc = ensure_needs(r, person, err);
  if (rc) return rc;
  *statements = r->pr[person].strengths;
  *n = r->pr[person].nstrengths;
  return 0;
}

/* ---- two-argument hooks ---- */

typedef struct pair_io {
  cp_rules *r;
  uint32_t a, b;
  int second_is_person;
  int kind;  /* 0 eligible, 1 score */
  int ok, has;
  double score;
} pair_io;

static void pair_push(lua_State *L, void *ud) {
  pair_io *io = ud;
  push_person(L, io->r, io->a);
  if (io->second_is_person) push_person(L, io->r, io->b);
  else lua_rawgeti(L, LUA_REGISTRYINDEX, io->r->act_ref[io->b]);
}

/* Whether the hook returned a reason at idx: 0 when none (or nil), 1 for a
 * string; anything else is a bad result. */
static int has_reason(lua_State *L, int idx, int nres, int first) {
  if (idx - first >= nres || lua_isnil(L, idx)) return 0;
  if (lua_type(L, idx) != LUA_TSTRING) cp_plugin_bad_result(L, "a %s as its reason (wanted a string)", luaL_typename(L, idx));
  return 1;
}

static void read_reason(lua_State *L, cp_rules *r, int idx, int nres, int first) {
  cp_buf_reset(&r->reason);
  if (!has_reason(L, idx, nres, first)) {
    cp_buf_puts(&r->reason, "");
    return;
  }
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  cp_buf_append(&r->reason, s, len);
  if (r->reason.oom) luaL_error(L, "out of memory");
}

/* A score hook's first result: nil (no value) or a number >= 0. */
static void read_score(lua_State *L, int first, int nres, int *has, double *score) {
  int t = nres >= 1 ? lua_type(L, first) : LUA_TNIL;
  if (t == LUA_TNIL) {
    *has = 0;
    return;
  }
  if (t != LUA_TNUMBER) cp_plugin_bad_result(L, "a %s (wanted a number >= 0, or nil)", luaL_typename(L, first));
  double x = lua_tonumber(L, first);
  if (isnan(x)) cp_plugin_bad_result(L, "NaN (wanted a number >= 0, or nil)");
  if (!isfinite(x)) cp_plugin_bad_result(L, "an infinite score (wanted a number >= 0, or nil)");
  if (x < 0) cp_plugin_bad_result(L, "%f (scores must be >= 0; return nil for no value)", x);
  *has = 1;
  *score = x;
}

static void pair_read(lua_State *L, int first, int nres, void *ud) {
  pair_io *io = ud;
  if (io->kind == 0) {
    int t = nres >= 1 ? lua_type(L, first) : LUA_TNIL;
    if (t != LUA_TBOOLEAN)
      cp_plugin_bad_result(L, "%s%s (wanted true or false, then an optional reason)", t == LUA_TNIL ? "" : "a ", nres ? luaL_typename(L, first) : "nothing");
    io->ok = lua_toboolean(L, first);
  } else {
    read_score(L, first, nres, &io->has, &io->score);
  }
  read_reason(L, io->r, first + 1, nres, first);
}

/* Call hook on (io->a, io->b) with ctx.needs the needs of io->a. */
static int pair_call(cp_rules *r, int hook, pair_io *io, cp_error *err) {
  int rc = io->second_is_person ? ensure_needs(r, io->b, err) : 0;
  if (!rc) rc = set_needs_ctx(r, io->a, err); /* computes io->a's needs first */
  if (rc) return rc;
  cp_hook_io hio = {pair_push, pair_read, io, 1};
  r->calls++;
  return cp_plugin_invoke(r->host, hook, &hio, r->snap->people[io->a].email, err);
}

int cp_rules_eligible(cp_rules *r, uint32_t person, uint32_t activity, int *ok, const char **reason, cp_error *err) {
  *ok = 1;
  if (reason) *reason = "";
  if (!r || person >= r->snap->npeople || activity >= r->snap->nactivities)
    return cp_error_set(err, CP_EINVAL, "cp_rules_eligible: no such person or activity");
  if (!r->has[CP_HOOK_ELIGIBLE]) return 0;
  pair_io io = {r, person, activity, 0, 0, 1, 0, 0};
  int rc = pair_call(r, CP_HOOK_ELIGIBLE, &io, err);
  if (rc) return rc;
  *ok = io.ok;
  if (reason) *reason = r->reason.data ? r->reason.data : "";
  return 0;
}

/* score_activity or score_mentor: a and b are the hook's two arguments. */
static int score_pair(cp_rules *r, int hook, uint32_t a, uint32_t b, int *has, double *score, const char **reason,
                      cp_error *err) {
  *has = 0;
  *score = 0;
  if (reason) *reason = "";
  int b_is_person = hook == CP_HOOK_SCORE_MENTOR;
  if (!r || a >= r->snap->npeople || b >= (b_is_person ? r->snap->npeople : r->snap->nactivities))
    return cp_error_set(err, CP_EINVAL, "cp_rules_%s: no such person or activity", cp_plugin_hook_name(hook));
  if (!r->has[hook]) return 0;
  pair_io io = {r, a, b, b_is_person, 1, 0, 0, 0};
  int rc = pair_call(r, hook, &io, err);
  if (rc) return rc;
  *has = io.has;
  *score = io.score;
  if (reason) *reason = r->reason.data ? r->reason.data : "";
  return 0;
}

int cp_rules_score_activity(cp_rules *r, uint32_t person, uint32_t activity, int *has, double *score,
                            const char **reason, cp_error *err) {
  return score_pair(r, CP_HOOK_SCORE_ACTIVITY, person, activity, has, score, reason, err);
}

int cp_rules_score_mentor(cp_rules *r, uint32_t mentee, uint32_t mentor, int *has, double *score,
                          const char **reason, cp_error *err) {
  return score_pair(r, CP_HOOK_SCORE_MENTOR, mentee, mentor, has, score, reason, err);
}

/* One person's many pairs in one protected call (cp_plugin_invoke_each). */
typedef struct batch_io {
  cp_rules *r;
  uint32_t a;
  const uint32_t *b;
  int second_is_person;
  size_t k;
  double *score; /* 0 for no value */
} batch_io;

static void batch_at(void *ud, size_t k) { ((batch_io *)ud)->k = k; }

static void batch_push(lua_State *L, void *ud) {
  batch_io *io = ud;
  push_person(L, io->r, io->a);
  if (io->second_is_person) push_person(L, io->r, io->b[io->k]);
  else lua_rawgeti(L, LUA_REGISTRYINDEX, io->r->act_ref[io->b[io->k]]);
}

static void batch_read(lua_State *L, int first, int nres, void *ud) {
  batch_io *io = ud;
  int has;
  double x = 0;
  read_score(L, first, nres, &has, &x);
  io->score[io->k] = has ? x : 0;
  has_reason(L, first + 1, nres, first); /* checked, not kept */
}

static int score_batch(cp_rules *r, int hook, uint32_t a, const uint32_t *b, size_t n, double *score, cp_error *err) {
  int b_is_person = hook == CP_HOOK_SCORE_MENTOR;
  const cp_snapshot *sn = r ? r->snap : NULL;
  if (!r || a >= sn->npeople) return cp_error_set(err, CP_EINVAL, "cp_rules_%ss: no such person", cp_plugin_hook_name(hook));
  for (size_t k = 0; k < n; k++) {
    score[k] = 0;
    if (b[k] >= (b_is_person ? sn->npeople : sn->nactivities))
      return cp_error_set(err, CP_EINVAL, "cp_rules_%ss: no such person or activity", cp_plugin_hook_name(hook));
  }
  if (!r->has[hook] || !n) return 0;
  int rc = 0;
  for (size_t k = 0; !rc && b_is_person && k < n; k++) rc = ensure_needs(r, b[k], err);
  if (!rc) rc = set_needs_ctx(r, a, err);
  if (rc) return rc;
  batch_io io = {r, a, b, b_is_person, 0, score};
  cp_hook_io hio = {batch_push, batch_read, &io, 1};
  r->calls += n;
  return cp_plugin_invoke_each(r->host, hook, &hio, n, batch_at, sn->people[a].email, err);
}

int cp_rules_score_activities(cp_rules *r, uint32_t person, const uint32_t *activities, size_t n, double *score,
                              cp_error *err) {
  return score_batch(r, CP_HOOK_SCORE_ACTIVITY, person, activities, n, score, err);
}

int cp_rules_score_mentors(cp_rules *r, uint32_t mentee, const uint32_t *mentors, size_t n, double *score,
                           cp_error *err) {
  return score_batch(r, CP_HOOK_SCORE_MENTOR, mentee, mentors, n, score, err);
}

/* ---- induction ---- */

typedef struct induction_io {
  cp_rules *r;
  uint32_t person;
  uint32_t *acts;
  size_t n;
} induction_io;

static void induction_push(lua_State *L, void *ud) {
  induction_io *io = ud;
  push_person(L, io->r, io->person);
}

static void induction_read(lua_State *L, int first, int nres, void *ud) {
  induction_io *io = ud;
  free(io->acts); /* read again: what a replaced hook returned came first */
  io->acts = NULL;
  io->n = 0;
  if (nres < 1 || lua_isnil(L, first)) return;
  if (lua_type(L, first) != LUA_TTABLE) cp_plugin_bad_result(L, "a %s (wanted a list of activity codes)", luaL_typename(L, first));
  lua_Integer n = luaL_len(L, first);
  if (n < 0 || n > (lua_Integer)io->r->snap->nactivities * 4 + 16) cp_plugin_bad_result(L, "%d activities, more than the catalogue holds", (int)n);
  io->acts = calloc((size_t)n + 1, sizeof *io->acts);
  if (!io->acts) luaL_error(L, "out of memory");
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, first, i);
    if (lua_type(L, -1) != LUA_TSTRING) cp_plugin_bad_result(L, "item %d as a %s (wanted an activity code)", (int)i, luaL_typename(L, -1));
    uint32_t a = cp_snapshot_activity(io->r->snap, lua_tostring(L, -1));
    if (a == CP_SNAP_NONE) cp_plugin_bad_result(L, "unknown activity \"%s\"", lua_tostring(L, -1));
    int dup = 0;
    for (size_t k = 0; k < io->n; k++) dup |= io->acts[k] == a;
    if (!dup) io->acts[io->n++] = a;
    lua_pop(L, 1);
  }
}

int cp_rules_induction(cp_rules *r, uint32_t person, uint32_t **acts, size_t *n, cp_error *err) {
  *acts = NULL;
  *n = 0;
  if (!r || person >= r->snap->npeople) return cp_error_set(err, CP_EINVAL, "cp_rules_induction: no such person");
  if (!r->has[CP_HOOK_INDUCTION]) return 0;
  int rc = set_needs_ctx(r, person, err);
  if (rc) return rc;
  induction_io io = {r, person, NULL, 0};
  cp_hook_io hio = {induction_push, induction_read, &io, 1};
  r->calls++;
  rc = cp_plugin_invoke(r->host, CP_HOOK_INDUCTION, &hio, r->snap->people[person].email, err);
  if (rc) {
    free(io.acts);
    return rc;
  }
  if (!io.n) {
    free(io.acts);
    io.acts = NULL;
  }
  *acts = io.acts;
  *n = io.n;
  return 0;
}
