/* test_rules.c: the default rules (plugins/default.lua) give what the seeds
 * imply on a small hand-made Welsh workforce (tests/data/rules_unit): needs
 * from agreed grades (4 urgent, 3 need, 1 strength, 2 and N/A nothing, the
 * manager's benchmark over the self-evaluation), initial training needs of
 * the newly appointed, VSC Cymru eligibility by career stage, activity and
 * mentor scores to the exact value, mentor exclusions with their reasons,
 * induction programmes, ctx.previous chaining and a bad result's message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/advise.h"
#include "cpdplan/assess.h"
#include "cpdplan/catalogue.h"
#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/rules.h"
#include "cpdplan/service.h"
#include "cpdplan/snapshot.h"

#define DATA CP_TEST_DATA "/rules_unit"

typedef struct fixture {
  cp_store *st;
  cp_snapshot *sn;
  cp_rules *r;
} fixture;

static int load(cp_store *st, int (*fn)(cp_store *, const char *, cp_import_result *, cp_error *), const char *file) {
  cp_import_result res = {0};
  cp_error e;
  cp_error_clear(&e);
  int rc = fn(st, file, &res, &e);
  if (rc) fprintf(stderr, "%s: %s\n", file, e.msg);
  cp_import_result_clear(&res);
  return rc;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  cp_error e;
  cp_error_clear(&e);
  if (!f || cp_store_open(&f->st, ":memory:", 0, &e) || cp_framework_install_shipped(f->st, &e) ||
      cp_activity_install_shipped(f->st, &e) || load(f->st, cp_service_import_csv, DATA "/services.csv") ||
      load(f->st, cp_post_import_csv, DATA "/posts.csv") || load(f->st, cp_people_import_csv, DATA "/people.csv") ||
      load(f->st, cp_assess_import_csv, DATA "/assessments.csv"))
    return -1;
  cp_snapshot_options so = CP_SNAPSHOT_OPTIONS_INIT;
  so.today = "2026-11-23";
  if (cp_snapshot_load(f->st, &so, &f->sn, &e) || cp_rules_new(&f->r, f->sn, NULL, &e)) {
    fprintf(stderr, "%s\n", e.msg);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  cp_rules_free(f->r);
  cp_snapshot_free(f->sn);
  cp_store_close(f->st);
  free(f);
  return 0;
}

static uint32_t who(fixture *f, const char *email) {
  uint32_t i = cp_snapshot_person(f->sn, email);
  assert_int_not_equal(i, CP_SNAP_NONE);
  return i;
}

static uint32_t act(fixture *f, const char *code) {
  uint32_t i = cp_snapshot_activity(f->sn, code);
  assert_int_not_equal(i, CP_SNAP_NONE);
  return i;
}

static const char *code(fixture *f, uint32_t st) { return f->sn->statements[st].code; }

static void test_needs_from_grades(void **state) {
  fixture *f = *state;
  const cp_need *nd;
  size_t n;
  cp_error e;
  /* dee: WEIP-1 self 3 but manager 4 -> urgent; WEIP-2 3 -> need; WEIP-3 N/A -> never */
  assert_int_equal(cp_rules_needs(f->r, who(f, "dee@t.gov.uk"), &nd, &n, &e), 0);
  assert_int_equal(n, 2);
  assert_string_equal(code(f, nd[0].statement), "WEIP-1");
  assert_true(nd[0].priority == 2);
  assert_false(nd[0].induction);
  assert_non_null(strstr(nd[0].reason, "agreed grade 4"));
  assert_string_equal(code(f, nd[1].statement), "WEIP-2");
  assert_true(nd[1].priority == 1);
  /* eve: grades 1, 1 (manager over self's 2), 2 -> no needs, two strengths */
  assert_int_equal(cp_rules_needs(f->r, who(f, "eve@t.gov.uk"), &nd, &n, &e), 0);
  assert_int_equal(n, 0);
  const uint32_t *st;
  assert_int_equal(cp_rules_strengths(f->r, who(f, "eve@t.gov.uk"), &st, &n, &e), 0);
  assert_int_equal(n, 2);
  assert_string_equal(code(f, st[0]), "WEIP-1");
  assert_string_equal(code(f, st[1]), "WEIP-2");
  /* tom (experienced, not new): his ungraded statements are not needs */
  assert_int_equal(cp_rules_needs(f->r, who(f, "tom@t.gov.uk"), &nd, &n, &e), 0);
  assert_int_equal(n, 0);
}

static void test_induction_needs(void **state) {
  fixture *f = *state;
  const cp_need *nd;
  size_t n;
  cp_error e;
  /* cai, appointed 2026-09-01: every statement not yet assessed, but not WEIP-1 (graded 2) */
  uint32_t cai = who(f, "cai@t.gov.uk");
  assert_int_equal(cp_rules_needs(f->r, cai, &nd, &n, &e), 0);
  assert_int_equal(n, f->sn->people[cai].nprofile - 1);
  for (size_t i = 0; i < n; i++) {
    assert_true(nd[i].induction);
    assert_string_not_equal(code(f, nd[i].statement), "WEIP-1");
  }
  uint32_t *acts;
  size_t na;
  assert_int_equal(cp_rules_induction(f->r, cai, &acts, &na, &e), 0);
  assert_int_equal(na, 3);
  assert_string_equal(f->sn->activities[acts[0]].code, "VSC-IND-EL");
  assert_string_equal(f->sn->activities[acts[1]].code, "VSC-IND-RES");
  assert_string_equal(f->sn->activities[acts[2]].code, "VSC-X-UPDATE");
  free(acts);
  assert_int_equal(cp_rules_induction(f->r, who(f, "dee@t.gov.uk"), &acts, &na, &e), 0);
  assert_int_equal(na, 0);
}

static void expect_eligible(fixture *f, const char *person, const char *activity, int want, const char *reason) {
  int ok;
  const char *why;
  cp_error e;
  assert_int_equal(cp_rules_eligible(f->r, who(f, person), act(f, activity), &ok, &why, &e), 0);
  if (ok != want) fail_msg("%s for %s: eligible %d, wanted %d (%s)", activity, person, ok, want, why);
  if (reason) assert_string_equal(why, reason);
}

static void test_eligibility(void **state) {
  fixture *f = *state;
  expect_eligible(f, "cai@t.gov.uk", "VSC-IND-EL", 1, NULL);
  expect_eligible(f, "cai@t.gov.uk", "VSC-IND-RES", 1, NULL);
  expect_eligible(f, "cai@t.gov.uk", "VSC-MDP-RM", 0, "open to established, experienced; this person is new");
  expect_eligible(f, "dee@t.gov.uk", "VSC-IND-EL", 0, "for newly appointed staff");
  expect_eligible(f, "dee@t.gov.uk", "VSC-MDP-RM", 1, NULL);
  expect_eligible(f, "dee@t.gov.uk", "VSC-MDP-SL", 0, NULL);
  expect_eligible(f, "eve@t.gov.uk", "VSC-MDP-SL", 1, NULL);
  expect_eligible(f, "eve@t.gov.uk", "VSC-LD-LS", 1, NULL);
  expect_eligible(f, "eve@t.gov.uk", "VSC-LD-SS", 0, NULL);
  expect_eligible(f, "bob@t.gov.uk", "VSC-LD-SS", 1, NULL);
  expect_eligible(f, "bob@t.gov.uk", "VSC-LD-CC", 0, "open to chief; this person is senior");
  expect_eligible(f, "ann@t.gov.uk", "VSC-LD-CC", 1, NULL);
  expect_eligible(f, "ann@t.gov.uk", "VSC-X-MENTOR", 1, NULL);
}

static double score(fixture *f, const char *person, const char *activity, int *has) {
  double s;
  const char *why;
  cp_error e;
  assert_int_equal(cp_rules_score_activity(f->r, who(f, person), act(f, activity), has, &s, &why, &e), 0);
  return s;
}

static void test_activity_scores(void **state) {
  fixture *f = *state;
  int has;
  /* dee: RM develops WEIP-1 (urgent, 2) and WEIP-2 (1); cost 1200 */
  double rm = score(f, "dee@t.gov.uk", "VSC-MDP-RM", &has);
  assert_true(has);
  assert_float_equal(rm, 3.0 / (1 + 1200.0 / 5000), 1e-12);
  /* SL develops only WEIP-2: less */
  double sl = score(f, "dee@t.gov.uk", "VSC-MDP-SL", &has);
  assert_float_equal(sl, 1.0 / (1 + 1200.0 / 5000), 1e-12);
  assert_true(rm > sl);
  /* EL develops WEIP-3 only: N/A for dee, so no value */
  score(f, "dee@t.gov.uk", "VSC-IND-EL", &has);
  assert_false(has);
  /* ann prefers Welsh: the English-only international link counts 0.6 */
  double intl = score(f, "ann@t.gov.uk", "VSC-X-INTL", &has);
  assert_float_equal(intl, 1.0 * 0.6 / (1 + 1500.0 / 5000), 1e-12);
  double exch = score(f, "ann@t.gov.uk", "VSC-X-EXCH", &has);
  assert_float_equal(exch, 1.0 / (1 + 250.0 / 5000), 1e-12);
}

static void expect_mentor(fixture *f, const char *mentee, const char *mentor, int want, double value,
                          const char *reason) {
  int has;
  double s;
  const char *why;
  cp_error e;
  assert_int_equal(cp_rules_score_mentor(f->r, who(f, mentee), who(f, mentor), &has, &s, &why, &e), 0);
  if (has != want) fail_msg("%s mentoring %s: allowed %d, wanted %d (%s)", mentor, mentee, has, want, why);
  if (has) assert_float_equal(s, value, 1e-12);
  if (reason) assert_string_equal(why, reason);
}

static void test_mentor_scores(void **state) {
  fixture *f = *state;
  /* dee needs WEIP-1 (2) and WEIP-2 (1) */
  expect_mentor(f, "dee@t.gov.uk", "tom@t.gov.uk", 0, 0, "own line manager");
  expect_mentor(f, "dee@t.gov.uk", "dee@t.gov.uk", 0, 0, "the mentee themself");
  expect_mentor(f, "dee@t.gov.uk", "cai@t.gov.uk", 0, 0, "not willing to mentor");
  expect_mentor(f, "dee@t.gov.uk", "bob@t.gov.uk", 0, 0, "no strengths to share");
  /* eve: strengths on both needs, one level above (experienced vs established) */
  expect_mentor(f, "dee@t.gov.uk", "eve@t.gov.uk", 1, 3 * 1.1, "strengths on 2 needs");
  /* fay: strength on WEIP-1 only, a contemporary */
  expect_mentor(f, "dee@t.gov.uk", "fay@t.gov.uk", 1, 2 * 1.25, "strengths on 1 need; a contemporary");
  cp_mentor_option *v;
  size_t n;
  cp_error e;
  assert_int_equal(cp_mentors_suggest(f->r, who(f, "dee@t.gov.uk"), 1, &v, &n, &e), 0);
  assert_int_equal(n, f->sn->npeople);
  assert_string_equal(f->sn->people[v[0].mentor].email, "eve@t.gov.uk");
  assert_int_equal(v[0].nmet, 2);
  assert_string_equal(f->sn->people[v[1].mentor].email, "fay@t.gov.uk");
  assert_false(v[2].allowed);
  cp_mentor_options_free(v, n);
}

static void test_tally(void **state) {
  fixture *f = *state;
  uint32_t people[] = {who(f, "dee@t.gov.uk"), who(f, "eve@t.gov.uk"), who(f, "fay@t.gov.uk")};
  cp_needs_count *c;
  size_t n;
  cp_error e;
  assert_int_equal(cp_needs_tally(f->r, people, 3, &c, &n, &e), 0);
  assert_int_equal(n, 3);
  assert_string_equal(code(f, c[0].statement), "WEIP-1"); /* dee's need; eve's and fay's strength */
  assert_int_equal(c[0].needs, 1);
  assert_int_equal(c[0].strengths, 2);
  assert_string_equal(code(f, c[2].statement), "WEIP-3"); /* fay's need */
  assert_int_equal(c[2].needs, 1);
  assert_int_equal(c[2].strengths, 0);
  free(c);
}

static void test_chain_and_bad_result(void **state) {
  fixture *f = *state;
  cp_plugin_spec spec = {DATA "/chain.lua", NULL};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  cp_rules *r;
  cp_error e;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  int has;
  double s;
  const char *why;
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e), 0);
  assert_float_equal(s, 2 * 3.0 / (1 + 1200.0 / 5000), 1e-12);
  assert_string_equal(why, "doubled: meets 2 needs (priority 3)");
  cp_rules_free(r);

  spec.path = DATA "/bad_statement.lua";
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  const cp_need *nd;
  size_t n;
  assert_int_equal(cp_rules_needs(r, who(f, "dee@t.gov.uk"), &nd, &n, &e), CP_EINVAL);
  char buf[1200];
  assert_string_equal(cp_error_format(&e, buf, sizeof buf),
                      "plugin " DATA "/bad_statement.lua:5: needs returned need 1 naming unknown statement \"WEIP-9\""
                      " (in hook needs for person dee@t.gov.uk)");
  assert_int_equal(e.line, 5);
  cp_rules_free(r);
}

/* With each of the three options in writes, the plugin at spec (loaded
 * through ro) tries a write through a view in score_activity; each is
 * refused with the plugin's line (lines[i]). */
static void check_writes_refused(fixture *f, cp_plugin_spec *spec, const cp_rules_options *ro,
                                 const char *const writes[3], const int lines[3]) {
  for (int i = 0; i < 3; i++) {
    cp_rules *r;
    cp_error e;
    int has;
    double s;
    const char *why;
    spec->options_json = writes[i];
    assert_int_equal(cp_rules_new(&r, f->sn, ro, &e), 0);
    assert_int_not_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e), 0);
    char buf[1200], want[600];
    snprintf(want, sizeof want,
             "plugin %s:%d: attempt to modify a read-only table (in hook score_activity for person dee@t.gov.uk)",
             spec->path, lines[i]);
    assert_string_equal(cp_error_format(&e, buf, sizeof buf), want);
    cp_rules_free(r);
  }
}

/* ctx.needs as hooks read it: the person's checked needs, by position and by
 * statement code (the same need both ways), each need's fields and pairs,
 * and every write refused with the plugin's line. */
static void test_ctx_needs_view(void **state) {
  fixture *f = *state;
  cp_plugin_spec spec = {DATA "/needs_view.lua", NULL};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  cp_rules *r;
  cp_error e;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  int has;
  double s;
  const char *why;
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e), 0);
  assert_string_equal(why, "2 1:WEIP-1=2/false/agreed grade 4 true 2:WEIP-2=1/false/agreed grade 3 true "
                           "statement=WEIP-1,priority=2.0,reason=agreed ,induction=false need WEIP-1 (priority 2.0) "
                           "nil,nil");
  /* the cached view of another person, then dee's again */
  assert_int_equal(cp_rules_score_activity(r, who(f, "eve@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e),
                   CP_EINVAL); /* eve has no needs: needs[1] is nil, pairs(nil) fails */
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-X-COACH"), &has, &s, &why, &e), 0);
  assert_non_null(strstr(why, "1:WEIP-1=2/"));
  cp_rules_free(r);

  const char *const writes[] = {"{\"write\": \"field\"}", "{\"write\": \"list\"}", "{\"write\": \"code\"}"};
  const int lines[] = {9, 10, 11};
  check_writes_refused(f, &spec, &ro, writes, lines);
}

/* A person as hooks read it: a frozen table (type "table", rawget sees
 * nothing), its fields in pairs() order without the nil ones, the profile as
 * a list and a set (FRAMEWORK:CODE too), the agreed grades by either code
 * form and in profile order, and every write refused with the plugin's line. */
static void test_person_view(void **state) {
  fixture *f = *state;
  cp_plugin_spec spec = {DATA "/person_view.lua", NULL};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  cp_rules *r;
  cp_error e;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  int has;
  double s;
  const char *why;
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e), 0);
  /* dee: no retirement year (so not in pairs); WEIP-1 agreed 4 (the manager's
   * benchmark over her 3), WEIP-3 N/A; no strengths */
  assert_string_equal(why, "table | person dee@t.gov.uk | nil | uuid,name,email,post,team,service,line_manager,"
                           "appointed,days_in_post,stage,language,mentor_capacity,mentees,grades,profile,strengths"
                           " | 3 WEIP-1 true true nil | 1=WEIP-1,2=WEIP-2,3=WEIP-3 | 4 4 NA nil"
                           " | WEIP-1=4,WEIP-2=3,WEIP-3=NA | 0 | nil");
  /* ann: no line manager; a chief officer's profile, VSC first (framework order) */
  assert_int_equal(cp_rules_score_activity(r, who(f, "ann@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e), 0);
  assert_non_null(strstr(why, "| uuid,name,email,post,team,service,appointed,days_in_post,stage,language,"
                              "mentor_capacity,mentees,retirement_year,grades,profile,strengths |"));
  assert_non_null(strstr(why, "| 33 VSC-KS.1 true true nil | 1=VSC-KS.1,2=VSC-KS.2,"));
  assert_non_null(strstr(why, ",33=WEIP-3 | 3 3 2 nil | WEIP-1=3,WEIP-2=2,WEIP-3=2 | 0 | nil"));
  cp_rules_free(r);
  const char *const writes[] = {"{\"write\": \"person\"}", "{\"write\": \"grades\"}", "{\"write\": \"profile\"}"};
  const int lines[] = {9, 10, 11};
  check_writes_refused(f, &spec, &ro, writes, lines);
}

/* One mentee's (one person's) pairs in one batch give what the single calls
 * give, with the same errors, and count as as many calls. */
static void test_batch_scores(void **state) {
  fixture *f = *state;
  cp_error e;
  size_t np = f->sn->npeople, na = f->sn->nactivities;
  uint32_t *all = malloc((np > na ? np : na) * sizeof *all);
  double *batch = malloc((np > na ? np : na) * sizeof *batch);
  assert_non_null(all);
  assert_non_null(batch);
  for (uint32_t i = 0; i < np; i++) all[i] = i;
  uint32_t dee = who(f, "dee@t.gov.uk");
  unsigned long calls = cp_rules_calls(f->r);
  assert_int_equal(cp_rules_score_mentors(f->r, dee, all, np, batch, &e), 0);
  assert_int_equal(cp_rules_calls(f->r) - calls, np);
  int valued = 0;
  for (uint32_t i = 0; i < np; i++) {
    int has;
    double s;
    assert_int_equal(cp_rules_score_mentor(f->r, dee, i, &has, &s, NULL, &e), 0);
    assert_float_equal(batch[i], has ? s : 0, 0);
    valued += batch[i] > 0;
  }
  assert_int_equal(valued, 2); /* eve and fay, as test_mentor_scores says */
  for (uint32_t a = 0; a < na; a++) all[a] = a;
  assert_int_equal(cp_rules_score_activities(f->r, dee, all, na, batch, &e), 0);
  valued = 0;
  for (uint32_t a = 0; a < na; a++) {
    int has;
    double s;
    assert_int_equal(cp_rules_score_activity(f->r, dee, a, &has, &s, NULL, &e), 0);
    assert_float_equal(batch[a], has ? s : 0, 0);
    valued += batch[a] > 0;
  }
  assert_true(valued > 0);
  /* a bad value (eve), then an error (fay), inside a batch */
  cp_plugin_spec spec = {DATA "/mentor_fails.lua", NULL};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  cp_rules *r;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  uint32_t some[] = {who(f, "tom@t.gov.uk"), who(f, "eve@t.gov.uk"), who(f, "fay@t.gov.uk")};
  char buf[1200], single[1200];
  int has;
  double s;
  assert_int_equal(cp_rules_score_mentor(r, dee, some[1], &has, &s, NULL, &e), CP_EINVAL);
  cp_error_format(&e, single, sizeof single);
  assert_string_equal(single, "plugin " DATA "/mentor_fails.lua:6: score_mentor returned a string (wanted a number"
                              " >= 0, or nil) (in hook score_mentor for person dee@t.gov.uk)");
  assert_int_equal(cp_rules_score_mentors(r, dee, some, 3, batch, &e), CP_EINVAL);
  assert_string_equal(cp_error_format(&e, buf, sizeof buf), single);
  assert_float_equal(batch[0], 1, 0); /* done before the error */
  assert_int_equal(cp_rules_score_mentor(r, dee, some[2], &has, &s, NULL, &e), CP_EINVAL);
  cp_error_format(&e, single, sizeof single);
  assert_non_null(strstr(single, "mentor_fails.lua:8: no scores for fay (in hook score_mentor for person dee@t.gov.uk)"));
  assert_int_equal(cp_rules_score_mentors(r, dee, some + 2, 1, batch, &e), CP_EINVAL);
  assert_string_equal(cp_error_format(&e, buf, sizeof buf), single);
  cp_rules_free(r);
  free(all);
  free(batch);
}

/* A clone's needs taken over by the rules it was cloned from equal the
 * needs those rules work out themselves. */
static void test_adopt_needs(void **state) {
  fixture *f = *state;
  cp_error e;
  cp_rules *a, *b;
  assert_int_equal(cp_rules_clone(&a, f->r, &e), 0);
  assert_int_equal(cp_rules_clone(&b, f->r, &e), 0);
  uint32_t np = (uint32_t)f->sn->npeople;
  for (uint32_t i = 1; i < np; i++) { /* b works out everyone but the first */
    const cp_need *nd;
    size_t n;
    assert_int_equal(cp_rules_needs(b, i, &nd, &n, &e), 0);
  }
  assert_int_equal(cp_rules_adopt_needs(a, b, 0, np, &e), 0);
  unsigned long calls = cp_rules_calls(a);
  for (uint32_t i = 0; i < np; i++) {
    const cp_need *x, *y;
    size_t nx, ny;
    assert_int_equal(cp_rules_needs(a, i, &x, &nx, &e), 0);
    assert_int_equal(cp_rules_needs(f->r, i, &y, &ny, &e), 0);
    assert_int_equal(nx, ny);
    for (size_t k = 0; k < nx; k++) {
      assert_int_equal(x[k].statement, y[k].statement);
      assert_float_equal(x[k].priority, y[k].priority, 0);
      assert_string_equal(x[k].reason, y[k].reason);
      assert_int_equal(x[k].induction, y[k].induction);
    }
    const uint32_t *sx, *sy;
    assert_int_equal(cp_rules_strengths(a, i, &sx, &nx, &e), 0);
    assert_int_equal(cp_rules_strengths(f->r, i, &sy, &ny, &e), 0);
    assert_int_equal(nx, ny);
    if (nx) assert_memory_equal(sx, sy, nx * sizeof *sx);
  }
  assert_int_equal(cp_rules_calls(a) - calls, 1); /* only the first person's needs hook ran */
  cp_rules_free(b); /* a keeps its own copies */
  const cp_need *nd;
  size_t n;
  assert_int_equal(cp_rules_needs(a, who(f, "dee@t.gov.uk"), &nd, &n, &e), 0);
  assert_int_equal(n, 2);
  assert_string_equal(nd[0].reason, "agreed grade 4: good in only a limited number of respects; needs regular support");
  cp_rules_free(a);
}

/* A need's reason with a NUL byte is kept up to it, for every person (the
 * reasons' cache by address must not read past the kept text). */
static void test_reason_with_nul(void **state) {
  fixture *f = *state;
  cp_plugin_spec spec = {DATA "/reason_nul.lua", NULL};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  cp_rules *r;
  cp_error e;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  for (uint32_t i = 0; i < f->sn->npeople; i++) {
    const cp_need *nd;
    size_t n;
    assert_int_equal(cp_rules_needs(r, i, &nd, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(nd[0].reason, "first");
  }
  cp_rules_free(r);
}

/* A bad result that a later plugin passes on from ctx.previous is located at
 * the plugin that returned it, not at the one that passed it on. */
static void test_bad_previous_located(void **state) {
  fixture *f = *state;
  cp_plugin_spec specs[] = {{DATA "/bad_previous.lua", NULL}, {DATA "/pass_through.lua", NULL}};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = specs;
  ro.nplugins = 2;
  cp_rules *r;
  cp_error e;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  int has;
  double s;
  const char *why;
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e),
                   CP_EINVAL);
  char buf[1200];
  assert_string_equal(cp_error_format(&e, buf, sizeof buf),
                      "plugin " DATA "/bad_previous.lua:6: score_activity returned -1.0 (scores must be >= 0;"
                      " return nil for no value) (in hook score_activity for person dee@t.gov.uk)");
  assert_string_equal(e.file, DATA "/bad_previous.lua");
  assert_int_equal(e.line, 6);
  cp_rules_free(r);
}

/* Which mentor pairs need scoring: the default rules (and a plugin that
 * declares the same) only value strengths on needs; a plugin that declares
 * nothing gets every pair scored; a bad declaration is refused at load. */
static void test_strength_pairs_declared(void **state) {
  fixture *f = *state;
  assert_int_equal(cp_rules_strength_pairs(f->r), CP_PAIRS_STRENGTHS_IN_SERVICE);
  {
    /* across_services widens the default's promise to strengths anywhere */
    cp_plugin_spec def = {"default", "{\"across_services\": true}"};
    cp_rules_options ro = CP_RULES_OPTIONS_INIT;
    ro.plugins = &def;
    ro.nplugins = 1;
    cp_rules *r = NULL;
    cp_error e;
    assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
    assert_int_equal(cp_rules_strength_pairs(r), CP_PAIRS_STRENGTHS);
    cp_rules_free(r);
  }
  const char *paths[] = {DATA "/mentor_any.lua", CP_TEST_DATA "/../../plugins/examples/cross-team-mentoring.lua",
                         DATA "/mentor_pairs_bad.lua"};
  const int want[] = {CP_PAIRS_ANY, CP_PAIRS_STRENGTHS, -1};
  for (int i = 0; i < 3; i++) {
    cp_plugin_spec spec = {paths[i], NULL};
    cp_rules_options ro = CP_RULES_OPTIONS_INIT;
    ro.plugins = &spec;
    ro.nplugins = 1;
    cp_rules *r = NULL;
    cp_error e;
    int rc = cp_rules_new(&r, f->sn, &ro, &e);
    if (want[i] < 0) {
      assert_int_equal(rc, CP_EINVAL);
      assert_non_null(strstr(e.msg, "mentor_pairs_bad.lua: field \"mentor_pairs\" must be \"strengths\""));
      continue;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(cp_rules_strength_pairs(r), want[i]);
    cp_rules_free(r);
  }
}

/* ctx.needs_met answers for an activity, a list of codes and a codes view. */
static void test_needs_met(void **state) {
  fixture *f = *state;
  cp_plugin_spec spec = {DATA "/needs_met.lua", NULL};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  cp_rules *r;
  cp_error e;
  assert_int_equal(cp_rules_new(&r, f->sn, &ro, &e), 0);
  int has;
  double s;
  const char *why;
  /* dee: WEIP-1 (priority 2) and WEIP-2 (1); the Reflective Manager module develops both */
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-MDP-RM"), &has, &s, &why, &e), 0);
  assert_string_equal(why, "3/2 2/1 3/2");
  /* the e-learning develops neither */
  assert_int_equal(cp_rules_score_activity(r, who(f, "dee@t.gov.uk"), act(f, "VSC-IND-EL"), &has, &s, &why, &e), 0);
  assert_string_equal(why, "0/0 2/1 3/2");
  cp_rules_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_needs_from_grades), cmocka_unit_test(test_induction_needs),
      cmocka_unit_test(test_eligibility),       cmocka_unit_test(test_activity_scores),
      cmocka_unit_test(test_mentor_scores),     cmocka_unit_test(test_tally),
      cmocka_unit_test(test_chain_and_bad_result), cmocka_unit_test(test_ctx_needs_view),
      cmocka_unit_test(test_bad_previous_located), cmocka_unit_test(test_strength_pairs_declared),
      cmocka_unit_test(test_needs_met),         cmocka_unit_test(test_person_view),
      cmocka_unit_test(test_batch_scores),      cmocka_unit_test(test_adopt_needs),
      cmocka_unit_test(test_reason_with_nul),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
