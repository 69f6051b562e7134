/* advise.c: per-person and per-group views of the rules: needs tallies,
 * ranked recommendations with exclusion reasons, mentor suggestions with the
 * strengths that meet the needs, and induction plans with dated sessions in
 * prerequisite order. Everything comes from the hooks through cp_rules. */
#include "cpdplan/advise.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

#define OOM(err) cp_error_set((err), CP_ENOMEM, "out of memory")

int cp_needs_tally(cp_rules *r, const uint32_t *people, size_t n, cp_needs_count **out, size_t *nout, cp_error *err) {
  *out = NULL;
  *nout = 0;
  const cp_snapshot *sn = cp_rules_snapshot(r);
  cp_needs_count *all = calloc(sn->nstatements ? sn->nstatements : 1, sizeof *all);
  if (!all) return OOM(err);
  int rc = 0;
  for (size_t i = 0; !rc && i < n; i++) {
    const cp_need *nd;
    const uint32_t *st;
    size_t nn, ns;
    rc = cp_rules_needs(r, people[i], &nd, &nn, err);
    if (!rc) rc = cp_rules_strengths(r, people[i], &st, &ns, err);
    for (size_t k = 0; !rc && k < nn; k++) {
      cp_needs_count *c = &all[nd[k].statement];
      c->needs++;
      c->induction += nd[k].induction != 0;
      c->priority += nd[k].priority;
    }
    for (size_t k = 0; !rc && k < ns; k++) all[st[k]].strengths++;
  }
  size_t w = 0;
  for (size_t k = 0; !rc && k < sn->nstatements; k++) {
    if (!all[k].needs && !all[k].strengths) continue;
    all[k].statement = (uint32_t)k;
    all[w++] = all[k];
  }
  if (rc || !w) {
    free(all);
    return rc;
  }
  *out = all;
  *nout = w;
  return 0;
}

/* Statements of list (length n) that are needs in nd (sorted by statement). */
static int needs_met(const cp_need *nd, size_t nn, const uint32_t *list, size_t n, uint32_t **out, size_t *nout) {
  *out = NULL;
  *nout = 0;
  if (!nn || !n) return 0;
  uint32_t *m = malloc(nn * sizeof *m);
  if (!m) return CP_ENOMEM;
  /* mark each need that list names (a binary search: nd is sorted), then
   * take the marked ones in need order */
  for (size_t k = 0; k < nn; k++) m[k] = 0;
  for (size_t i = 0; i < n; i++) {
    size_t lo = 0, hi = nn;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (nd[mid].statement < list[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo < nn && nd[lo].statement == list[i]) m[lo] = 1;
  }
  size_t w = 0;
  for (size_t k = 0; k < nn; k++)
    if (m[k]) m[w++] = nd[k].statement;
  if (!w) {
    free(m);
    return 0;
  }
  *out = m;
  *nout = w;
  return 0;
}

char *cp_needs_codes(const cp_snapshot *sn, const cp_need *nd, size_t nn, const uint32_t *list, size_t n) {
  uint32_t *met;
  size_t nmet;
  if (needs_met(nd, nn, list, n, &met, &nmet)) return NULL;
  char *codes = cp_snapshot_codes(sn, met, nmet);
  free(met);
  return codes;
}

void cp_recommendations_free(cp_recommendation *v, size_t n) {
  for (size_t i = 0; v && i < n; i++) {
    free(v[i].reason);
    free(v[i].met);
    free(v[i].prereqs);
  }
  free(v);
}

static int rec_rank(const cp_recommendation *x) { return !x->eligible ? 2 : x->has_score ? 0 : 1; }

static int cmp_rec(const void *a, const void *b) {
  const cp_recommendation *x = a, *y = b;
  int rx = rec_rank(x), ry = rec_rank(y);
  if (rx != ry) return rx - ry;
  if (rx == 0 && x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->activity < y->activity ? -1 : x->activity > y->activity;
}

int cp_recommend(cp_rules *r, uint32_t person, cp_recommendation **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  const cp_snapshot *sn = cp_rules_snapshot(r);
  const cp_need *nd;
  size_t nn;
  int rc = cp_rules_needs(r, person, &nd, &nn, err);
  if (rc) return rc;
  cp_recommendation *v = calloc(sn->nactivities ? sn->nactivities : 1, sizeof *v);
  if (!v) return OOM(err);
  size_t w = 0;
  for (size_t a = 0; !rc && a < sn->nactivities; a++) {
    cp_recommendation *x = &v[w++];
    x->activity = (uint32_t)a;
    const char *why;
    rc = cp_rules_eligible(r, person, (uint32_t)a, &x->eligible, &why, err);
    if (!rc && x->eligible) rc = cp_rules_score_activity(r, person, (uint32_t)a, &x->has_score, &x->score, &why, err);
    if (rc) break;
    const cp_snap_activity *act = &sn->activities[a];
    if (!(x->reason = cp_strdup(why)) || needs_met(nd, nn, act->statements, act->nstatements, &x->met, &x->nmet)) {
      rc = OOM(err);
      break;
    }
    if (act->nprereqs) {
      x->prereqs = malloc(act->nprereqs * sizeof *x->prereqs);
      if (!x->prereqs) {
        rc = OOM(err);
        break;
      }
      memcpy(x->prereqs, act->prereqs, act->nprereqs * sizeof *x->prereqs);
      x->nprereqs = act->nprereqs;
    }
  }
  if (rc) {
    cp_recommendations_free(v, w);
    return rc;
  }
  qsort(v, w, sizeof *v, cmp_rec);
  *out = v;
  *n = w;
  return 0;
}

void cp_mentor_options_free(cp_mentor_option *v, size_t n) {
  for (size_t i = 0; v && i < n; i++) {
    free(v[i].reason);
    free(v[i].met);
  }
  free(v);
}

static int cmp_mentor(const void *a, const void *b) {
  const cp_mentor_option *x = a, *y = b;
  if (x->allowed != y->allowed) return x->allowed ? -1 : 1;
  if (x->allowed && x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

int cp_mentors_suggest(cp_rules *r, uint32_t mentee, int all, cp_mentor_option **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  const cp_snapshot *sn = cp_rules_snapshot(r);
  const cp_need *nd;
  size_t nn;
  int rc = cp_rules_needs(r, mentee, &nd, &nn, err);
  if (rc) return rc;
  cp_mentor_option *v = calloc(sn->npeople ? sn->npeople : 1, sizeof *v);
  if (!v) return OOM(err);
  size_t w = 0;
  for (size_t m = 0; !rc && m < sn->npeople; m++) {
    int has;
    double score;
    const char *why;
    rc = cp_rules_score_mentor(r, mentee, (uint32_t)m, &has, &score, &why, err);
    if (rc) break;
    if (!has && !all) continue;
    cp_mentor_option *x = &v[w++];
    x->mentor = (uint32_t)m;
    x->allowed = has;
    x->score = score;
    const uint32_t *st;
    size_t ns;
    rc = cp_rules_strengths(r, (uint32_t)m, &st, &ns, err);
    if (rc) break;
    if (!(x->reason = cp_strdup(why)) || needs_met(nd, nn, st, ns, &x->met, &x->nmet)) rc = OOM(err);
  }
  if (rc) {
    cp_mentor_options_free(v, w);
    return rc;
  }
  qsort(v, w, sizeof *v, cmp_mentor);
  *out = v;
  *n = w;
  return 0;
}

int cp_session_language_ok(const cp_snap_person *p, const cp_snap_session *s) {
  return !(strcmp(p->language, "en") == 0 && strcmp(s->language, "cy") == 0);
}

void cp_induction_plan_free(cp_induction_plan *p) {
  if (!p) return;
  for (size_t i = 0; i < p->nitems; i++) {
    free(p->items[i].reason);
    free(p->items[i].sessions);
  }
  free(p->items);
  free(p->needs);
  free(p->mentor.reason);
  free(p->mentor.met);
  free(p);
}

/* The end date-time of the suggested session of activity a in the plan so
 * far, or NULL when a is not in it or has none. */
static const char *planned_end(const cp_snapshot *sn, const cp_induction_plan *p, uint32_t a) {
  for (size_t i = 0; i < p->nitems; i++)
    if (p->items[i].activity == a && p->items[i].suggested != CP_SNAP_NONE) return sn->sessions[p->items[i].suggested].end;
  return NULL;
}

static int fill_item(cp_rules *r, cp_induction_plan *p, cp_induction_item *it, cp_error *err) {
  const cp_snapshot *sn = cp_rules_snapshot(r);
  const cp_snap_person *person = &sn->people[p->person];
  const char *why;
  int rc = cp_rules_eligible(r, p->person, it->activity, &it->eligible, &why, err);
  if (rc) return rc;
  if (!(it->reason = cp_strdup(it->eligible ? "" : why))) return OOM(err);
  it->suggested = CP_SNAP_NONE;
  /* sessions must start after every prerequisite's suggested session ends */
  const cp_snap_activity *act = &sn->activities[it->activity];
  const char *after = NULL;
  for (uint32_t k = 0; k < act->nprereqs; k++) {
    const char *e = planned_end(sn, p, act->prereqs[k]);
    if (e && (!after || strcmp(e, after) > 0)) after = e;
  }
  size_t cap = 0;
  for (size_t s = 0; s < sn->nsessions; s++) {
    const cp_snap_session *x = &sn->sessions[s];
    if (x->activity != it->activity || strcmp(x->start, sn->today) < 0 || !cp_session_language_ok(person, x)) continue;
    if (cp_grow(&it->sessions, it->nsessions, &cap, sizeof *it->sessions, 8)) return OOM(err);
    it->sessions[it->nsessions++] = (uint32_t)s;
    if (it->eligible && it->suggested == CP_SNAP_NONE && (!after || strcmp(x->start, after) > 0)) it->suggested = (uint32_t)s;
  }
  return 0;
}

int cp_induction_plan_make(cp_rules *r, uint32_t person, cp_induction_plan **out, cp_error *err) {
  *out = NULL;
  cp_induction_plan *p = calloc(1, sizeof *p);
  if (!p) return OOM(err);
  p->person = person;
  p->mentor.mentor = CP_SNAP_NONE;
  uint32_t *acts = NULL;
  size_t nacts = 0;
  int rc = cp_rules_induction(r, person, &acts, &nacts, err);
  if (!rc && nacts && !(p->items = calloc(nacts, sizeof *p->items))) rc = OOM(err);
  for (size_t i = 0; !rc && i < nacts; i++) {
    p->items[i].activity = acts[i];
    p->nitems++;
    rc = fill_item(r, p, &p->items[i], err);
  }
  free(acts);
  const cp_need *nd;
  size_t nn;
  if (!rc) rc = cp_rules_needs(r, person, &nd, &nn, err);
  if (!rc && nn && !(p->needs = calloc(nn, sizeof *p->needs))) rc = OOM(err);
  for (size_t i = 0; !rc && i < nn; i++)
    if (nd[i].induction) p->needs[p->nneeds++] = &nd[i];
  cp_mentor_option *opts = NULL;
  size_t nopts = 0;
  if (!rc) rc = cp_mentors_suggest(r, person, 0, &opts, &nopts, err);
  if (!rc && nopts) {
    p->mentor = opts[0];
    opts[0].reason = NULL;
    opts[0].met = NULL;
  }
  cp_mentor_options_free(opts, nopts);
  if (rc) {
    cp_induction_plan_free(p);
    return rc;
  }
  *out = p;
  return 0;
}
