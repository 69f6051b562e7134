/* sched_solve.c: solve one session-allocation instance from JSON with the
 * library alone and write the plan as JSON (for ilp_check.py and benches).
 *   sched_solve IN.json OUT.json [--fast|--exact] [--time SECONDS] [--threads N]
 * IN: {"nactivities", "prereq": [[activity...]...], "sessions": [{"activity",
 * "start", "end", "capacity", "days"}...], "people": [{"options": [[session,
 * score]...], "fixed", "done", "current", "max_places", "max_days"}...]}.
 * OUT: {"objective", "bound", "gap", "optimal", "method", "seconds",
 * "iterations", "assign": [[session...] per person]}. The plan is checked
 * with cp_sched_check before it is written. Exit 1 on bad input or a bad plan. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/schedule.h"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "sched_solve: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static const char *idx(char *buf, size_t n, const char *what, size_t i) {
  snprintf(buf, n, "%s %zu", what, i);
  return buf;
}

static int64_t get_int(json_t *v, const char *what) {
  if (!json_is_integer(v)) die("%s: not an integer", what);
  return (int64_t)json_integer_value(v);
}

static uint32_t get_u32(json_t *v, const char *what) {
  int64_t x = get_int(v, what);
  if (x < 0 || x > (int64_t)UINT32_MAX - 1) die("%s: out of range", what);
  return (uint32_t)x;
}

static double get_num(json_t *v, const char *what) {
  if (!json_is_number(v)) die("%s: not a number", what);
  return json_number_value(v);
}

/* an optional array of indexes into a fresh array (*n entries) */
static uint32_t *get_list(json_t *obj, const char *key, uint32_t *n, const char *what) {
  json_t *a = json_object_get(obj, key);
  *n = 0;
  if (!a || json_is_null(a)) return NULL;
  if (!json_is_array(a)) die("%s: '%s' is not an array", what, key);
  *n = (uint32_t)json_array_size(a);
  uint32_t *v = malloc(((size_t)*n + 1) * sizeof *v);
  if (!v) die("out of memory");
  for (size_t i = 0; i < *n; i++) v[i] = get_u32(json_array_get(a, i), what);
  return v;
}

int main(int argc, char **argv) {
  const char *in = NULL, *outp = NULL;
  cp_sched_options opt = CP_SCHED_OPTIONS_INIT;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fast")) opt.method = CP_SCHED_FAST;
    else if (!strcmp(argv[i], "--exact")) opt.method = CP_SCHED_EXACT;
    else if (!strcmp(argv[i], "--time") && i + 1 < argc) {
      char *end;
      opt.time_limit = strtod(argv[++i], &end);
      if (*end || opt.time_limit < 0) die("--time %s: not a number of seconds", argv[i]);
    } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      char *end;
      long t = strtol(argv[++i], &end, 10);
      if (*end || t < 0) die("--threads %s: not a count", argv[i]);
      opt.threads = (unsigned)t;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      die("unknown option %s", argv[i]);
    } else if (!in) in = argv[i];
    else if (!outp) outp = argv[i];
    else die("usage: sched_solve IN.json OUT.json [--fast|--exact] [--time SECONDS] [--threads N]");
  }
  if (!in || !outp)
    die("usage: sched_solve IN.json OUT.json [--fast|--exact] [--time SECONDS] [--threads N]");

  json_error_t jerr;
  json_t *root = json_load_file(in, 0, &jerr);
  if (!root) {
    fprintf(stderr, "sched_solve: %s:%d:%d: %s\n", in, jerr.line, jerr.column, jerr.text);
    return 1;
  }
  if (!json_is_object(root)) die("%s: not a JSON object", in);
  char w1[64];
  cp_sched_problem p = {CP_SCHED_PROBLEM_VERSION, 0, 0, 0, NULL, NULL, NULL, NULL};
  p.nactivities = get_u32(json_object_get(root, "nactivities"), "nactivities");
  json_t *js = json_object_get(root, "sessions"), *jp = json_object_get(root, "people");
  json_t *jq = json_object_get(root, "prereq");
  if (!json_is_array(js)) die("'sessions' is not an array");
  if (!json_is_array(jp)) die("'people' is not an array");
  p.nsessions = (uint32_t)json_array_size(js);
  p.npeople = (uint32_t)json_array_size(jp);
  cp_sched_session *sess = calloc((size_t)p.nsessions + 1, sizeof *sess);
  cp_sched_person *people = calloc((size_t)p.npeople + 1, sizeof *people);
  uint32_t *pstart = calloc((size_t)p.nactivities + 2, sizeof *pstart), *pre = NULL;
  if (!sess || !people || !pstart) die("out of memory");
  if (jq && !json_is_null(jq)) {
    if (!json_is_array(jq) || json_array_size(jq) != p.nactivities)
      die("'prereq' is not an array of nactivities lists");
    size_t total = 0;
    for (size_t a = 0; a < p.nactivities; a++) {
      json_t *l = json_array_get(jq, a);
      if (!json_is_array(l)) die("%s: not an array", idx(w1, sizeof w1, "prereq", a));
      total += json_array_size(l);
    }
    pre = malloc((total + 1) * sizeof *pre);
    if (!pre) die("out of memory");
    size_t k = 0;
    for (size_t a = 0; a < p.nactivities; a++) {
      json_t *l = json_array_get(jq, a);
      pstart[a] = (uint32_t)k;
      for (size_t j = 0; j < json_array_size(l); j++)
        pre[k++] = get_u32(json_array_get(l, j), idx(w1, sizeof w1, "prereq of activity", a));
    }
    pstart[p.nactivities] = (uint32_t)k;
    p.prereq_start = pstart;
    p.prereq = pre;
  }
  for (size_t s = 0; s < p.nsessions; s++) {
    json_t *o = json_array_get(js, s);
    const char *w = idx(w1, sizeof w1, "session", s);
    if (!json_is_object(o)) die("%s: not an object", w);
    sess[s].activity = get_u32(json_object_get(o, "activity"), w);
    sess[s].start = get_int(json_object_get(o, "start"), w);
    sess[s].end = get_int(json_object_get(o, "end"), w);
    int64_t cap = get_int(json_object_get(o, "capacity"), w);
    if (cap < -1 || cap > INT32_MAX) die("%s: capacity out of range", w);
    sess[s].capacity = (int32_t)cap;
    json_t *d = json_object_get(o, "days");
    sess[s].days = d ? get_num(d, w) : 0;
  }
  for (size_t i = 0; i < p.npeople; i++) {
    json_t *o = json_array_get(jp, i);
    char w[64];
    idx(w, sizeof w, "person", i);
    if (!json_is_object(o)) die("%s: not an object", w);
    json_t *opts = json_object_get(o, "options");
    if (!json_is_array(opts)) die("%s: 'options' is not an array", w);
    size_t n = json_array_size(opts);
    cp_sched_option *ov = malloc((n + 1) * sizeof *ov);
    if (!ov) die("out of memory");
    for (size_t k = 0; k < n; k++) {
      json_t *pair = json_array_get(opts, k);
      if (!json_is_array(pair) || json_array_size(pair) != 2) die("%s: an option is not [session, score]", w);
      ov[k].session = get_u32(json_array_get(pair, 0), w);
      ov[k].score = get_int(json_array_get(pair, 1), w);
    }
    people[i].options = ov;
    people[i].noptions = (uint32_t)n;
    people[i].fixed = get_list(o, "fixed", &people[i].nfixed, w);
    people[i].done = get_list(o, "done", &people[i].ndone, w);
    people[i].current = get_list(o, "current", &people[i].ncurrent, w);
    json_t *mp = json_object_get(o, "max_places"), *md = json_object_get(o, "max_days");
    people[i].max_places = mp ? get_u32(mp, w) : 0;
    people[i].max_days = md ? get_num(md, w) : 0;
  }
  json_decref(root); /* the instance now lives in the arrays only */
  p.sessions = sess;
  p.people = people;

  cp_sched_result r;
  cp_error err;
  cp_error_clear(&err);
  if (cp_sched_solve(&p, &opt, &r, &err)) {
    fprintf(stderr, "sched_solve: %s: %s\n", in, err.msg);
    return 1;
  }
  if (cp_sched_check(&p, r.assign_start, r.assign, &err)) {
    fprintf(stderr, "sched_solve: %s: the plan breaks a constraint: %s\n", in, err.msg);
    return 1;
  }
  FILE *f = fopen(outp, "w");
  if (!f) {
    fprintf(stderr, "sched_solve: %s: %s\n", outp, strerror(errno));
    return 1;
  }
  fprintf(f, "{\"objective\": %lld, \"bound\": %lld, \"gap\": %.17g, \"optimal\": %s, \"method\": \"%s\", "
             "\"seconds\": %.3f, \"iterations\": %u, \"assign\": [",
          (long long)r.objective, (long long)r.bound, r.gap, r.optimal ? "true" : "false",
          r.used == CP_SCHED_EXACT ? "exact" : "fast", r.seconds, r.iterations);
  for (uint32_t i = 0; i < p.npeople; i++) {
    fputs(i ? ", [" : "[", f);
    for (uint32_t k = r.assign_start[i]; k < r.assign_start[i + 1]; k++)
      fprintf(f, k > r.assign_start[i] ? ", %u" : "%u", r.assign[k]);
    fputc(']', f);
  }
  fputs("]}\n", f);
  if (fclose(f)) {
    fprintf(stderr, "sched_solve: %s: %s\n", outp, strerror(errno));
    return 1;
  }
  cp_sched_result_free(&r);
  for (size_t i = 0; i < p.npeople; i++) {
    free((void *)people[i].options);
    free((void *)people[i].fixed);
    free((void *)people[i].done);
    free((void *)people[i].current);
  }
  free(people);
  free(sess);
  free(pstart);
  free(pre);
  return 0;
}
