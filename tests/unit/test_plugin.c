/* test_plugin.c: the Lua plugin host: loading and validation, hook results,
 * ctx.previous chaining, read-only arguments, and hostile plugins (loops,
 * memory bombs, escapes from the sandbox, bad results) that must fail with a
 * clear message while the host stays usable. Logs the cost of a trivial call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpdplan/plugin.h"

#define PLUGINS CP_TEST_DATA "/plugins/"

/* A person: grades {A=3, B=1, C=4}, stage new. */
static const char *grade_keys[] = {"A", "B", "C"};
static cp_lval grade_vals[3];
static const char *person_keys[] = {"email", "stage", "grades", "mentor_capacity"};
static cp_lval person_vals[4];
static cp_lval person;
static const char *stmts_list[] = {"A", "C"};
static cp_lval stmt_vals[2];
static const char *act_keys[] = {"code", "kind", "statements"};
static cp_lval act_vals[3];
static cp_lval activity;

static void make_fixtures(void) {
  grade_vals[0] = cp_lval_num(3);
  grade_vals[1] = cp_lval_num(1);
  grade_vals[2] = cp_lval_num(4);
  person_vals[0] = cp_lval_str("ann@example.gov.uk");
  person_vals[1] = cp_lval_str("new");
  person_vals[2] = cp_lval_map(grade_keys, grade_vals, 3);
  person_vals[3] = cp_lval_num(2);
  person = cp_lval_map(person_keys, person_vals, 4);
  stmt_vals[0] = cp_lval_str(stmts_list[0]);
  stmt_vals[1] = cp_lval_str(stmts_list[1]);
  act_vals[0] = cp_lval_str("SEC-1");
  act_vals[1] = cp_lval_str("secondment");
  act_vals[2] = cp_lval_list(stmt_vals, 2);
  activity = cp_lval_map(act_keys, act_vals, 3);
}

static cp_plugin_host *new_host(void) {
  cp_plugin_limits lim = CP_PLUGIN_LIMITS_INIT;
  lim.instructions = 2000000;
  lim.memory = (size_t)32 << 20;
  lim.wall_ms = 3000;
  cp_plugin_host *h = NULL;
  cp_error err;
  cp_error_clear(&err);
  assert_int_equal(cp_plugin_host_new(&h, &lim, &err), 0);
  return h;
}

static void load_ok(cp_plugin_host *h, const char *file, const char *opts) {
  char path[1024];
  cp_error err;
  snprintf(path, sizeof path, PLUGINS "%s", file);
  int rc = cp_plugin_load_file(h, path, opts, &err);
  if (rc) fail_msg("%s", err.msg);
}

static void test_good_plugin(void **state) {
  (void)state;
  cp_plugin_host *h = new_host();
  cp_error err;
  load_ok(h, "good.lua", NULL);
  cp_lval r;
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), 0);
  assert_int_equal(r.kind, CP_LVAL_LIST);
  assert_int_equal(r.n, 2);
  assert_string_equal(cp_lval_get(&r.items[0], "statement")->str, "A");
  assert_true(cp_lval_get(&r.items[1], "priority")->num == 4);
  assert_string_equal(cp_lval_get(&r.items[1], "reason")->str, "graded 4");
  cp_lval_clear(&r);

  cp_lval args[2] = {person, activity};
  assert_int_equal(cp_plugin_call(h, "eligible", args, 2, &r, "ann", &err), 0);
  assert_int_equal(r.kind, CP_LVAL_MULTI);
  assert_int_equal(r.n, 2);
  assert_int_equal(r.items[0].kind, CP_LVAL_BOOL);
  assert_false(r.items[0].b);
  assert_string_equal(r.items[1].str, "secondments are for established staff");
  cp_lval_clear(&r);

  assert_int_equal(cp_plugin_call(h, "score_activity", args, 2, &r, "ann", &err), 0);
  assert_int_equal(r.kind, CP_LVAL_NUMBER);
  assert_true(r.num > 2.29 && r.num < 2.31);
  cp_lval_clear(&r);

  /* ctx fields from an extra map argument */
  const char *ck[] = {"cycle"};
  cp_lval cv[] = {cp_lval_str("2026-27")};
  cp_lval iargs[2] = {person, cp_lval_map(ck, cv, 1)};
  assert_int_equal(cp_plugin_call(h, "induction", iargs, 2, &r, "ann", &err), 0);
  assert_int_equal(r.kind, CP_LVAL_LIST);
  assert_int_equal(r.n, 3);
  assert_string_equal(r.items[2].str, "2026-27");
  cp_lval_clear(&r);

  assert_int_equal(cp_plugin_call(h, "nope", args, 2, &r, "ann", &err), CP_EINVAL);
  cp_plugin_host_free(h);
}

static void test_chaining(void **state) {
  (void)state;
  cp_plugin_host *h = new_host();
  cp_error err;
  load_ok(h, "good.lua", NULL);
  load_ok(h, "chain.lua", "{\"bonus\": 5}");
  cp_lval args[2] = {person, activity}, r;
  assert_int_equal(cp_plugin_call(h, "score_activity", args, 2, &r, "ann", &err), 0);
  assert_int_equal(r.kind, CP_LVAL_NUMBER);
  assert_true(r.num > 27.9 && r.num < 28.1); /* 2.3 * 10 + 5 */
  cp_lval_clear(&r);
  /* a third layer reaches both */
  load_ok(h, "chain.lua", NULL);
  assert_int_equal(cp_plugin_call(h, "score_activity", args, 2, &r, "ann", &err), 0);
  assert_true(r.num > 279.9 && r.num < 280.1);
  cp_lval_clear(&r);
  assert_int_equal(cp_plugin_load_file(h, PLUGINS "good.lua", "{bad json", &err), CP_EPARSE);
  cp_plugin_host_free(h);
}

static void hostile(const char *file, const char *expect, int code) {
  cp_plugin_host *h = new_host();
  cp_error err;
  char path[1024];
  load_ok(h, "good.lua", NULL);
  snprintf(path, sizeof path, PLUGINS "%s", file);
  load_ok(h, file, NULL);
  cp_lval args[2] = {person, activity}, r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = cp_plugin_call(h, "eligible", args, 2, &r, "ann@example.gov.uk", &err);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  print_message("%-16s %6.1f ms  %s\n", file, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
                err.msg);
  assert_int_equal(rc, code);
  assert_int_equal(r.kind, CP_LVAL_NIL);
  if (!strstr(err.msg, expect)) fail_msg("%s: expected \"%s\" in \"%s\"", file, expect, err.msg);
  assert_non_null(strstr(err.msg, "(in hook eligible for person ann@example.gov.uk)"));
  assert_int_equal(strncmp(err.msg, "plugin ", 7), 0);
  assert_non_null(strstr(err.msg, path));
  /* still usable */
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), 0);
  assert_int_equal(r.n, 2);
  cp_lval_clear(&r);
  load_ok(h, "chain.lua", NULL);
  assert_int_equal(cp_plugin_call(h, "score_activity", args, 2, &r, "ann", &err), 0);
  cp_lval_clear(&r);
  cp_plugin_host_free(h);
}

static void test_hostile_calls(void **state) {
  (void)state;
  hostile("loop.lua", "loop.lua:6: instruction limit exceeded", CP_ELIMIT);
  hostile("loop_pcall.lua", "instruction limit exceeded", CP_ELIMIT);
  hostile("mem_string.lua", "mem_string.lua:6: memory limit of 33554432 bytes exceeded", CP_ELIMIT);
  hostile("mem_table.lua", "mem_table.lua:6: memory limit", CP_ELIMIT);
  hostile("io.lua", "io.lua:6: attempt to index a nil value (global 'io')", CP_EINVAL);
  hostile("os.lua", "attempt to index a nil value (global 'os')", CP_EINVAL);
  hostile("require.lua", "attempt to call a nil value (global 'require')", CP_EINVAL);
  hostile("load_binary.lua", "attempt to call a nil value (global 'load')", CP_EINVAL);
  hostile("dump.lua", "attempt to call a nil value (field 'dump')", CP_EINVAL);
  hostile("write_arg.lua", "write_arg.lua:6: attempt to modify a read-only table", CP_EINVAL);
  hostile("write_nested.lua", "write_nested.lua:6: attempt to modify a read-only table", CP_EINVAL);
  hostile("ret_function.lua", "returned a function", CP_EINVAL);
  hostile("ret_nan.lua", "returned NaN", CP_EINVAL);
  hostile("ret_inf.lua", "returned an infinite number", CP_EINVAL);
}

/* The pattern guard lets the trim idiom through on ordinary strings and
 * refuses it where its worst case would exceed the budget (2M here). */
static void test_pattern_guard(void **state) {
  (void)state;
  static const char trim[] =
      "return {name = 'trim', version = '1', api = 1, hooks = {\n"
      "  needs = function(person, ctx)\n"
      "    local n = ctx.options.n\n"
      "    local s = '  ' .. string.rep('a b ', n // 4) .. '  '\n"
      "    local t = s:match('^%s*(.-)%s*$')\n"
      "    if #t ~= #s - 5 then error('trimmed to ' .. #t) end\n"
      "    return {}\n"
      "  end}}\n";
  cp_lval r;
  cp_error err;
  cp_plugin_host *h = new_host();
  assert_int_equal(cp_plugin_load_text(h, "trim.lua", trim, "{\"n\": 200}", &err), 0);
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), 0);
  cp_lval_clear(&r);
  cp_plugin_host_free(h);
  h = new_host();
  assert_int_equal(cp_plugin_load_text(h, "trim.lua", trim, "{\"n\": 400}", &err), 0);
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), CP_EINVAL);
  assert_non_null(strstr(err.msg, "trim.lua:5: pattern too costly: on a subject of 404 bytes"));
  cp_plugin_host_free(h);
}

static void test_recursion(void **state) {
  (void)state;
  cp_plugin_host *h = new_host();
  cp_error err;
  load_ok(h, "recurse.lua", NULL);
  cp_lval r;
  int rc = cp_plugin_call(h, "eligible", &person, 1, &r, "ann", &err);
  print_message("recurse.lua: %s\n", err.msg);
  assert_true(rc < 0);
  assert_true(strstr(err.msg, "stack overflow") || strstr(err.msg, "memory limit") ||
              strstr(err.msg, "instruction limit"));
  load_ok(h, "good.lua", NULL);
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), 0);
  cp_lval_clear(&r);
  cp_plugin_host_free(h);
}

static void load_fails(const char *file, const char *expect, long line) {
  cp_plugin_host *h = new_host();
  cp_error err;
  char path[1024], want[1200];
  snprintf(path, sizeof path, PLUGINS "%s", file);
  snprintf(want, sizeof want, "plugin %s%s", path, expect);
  assert_int_equal(cp_plugin_load_file(h, path, NULL, &err), CP_EINVAL);
  print_message("%s\n", err.msg);
  if (strcmp(err.msg, want) != 0) fail_msg("expected \"%s\" got \"%s\"", want, err.msg);
  assert_string_equal(err.file, path);
  assert_int_equal(err.line, line);
  assert_false(cp_plugin_has_hook(h, "needs"));
  load_ok(h, "good.lua", NULL);
  assert_true(cp_plugin_has_hook(h, "needs"));
  cp_plugin_host_free(h);
}

static void test_load_errors(void **state) {
  (void)state;
  load_fails("syntax.lua", ":4: unexpected symbol near 'end'", 4);
  load_fails("wrong_api.lua", ": unsupported api 2 (this host supports api = 1)", 0);
  load_fails("misspelt.lua", ": unknown hook \"score_mentr\" (did you mean \"score_mentor\"?)", 0);

  cp_plugin_host *h = new_host();
  cp_error err;
  /* bytecode is refused at load */
  assert_int_equal(cp_plugin_load_string(h, "bin.lua", "\033Lua\x54", &err), CP_EINVAL);
  assert_non_null(strstr(err.msg, "attempt to load a binary chunk"));
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "return 1", &err), CP_EINVAL);
  assert_string_equal(err.msg, "plugin x.lua: must return a table (got number)");
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "return {name='a', version='1', api=1, hook={}}", &err),
                   CP_EINVAL);
  assert_string_equal(err.msg, "plugin x.lua: unknown field \"hook\" (did you mean \"hooks\"?)");
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "return {name='a', version='1', api=1, hooks={needs=3}}", &err),
                   CP_EINVAL);
  assert_string_equal(err.msg, "plugin x.lua: hook \"needs\" must be a function (got number)");
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "\nerror('boom')", &err), CP_EINVAL);
  assert_string_equal(err.msg, "plugin x.lua:2: boom");
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "while true do end", &err), CP_ELIMIT);
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "string.x = 1", &err), CP_EINVAL);
  assert_non_null(strstr(err.msg, "read-only"));
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "setmetatable({}, {__gc = print})", &err), CP_EINVAL);
  assert_int_equal(cp_plugin_load_string(h, "x.lua", "return getmetatable('').__index", &err), CP_EINVAL);
  assert_int_equal(cp_plugin_load_file(h, PLUGINS "missing.lua", NULL, &err), CP_EIO);
  /* globals of one plugin do not leak into the library table */
  assert_int_equal(cp_plugin_load_string(h, "g.lua", "math = 1 x = 2 return {name='g',version='1',api=1,hooks={}}",
                                         &err), 0);
  assert_int_equal(cp_plugin_load_string(h, "h.lua",
                                         "assert(x == nil and type(math) == 'table') "
                                         "return {name='h',version='1',api=1,hooks={}}",
                                         &err), 0);
  cp_plugin_host_free(h);
}

static void test_deadline_and_cycles(void **state) {
  (void)state;
  cp_plugin_limits lim = CP_PLUGIN_LIMITS_INIT;
  lim.instructions = (uint64_t)1 << 40;
  lim.wall_ms = 50;
  cp_plugin_host *h = NULL;
  cp_error err;
  assert_int_equal(cp_plugin_host_new(&h, &lim, &err), 0);
  assert_int_equal(cp_plugin_load_string(h, "slow.lua",
                                         "return {name='s',version='1',api=1,hooks={"
                                         "needs=function(p, ctx) while true do end end,\n"
                                         "induction=function(p, ctx) local t = {} t[1] = t t[2] = t return t end}}",
                                         &err), 0);
  cp_lval r;
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), CP_ELIMIT);
  assert_string_equal(err.msg, "plugin slow.lua:1: time limit exceeded (in hook needs for person ann)");
  assert_string_equal(err.file, "slow.lua");
  assert_int_equal(err.line, 1);
  assert_int_equal(cp_plugin_call(h, "induction", &person, 1, &r, "ann", &err), CP_EINVAL);
  print_message("%s\n", err.msg);
  assert_non_null(strstr(err.msg, "(or a cycle)"));
  assert_int_equal(r.kind, CP_LVAL_NIL);
  /* a hook may hand back its (read-only) argument */
  assert_int_equal(cp_plugin_load_string(h, "echo.lua",
                                         "return {name='e',version='1',api=1,hooks={"
                                         "needs=function(p, ctx) return p end}}",
                                         &err), 0);
  assert_int_equal(cp_plugin_call(h, "needs", &person, 1, &r, "ann", &err), 0);
  assert_int_equal(r.kind, CP_LVAL_MAP);
  assert_true(cp_lval_get(cp_lval_get(&r, "grades"), "C")->num == 4);
  cp_lval_clear(&r);
  cp_plugin_host_free(h);
}

static void test_call_cost(void **state) {
  (void)state;
  cp_plugin_host *h = new_host();
  cp_error err;
  assert_int_equal(cp_plugin_load_string(h, "t.lua",
                                         "return {name='t',version='1',api=1,hooks={"
                                         "score_mentor=function(a, b, ctx) return 1 end}}",
                                         &err), 0);
  cp_lval args[2] = {person, person}, r;
  const int n = 20000;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < n; i++) {
    assert_int_equal(cp_plugin_call(h, "score_mentor", args, 2, &r, NULL, &err), 0);
    cp_lval_clear(&r);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / n;
  print_message("trivial score_mentor call (two 4-field person tables): %.2f us/call, Lua memory %zu bytes\n", us,
                cp_plugin_memory_used(h));
  cp_plugin_host_free(h);
}

int main(void) {
  make_fixtures();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_plugin), cmocka_unit_test(test_chaining),
      cmocka_unit_test(test_hostile_calls), cmocka_unit_test(test_pattern_guard), cmocka_unit_test(test_recursion),
      cmocka_unit_test(test_load_errors), cmocka_unit_test(test_deadline_and_cycles),
      cmocka_unit_test(test_call_cost),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
