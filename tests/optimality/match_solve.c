/* match_solve.c: solve one mentor-matching instance from JSON with the
 * library alone, for the optimality checks (ilp_check.py, match_scipy.py).
 * Usage: match_solve IN.json OUT.json
 * IN:  {"nmentees": n, "nmentors": m, "capacity": [m ints],
 *       "arcs": [[mentee, mentor, score], ...], "keep": [n ints, -1 = none]}
 *       ("keep" optional)
 * OUT: {"total": int, "pairs": int, "mentor_of": [n ints, -1 = none],
 *       "seconds": float}
 * Exits 1 with a message on stderr on bad input or a solver error. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpdplan/match.h"

static int fail(const char *path, const char *msg) {
  fprintf(stderr, "match_solve: %s: %s\n", path, msg);
  return 1;
}

/* A JSON integer in [lo, hi] into *out; 0 if it is not one. */
static int get_int(const json_t *v, json_int_t lo, json_int_t hi, json_int_t *out) {
  if (!json_is_integer(v)) return 0;
  json_int_t x = json_integer_value(v);
  if (x < lo || x > hi) return 0;
  *out = x;
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: match_solve IN.json OUT.json\n");
    return 1;
  }
  const char *in = argv[1];
  json_error_t jerr;
  json_t *root = json_load_file(in, 0, &jerr);
  if (!root) {
    fprintf(stderr, "match_solve: %s:%d:%d: %s\n", in, jerr.line, jerr.column, jerr.text);
    return 1;
  }
  int status = 1;
  uint32_t *capacity = NULL, *keep = NULL;
  cp_match_arc *arcs = NULL;
  cp_match_result res = {0};
  char msg[256];
  json_int_t n, m, x;

  if (!json_is_object(root)) {
    fail(in, "not a JSON object");
    goto done;
  }
  if (!get_int(json_object_get(root, "nmentees"), 0, UINT32_MAX - 2, &n) ||
      !get_int(json_object_get(root, "nmentors"), 0, UINT32_MAX - 2, &m)) {
    fail(in, "\"nmentees\" and \"nmentors\" must be non-negative integers");
    goto done;
  }
  json_t *jcap = json_object_get(root, "capacity"), *jarcs = json_object_get(root, "arcs");
  json_t *jkeep = json_object_get(root, "keep");
  if (!json_is_array(jcap) || (json_int_t)json_array_size(jcap) != m) {
    fail(in, "\"capacity\" must be an array of nmentors integers");
    goto done;
  }
  if (!json_is_array(jarcs)) {
    fail(in, "\"arcs\" must be an array");
    goto done;
  }
  if (jkeep && !json_is_null(jkeep) && (!json_is_array(jkeep) || (json_int_t)json_array_size(jkeep) != n)) {
    fail(in, "\"keep\" must be an array of nmentees integers");
    goto done;
  }
  size_t narcs = json_array_size(jarcs);
  capacity = malloc(((size_t)m + 1) * sizeof *capacity);
  arcs = malloc((narcs + 1) * sizeof *arcs);
  keep = malloc(((size_t)n + 1) * sizeof *keep);
  if (!capacity || !arcs || !keep) {
    fail(in, "out of memory");
    goto done;
  }
  for (size_t j = 0; j < (size_t)m; j++) {
    if (!get_int(json_array_get(jcap, j), 0, UINT32_MAX, &x)) {
      snprintf(msg, sizeof msg, "capacity[%zu] is not an integer >= 0", j);
      fail(in, msg);
      goto done;
    }
    capacity[j] = (uint32_t)x;
  }
  for (size_t a = 0; a < narcs; a++) {
    json_t *t = json_array_get(jarcs, a);
    json_int_t i, j, sc;
    if (!json_is_array(t) || json_array_size(t) != 3 || !get_int(json_array_get(t, 0), 0, UINT32_MAX - 1, &i) ||
        !get_int(json_array_get(t, 1), 0, UINT32_MAX - 1, &j) ||
        !get_int(json_array_get(t, 2), INT64_MIN, INT64_MAX, &sc)) {
      snprintf(msg, sizeof msg, "arcs[%zu] is not [mentee, mentor, score] (integers)", a);
      fail(in, msg);
      goto done;
    }
    arcs[a] = (cp_match_arc){(uint32_t)i, (uint32_t)j, (int64_t)sc};
  }
  int has_keep = jkeep && json_is_array(jkeep);
  for (size_t i = 0; has_keep && i < (size_t)n; i++) {
    if (!get_int(json_array_get(jkeep, i), -1, UINT32_MAX - 1, &x)) {
      snprintf(msg, sizeof msg, "keep[%zu] is not an integer >= -1", i);
      fail(in, msg);
      goto done;
    }
    keep[i] = x < 0 ? CP_MATCH_NONE : (uint32_t)x;
  }

  cp_match_problem p = {(uint32_t)n, (uint32_t)m, capacity, arcs, narcs, has_keep ? keep : NULL};
  cp_error err;
  cp_error_clear(&err);
  if (cp_match_solve(&p, &res, &err) != 0) {
    fail(in, err.msg);
    goto done;
  }

  FILE *f = fopen(argv[2], "w");
  if (!f) {
    perror(argv[2]);
    goto done;
  }
  fprintf(f, "{\"total\": %lld, \"pairs\": %zu, \"seconds\": %.6f, \"mentor_of\": [", (long long)res.total,
          res.pairs, res.seconds);
  for (size_t i = 0; i < (size_t)n; i++)
    fprintf(f, "%s%lld", i ? ", " : "",
            res.mentor_of[i] == CP_MATCH_NONE ? -1LL : (long long)res.mentor_of[i]);
  fprintf(f, "]}\n");
  if (fclose(f) != 0) {
    perror(argv[2]);
    goto done;
  }
  status = 0;

done:
  cp_match_result_free(&res);
  free(capacity);
  free(arcs);
  free(keep);
  json_decref(root);
  return status;
}
