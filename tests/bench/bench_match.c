/* bench_match.c: times cp_match_solve on a random sparse instance.
 * Usage: bench_match NMENTEES NMENTORS ARCS_PER_MENTEE SEED [--dump IN.json] [--out OUT.json]
 * Each mentee gets ARCS_PER_MENTEE distinct mentors (all of them if fewer),
 * capacities are 1-3 and scores 1..10000, all from SEED (splitmix64), so the
 * same arguments give the same instance. Prints pairs, total and seconds.
 * --dump writes the instance in match_solve's input format, --out the result
 * in its output format, so tests/bench/match_scipy.py can check the same one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/match.h"

static uint64_t next_rand(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* Uniform in [0, bound). */
static uint32_t uniform(uint64_t *state, uint32_t bound) {
  uint64_t lim = UINT64_MAX - UINT64_MAX % bound, r;
  do {
    r = next_rand(state);
  } while (r >= lim);
  return (uint32_t)(r % bound);
}

static int parse_u32(const char *s, uint32_t *out) {
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || v > UINT32_MAX - 2) return 0;
  *out = (uint32_t)v;
  return 1;
}

static int dump_instance(const char *path, const cp_match_problem *p) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "{\"nmentees\": %u, \"nmentors\": %u,\n\"capacity\": [", p->nmentees, p->nmentors);
  for (uint32_t j = 0; j < p->nmentors; j++) fprintf(f, "%s%u", j ? ", " : "", p->capacity[j]);
  fprintf(f, "],\n\"arcs\": [");
  for (size_t a = 0; a < p->narcs; a++)
    fprintf(f, "%s[%u, %u, %lld]", a ? ",\n" : "\n", p->arcs[a].mentee, p->arcs[a].mentor,
            (long long)p->arcs[a].score);
  fprintf(f, "]}\n");
  return fclose(f);
}

static int dump_result(const char *path, const cp_match_result *r, uint32_t n) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "{\"total\": %lld, \"pairs\": %zu, \"seconds\": %.6f, \"mentor_of\": [", (long long)r->total, r->pairs,
          r->seconds);
  for (uint32_t i = 0; i < n; i++)
    fprintf(f, "%s%lld", i ? ", " : "", r->mentor_of[i] == CP_MATCH_NONE ? -1LL : (long long)r->mentor_of[i]);
  fprintf(f, "]}\n");
  return fclose(f);
}

int main(int argc, char **argv) {
  uint32_t n, m, per, seed;
  const char *dump = NULL, *outpath = NULL;
  if (argc < 5 || !parse_u32(argv[1], &n) || !parse_u32(argv[2], &m) || !parse_u32(argv[3], &per) ||
      !parse_u32(argv[4], &seed)) {
    fprintf(stderr, "usage: bench_match NMENTEES NMENTORS ARCS_PER_MENTEE SEED [--dump IN.json] [--out OUT.json]\n");
    return 1;
  }
  for (int k = 5; k < argc; k++) {
    if (!strcmp(argv[k], "--dump") && k + 1 < argc) dump = argv[++k];
    else if (!strcmp(argv[k], "--out") && k + 1 < argc) outpath = argv[++k];
    else {
      fprintf(stderr, "bench_match: unknown argument %s\n", argv[k]);
      return 1;
    }
  }
  if (per > m) per = m;
  uint64_t st = seed;
  size_t narcs = (size_t)n * per;
  uint32_t *capacity = malloc(((size_t)m + 1) * sizeof *capacity);
  cp_match_arc *arcs = malloc((narcs + 1) * sizeof *arcs);
  uint32_t *mark = calloc((size_t)m + 1, sizeof *mark); /* mentee+1 that last took mentor j */
  if (!capacity || !arcs || !mark) {
    fprintf(stderr, "bench_match: out of memory\n");
    return 1;
  }
  for (uint32_t j = 0; j < m; j++) capacity[j] = 1 + uniform(&st, 3);
  size_t a = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (per == m) { /* every mentor: no sampling needed */
      for (uint32_t j = 0; j < m; j++) arcs[a++] = (cp_match_arc){i, j, 1 + (int64_t)uniform(&st, 10000)};
      continue;
    }
    for (uint32_t k = 0; k < per;) {
      uint32_t j = uniform(&st, m);
      if (mark[j] == i + 1) continue;
      mark[j] = i + 1;
      arcs[a++] = (cp_match_arc){i, j, 1 + (int64_t)uniform(&st, 10000)};
      k++;
    }
  }
  cp_match_problem p = {n, m, capacity, arcs, narcs, NULL};
  if (dump && dump_instance(dump, &p) != 0) {
    perror(dump);
    return 1;
  }

  cp_match_result r;
  cp_error err;
  cp_error_clear(&err);
  if (cp_match_solve(&p, &r, &err) != 0) {
    fprintf(stderr, "bench_match: %s\n", err.msg);
    return 1;
  }
  printf("mentees %u mentors %u arcs %zu seed %u: pairs %zu total %lld seconds %.3f\n", n, m, narcs, seed, r.pairs,
         (long long)r.total, r.seconds);
  int status = 0;
  if (outpath && dump_result(outpath, &r, n) != 0) {
    perror(outpath);
    status = 1;
  }
  cp_match_result_free(&r);
  free(capacity);
  free(arcs);
  free(mark);
  return status;
}
