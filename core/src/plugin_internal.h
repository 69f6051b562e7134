/* plugin_internal.h: what the rules layer (rules.c) needs from the plugin
 * host beyond the public API: the Lua state, freezing, the per-call ctx
 * slots and a protected hook call whose arguments and results are pushed and
 * read by callbacks, so that typed hooks marshal nothing twice. Internal. */
#ifndef CP_PLUGIN_INTERNAL_H
#define CP_PLUGIN_INTERNAL_H

#include <lua.h>

#include "cpdplan/plugin.h"

enum { CP_HOOK_NEEDS, CP_HOOK_ELIGIBLE, CP_HOOK_SCORE_ACTIVITY, CP_HOOK_SCORE_MENTOR, CP_HOOK_INDUCTION, CP_HOOK_COUNT };

lua_State *cp_plugin_lua(cp_plugin_host *h);
/* Replace the table on top of the stack with a read-only proxy of it. */
void cp_plugin_freeze(lua_State *L);
/* Raise "attempt to modify a read-only table" (usable as __newindex). */
int cp_plugin_ro_newindex(lua_State *L);
/* The length of a read-only proxy: that of the table it reads through to
 * (usable as __len). */
int cp_plugin_ro_len(lua_State *L);
const char *cp_plugin_hook_name(int hook);
/* What the plugin whose score_mentor runs (the last to provide it)
 * declares with mentor_pairs: 1 "strengths" (it values a pair only when the
 * mentor has a strength on one of the mentee's needs), 2 "strengths in
 * service" (and only within the mentee's service), 0 nothing (every pair
 * must be scored). A function is asked once, with the plugin's ctx. */
int cp_plugin_strength_pairs(cp_plugin_host *h);

/* What ctx shows during the next calls: its fields come from the table
 * referenced by base_ref (registry ref, LUA_NOREF for none), except needs,
 * which needs(L, ud) pushes when a hook first reads it (NULL: from the base
 * table). needs runs inside the hook's protected call and may raise. */
typedef void (*cp_ctx_needs_fn)(lua_State *L, void *ud);
typedef struct cp_ctx_slot {
  int base_ref;
  cp_ctx_needs_fn needs;
  void *ud;
} cp_ctx_slot;
void cp_plugin_set_ctx(cp_plugin_host *h, const cp_ctx_slot *slot);
void cp_plugin_get_ctx(const cp_plugin_host *h, cp_ctx_slot *slot);

/* A typed hook call. push pushes the hook's arguments (its arity) and may
 * raise; read gets the results at stack indexes first..first+nres-1 and may
 * raise with cp_plugin_bad_result. Both run inside the protected call. With
 * reread, read also checks what each replaced hook returns to a later one
 * through ctx.previous (a bad value is then located at the replaced hook),
 * so it must accept being run more than once per call. */
typedef struct cp_hook_io {
  void (*push)(lua_State *L, void *ud);
  void (*read)(lua_State *L, int first, int nres, void *ud);
  void *ud;
  int reread;
} cp_hook_io;
int cp_plugin_invoke(cp_plugin_host *h, int hook, const cp_hook_io *io, const char *person, cp_error *err);
/* n calls of hook in one protected call (for a person's many pairs): before
 * call k, at(io->ud, k) selects its arguments; each call has its own budget
 * and is checked as cp_plugin_invoke's is. The first error stops the rest;
 * the calls before it are done. */
int cp_plugin_invoke_each(cp_plugin_host *h, int hook, const cp_hook_io *io, size_t n,
                          void (*at)(void *ud, size_t k), const char *person, cp_error *err);
/* Raise "FILE:LINE: <hook> returned ..." located at the hook that ran. */
int cp_plugin_bad_result(lua_State *L, const char *fmt, ...);

#endif
