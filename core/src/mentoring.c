/* mentoring.c: mentors assign and mentors list. Builds the matching problem
 * from the snapshot and the rules: mentees are the people with needs and no
 * active mentor; mentors are the willing people with places left after
 * their active pairs. When the rules declare that score_mentor values only
 * a mentor's strengths on the mentee's needs, the candidate pairs come from
 * an index of strengths by statement, so the hook is called on those pairs
 * only; otherwise on every mentee with every mentor. Scores are scaled and
 * rounded once (cp_score_int); the matching itself is exact (match.c), and
 * runs while later mentees are still being scored. On large services the
 * needs, the scoring and the description of the pairs made are shared by
 * two threads, each with its own copy of the rules. The new proposals
 * replace the cycle's earlier ones in one transaction; active and ended
 * pairs are never touched. */
#include "cpdplan/mentoring.h"

#include "cpdplan/advise.h"
#include "cpdplan/match.h"
#include "cpdplan/snapshot.h"
#include "store_internal.h"
#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t cp_score_int(double score) {
  if (!isfinite(score) || score <= 0) return 0;
  double x = score * CP_SCORE_SCALE;
  if (x > 9.0e15) x = 9.0e15;
  return (int64_t)llround(x);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void cp_mentors_assign_report_free(cp_mentors_assign_report *rep) {
  if (!rep) return;
  for (size_t i = 0; i < rep->npairs; i++) {
    free(rep->pairs[i].statements);
    free(rep->pairs[i].reason);
  }
  free(rep->pairs);
  free(rep->arc_list);
  free(rep->capacity);
  free(rep->mentee_person);
  free(rep->mentor_person);
  free(rep->mentor_of);
  memset(rep, 0, sizeof *rep);
}

typedef struct assign_work {
  uint32_t *mentee_person, *mentor_person; /* side index -> person */
  uint32_t *mentor_of_person;              /* person -> mentor index or NONE */
  uint32_t *capacity, *keep;
  uint32_t *by_statement_start, *by_statement; /* strength index (CSR) by key */
  uint32_t *service_of;                        /* person -> service number (in service only) */
  uint32_t nservices;                          /* 1 unless pairs stay in service */
  cp_match_arc *arcs;
  size_t narcs, cap_arcs;
} assign_work;

static void work_free(assign_work *w) {
  free(w->mentee_person);
  free(w->mentor_person);
  free(w->mentor_of_person);
  free(w->capacity);
  free(w->keep);
  free(w->by_statement_start);
  free(w->by_statement);
  free(w->service_of);
  free(w->arcs);
}

/* Number the services (when pairs stay in service), so that the index of
 * strengths can be keyed by statement and service. */
static int number_services(const cp_snapshot *sn, assign_work *w, int in_service, cp_error *err) {
  w->nservices = 1;
  if (!in_service) return 0;
  w->service_of = malloc((sn->npeople ? sn->npeople : 1) * sizeof *w->service_of);
  if (!w->service_of) return cp_error_set(err, CP_ENOMEM, "out of memory");
  cp_map ids;
  cp_map_init(&ids, false);
  int rc = 0;
  w->nservices = 0;
  for (size_t i = 0; !rc && i < sn->npeople; i++) {
    int64_t id;
    if (!cp_map_get(&ids, sn->people[i].service, &id)) {
      id = w->nservices++;
      if (cp_map_put(&ids, sn->people[i].service, id)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    w->service_of[i] = (uint32_t)id;
  }
  cp_map_free(&ids);
  if (!w->nservices) w->nservices = 1;
  return rc;
}

/* The index key of a statement for a person: statement, by service too. */
static size_t strength_key(const assign_work *w, uint32_t statement, uint32_t person) {
  return (size_t)statement * w->nservices + (w->service_of ? w->service_of[person] : 0);
}

/* Index the mentors' strengths by statement (and service). */
static int index_strengths(cp_rules *r, const cp_snapshot *sn, assign_work *w, size_t nmentors, cp_error *err) {
  size_t nkeys = sn->nstatements * (size_t)w->nservices;
  w->by_statement_start = calloc(nkeys + 1, sizeof *w->by_statement_start);
  if (!w->by_statement_start) return cp_error_set(err, CP_ENOMEM, "out of memory");
  size_t total = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t m = 0; m < nmentors; m++) {
      const uint32_t *sv;
      size_t ns;
      int rc = cp_rules_strengths(r, w->mentor_person[m], &sv, &ns, err);
      if (rc) return rc;
      for (size_t k = 0; k < ns; k++) {
        size_t key = strength_key(w, sv[k], w->mentor_person[m]);
        if (pass == 0) w->by_statement_start[key + 1]++, total++;
        else w->by_statement[w->by_statement_start[key]++] = (uint32_t)m;
      }
    }
    if (pass == 0) {
      for (size_t s = 0; s < nkeys; s++) w->by_statement_start[s + 1] += w->by_statement_start[s];
      w->by_statement = malloc((total ? total : 1) * sizeof *w->by_statement);
      if (!w->by_statement) return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
  }
  /* the fill pass advanced each start to the next one's: shift back */
  for (size_t s = nkeys; s > 0; s--) w->by_statement_start[s] = w->by_statement_start[s - 1];
  w->by_statement_start[0] = 0;
  return 0;
}

/* Run job(a) here and, when b is given, job(b) in a second thread (or
 * after a, when no thread can be made). */
static void run_two(void *(*job)(void *), void *a, void *b) {
  pthread_t th;
  int threaded = b && pthread_create(&th, NULL, job, b) == 0;
  job(a);
  if (threaded) pthread_join(th, NULL);
  else if (b) job(b);
}

/* Where to cut items 0..n-1 (weights w) into two runs of about equal
 * weight: the threads' work is far from even by count (people of one
 * service have longer profiles than another's). */
static uint32_t weighted_half(const uint64_t *w, size_t n) {
  uint64_t total = 0, sum = 0;
  for (size_t i = 0; i < n; i++) total += w[i];
  size_t i = 0;
  while (i < n && 2 * (sum + w[i]) <= total) sum += w[i++];
  return (uint32_t)i;
}

/* Scoring and matching, side by side. Mentees are cut into chunks of
 * CHUNK; with two rules objects, chunk c is scored by job c % 2 (each in its
 * own thread with its own Lua state, each mentee's candidates in one
 * batch), so the chunks complete roughly in order. After each chunk a job
 * places, in order, the mentees of every chunk ready so far in the matching
 * (cp_match_stream), which needs only the arcs of the mentees before; one
 * job at a time does so, the other goes on scoring. Which job scores a
 * chunk is fixed, so the work done is the same in every run. */
#define CHUNK 32

typedef struct pipeline {
  pthread_mutex_t mu;       /* guards stop_from, done, arcs, narcs, at */
  uint32_t nchunks, njobs;
  uint32_t at[2];           /* per job: the chunk it is scoring (nchunks once done) */
  size_t ne;
  uint32_t stop_from;       /* no chunk from here on is scored (the first failed) */
  uint8_t *done;            /* per chunk: its arcs are ready */
  cp_match_arc **arcs;      /* per chunk: its arcs, in mentee order, each mentee's by mentor */
  size_t *narcs;            /* per chunk */
  uint32_t *mentee_arcs;    /* per mentee: how many arcs */
  cp_match_stream *ms;      /* the matching being built */
  pthread_mutex_t match_mu; /* held by the job placing mentees */
  uint32_t next;            /* the next chunk to place */
  int match_rc;             /* the matching's own error (after every chunk is scored) */
  cp_error match_err;
} pipeline;

typedef struct score_job {
  cp_rules *r;
  const assign_work *w;
  pipeline *pl;
  size_t ne, nm;
  int strength_pairs;
  uint32_t first_chunk;
  uint32_t *stamp; /* per mentor: last mentee + 1 that met it */
  uint32_t *cand, *cand_person; /* a mentee's candidates: mentor index, person */
  double *score;
  cp_match_arc *arcs; /* the chunk being scored */
  size_t narcs, cap, scored;
  uint32_t failed_chunk; /* the chunk of the error, if rc */
  int rc;
  cp_error err;
} score_job;

/* Sort a mentee's candidates by mentor (Shell sort: tens to hundreds of
 * them), so that they are scored, and their arcs reach the matching, in
 * mentor order. */
static void sort_candidates(uint32_t *v, size_t n) {
  static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
    size_t gap = gaps[g];
    for (size_t i = gap; i < n; i++) {
      uint32_t x = v[i];
      size_t k = i;
      for (; k >= gap && v[k - gap] > x; k -= gap) v[k] = v[k - gap];
      v[k] = x;
    }
  }
}

static int job_mentee(score_job *j, uint32_t e, size_t n) {
  j->scored += n;
  int rc = cp_rules_score_mentors(j->r, j->w->mentee_person[e], j->cand_person, n, j->score, &j->err);
  size_t from = j->narcs;
  for (size_t k = 0; !rc && k < n; k++) {
    int64_t s = cp_score_int(j->score[k]);
    if (s <= 0) continue;
    if (cp_grow(&j->arcs, j->narcs, &j->cap, sizeof *j->arcs, 1024))
      return cp_error_set(&j->err, CP_ENOMEM, "out of memory");
    j->arcs[j->narcs++] = (cp_match_arc){e, j->cand[k], s};
  }
  j->pl->mentee_arcs[e] = (uint32_t)(j->narcs - from);
  return rc;
}

static int score_mentee(score_job *j, uint32_t e) {
  const assign_work *w = j->w;
  uint32_t person = w->mentee_person[e];
  size_t n = 0;
  if (!j->strength_pairs) {
    for (size_t m = 0; m < j->nm; m++)
      if (w->mentor_person[m] != person) j->cand[n] = (uint32_t)m, j->cand_person[n++] = w->mentor_person[m];
  } else {
    const cp_need *nd;
    size_t nn;
    int rc = cp_rules_needs(j->r, person, &nd, &nn, &j->err);
    if (rc) return rc;
    for (size_t k = 0; k < nn; k++) {
      size_t key = strength_key(w, nd[k].statement, person);
      for (uint32_t i = w->by_statement_start[key]; i < w->by_statement_start[key + 1]; i++) {
        uint32_t m = w->by_statement[i];
        if (w->mentor_person[m] == person || j->stamp[m] == e + 1) continue;
        j->stamp[m] = e + 1;
        j->cand[n++] = m;
      }
    }
    sort_candidates(j->cand, n);
    for (size_t k = 0; k < n; k++) j->cand_person[k] = w->mentor_person[j->cand[k]];
  }
  return job_mentee(j, e, n);
}

/* Place the mentees of every chunk ready, in order, unless another job is
 * doing so (wait: take the turn anyway, when the scoring is over). */
static void drain(pipeline *pl, int wait) {
  if (wait ? pthread_mutex_lock(&pl->match_mu) : pthread_mutex_trylock(&pl->match_mu)) return;
  while (pl->next < pl->nchunks && !pl->match_rc) {
    uint32_t c = pl->next;
    pthread_mutex_lock(&pl->mu);
    int ready = pl->done[c];
    pthread_mutex_unlock(&pl->mu);
    if (!ready) break;
    size_t k = 0; /* the mentee's first arc in the chunk's */
    uint32_t e1 = (uint32_t)((size_t)(c + 1) * CHUNK < pl->ne ? (size_t)(c + 1) * CHUNK : pl->ne);
    for (uint32_t e = c * CHUNK; e < e1 && !pl->match_rc; e++) {
      const cp_match_arc *a = pl->mentee_arcs[e] ? pl->arcs[c] + k : NULL;
      pl->match_rc = cp_match_stream_add(pl->ms, a, pl->mentee_arcs[e], &pl->match_err);
      k += pl->mentee_arcs[e];
    }
    pl->next++;
  }
  pthread_mutex_unlock(&pl->match_mu);
}

static void *score_run(void *arg) {
  score_job *j = arg;
  pipeline *pl = j->pl;
  for (uint32_t c = j->first_chunk; c < pl->nchunks; c += pl->njobs) {
    pthread_mutex_lock(&pl->mu);
    int stop = c >= pl->stop_from;
    pl->at[j->first_chunk] = c;
    pthread_mutex_unlock(&pl->mu);
    if (stop) break;
    j->arcs = NULL;
    j->narcs = j->cap = 0;
    uint32_t e1 = (uint32_t)((size_t)(c + 1) * CHUNK < j->ne ? (size_t)(c + 1) * CHUNK : j->ne);
    for (uint32_t e = c * CHUNK; !j->rc && e < e1; e++) j->rc = score_mentee(j, e);
    pthread_mutex_lock(&pl->mu);
    if (j->rc) {
      j->failed_chunk = c;
      if (c < pl->stop_from) pl->stop_from = c;
      free(j->arcs);
    } else {
      pl->arcs[c] = j->arcs;
      pl->narcs[c] = j->narcs;
      pl->done[c] = 1;
    }
    j->arcs = NULL;
    /* the job ahead (or level) does the placing while the other catches up */
    int ahead = pl->njobs == 1 || c >= pl->at[1 - j->first_chunk];
    pthread_mutex_unlock(&pl->mu);
    if (j->rc) break;
    if (ahead) drain(pl, 0);
  }
  pthread_mutex_lock(&pl->mu);
  pl->at[j->first_chunk] = pl->nchunks;
  pthread_mutex_unlock(&pl->mu);
  return NULL;
}

/* People per thread below which one thread does it all. */
#define SPLIT_PEOPLE 1000

/* Everyone's needs and strengths (the needs hook): with a second rules
 * object r2, each works out half and takes over the other's half. */
typedef struct needs_job {
  cp_rules *r;
  uint32_t from, to;
  int rc;
  cp_error err;
} needs_job;

static void *needs_run(void *arg) {
  needs_job *j = arg;
  for (uint32_t i = j->from; !j->rc && i < j->to; i++) {
    const cp_need *nd;
    size_t nn;
    j->rc = cp_rules_needs(j->r, i, &nd, &nn, &j->err);
  }
  return NULL;
}

static int all_needs(cp_rules *r, cp_rules *r2, uint32_t np, cp_error *err) {
  uint32_t half = np;
  if (r2) { /* a person's hook work grows with their profile */
    const cp_snapshot *sn = cp_rules_snapshot(r);
    uint64_t *w = malloc((np ? np : 1) * sizeof *w);
    if (!w) return cp_error_set(err, CP_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < np; i++) w[i] = sn->people[i].nprofile + 16;
    half = weighted_half(w, np);
    free(w);
  }
  needs_job jobs[2] = {{r, 0, half, 0, {0}}, {r2, half, np, 0, {0}}};
  cp_error_clear(&jobs[0].err);
  cp_error_clear(&jobs[1].err);
  run_two(needs_run, &jobs[0], r2 ? &jobs[1] : NULL);
  /* the first error in person order is the one reported */
  for (int i = 0; i < (r2 ? 2 : 1); i++)
    if (jobs[i].rc) {
      *err = jobs[i].err;
      return jobs[i].rc;
    }
  if (!r2) return 0;
  int rc = cp_rules_adopt_needs(r, r2, half, np, err);
  if (!rc) rc = cp_rules_adopt_needs(r2, r, 0, half, err);
  return rc;
}

static void pipeline_free(pipeline *pl) {
  for (uint32_t c = 0; pl->arcs && c < pl->nchunks; c++) free(pl->arcs[c]);
  free(pl->arcs);
  free(pl->narcs);
  free(pl->done);
  free(pl->mentee_arcs);
  cp_match_stream_free(pl->ms);
}

/* Score every candidate pair and solve the matching (into *mr), side by
 * side as set out above: in two threads when there is a second rules object
 * r2. With keep_arcs the arcs are also gathered in w->arcs. */
static int score_and_match(cp_rules *r, cp_rules *r2, assign_work *w, size_t ne, size_t nm, int strength_pairs,
                           int keep_arcs, size_t *scored, cp_match_result *mr, cp_error *err) {
  pipeline pl;
  memset(&pl, 0, sizeof pl);
  pl.ne = ne;
  pl.nchunks = (uint32_t)((ne + CHUNK - 1) / CHUNK);
  pl.njobs = r2 && pl.nchunks >= 2 ? 2 : 1;
  pl.stop_from = pl.nchunks;
  pl.arcs = calloc(pl.nchunks ? pl.nchunks : 1, sizeof *pl.arcs);
  pl.narcs = calloc(pl.nchunks ? pl.nchunks : 1, sizeof *pl.narcs);
  pl.done = calloc(pl.nchunks ? pl.nchunks : 1, 1);
  pl.mentee_arcs = calloc(ne ? ne : 1, sizeof *pl.mentee_arcs);
  int rc = pl.arcs && pl.narcs && pl.done && pl.mentee_arcs ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = cp_match_stream_new(&pl.ms, (uint32_t)ne, (uint32_t)nm, w->capacity, w->keep, err);
  if (rc) {
    pipeline_free(&pl);
    return rc;
  }
  score_job jobs[2];
  memset(jobs, 0, sizeof jobs);
  for (uint32_t i = 0; !rc && i < pl.njobs; i++) {
    score_job *j = &jobs[i];
    j->r = i ? r2 : r;
    j->w = w;
    j->pl = &pl;
    j->ne = ne;
    j->nm = nm;
    j->strength_pairs = strength_pairs;
    j->first_chunk = i;
    cp_error_clear(&j->err);
    j->stamp = calloc(nm ? nm : 1, sizeof *j->stamp);
    j->cand = malloc((nm ? nm : 1) * sizeof *j->cand);
    j->cand_person = malloc((nm ? nm : 1) * sizeof *j->cand_person);
    j->score = malloc((nm ? nm : 1) * sizeof *j->score);
    if (!j->stamp || !j->cand || !j->cand_person || !j->score) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  int mutexes = 0;
  if (!rc && pthread_mutex_init(&pl.mu, NULL) == 0 && ++mutexes && pthread_mutex_init(&pl.match_mu, NULL) == 0)
    mutexes++;
  if (!rc && mutexes < 2) rc = cp_error_set(err, CP_ENOMEM, "cannot make a mutex");
  if (!rc) {
    run_two(score_run, &jobs[0], pl.njobs == 2 ? &jobs[1] : NULL);
    drain(&pl, 1); /* what is left: every chunk is scored (or failed) by now */
  }
  if (mutexes > 1) pthread_mutex_destroy(&pl.match_mu);
  if (mutexes > 0) pthread_mutex_destroy(&pl.mu);
  /* the first error in mentee order is the one reported: the lowest failed
   * chunk (every chunk below it was scored); then the matching's own */
  const score_job *bad = NULL;
  for (uint32_t i = 0; i < pl.njobs; i++)
    if (jobs[i].rc && (!bad || jobs[i].failed_chunk < bad->failed_chunk)) bad = &jobs[i];
  if (!rc && bad) {
    *err = bad->err;
    rc = bad->rc;
  }
  if (!rc && pl.match_rc) {
    *err = pl.match_err;
    rc = pl.match_rc;
  }
  if (!rc) rc = cp_match_stream_finish(pl.ms, mr, err);
  w->narcs = 0;
  for (uint32_t c = 0; !rc && c < pl.nchunks; c++) w->narcs += pl.narcs[c];
  if (!rc && keep_arcs) {
    w->arcs = malloc((w->narcs ? w->narcs : 1) * sizeof *w->arcs);
    if (!w->arcs) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    size_t at = 0;
    for (uint32_t c = 0; !rc && c < pl.nchunks; at += pl.narcs[c], c++)
      if (pl.narcs[c]) memcpy(w->arcs + at, pl.arcs[c], pl.narcs[c] * sizeof *w->arcs);
    w->cap_arcs = w->narcs;
  }
  for (uint32_t i = 0; i < pl.njobs; i++) {
    *scored += jobs[i].scored;
    free(jobs[i].stamp);
    free(jobs[i].cand);
    free(jobs[i].cand_person);
    free(jobs[i].score);
    free(jobs[i].arcs);
  }
  pipeline_free(&pl);
  return rc;
}

/* Describing the pairs made (score, reason, statements): each chunk's by
 * the rules object that scored it, whose person views are made already, and
 * like the scoring in two threads. */
typedef struct describe_job {
  cp_rules *r;
  const cp_snapshot *sn;
  const assign_work *w;
  const uint32_t *mentor_of;
  size_t ne;
  uint32_t first_chunk, nchunks, step;
  const size_t *at; /* per chunk: the pairs made before it */
  cp_assigned_pair *pairs;
  uint32_t failed; /* the mentee of the error, if rc */
  int rc;
  cp_error err;
} describe_job;

static int describe(describe_job *j, uint32_t e, cp_assigned_pair *pp) {
  pp->mentee = j->w->mentee_person[e];
  pp->mentor = j->w->mentor_person[j->mentor_of[e]];
  pp->kept = j->w->keep[e] == j->mentor_of[e];
  int has;
  const char *why;
  const cp_need *nd;
  const uint32_t *sv;
  size_t nn, ns;
  int rc = cp_rules_score_mentor(j->r, pp->mentee, pp->mentor, &has, &pp->score, &why, &j->err);
  if (!rc) rc = cp_rules_needs(j->r, pp->mentee, &nd, &nn, &j->err);
  if (!rc) rc = cp_rules_strengths(j->r, pp->mentor, &sv, &ns, &j->err);
  if (rc) return rc;
  pp->reason = cp_strdup(why ? why : "");
  pp->statements = cp_needs_codes(j->sn, nd, nn, sv, ns);
  return pp->reason && pp->statements ? 0 : cp_error_set(&j->err, CP_ENOMEM, "out of memory");
}

static void *describe_run(void *arg) {
  describe_job *j = arg;
  for (uint32_t c = j->first_chunk; !j->rc && c < j->nchunks; c += j->step) {
    cp_assigned_pair *pp = j->pairs + j->at[c];
    uint32_t e1 = (uint32_t)((size_t)(c + 1) * CHUNK < j->ne ? (size_t)(c + 1) * CHUNK : j->ne);
    for (uint32_t e = c * CHUNK; !j->rc && e < e1; e++) {
      if (j->mentor_of[e] == CP_MATCH_NONE) continue;
      if ((j->rc = describe(j, e, pp++))) j->failed = e;
    }
  }
  return NULL;
}

static int describe_pairs(cp_rules *r, cp_rules *r2, const cp_snapshot *sn, const assign_work *w, size_t ne,
                          const cp_match_result *mr, cp_mentors_assign_report *out, cp_error *err) {
  out->pairs = calloc(mr->pairs ? mr->pairs : 1, sizeof *out->pairs);
  if (!out->pairs) return cp_error_set(err, CP_ENOMEM, "out of memory");
  out->npairs = mr->pairs; /* all freed with the report, described or not */
  uint32_t nchunks = (uint32_t)((ne + CHUNK - 1) / CHUNK);
  uint32_t njobs = r2 && nchunks >= 2 ? 2 : 1; /* the share of the scoring */
  size_t *at = malloc(((size_t)nchunks + 1) * sizeof *at);
  if (!at) return cp_error_set(err, CP_ENOMEM, "out of memory");
  at[0] = 0;
  for (uint32_t c = 0; c < nchunks; c++) {
    at[c + 1] = at[c];
    for (size_t e = (size_t)c * CHUNK; e < ne && e < (size_t)(c + 1) * CHUNK; e++)
      at[c + 1] += mr->mentor_of[e] != CP_MATCH_NONE;
  }
  describe_job jobs[2];
  memset(jobs, 0, sizeof jobs);
  for (uint32_t i = 0; i < njobs; i++) {
    jobs[i] = (describe_job){i ? r2 : r, sn, w, mr->mentor_of, ne, i, nchunks, njobs, at, out->pairs, 0, 0, {0}};
    cp_error_clear(&jobs[i].err);
  }
  run_two(describe_run, &jobs[0], njobs == 2 ? &jobs[1] : NULL);
  free(at);
  const describe_job *bad = NULL; /* the first error in mentee order */
  for (uint32_t i = 0; i < njobs; i++)
    if (jobs[i].rc && (!bad || jobs[i].failed < bad->failed)) bad = &jobs[i];
  if (!bad) return 0;
  *err = bad->err;
  return bad->rc;
}

static int write_pairs(cp_store *st, const cp_snapshot *sn, cp_mentors_assign_report *rep, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  rc = cp_store_prepare(st, "DELETE FROM mentor_pair WHERE status='proposed' AND (cycle_id=?1 OR cycle_id IS NULL)",
                        &s, err);
  if (!rc) {
    sqlite3_bind_int64(s, 1, sn->cycle_id);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "replacing the proposed pairs");
    else rep->replaced = (size_t)sqlite3_changes(cp_store_db(st));
    sqlite3_reset(s);
  }
  if (!rc)
    rc = cp_store_prepare(st,
                          "INSERT INTO mentor_pair(uuid, mentor_id, mentee_id, cycle_id, score, statements, status)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'proposed')",
                          &s, err);
  for (size_t i = 0; !rc && i < rep->npairs; i++) {
    char uuid[37];
    cp_uuid_new(uuid);
    cp_bind_text(s, 1, uuid);
    sqlite3_bind_int64(s, 2, sn->people[rep->pairs[i].mentor].id);
    sqlite3_bind_int64(s, 3, sn->people[rep->pairs[i].mentee].id);
    sqlite3_bind_int64(s, 4, sn->cycle_id);
    sqlite3_bind_double(s, 5, rep->pairs[i].score);
    cp_bind_text(s, 6, rep->pairs[i].statements);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "writing a mentoring pair");
    sqlite3_reset(s);
  }
  if (rc) {
    cp_store_rollback(st);
    return rc;
  }
  return cp_store_commit(st, err);
}

int cp_mentors_assign(cp_store *st, cp_rules *r, const cp_mentors_assign_options *opt,
                      cp_mentors_assign_report *out, cp_error *err) {
  if (!st || !r || !out) return cp_error_set(err, CP_EINVAL, "cp_mentors_assign: missing argument");
  memset(out, 0, sizeof *out);
  cp_mentors_assign_options none = CP_MENTORS_ASSIGN_OPTIONS_INIT;
  if (!opt) opt = &none;
  if (opt->version != CP_MENTORS_ASSIGN_OPTIONS_VERSION)
    return cp_error_set(err, CP_EINVAL, "mentors assign options: unsupported version %u", opt->version);
  const cp_snapshot *sn = cp_rules_snapshot(r);
  if (!sn->cycle_id)
    return cp_error_set(err, CP_EINVAL, "no review cycle is held yet: import the self-evaluations first");
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  size_t np = sn->npeople;
  assign_work w = {0};
  w.mentee_person = malloc((np ? np : 1) * sizeof *w.mentee_person);
  w.mentor_person = malloc((np ? np : 1) * sizeof *w.mentor_person);
  w.mentor_of_person = malloc((np ? np : 1) * sizeof *w.mentor_of_person);
  w.capacity = malloc((np ? np : 1) * sizeof *w.capacity);
  w.keep = malloc((np ? np : 1) * sizeof *w.keep);
  int rc = w.mentee_person && w.mentor_person && w.mentor_of_person && w.capacity && w.keep
               ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
  /* who has an active mentor already; each mentee's earlier proposal */
  uint8_t *has_active = rc ? NULL : calloc(np ? np : 1, 1);
  uint32_t *proposed = rc ? NULL : malloc((np ? np : 1) * sizeof *proposed);
  if (!rc && (!has_active || !proposed)) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < np; i++) proposed[i] = CP_MATCH_NONE;
  for (size_t i = 0; !rc && i < sn->npairs; i++) {
    if (sn->pairs[i].active) has_active[sn->pairs[i].mentee] = 1, out->active_kept++;
    else proposed[sn->pairs[i].mentee] = sn->pairs[i].mentor;
  }
  /* a second rules object (its own Lua state) for a second thread */
  cp_rules *r2 = NULL;
  if (!rc && (opt->threads ? opt->threads >= 2 && np >= 2 : np >= 2 * SPLIT_PEOPLE)) {
    cp_error e2;
    cp_error_clear(&e2);
    if (cp_rules_clone(&r2, r, &e2)) r2 = NULL; /* then one thread does it all */
  }
  if (!rc) rc = all_needs(r, r2, (uint32_t)np, err);
  out->seconds_needs = seconds_since(&t0);
  size_t ne = 0, nm = 0;
  for (size_t i = 0; !rc && i < np; i++) {
    const cp_snap_person *p = &sn->people[i];
    w.mentor_of_person[i] = CP_MATCH_NONE;
    if (p->mentor_capacity > p->mentees) {
      w.mentor_of_person[i] = (uint32_t)nm;
      w.capacity[nm] = (uint32_t)(p->mentor_capacity - p->mentees);
      w.mentor_person[nm++] = (uint32_t)i;
    }
    const cp_need *nd;
    size_t nn;
    rc = cp_rules_needs(r, (uint32_t)i, &nd, &nn, err);
    if (!rc && nn && !has_active[i]) w.mentee_person[ne++] = (uint32_t)i;
  }
  out->mentees = ne;
  out->mentors = nm;
  out->strength_pairs = cp_rules_strength_pairs(r);
  int in_service = out->strength_pairs == CP_PAIRS_STRENGTHS_IN_SERVICE;
  if (!rc && out->strength_pairs) rc = number_services(sn, &w, in_service, err);
  if (!rc && out->strength_pairs) rc = index_strengths(r, sn, &w, nm, err);
  for (size_t e = 0; !rc && e < ne; e++) {
    uint32_t person = w.mentee_person[e];
    w.keep[e] = proposed[person] == CP_MATCH_NONE ? CP_MATCH_NONE : w.mentor_of_person[proposed[person]];
  }
  cp_match_result mr = {0};
  if (!rc)
    rc = score_and_match(r, r2, &w, ne, nm, out->strength_pairs, opt->keep_problem, &out->pairs_scored, &mr, err);
  free(has_active);
  free(proposed);
  out->arcs = w.narcs;
  out->seconds_rules = seconds_since(&t0);
  if (!rc) {
    out->seconds_match = mr.seconds;
    out->total = mr.total;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rc = describe_pairs(r, r2, sn, &w, ne, &mr, out, err);
    out->seconds_describe = seconds_since(&t1);
  }
  cp_rules_free(r2);
  if (!rc && opt->keep_problem) { /* hand the arrays over */
    out->arc_list = w.arcs;
    out->capacity = w.capacity;
    out->mentee_person = w.mentee_person;
    out->mentor_person = w.mentor_person;
    out->mentor_of = mr.mentor_of;
    w.arcs = NULL;
    w.capacity = w.mentee_person = w.mentor_person = NULL;
    mr.mentor_of = NULL;
  }
  cp_match_result_free(&mr);
  work_free(&w);
  if (!rc && !opt->dry_run) rc = write_pairs(st, sn, out, err);
  if (rc) cp_mentors_assign_report_free(out);
  return rc;
}

void cp_pair_rows_free(cp_pair_row *rows, size_t n) {
  for (size_t i = 0; rows && i < n; i++) {
    free(rows[i].mentee);
    free(rows[i].mentor);
    free(rows[i].statements);
    free(rows[i].status);
    free(rows[i].cycle);
  }
  free(rows);
}

int cp_mentors_list(cp_store *st, const char *status, cp_pair_row **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  int all = status && strcmp(status, "all") == 0;
  if (status && !all && strcmp(status, "proposed") && strcmp(status, "active") && strcmp(status, "ended"))
    return cp_error_set(err, CP_EINVAL, "unknown pair status \"%s\" (proposed, active, ended or all)", status);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT e.email, m.email, p.score, p.statements, p.status, coalesce(c.name, '')"
                            " FROM mentor_pair p JOIN person e ON e.id=p.mentee_id JOIN person m ON m.id=p.mentor_id"
                            " LEFT JOIN cycle c ON c.id=p.cycle_id"
                            " WHERE (?1 IS NULL AND p.status IN ('proposed', 'active')) OR ?1='all' OR p.status=?1"
                            " ORDER BY e.email, m.email, p.id",
                            &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, status);
  size_t cap = 0;
  cp_pair_row *rows = NULL;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(&rows, *n, &cap, sizeof *rows, 16)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    cp_pair_row *x = &rows[*n];
    memset(x, 0, sizeof *x);
    x->mentee = cp_strdup(cp_col_text(s, 0));
    x->mentor = cp_strdup(cp_col_text(s, 1));
    x->score = sqlite3_column_double(s, 2);
    x->statements = cp_strdup(cp_col_text(s, 3));
    x->status = cp_strdup(cp_col_text(s, 4));
    x->cycle = cp_strdup(cp_col_text(s, 5));
    (*n)++;
    if (!x->mentee || !x->mentor || !x->statements || !x->status || !x->cycle) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading mentoring pairs");
  sqlite3_reset(s);
  if (rc) {
    cp_pair_rows_free(rows, *n);
    *n = 0;
    return rc;
  }
  *out = rows;
  return 0;
}
