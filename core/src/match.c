/* match.c: mentor matching (cpdplan/match.h) solved exactly as a min-cost
 * flow by successive shortest augmenting paths: one Dijkstra per mentee on
 * the residual graph, with node potentials so that every reduced cost is
 * non-negative, stopping at the first mentor with a free place. The work
 * grows with the allowed pairs (arcs), never with mentees x mentors.
 * Mentees are placed one by one in index order, each needing only its own
 * arcs and those of the mentees before it, so a problem can be streamed in
 * (cp_match_stream) while later mentees' scores are still being worked out.
 * The method, its bounds and how ties are broken are set out below. */
#include "cpdplan/match.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The network. Every mentee must take one unit to a mentor or to a dummy
 * "no mentor" node D of unlimited capacity. With K = nmentees and a score s
 * scaled to s' = s*(K+1) + (1 if the pair is in keep[] else 0), a real arc
 * costs -s' and the arc to D costs 0. The min-cost flow is the max-score
 * matching; as the keep[] bonuses sum to at most K < K+1, it is optimal for
 * the unscaled scores too, and among those optima it keeps the most keep[]
 * pairs. A mentee placed on D is unmatched.
 *
 * Mentees are placed in index order. For mentee i, Dijkstra runs from i
 * over the residual graph: mentee u -> mentor j for each arc not in use
 * (reduced cost c + pi[u] - pi[j]), u -> D likewise, and full mentor j ->
 * each mentee it holds (reduced cost 0: matched arcs are tight). It stops
 * when it pops D or a mentor with a free place at distance dt; every popped
 * node v then gets pi[v] += dist[v] - dt (nodes not popped keep theirs: a
 * uniform shift of the textbook pi += min(dist, dt)), which keeps every
 * reduced cost >= 0 and makes the path tight. Before its search mentee i
 * gets pi[i] = max over its arcs of (pi[j] - c), its lowest valid value.
 * Only the arcs of mentees 0..i are ever read while placing i (a search
 * reaches other mentees only through the mentors holding them).
 *
 * Bounds (why int64 is enough). Let W = (highest s)*(K+1) + 1. Adding W to
 * the cost of every arc out of every mentee changes no reduced cost (each
 * mentee's potential moves by -W with it), so the search is the one it would
 * be with costs W - s' and W, all >= 0. There, D and free mentors are never
 * relabelled (popping one ends the search, and it is then the target with
 * dist == dt), so their potential stays 0 and every other update is <= 0:
 * all potentials are in [-W, 0], distances never exceed dist(D) <= W, and a
 * tentative key is at most 3W. Here mentees' potentials are those plus W, in
 * [0, W], and every sum formed stays within [-3W, 3W]. We require 4W <=
 * INT64_MAX, checked arc by arc, which also bounds the total score;
 * otherwise CP_EINVAL.
 *
 * Determinism: each mentee's arcs are sorted by mentor with duplicates
 * merged (highest score kept), so the input order does not matter. Nodes are
 * numbered mentees 0..K-1, mentors K..K+M-1, D last; the heap pops by
 * (distance, node number), so among targets at equal distance the lowest
 * numbered wins (a real mentor before "no mentor"), and a node keeps the
 * first predecessor that offered its final distance (mentees' arcs are
 * scanned in mentor order). Beyond the keep[] preference the matching found
 * is thus a fixed function of the set of arcs and capacities. */

#define NO_ARC SIZE_MAX          /* mentee not yet placed */
#define DUMMY_ARC (SIZE_MAX - 1) /* mentee placed on D: no mentor */
#define NOT_IN_HEAP UINT32_MAX

enum { UNSEEN = 0, QUEUED = 1, DONE = 2 };

struct cp_match_stream {
  uint32_t n, m, dummy;  /* mentees, mentors; dummy = node number of D = n+m */
  uint32_t added;        /* mentees placed so far */
  int64_t scale, smax;   /* K+1; the highest score allowed (4W <= INT64_MAX) */
  const uint32_t *keep;  /* the caller's, or NULL */
  size_t *first;         /* n+1: mentee u's arcs are first[u]..first[u+1]-1 */
  uint32_t *amentor;     /* per arc, ascending within a mentee */
  int64_t *acost;        /* per arc: -s' */
  int64_t *ascore;       /* per arc: the score as given */
  size_t narcs, acap;
  uint32_t *cap;         /* per mentor: places (its capacity) */
  uint32_t **slots;      /* per mentor: the mentees it holds, scnt of them */
  uint32_t *scnt, *sroom;/* per mentor: places taken; room in slots[j] */
  uint32_t *spos;        /* per mentee: its index among its mentor's slots */
  size_t *arc_of;        /* per mentee: arc in use, NO_ARC or DUMMY_ARC */
  /* search state, per node (n+m+1) */
  int64_t *pi, *dist;
  unsigned char *state;
  uint32_t *hpos, *heap, *touched;
  uint32_t hlen, ntouched;
  uint32_t *pmentee;     /* per mentor and D: the mentee it was reached from */
  size_t *parc;          /* per mentor and D: the arc it was reached by */
  cp_match_arc *sorted;  /* scratch: one mentee's arcs by mentor */
  size_t sorted_cap;
  double seconds;        /* time spent in the solver */
};

typedef struct cp_match_stream solver;

static void *alloc_array(size_t count, size_t size) {
  if (count == 0) count = 1;
  if (count > SIZE_MAX / size) return NULL;
  return malloc(count * size);
}

static void *zalloc_array(size_t count, size_t size) {
  return calloc(count ? count : 1, size);
}

void cp_match_stream_free(cp_match_stream *s) {
  if (!s) return;
  free(s->first);
  free(s->amentor);
  free(s->acost);
  free(s->ascore);
  free(s->cap);
  for (uint32_t j = 0; s->slots && j < s->m; j++) free(s->slots[j]);
  free(s->slots);
  free(s->scnt);
  free(s->sroom);
  free(s->spos);
  free(s->arc_of);
  free(s->pi);
  free(s->dist);
  free(s->state);
  free(s->hpos);
  free(s->heap);
  free(s->touched);
  free(s->pmentee);
  free(s->parc);
  free(s->sorted);
  free(s);
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- indexed binary heap on (dist, node) ---- */

static int heap_less(const solver *s, uint32_t a, uint32_t b) {
  return s->dist[a] < s->dist[b] || (s->dist[a] == s->dist[b] && a < b);
}

static void heap_up(solver *s, uint32_t i) {
  uint32_t v = s->heap[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (!heap_less(s, v, s->heap[parent])) break;
    s->heap[i] = s->heap[parent];
    s->hpos[s->heap[i]] = i;
    i = parent;
  }
  s->heap[i] = v;
  s->hpos[v] = i;
}

static void heap_down(solver *s, uint32_t i) {
  uint32_t v = s->heap[i];
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= s->hlen) break;
    if (c + 1 < s->hlen && heap_less(s, s->heap[c + 1], s->heap[c])) c++;
    if (!heap_less(s, s->heap[c], v)) break;
    s->heap[i] = s->heap[c];
    s->hpos[s->heap[i]] = i;
    i = c;
  }
  s->heap[i] = v;
  s->hpos[v] = i;
}

static uint32_t heap_pop(solver *s) {
  uint32_t top = s->heap[0];
  s->hpos[top] = NOT_IN_HEAP;
  if (--s->hlen > 0) {
    s->heap[0] = s->heap[s->hlen];
    heap_down(s, 0);
  }
  return top;
}

/* Offer node v at distance key; bound is the best distance to a free
 * target seen so far (nothing beyond it can be on the shortest path).
 * Returns 1 when v's distance was set or lowered. dist is INT64_MAX for a
 * node not yet seen, and a popped node never improves (reduced costs are
 * >= 0), so one comparison rejects most offers. */
static inline int relax(solver *s, uint32_t v, int64_t key, int64_t *bound) {
  if (key > *bound || key >= s->dist[v] || s->state[v] == DONE) return 0;
  s->dist[v] = key;
  if (s->state[v] == UNSEEN) {
    s->state[v] = QUEUED;
    s->touched[s->ntouched++] = v;
    s->heap[s->hlen] = v;
    s->hpos[v] = s->hlen++;
  }
  heap_up(s, s->hpos[v]);
  if (v >= s->n && (v == s->dummy || s->scnt[v - s->n] < s->cap[v - s->n]) && key < *bound) *bound = key;
  return 1;
}

/* relax() for a mentor or D reached from mentee u by arc, remembering how. */
static inline void relax_mentor(solver *s, uint32_t u, uint32_t v, size_t arc, int64_t key, int64_t *bound) {
  if (relax(s, v, key, bound)) {
    s->pmentee[v - s->n] = u;
    s->parc[v - s->n] = arc;
  }
}

static void slot_remove(solver *s, uint32_t j, uint32_t u) {
  uint32_t last = s->slots[j][s->scnt[j] - 1];
  s->slots[j][s->spos[u]] = last;
  s->spos[last] = s->spos[u];
  s->scnt[j]--;
}

/* (room is made before a search: slot_add never fails) */
static void slot_add(solver *s, uint32_t j, uint32_t u) {
  s->spos[u] = s->scnt[j];
  s->slots[j][s->scnt[j]++] = u;
}

/* Place mentee i along a shortest augmenting path. 0 or CP_ENOMEM. */
static int place(solver *s, uint32_t i) {
  const uint32_t n = s->n;
  /* lowest potential keeping i's reduced costs >= 0 */
  int64_t best = s->pi[s->dummy]; /* D's arc costs 0 */
  for (size_t a = s->first[i]; a < s->first[i + 1]; a++) {
    int64_t v = s->pi[n + s->amentor[a]] - s->acost[a];
    if (v > best) best = v;
  }
  s->pi[i] = best;

  int64_t bound = INT64_MAX;
  uint32_t target = s->dummy;
  s->hlen = 0;
  s->ntouched = 0;
  relax(s, i, 0, &bound);
  while (s->hlen > 0) {
    uint32_t v = heap_pop(s);
    s->state[v] = DONE;
    int64_t dv = s->dist[v];
    if (v >= n) {
      uint32_t j = v - n;
      if (v == s->dummy || s->scnt[j] < s->cap[j]) {
        target = v;
        break;
      }
      /* full mentor: back to each mentee it holds (tight arcs) */
      for (uint32_t k = 0; k < s->scnt[j]; k++) {
        uint32_t u = s->slots[j][k];
        int64_t rc = -s->acost[s->arc_of[u]] + s->pi[v] - s->pi[u];
        relax(s, u, dv + rc, &bound);
      }
    } else {
      /* the hot loop: most offers fail the bound or the distance test */
      uint32_t u = v;
      size_t used = s->arc_of[u];
      int64_t base = dv + s->pi[u];
      const int64_t *pim = s->pi + n, *distm = s->dist + n;
      for (size_t a = s->first[u], end = s->first[u + 1]; a < end; a++) {
        uint32_t j = s->amentor[a];
        int64_t key = base + s->acost[a] - pim[j];
        if (key > bound || key >= distm[j] || a == used) continue;
        relax_mentor(s, u, n + j, a, key, &bound);
      }
      if (used != DUMMY_ARC) relax_mentor(s, u, s->dummy, DUMMY_ARC, base - s->pi[s->dummy], &bound);
    }
  }

  /* relabel the popped nodes, reset the search state */
  int64_t dt = s->dist[target];
  for (uint32_t k = 0; k < s->ntouched; k++) {
    uint32_t v = s->touched[k];
    if (s->state[v] == DONE) s->pi[v] += s->dist[v] - dt;
    s->state[v] = UNSEEN;
    s->dist[v] = INT64_MAX;
    s->hpos[v] = NOT_IN_HEAP;
  }

  /* the target gains a mentee (each other mentor on the path swaps one) */
  if (target != s->dummy) {
    uint32_t j = target - n;
    if (s->scnt[j] == s->sroom[j]) {
      uint32_t room = s->sroom[j] < 2 ? 4 : 2 * s->sroom[j];
      if (room > s->cap[j]) room = s->cap[j];
      uint32_t *g = realloc(s->slots[j], (size_t)room * sizeof *g);
      if (!g) return CP_ENOMEM;
      s->slots[j] = g;
      s->sroom[j] = room;
    }
  }

  /* augment: walk back from the target, moving each mentee on the path */
  uint32_t w = target;
  for (;;) {
    uint32_t u = s->pmentee[w - n];
    size_t a = s->parc[w - n];
    size_t old = s->arc_of[u];
    if (old != NO_ARC && old != DUMMY_ARC) slot_remove(s, s->amentor[old], u);
    s->arc_of[u] = a;
    if (a != DUMMY_ARC) slot_add(s, s->amentor[a], u);
    if (old == NO_ARC) break; /* u is i, the path's start */
    w = n + s->amentor[old];  /* a mentee on D is never on a path: D is not expanded */
  }
  return 0;
}

int cp_match_stream_new(cp_match_stream **out, uint32_t nmentees, uint32_t nmentors, const uint32_t *capacity,
                        const uint32_t *keep, cp_error *err) {
  *out = NULL;
  if (nmentors > 0 && !capacity) return cp_error_set(err, CP_EINVAL, "match: capacity missing");
  if ((uint64_t)nmentees + nmentors + 1 >= UINT32_MAX)
    return cp_error_set(err, CP_EINVAL, "match: too many mentees and mentors (%u + %u)", nmentees, nmentors);
  for (uint32_t i = 0; keep && i < nmentees; i++)
    if (keep[i] != CP_MATCH_NONE && keep[i] >= nmentors)
      return cp_error_set(err, CP_EINVAL, "keep[%u]: mentor %u out of range (%u mentors)", i, keep[i], nmentors);
  double t0 = now_seconds();
  solver *s = calloc(1, sizeof *s);
  if (!s) return cp_error_set(err, CP_ENOMEM, "out of memory");
  s->n = nmentees;
  s->m = nmentors;
  s->dummy = s->n + s->m;
  s->scale = (int64_t)s->n + 1;
  s->smax = (INT64_MAX / 4 - 1) / s->scale; /* W = smax*(K+1) + 1 <= INT64_MAX/4 */
  s->keep = keep;
  size_t nodes = (size_t)s->n + s->m + 1;
  s->first = zalloc_array((size_t)s->n + 1, sizeof *s->first);
  s->cap = alloc_array(s->m, sizeof *s->cap);
  s->slots = zalloc_array(s->m, sizeof *s->slots);
  s->scnt = zalloc_array(s->m, sizeof *s->scnt);
  s->sroom = zalloc_array(s->m, sizeof *s->sroom);
  s->spos = alloc_array(s->n, sizeof *s->spos);
  s->arc_of = alloc_array(s->n, sizeof *s->arc_of);
  s->pi = zalloc_array(nodes, sizeof *s->pi);
  s->dist = alloc_array(nodes, sizeof *s->dist);
  s->state = zalloc_array(nodes, sizeof *s->state);
  s->hpos = alloc_array(nodes, sizeof *s->hpos);
  s->heap = alloc_array(nodes, sizeof *s->heap);
  s->touched = alloc_array(nodes, sizeof *s->touched);
  s->pmentee = alloc_array((size_t)s->m + 1, sizeof *s->pmentee);
  s->parc = alloc_array((size_t)s->m + 1, sizeof *s->parc);
  if (!s->first || !s->cap || !s->slots || !s->scnt || !s->sroom || !s->spos || !s->arc_of || !s->pi ||
      !s->dist || !s->state || !s->hpos || !s->heap || !s->touched || !s->pmentee || !s->parc) {
    cp_match_stream_free(s);
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  if (s->m) memcpy(s->cap, capacity, s->m * sizeof *s->cap);
  for (uint32_t i = 0; i < s->n; i++) s->arc_of[i] = NO_ARC;
  for (size_t v = 0; v < nodes; v++) {
    s->hpos[v] = NOT_IN_HEAP;
    s->dist[v] = INT64_MAX;
  }
  s->seconds = now_seconds() - t0;
  *out = s;
  return 0;
}

static int cmp_arc_mentor(const void *a, const void *b) {
  const cp_match_arc *x = a, *y = b;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

/* Mentee number s->added's arcs, checked (at is the index of arcs[0] in
 * the caller's list, for messages), sorted by mentor, merged, scaled. */
static int add_arcs(solver *s, const cp_match_arc *arcs, size_t n, size_t at, cp_error *err) {
  uint32_t i = s->added;
  for (size_t k = 0; k < n; k++) {
    const cp_match_arc *x = &arcs[k];
    if (x->mentee != i)
      return x->mentee >= s->n ? cp_error_set(err, CP_EINVAL, "arc %zu: mentee %u out of range (%u mentees)",
                                              at + k, x->mentee, s->n)
                               : cp_error_set(err, CP_EINVAL, "arc %zu: mentee %u given when placing mentee %u",
                                              at + k, x->mentee, i);
    if (x->mentor >= s->m)
      return cp_error_set(err, CP_EINVAL, "arc %zu: mentor %u out of range (%u mentors)", at + k, x->mentor, s->m);
    if (x->score <= 0)
      return cp_error_set(err, CP_EINVAL, "arc %zu (mentee %u, mentor %u): score %lld is not > 0", at + k,
                          x->mentee, x->mentor, (long long)x->score);
    if (x->score > s->smax)
      return cp_error_set(err, CP_EINVAL, "scores too large: score %lld times %u mentees + 1 exceeds %lld",
                          (long long)x->score, s->n, (long long)s->smax);
  }
  const cp_match_arc *by = arcs;
  int ordered = 1;
  for (size_t k = 1; k < n && ordered; k++) ordered = arcs[k - 1].mentor <= arcs[k].mentor;
  if (!ordered) { /* (a stable order of equal mentors does not matter: the highest score is kept) */
    if (n > s->sorted_cap) {
      cp_match_arc *g = realloc(s->sorted, n * sizeof *g);
      if (!g) return cp_error_set(err, CP_ENOMEM, "out of memory");
      s->sorted = g;
      s->sorted_cap = n;
    }
    memcpy(s->sorted, arcs, n * sizeof *arcs);
    qsort(s->sorted, n, sizeof *s->sorted, cmp_arc_mentor);
    by = s->sorted;
  }
  s->narcs = s->first[i]; /* (drops what a failed earlier add of i left) */
  if (s->narcs + n > s->acap) {
    size_t cap = s->acap ? s->acap : 1024;
    while (cap < s->narcs + n) cap *= 2;
    uint32_t *am = realloc(s->amentor, cap * sizeof *am);
    if (am) s->amentor = am;
    int64_t *ac = am ? realloc(s->acost, cap * sizeof *ac) : NULL;
    if (ac) s->acost = ac;
    int64_t *as = ac ? realloc(s->ascore, cap * sizeof *as) : NULL;
    if (!as) return cp_error_set(err, CP_ENOMEM, "out of memory");
    s->ascore = as;
    s->acap = cap;
  }
  size_t out = s->narcs;
  for (size_t k = 0; k < n;) {
    uint32_t j = by[k].mentor;
    int64_t sc = by[k].score;
    for (k++; k < n && by[k].mentor == j; k++)
      if (by[k].score > sc) sc = by[k].score;
    if (s->cap[j] == 0) continue; /* a mentor without places */
    int kept = s->keep && s->keep[i] == j;
    s->amentor[out] = j;
    s->ascore[out] = sc;
    s->acost[out] = -(sc * s->scale + kept);
    out++;
  }
  s->narcs = out;
  s->first[i + 1] = out;
  return 0;
}

int cp_match_stream_add(cp_match_stream *s, const cp_match_arc *arcs, size_t n, cp_error *err) {
  if (!s || (n && !arcs)) return cp_error_set(err, CP_EINVAL, "match: no stream or no arcs given");
  if (s->added >= s->n) return cp_error_set(err, CP_EINVAL, "match: all %u mentees were placed already", s->n);
  double t0 = now_seconds();
  int rc = add_arcs(s, arcs, n, 0, err);
  if (!rc && place(s, s->added)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) s->added++;
  s->seconds += now_seconds() - t0;
  return rc;
}

int cp_match_stream_finish(cp_match_stream *s, cp_match_result *out, cp_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (!s || !out) return cp_error_set(err, CP_EINVAL, "match: no stream or no result given");
  if (s->added != s->n)
    return cp_error_set(err, CP_EINVAL, "match: %u of %u mentees placed", s->added, s->n);
  out->mentor_of = alloc_array(s->n, sizeof *out->mentor_of);
  if (!out->mentor_of) return cp_error_set(err, CP_ENOMEM, "out of memory");
  for (uint32_t i = 0; i < s->n; i++) {
    size_t a = s->arc_of[i];
    if (a == DUMMY_ARC) {
      out->mentor_of[i] = CP_MATCH_NONE;
    } else {
      out->mentor_of[i] = s->amentor[a];
      out->total += s->ascore[a];
      out->pairs++;
    }
  }
  out->seconds = s->seconds;
  return 0;
}

/* Solve; see the notes at the top of this file for the method. The arcs
 * are checked, then grouped by mentee (a counting sort) and streamed in. */
int cp_match_solve(const cp_match_problem *p, cp_match_result *out, cp_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (!p || !out) return cp_error_set(err, CP_EINVAL, "match: no problem or no result given");
  if ((p->nmentors > 0 && !p->capacity) || (p->narcs > 0 && !p->arcs))
    return cp_error_set(err, CP_EINVAL, "match: capacity or arcs missing");
  const uint32_t n = p->nmentees, m = p->nmentors;
  int64_t maxs = 0;
  for (size_t a = 0; a < p->narcs; a++) {
    const cp_match_arc *x = &p->arcs[a];
    if (x->mentee >= n)
      return cp_error_set(err, CP_EINVAL, "arc %zu: mentee %u out of range (%u mentees)", a, x->mentee, n);
    if (x->mentor >= m)
      return cp_error_set(err, CP_EINVAL, "arc %zu: mentor %u out of range (%u mentors)", a, x->mentor, m);
    if (x->score <= 0)
      return cp_error_set(err, CP_EINVAL, "arc %zu (mentee %u, mentor %u): score %lld is not > 0", a,
                          x->mentee, x->mentor, (long long)x->score);
    if (x->score > maxs) maxs = x->score;
  }
  double t0 = now_seconds();
  cp_match_stream *s;
  int rc = cp_match_stream_new(&s, n, m, p->capacity, p->keep, err);
  if (rc) return rc;
  if (maxs > s->smax) {
    rc = cp_error_set(err, CP_EINVAL, "scores too large: the highest score %lld times %u mentees + 1 exceeds %lld",
                      (long long)maxs, n, (long long)s->smax);
    cp_match_stream_free(s);
    return rc;
  }
  /* counting sort by mentor, then (stable) by mentee */
  size_t na = p->narcs;
  size_t *cm = zalloc_array((size_t)m + 1, sizeof *cm), *next = zalloc_array((size_t)n + 1, sizeof *next);
  size_t *bym = alloc_array(na, sizeof *bym);
  cp_match_arc *byi = alloc_array(na, sizeof *byi);
  if (!cm || !next || !bym || !byi) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  for (size_t a = 0; !rc && a < na; a++) cm[p->arcs[a].mentor + 1]++;
  for (uint32_t j = 0; !rc && j < m; j++) cm[j + 1] += cm[j];
  for (size_t a = 0; !rc && a < na; a++) bym[cm[p->arcs[a].mentor]++] = a;
  for (size_t a = 0; !rc && a < na; a++) next[p->arcs[a].mentee + 1]++;
  for (uint32_t i = 0; !rc && i < n; i++) next[i + 1] += next[i];
  for (size_t k = 0; !rc && k < na; k++) byi[next[p->arcs[bym[k]].mentee]++] = p->arcs[bym[k]];
  free(cm);
  free(bym);
  /* next[i] is now the end of mentee i's arcs, which are in mentor order */
  for (uint32_t i = 0; !rc && i < n; i++) {
    size_t from = i ? next[i - 1] : 0;
    rc = add_arcs(s, byi + from, next[i] - from, from, err);
    if (!rc && place(s, i)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    if (!rc) s->added++;
  }
  free(next);
  free(byi);
  if (!rc) rc = cp_match_stream_finish(s, out, err);
  if (!rc) out->seconds = now_seconds() - t0;
  cp_match_stream_free(s);
  return rc;
}

void cp_match_result_free(cp_match_result *r) {
  if (!r) return;
  free(r->mentor_of);
  memset(r, 0, sizeof *r);
}
