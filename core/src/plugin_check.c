/* plugin_check.c: run a plugin's hooks over a built-in sample and report
 * problems. The sample (3 services, 48 people, their grades and the shipped
 * catalogue's sessions) is generated into a private temporary directory,
 * imported into an in-memory store and the directory removed again; three
 * people are added that real databases have and the generator does not make
 * (no team, no appointment date, no grades, Welsh-medium, newly appointed).
 * Each fault is reported once, with the number of calls that repeated it: a
 * fault is a place in the plugin (FILE:LINE and hook), whatever values its
 * message carries for each person. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "cpdplan/plugin_check.h"

#include "cpdplan/catalogue.h"
#include "cpdplan/framework.h"
#include "cpdplan/people.h"
#include "cpdplan/assess.h"
#include "cpdplan/rules.h"
#include "cpdplan/sample.h"
#include "cpdplan/service.h"
#include "cpdplan/snapshot.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MENTOR_CANDIDATES 12

void cp_plugin_check_report_clear(cp_plugin_check_report *rep) {
  if (!rep) return;
  free(rep->name);
  free(rep->version);
  for (size_t i = 0; i < rep->nproblems; i++) free(rep->problems[i].message);
  free(rep->problems);
  memset(rep, 0, sizeof *rep);
}

/* The place a message names: the length of its "plugin FILE:LINE:" prefix,
 * or 0 when it names no line. */
static size_t place_len(const char *msg) {
  const char *p = strstr(msg, ".lua:");
  if (!p) return 0;
  p += 5;
  size_t digits = strspn(p, "0123456789");
  return digits && p[digits] == ':' ? (size_t)(p + digits + 1 - msg) : 0;
}

/* The same fault: the same message, or the same place and the same hook
 * ("(in hook H)" ends both). */
static int same_fault(const char *a, const char *b) {
  if (strcmp(a, b) == 0) return 1;
  size_t n = place_len(a);
  if (!n || n != place_len(b) || strncmp(a, b, n) != 0) return 0;
  const char *ha = strrchr(a, '('), *hb = strrchr(b, '(');
  return ha && hb && strncmp(ha, "(in hook ", 9) == 0 && strcmp(ha, hb) == 0;
}

static int add_problem(cp_plugin_check_report *rep, int error, const char *msg) {
  for (size_t i = 0; i < rep->nproblems; i++)
    if (same_fault(rep->problems[i].message, msg)) {
      rep->problems[i].repeats++;
      return 0;
    }
  cp_check_problem *g = realloc(rep->problems, (rep->nproblems + 1) * sizeof *g);
  if (!g) return CP_ENOMEM;
  rep->problems = g;
  cp_check_problem *p = &rep->problems[rep->nproblems];
  p->error = error;
  p->repeats = 0;
  if (!(p->message = cp_strdup(msg))) return CP_ENOMEM;
  rep->nproblems++;
  if (error) rep->errors++;
  else rep->warnings++;
  return 0;
}

/* Record a failed call; the person named in the message is cut so that the
 * same fault for different people counts as one problem. */
static int add_call_error(cp_plugin_check_report *rep, const cp_error *e, int *distinct) {
  char buf[1600];
  cp_error_format(e, buf, sizeof buf);
  char *who = strstr(buf, " for person ");
  if (who) strcpy(who, ")");
  size_t before = rep->nproblems;
  int rc = add_problem(rep, 1, buf);
  if (rep->nproblems > before) (*distinct)++;
  return rc;
}

/* The files cp_sample_write makes, in the order they are imported. */
static const char *const sample_files[] = {"services.csv", "posts.csv", "people.csv", "assessments.csv", "sessions.csv"};
#define NSAMPLE_FILES (sizeof sample_files / sizeof *sample_files)

static int remove_tree(const char *dir) {
  char path[4200];
  for (size_t i = 0; i < NSAMPLE_FILES; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, sample_files[i]);
    unlink(path);
  }
  return rmdir(dir);
}

/* People the generator never makes, in the first person's service and post
 * under the same line manager: no team, appointment date or grades (one
 * also not willing to mentor, one a Welsh-medium new starter). */
static int add_edge_people(cp_store *st, cp_error *err) {
  cp_person *all = NULL;
  size_t n = 0;
  int rc = cp_people_list(st, NULL, &all, &n, err);
  if (rc || !n) {
    cp_people_free(all, n);
    return rc ? rc : cp_error_set(err, CP_EINVAL, "plugin check: the sample has no people");
  }
  const cp_person *like = &all[n - 1];
  struct {
    const char *email, *name, *appointed, *stage, *language;
    int capacity;
  } extra[] = {{"no.team@check.example", "Heb Dîm", "", "established", "en", 0},
               {"no.date@check.example", "No Date", "", "experienced", "both", 2},
               {"new.starter@check.example", "Newydd Ddechrau", "2026-11-02", "new", "cy", 0}};
  for (size_t i = 0; !rc && i < sizeof extra / sizeof *extra; i++) {
    cp_person p = {0};
    p.email = (char *)extra[i].email;
    p.name = (char *)extra[i].name;
    p.post = like->post;
    p.service = like->service;
    p.line_manager = like->line_manager;
    p.appointed = (char *)extra[i].appointed;
    p.stage = (char *)extra[i].stage;
    p.language = (char *)extra[i].language;
    p.mentor_capacity = extra[i].capacity;
    rc = cp_people_add(st, &p, err);
  }
  cp_people_free(all, n);
  return rc;
}

/* The sample in a private in-memory store. */
static int build_sample(cp_store **out, cp_error *err) {
  *out = NULL;
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/cpdplan-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) return cp_error_set(err, CP_EIO, "plugin check: cannot make a temporary directory in %s", tmp && *tmp ? tmp : "/tmp");
  cp_sample_options so = CP_SAMPLE_OPTIONS_INIT;
  so.people = 48;
  so.seed = 7;
  so.services = 3;
  int rc = cp_sample_write(&so, dir, NULL, err);
  cp_store *st = NULL;
  if (!rc) rc = cp_store_open(&st, ":memory:", CP_STORE_CREATE, err);
  if (!rc) rc = cp_framework_install_shipped(st, err);
  if (!rc) rc = cp_activity_install_shipped(st, err);
  int (*const fns[NSAMPLE_FILES])(cp_store *, const char *, cp_import_result *, cp_error *) = {
      cp_service_import_csv, cp_post_import_csv, cp_people_import_csv, cp_assess_import_csv, cp_session_import_csv};
  for (size_t i = 0; !rc && i < NSAMPLE_FILES; i++) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, sample_files[i]);
    cp_import_result res = {0};
    rc = fns[i](st, path, &res, err);
    cp_import_result_clear(&res);
  }
  remove_tree(dir);
  if (!rc) rc = add_edge_people(st, err);
  if (rc) {
    cp_store_close(st);
    return rc;
  }
  *out = st;
  return 0;
}

typedef struct tally {
  unsigned long calls, values;
  int distinct;
} tally;

static int note(cp_plugin_check_report *rep, int rc, const cp_error *e, tally *t) {
  t->calls++;
  if (rc == CP_ENOMEM) return rc;
  if (rc) return add_call_error(rep, e, &t->distinct);
  return 0;
}

static int run_hooks(cp_rules *r, cp_plugin_check_report *rep, const char *path) {
  const cp_snapshot *sn = cp_rules_snapshot(r);
  tally t[5] = {{0}};
  int rc = 0;
  cp_error e;
  for (size_t p = 0; !rc && p < sn->npeople; p++) {
    if (rep->hooks & 1) {
      const cp_need *nd;
      size_t n;
      cp_error_clear(&e);
      int hr = cp_rules_needs(r, (uint32_t)p, &nd, &n, &e);
      if (!hr && n) t[0].values++;
      if ((rc = note(rep, hr, &e, &t[0]))) break;
      if (hr) continue; /* the other hooks need the person's needs */
    }
    for (size_t a = 0; a < sn->nactivities; a++) {
      if (rep->hooks & 2) {
        int ok;
        const char *why;
        cp_error_clear(&e);
        int hr = cp_rules_eligible(r, (uint32_t)p, (uint32_t)a, &ok, &why, &e);
        if (!hr && ok) t[1].values++;
        if ((rc = note(rep, hr, &e, &t[1]))) break;
      }
      if (rep->hooks & 4) {
        int has;
        double sc;
        const char *why;
        cp_error_clear(&e);
        int hr = cp_rules_score_activity(r, (uint32_t)p, (uint32_t)a, &has, &sc, &why, &e);
        if (!hr && has) t[2].values++;
        if ((rc = note(rep, hr, &e, &t[2]))) break;
      }
    }
    if (rep->hooks & 8) {
      /* the line manager, and the next colleagues in the same service */
      size_t tried = 0;
      for (size_t k = 1; !rc && k < sn->npeople && tried < MENTOR_CANDIDATES; k++) {
        size_t m = (p + k) % sn->npeople;
        if (strcmp(sn->people[m].service, sn->people[p].service) != 0 && m != sn->people[p].manager) continue;
        tried++;
        int has;
        double sc;
        const char *why;
        cp_error_clear(&e);
        int hr = cp_rules_score_mentor(r, (uint32_t)p, (uint32_t)m, &has, &sc, &why, &e);
        if (!hr && has) t[3].values++;
        rc = note(rep, hr, &e, &t[3]);
      }
    }
    if (!rc && rep->hooks & 16) {
      uint32_t *acts;
      size_t n;
      cp_error_clear(&e);
      int hr = cp_rules_induction(r, (uint32_t)p, &acts, &n, &e);
      if (!hr && n) t[4].values++;
      free(acts);
      rc = note(rep, hr, &e, &t[4]);
    }
  }
  static const char *const what[] = {"needs gave no need", "eligible found no one eligible for anything",
                                     "score_activity gave no score", "score_mentor allowed no pair",
                                     "induction gave no programme"};
  for (int h = 0; !rc && h < 5; h++) {
    rep->calls += t[h].calls;
    if (!(rep->hooks & (1u << h)) || t[h].values || t[h].distinct || !t[h].calls) continue;
    char msg[700];
    snprintf(msg, sizeof msg, "%s: warning: %s in %lu calls over the sample (is that intended?)", path, what[h],
             t[h].calls);
    rc = add_problem(rep, 0, msg);
  }
  return rc;
}

int cp_plugin_check(const char *path, const char *options_json, const cp_plugin_limits *lim,
                    cp_plugin_check_report *rep, cp_error *err) {
  memset(rep, 0, sizeof *rep);
  if (!path) return cp_error_set(err, CP_EINVAL, "plugin check: no file given");
  /* 1. does it load on its own? */
  cp_plugin_host *h = NULL;
  cp_error e;
  cp_error_clear(&e);
  int rc = cp_plugin_host_new(&h, lim, err);
  if (rc) return rc;
  int lr = cp_plugin_load_file(h, path, options_json, &e);
  const char *nm = "", *ver = "";
  if (!lr) cp_plugin_info(h, 0, NULL, &nm, &ver, &rep->hooks);
  rep->name = cp_strdup(nm);
  rep->version = cp_strdup(ver);
  cp_plugin_host_free(h);
  if (!rep->name || !rep->version) return cp_error_set(err, CP_ENOMEM, "out of memory");
  if (lr) {
    char buf[1600];
    if (add_problem(rep, 1, cp_error_format(&e, buf, sizeof buf))) return cp_error_set(err, CP_ENOMEM, "out of memory");
    return 0;
  }
  /* 2. its hooks over the sample, after the default rules */
  cp_store *st = NULL;
  rc = build_sample(&st, err);
  if (rc) {
    cp_error_prefix(err, "plugin check: building the sample");
    return rc;
  }
  cp_snapshot *sn = NULL;
  cp_snapshot_options so = CP_SNAPSHOT_OPTIONS_INIT;
  so.today = "2026-11-23"; /* the sample's own date, so results do not drift */
  rc = cp_snapshot_load(st, &so, &sn, err);
  cp_rules *r = NULL;
  cp_plugin_spec spec = {path, options_json};
  cp_rules_options ro = CP_RULES_OPTIONS_INIT;
  ro.plugins = &spec;
  ro.nplugins = 1;
  if (lim) ro.limits = *lim;
  if (!rc) {
    cp_error_clear(&e);
    int nr = cp_rules_new(&r, sn, &ro, &e);
    if (nr == CP_ENOMEM) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    else if (nr) {
      char buf[1600];
      rc = add_problem(rep, 1, cp_error_format(&e, buf, sizeof buf)) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
    }
  }
  if (!rc && r) {
    rep->people = sn->npeople;
    rep->activities = sn->nactivities;
    if (run_hooks(r, rep, path)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  cp_rules_free(r);
  cp_snapshot_free(sn);
  cp_store_close(st);
  return rc;
}
