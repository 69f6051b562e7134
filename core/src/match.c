/* match.c: mentor matching (cpdplan/match.h) solved exactly as a min-cost
 * flow by successive shortest augmenting paths: one Dijkstra per mentee on
 * the residual graph, with node potentials so that every reduced cost is
 * non-negative, stopping at the first mentor with a free place. The work
 * grows with the allowed pairs (arcs), never with mentees x mentors.
 * The method, its bounds and how ties are broken are set out below. */
#include "cpdplan/match.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The network. Every mentee must take one unit to a mentor or to a dummy
 * "no mentor" node D of unlimited capacity. With K = nmentees and a score s
 * scaled to s' = s*(K+1) + (1 if the pair is in keep[] else 0), a real arc
 * costs W - s' and the arc to D costs W, where W = (highest s)*(K+1) + 1.
 * All costs are >= 0 and the min-cost flow is the max-score matching; as
 * the keep[] bonuses sum to at most K < K+1, it is optimal for the
 * unscaled scores too, and among those optima it keeps the most keep[]
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
 *
 * Bounds (why int64 is enough): D and free mentors are never relabelled
 * (popping one ends the search, and it is then the target with dist == dt),
 * so their potential stays 0; every other update is <= 0, so all potentials
 * are in [-W, 0] (a placed mentee u has W + pi[u] - pi[D] >= 0). Distances
 * never exceed dist(D) <= W, and a tentative key is at most 3W. We require
 * 4W <= INT64_MAX, which also bounds the total score; otherwise CP_EINVAL.
 *
 * Determinism: arcs are sorted by (mentee, mentor) with duplicates merged
 * (highest score kept), so the input order does not matter. Nodes are
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

typedef struct solver {
  uint32_t n, m, dummy;  /* mentees, mentors; dummy = node number of D = n+m */
  size_t *first;         /* n+1: mentee u's arcs are first[u]..first[u+1]-1 */
  uint32_t *amentor;     /* per arc, ascending within a mentee */
  int64_t *acost;        /* per arc: W - s' */
  int64_t *ascore;       /* per arc: the score as given */
  int64_t wdummy;        /* W: the cost of "no mentor" */
  uint32_t *cap;         /* per mentor: places usable (capacity, at most its arcs) */
  size_t *soff;          /* per mentor: start of its places in slots */
  uint32_t *scnt;        /* per mentor: places taken */
  uint32_t *slots;       /* the mentees each mentor holds */
  uint32_t *spos;        /* per mentee: its index among its mentor's slots */
  size_t *arc_of;        /* per mentee: arc in use, NO_ARC or DUMMY_ARC */
  /* search state, per node (n+m+1) */
  int64_t *pi, *dist;
  unsigned char *state;
  uint32_t *hpos, *heap, *touched;
  uint32_t hlen, ntouched;
  uint32_t *pmentee;     /* per mentor and D: the mentee it was reached from */
  size_t *parc;          /* per mentor and D: the arc it was reached by */
} solver;

static void *alloc_array(size_t count, size_t size) {
  if (count == 0) count = 1;
  if (count > SIZE_MAX / size) return NULL;
  return malloc(count * size);
}

static void *zalloc_array(size_t count, size_t size) {
  return calloc(count ? count : 1, size);
}

static void solver_free(solver *s) {
  free(s->first);
  free(s->amentor);
  free(s->acost);
  free(s->ascore);
  free(s->cap);
  free(s->soff);
  free(s->scnt);
  free(s->slots);
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
  uint32_t last = s->slots[s->soff[j] + s->scnt[j] - 1];
  s->slots[s->soff[j] + s->spos[u]] = last;
  s->spos[last] = s->spos[u];
  s->scnt[j]--;
}

static void slot_add(solver *s, uint32_t j, uint32_t u) {
  s->spos[u] = s->scnt[j];
  s->slots[s->soff[j] + s->scnt[j]++] = u;
}

/* Place mentee i along a shortest augmenting path. */
static void place(solver *s, uint32_t i) {
  const uint32_t n = s->n;
  /* lowest potential keeping i's reduced costs >= 0 */
  int64_t best = s->pi[s->dummy] - s->wdummy;
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
        uint32_t u = s->slots[s->soff[j] + k];
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
      if (used != DUMMY_ARC) relax_mentor(s, u, s->dummy, DUMMY_ARC, base + s->wdummy - s->pi[s->dummy], &bound);
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
}

/* Check the input, then sort the arcs by (mentee, mentor) into CSR form
 * with duplicates merged and arcs to mentors without places dropped. */
static int build(solver *s, const cp_match_problem *p, cp_error *err) {
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
  if (p->keep)
    for (uint32_t i = 0; i < n; i++)
      if (p->keep[i] != CP_MATCH_NONE && p->keep[i] >= m)
        return cp_error_set(err, CP_EINVAL, "keep[%u]: mentor %u out of range (%u mentors)", i, p->keep[i], m);
  /* W = maxs*(n+1) + 1 and 4W must fit in int64 */
  const int64_t limit = INT64_MAX / 4;
  if (maxs > (limit - 1) / ((int64_t)n + 1))
    return cp_error_set(err, CP_EINVAL,
                        "scores too large: the highest score %lld times %u mentees + 1 exceeds %lld",
                        (long long)maxs, n, (long long)((limit - 1) / ((int64_t)n + 1)));
  const int64_t scale = (int64_t)n + 1;
  s->wdummy = maxs * scale + 1;

  size_t na = p->narcs;
  size_t *bym = alloc_array(na, sizeof *bym), *sorted = alloc_array(na, sizeof *sorted);
  size_t *cm = zalloc_array((size_t)m + 1, sizeof *cm), *next = zalloc_array((size_t)n + 1, sizeof *next);
  s->first = zalloc_array((size_t)n + 1, sizeof *s->first);
  s->amentor = alloc_array(na, sizeof *s->amentor);
  s->acost = alloc_array(na, sizeof *s->acost);
  s->ascore = alloc_array(na, sizeof *s->ascore);
  s->cap = zalloc_array(m, sizeof *s->cap);
  s->soff = zalloc_array(m, sizeof *s->soff);
  s->scnt = zalloc_array(m, sizeof *s->scnt);
  int rc = 0;
  if (!bym || !sorted || !cm || !next || !s->first || !s->amentor || !s->acost || !s->ascore || !s->cap ||
      !s->soff || !s->scnt) {
    rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    goto done;
  }
  /* counting sort by mentor, then (stable) by mentee */
  for (size_t a = 0; a < na; a++) cm[p->arcs[a].mentor + 1]++;
  for (uint32_t j = 0; j < m; j++) cm[j + 1] += cm[j];
  for (size_t a = 0; a < na; a++) bym[cm[p->arcs[a].mentor]++] = a;
  for (size_t a = 0; a < na; a++) next[p->arcs[a].mentee + 1]++;
  for (uint32_t i = 0; i < n; i++) next[i + 1] += next[i];
  for (size_t k = 0; k < na; k++) {
    size_t a = bym[k];
    sorted[next[p->arcs[a].mentee]++] = a;
  }
  /* merge duplicates, drop mentors without places, scale */
  size_t out = 0;
  for (size_t k = 0; k < na;) {
    const cp_match_arc *x = &p->arcs[sorted[k]];
    int64_t sc = x->score;
    size_t k2 = k + 1;
    while (k2 < na && p->arcs[sorted[k2]].mentee == x->mentee && p->arcs[sorted[k2]].mentor == x->mentor) {
      if (p->arcs[sorted[k2]].score > sc) sc = p->arcs[sorted[k2]].score;
      k2++;
    }
    k = k2;
    if (p->capacity[x->mentor] == 0) continue;
    int kept = p->keep && p->keep[x->mentee] == x->mentor;
    s->amentor[out] = x->mentor;
    s->ascore[out] = sc;
    s->acost[out] = s->wdummy - (sc * scale + kept);
    s->first[x->mentee + 1]++;
    if (s->cap[x->mentor] < p->capacity[x->mentor]) s->cap[x->mentor]++; /* min(capacity, arcs) */
    out++;
  }
  for (uint32_t i = 0; i < n; i++) s->first[i + 1] += s->first[i];
  size_t nslots = 0;
  for (uint32_t j = 0; j < m; j++) {
    s->soff[j] = nslots;
    nslots += s->cap[j];
  }
  s->slots = alloc_array(nslots, sizeof *s->slots);
  if (!s->slots) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
done:
  free(bym);
  free(sorted);
  free(cm);
  free(next);
  return rc;
}

/* Solve; see the notes at the top of this file for the method. */
int cp_match_solve(const cp_match_problem *p, cp_match_result *out, cp_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (!p || !out) return cp_error_set(err, CP_EINVAL, "match: no problem or no result given");
  if ((p->nmentors > 0 && !p->capacity) || (p->narcs > 0 && !p->arcs))
    return cp_error_set(err, CP_EINVAL, "match: capacity or arcs missing");
  if ((uint64_t)p->nmentees + p->nmentors + 1 >= UINT32_MAX)
    return cp_error_set(err, CP_EINVAL, "match: too many mentees and mentors (%u + %u)", p->nmentees,
                        p->nmentors);
  double t0 = now_seconds();
  solver s;
  memset(&s, 0, sizeof s);
  s.n = p->nmentees;
  s.m = p->nmentors;
  s.dummy = s.n + s.m;
  int rc = build(&s, p, err);
  if (rc) goto done;

  size_t nodes = (size_t)s.n + s.m + 1;
  s.spos = alloc_array(s.n, sizeof *s.spos);
  s.arc_of = alloc_array(s.n, sizeof *s.arc_of);
  s.pi = zalloc_array(nodes, sizeof *s.pi);
  s.dist = alloc_array(nodes, sizeof *s.dist);
  s.state = zalloc_array(nodes, sizeof *s.state);
  s.hpos = alloc_array(nodes, sizeof *s.hpos);
  s.heap = alloc_array(nodes, sizeof *s.heap);
  s.touched = alloc_array(nodes, sizeof *s.touched);
  s.pmentee = alloc_array((size_t)s.m + 1, sizeof *s.pmentee);
  s.parc = alloc_array((size_t)s.m + 1, sizeof *s.parc);
  out->mentor_of = alloc_array(s.n, sizeof *out->mentor_of);
  if (!s.spos || !s.arc_of || !s.pi || !s.dist || !s.state || !s.hpos || !s.heap || !s.touched ||
      !s.pmentee || !s.parc || !out->mentor_of) {
    rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    goto done;
  }
  for (uint32_t i = 0; i < s.n; i++) s.arc_of[i] = NO_ARC;
  for (size_t v = 0; v < nodes; v++) {
    s.hpos[v] = NOT_IN_HEAP;
    s.dist[v] = INT64_MAX;
  }

  for (uint32_t i = 0; i < s.n; i++) place(&s, i);

  for (uint32_t i = 0; i < s.n; i++) {
    size_t a = s.arc_of[i];
    if (a == DUMMY_ARC) {
      out->mentor_of[i] = CP_MATCH_NONE;
    } else {
      out->mentor_of[i] = s.amentor[a];
      out->total += s.ascore[a];
      out->pairs++;
    }
  }
  out->seconds = now_seconds() - t0;

done:
  solver_free(&s);
  if (rc) cp_match_result_free(out);
  return rc;
}

void cp_match_result_free(cp_match_result *r) {
  if (!r) return;
  free(r->mentor_of);
  memset(r, 0, sizeof *r);
}
