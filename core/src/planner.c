/* planner.c: `schedule`: from the snapshot and the rules to a session
 * allocation problem, and from its solution to each person's plan.
 *
 * The problem: every session of the snapshot is a problem session (same
 * index); capacity is the session's less its fixed places (capacity 0 in the
 * catalogue means not limited); a person's options are the sessions, after
 * the date of the run, of the activities the rules find them eligible for
 * and score above zero, in a language they can follow, that they have not
 * withdrawn from and do not hold. Scores are scaled and rounded once
 * (cp_score_int). Fixed places are the confirmed, attended and completed
 * enrolments; the stored proposals are the current plan, kept among plans of
 * equal objective; completed activities (the CPD record) satisfy
 * prerequisites.
 *
 * The plan: each need is covered by a session the person holds or is given
 * (whose activity develops the statement) or by their mentor (whose
 * strengths include it), or left open with the reason: nothing in the
 * catalogue develops it, not eligible (the rules' reason), no sessions after
 * the date, of no value to the rules, or what the allocation says about the
 * best session for it (full: waitlisted; clash; prerequisite missing; over
 * the day or place limit). People who wanted a full session wait for their
 * best one, in order of score. Everything is written in one transaction. */
#include "cpdplan/planner.h"

#include "cpdplan/advise.h"
#include "cpdplan/mentoring.h"
#include "cpdplan/snapshot.h"
#include "store_internal.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* how far a person got with an activity, in the order open-need reasons prefer */
enum { ACT_NONE, ACT_INELIGIBLE, ACT_NO_SESSIONS, ACT_NO_VALUE, ACT_OPTION };

static double seconds_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void cp_schedule_report_free(cp_schedule_report *rep) {
  if (!rep) return;
  cp_sched_result_free(&rep->result);
  free(rep->changes);
  free(rep->json);
  memset(rep, 0, sizeof *rep);
}

/* Everything the run builds, freed together. */
typedef struct plan_work {
  const cp_snapshot *sn;
  cp_sched_session *sessions;
  cp_sched_person *people;
  uint32_t *prereq_start, *prereq;
  cp_sched_option *options;   /* all people's, by person */
  uint32_t *el;               /* na: one person's eligible activities (build_person) */
  double *el_score;           /* na: their scores */
  size_t noptions, cap_options;
  uint32_t *lists;            /* fixed, done, current lists of all people */
  size_t nlists, cap_lists;
  uint32_t *list_start;       /* per person: fixed, current offsets (done is the snapshot's) */
  uint8_t *act_state;         /* npeople x nactivities: ACT_* */
  const char **act_reason;    /* npeople x nactivities: ineligibility reason (interned) */
  cp_map reasons;             /* interned reasons */
  uint32_t *future_start, *future; /* per activity: its sessions after the date (CSR) */
  uint32_t *stmt_act_start, *stmt_act; /* per statement: the activities developing it (CSR) */
} plan_work;

static void work_free(plan_work *w) {
  free(w->sessions);
  free(w->people);
  free(w->prereq_start);
  free(w->prereq);
  free(w->options);
  free(w->el);
  free(w->el_score);
  free(w->lists);
  free(w->list_start);
  free(w->act_state);
  free(w->act_reason);
  cp_map_free(&w->reasons);
  free(w->future_start);
  free(w->future);
  free(w->stmt_act_start);
  free(w->stmt_act);
}

#define OOM(err) cp_error_set((err), CP_ENOMEM, "out of memory")

/* CSR lists: for each of n owners, the items pairs (owner, item) give. */
static int build_csr(size_t n, const uint32_t *owner, const uint32_t *item, size_t m, uint32_t **start_out,
                     uint32_t **items_out) {
  uint32_t *start = calloc(n + 1, sizeof *start), *items = malloc((m ? m : 1) * sizeof *items);
  if (!start || !items) {
    free(start);
    free(items);
    return CP_ENOMEM;
  }
  for (size_t i = 0; i < m; i++) start[owner[i] + 1]++;
  for (size_t i = 0; i < n; i++) start[i + 1] += start[i];
  uint32_t *fill = malloc((n + 1) * sizeof *fill);
  if (!fill) {
    free(start);
    free(items);
    return CP_ENOMEM;
  }
  memcpy(fill, start, (n + 1) * sizeof *fill);
  for (size_t i = 0; i < m; i++) items[fill[owner[i]]++] = item[i];
  free(fill);
  *start_out = start;
  *items_out = items;
  return 0;
}

static int build_sessions(plan_work *w, cp_error *err) {
  const cp_snapshot *sn = w->sn;
  size_t ns = sn->nsessions, na = sn->nactivities;
  w->sessions = calloc(ns ? ns : 1, sizeof *w->sessions);
  uint32_t *own = malloc((ns ? ns : 1) * sizeof *own), *item = malloc((ns ? ns : 1) * sizeof *item);
  int rc = w->sessions && own && item ? 0 : OOM(err);
  size_t nf = 0;
  for (size_t s = 0; !rc && s < ns; s++) {
    const cp_snap_session *x = &sn->sessions[s];
    cp_sched_session *y = &w->sessions[s];
    y->activity = x->activity;
    y->start = cp_datetime_minutes(x->start, false);
    y->end = cp_datetime_minutes(x->end, true);
    if (y->end <= y->start) y->end = y->start + 1;
    y->capacity = x->capacity > 0 ? x->capacity : -1;
    y->days = sn->activities[x->activity].days;
    if (strncmp(x->start, sn->today, 10) > 0) own[nf] = x->activity, item[nf++] = (uint32_t)s;
  }
  /* fixed places take capacity */
  for (size_t i = 0; !rc && i < sn->nenrolments; i++) {
    const cp_snap_enrolment *en = &sn->enrolments[i];
    cp_sched_session *y = &w->sessions[en->session];
    if (CP_ENROL_FIXED(en->status) && y->capacity > 0) y->capacity--;
  }
  if (!rc && build_csr(na, own, item, nf, &w->future_start, &w->future)) rc = OOM(err);
  free(own);
  free(item);
  if (rc) return rc;
  /* prerequisites, and the activities developing each statement */
  size_t np = 0, nst = 0;
  for (size_t a = 0; a < na; a++) np += sn->activities[a].nprereqs, nst += sn->activities[a].nstatements;
  uint32_t *o1 = malloc((np ? np : 1) * sizeof *o1), *i1 = malloc((np ? np : 1) * sizeof *i1);
  uint32_t *o2 = malloc((nst ? nst : 1) * sizeof *o2), *i2 = malloc((nst ? nst : 1) * sizeof *i2);
  if (!o1 || !i1 || !o2 || !i2) rc = OOM(err);
  size_t k1 = 0, k2 = 0;
  for (size_t a = 0; !rc && a < na; a++) {
    const cp_snap_activity *x = &sn->activities[a];
    for (uint32_t k = 0; k < x->nprereqs; k++) o1[k1] = (uint32_t)a, i1[k1++] = x->prereqs[k];
    for (uint32_t k = 0; k < x->nstatements; k++) o2[k2] = x->statements[k], i2[k2++] = (uint32_t)a;
  }
  if (!rc && (build_csr(na, o1, i1, k1, &w->prereq_start, &w->prereq) ||
              build_csr(sn->nstatements, o2, i2, k2, &w->stmt_act_start, &w->stmt_act)))
    rc = OOM(err);
  free(o1);
  free(i1);
  free(o2);
  free(i2);
  return rc;
}

static int cmp_option(const void *a, const void *b) {
  const cp_sched_option *x = a, *y = b;
  return x->session < y->session ? -1 : x->session > y->session;
}

static int push_list(plan_work *w, uint32_t v) {
  if (cp_grow(&w->lists, w->nlists, &w->cap_lists, sizeof *w->lists, 1024)) return CP_ENOMEM;
  w->lists[w->nlists++] = v;
  return 0;
}

/* One person's options and lists, from the rules. */
static int build_person(cp_rules *r, plan_work *w, uint32_t p, const cp_schedule_options *opt, cp_error *err) {
  const cp_snapshot *sn = w->sn;
  const cp_snap_person *me = &sn->people[p];
  size_t na = sn->nactivities;
  const cp_need *nd;
  size_t nn;
  int rc = cp_rules_needs(r, p, &nd, &nn, err);
  if (rc) return rc;
  uint32_t e0 = sn->enrol_start[p], e1 = sn->enrol_start[p + 1];
  size_t first = w->noptions;
  /* the activities with sessions the person is eligible for, scored in one batch */
  uint32_t nel = 0;
  for (size_t a = 0; a < na; a++) {
    uint8_t *state = &w->act_state[(size_t)p * na + a];
    if (w->future_start[a] == w->future_start[a + 1]) {
      *state = ACT_NO_SESSIONS;
      continue;
    }
    int ok;
    const char *why;
    rc = cp_rules_eligible(r, p, (uint32_t)a, &ok, &why, err);
    if (rc) return rc;
    if (!ok) {
      *state = ACT_INELIGIBLE;
      const char *in = cp_map_intern(&w->reasons, why ? why : "");
      if (!in) return OOM(err);
      w->act_reason[(size_t)p * na + a] = in;
      continue;
    }
    w->el[nel++] = (uint32_t)a;
  }
  rc = cp_rules_score_activities(r, p, w->el, nel, w->el_score, err);
  if (rc) return rc;
  for (uint32_t e = 0; e < nel; e++) {
    size_t a = w->el[e];
    uint8_t *state = &w->act_state[(size_t)p * na + a];
    int64_t is = cp_score_int(w->el_score[e]);
    *state = is > 0 ? ACT_OPTION : ACT_NO_VALUE;
    if (is <= 0) continue;
    for (uint32_t k = w->future_start[a]; k < w->future_start[a + 1]; k++) {
      uint32_t s = w->future[k];
      if (!cp_session_language_ok(me, &sn->sessions[s])) continue;
      int held = 0;
      for (uint32_t j = e0; j < e1 && !held; j++)
        held = sn->enrolments[j].session == s &&
               (CP_ENROL_FIXED(sn->enrolments[j].status) || sn->enrolments[j].status == CP_ENROL_WITHDRAWN);
      if (held) continue;
      if (cp_grow(&w->options, w->noptions, &w->cap_options, sizeof *w->options, 4096)) return OOM(err);
      w->options[w->noptions++] = (cp_sched_option){s, is};
    }
  }
  if (w->noptions > first) qsort(w->options + first, w->noptions - first, sizeof *w->options, cmp_option);
  cp_sched_person *x = &w->people[p];
  x->noptions = (uint32_t)(w->noptions - first);
  x->options = (const cp_sched_option *)(uintptr_t)first; /* an offset until the arrays stop moving */
  /* fixed and current, as offsets into lists */
  w->list_start[2 * p] = (uint32_t)w->nlists;
  for (uint32_t j = e0; j < e1; j++)
    if (CP_ENROL_FIXED(sn->enrolments[j].status) && push_list(w, sn->enrolments[j].session)) return OOM(err);
  w->list_start[2 * p + 1] = (uint32_t)w->nlists;
  for (uint32_t j = e0; j < e1; j++)
    if (sn->enrolments[j].status == CP_ENROL_PROPOSED && push_list(w, sn->enrolments[j].session)) return OOM(err);
  x->done = sn->done + sn->done_start[p];
  x->ndone = sn->done_start[p + 1] - sn->done_start[p];
  x->max_places = opt->max_places;
  x->max_days = opt->max_days;
  return 0;
}

static void fix_pointers(plan_work *w) {
  size_t n = w->sn->npeople;
  for (size_t p = 0; p < n; p++) {
    cp_sched_person *x = &w->people[p];
    x->options = w->options + (uintptr_t)x->options;
    uint32_t f0 = w->list_start[2 * p], c0 = w->list_start[2 * p + 1];
    uint32_t c1 = p + 1 < n ? w->list_start[2 * p + 2] : (uint32_t)w->nlists;
    x->fixed = w->lists + f0;
    x->nfixed = c0 - f0;
    x->current = w->lists + c0;
    x->ncurrent = c1 - c0;
  }
}

/* ---- the plan of one person ---- */

typedef struct plan_item {
  uint32_t person;
  int kind;          /* 0 session, 1 mentor, 2 open */
  uint32_t activity, session, mentor; /* CP_SNAP_NONE when not applicable */
  int status;        /* enrolment status for sessions; -1 otherwise */
  double score;
  const char *reason; /* interned */
  char *statements;
} plan_item;

typedef struct waiter {
  uint32_t session, person;
  int64_t score;
} waiter;

static int cmp_waiter(const void *a, const void *b) {
  const waiter *x = a, *y = b;
  if (x->session != y->session) return x->session < y->session ? -1 : 1;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->person < y->person ? -1 : x->person > y->person;
}

typedef struct plan_out {
  plan_item *items;
  size_t nitems, cap_items;
  waiter *waiters;
  size_t nwaiters, cap_waiters;
} plan_out;

static void out_free(plan_out *o) {
  for (size_t i = 0; i < o->nitems; i++) free(o->items[i].statements);
  free(o->items);
  free(o->waiters);
}

static int add_item(plan_out *o, plan_item it) {
  if (cp_grow(&o->items, o->nitems, &o->cap_items, sizeof *o->items, 1024)) {
    free(it.statements);
    return CP_ENOMEM;
  }
  o->items[o->nitems++] = it;
  return 0;
}

static int has_statement(const cp_snap_activity *a, uint32_t st) {
  for (uint32_t k = 0; k < a->nstatements; k++)
    if (a->statements[k] == st) return 1;
  return 0;
}

static int sorted_has(const uint32_t *v, size_t n, uint32_t x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (v[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && v[lo] == x;
}

static const char *why_text(cp_sched_why why) {
  switch (why) {
  case CP_SCHED_FULL: return "sessions full";
  case CP_SCHED_CLASH: return "clashes with a session the person has";
  case CP_SCHED_PREREQ: return "prerequisite missing";
  case CP_SCHED_DAYS: return "over the day limit";
  case CP_SCHED_PLACES: return "over the place limit";
  case CP_SCHED_HAS_ACTIVITY: return "has a session of the activity already";
  default: return "not chosen: the plan is better without it";
  }
}

/* Why need st of person p is open: from the activities developing it. The
 * text is interned in w->reasons. */
static const char *open_reason(plan_work *w, const cp_sched_problem *pb, const cp_sched_result *res, uint32_t p,
                               uint32_t st) {
  const cp_snapshot *sn = w->sn;
  size_t na = sn->nactivities;
  uint32_t a0 = w->stmt_act_start[st], a1 = w->stmt_act_start[st + 1];
  if (a0 == a1) return cp_map_intern(&w->reasons, "nothing in the catalogue develops it");
  /* the best option (highest score, then earliest) among the activities that develop it */
  const cp_sched_person *x = &pb->people[p];
  uint32_t best = CP_SNAP_NONE;
  for (uint32_t k = 0; k < x->noptions; k++) {
    uint32_t a = pb->sessions[x->options[k].session].activity;
    int develops = 0;
    for (uint32_t j = a0; j < a1 && !develops; j++) develops = w->stmt_act[j] == a;
    if (develops && (best == CP_SNAP_NONE || x->options[k].score > x->options[best].score)) best = k;
  }
  char buf[600];
  if (best != CP_SNAP_NONE) {
    cp_sched_why why = cp_sched_explain_option(pb, res, p, best);
    const cp_snap_session *s = &sn->sessions[x->options[best].session];
    const char *code = sn->activities[s->activity].code;
    if (why == CP_SCHED_FULL) {
      snprintf(buf, sizeof buf, "sessions full: waitlisted for %s on %s", code, s->start);
    } else if (why == CP_SCHED_PREREQ) {
      const cp_snap_activity *a = &sn->activities[s->activity];
      snprintf(buf, sizeof buf, "prerequisite missing for %s: %s first", code,
               a->nprereqs ? sn->activities[a->prereqs[0]].code : "?");
    } else {
      snprintf(buf, sizeof buf, "%s (%s on %s)", why_text(why), code, s->start);
    }
    return cp_map_intern(&w->reasons, buf);
  }
  /* no option: say why for the activity the person came closest to */
  int best_state = ACT_NONE;
  uint32_t best_a = CP_SNAP_NONE;
  for (uint32_t j = a0; j < a1; j++) {
    uint32_t a = w->stmt_act[j];
    int stt = w->act_state[(size_t)p * na + a];
    if (stt > best_state) best_state = stt, best_a = a;
  }
  const char *code = best_a != CP_SNAP_NONE ? sn->activities[best_a].code : "";
  switch (best_state) {
  case ACT_INELIGIBLE:
    snprintf(buf, sizeof buf, "not eligible for %s: %s", code, w->act_reason[(size_t)p * na + best_a]);
    break;
  case ACT_NO_VALUE: snprintf(buf, sizeof buf, "the rules give %s no value for this person", code); break;
  case ACT_OPTION: snprintf(buf, sizeof buf, "no session of %s the person can attend (language)", code); break;
  default: snprintf(buf, sizeof buf, "no session of %s after %s", code, sn->today); break;
  }
  return cp_map_intern(&w->reasons, buf);
}

static int make_plans(cp_rules *r, plan_work *w, const cp_sched_problem *pb, const cp_sched_result *res,
                      plan_out *o, cp_schedule_report *rep, cp_error *err) {
  const cp_snapshot *sn = w->sn;
  int rc = 0;
  for (uint32_t p = 0; !rc && p < sn->npeople; p++) {
    const cp_need *nd;
    size_t nn;
    rc = cp_rules_needs(r, p, &nd, &nn, err);
    if (rc) break;
    rep->needs += nn;
    /* sessions held: fixed places, then those given */
    const cp_sched_person *x = &pb->people[p];
    uint32_t g0 = res->assign_start[p], g1 = res->assign_start[p + 1];
    uint32_t nheld = x->nfixed + (g1 - g0);
    for (uint32_t k = 0; !rc && k < nheld; k++) {
      uint32_t s = k < x->nfixed ? x->fixed[k] : res->assign[g0 + k - x->nfixed];
      uint32_t a = sn->sessions[s].activity;
      int status = CP_ENROL_PROPOSED;
      if (k < x->nfixed)
        for (uint32_t j = sn->enrol_start[p]; j < sn->enrol_start[p + 1]; j++)
          if (sn->enrolments[j].session == s) status = sn->enrolments[j].status;
      const char *why = "";
      int has = 0;
      double score = 0;
      rc = cp_rules_score_activity(r, p, a, &has, &score, &why, err);
      const char *in = rc ? NULL : cp_map_intern(&w->reasons, why ? why : "");
      char *codes = rc ? NULL : cp_needs_codes(sn, nd, nn, sn->activities[a].statements, sn->activities[a].nstatements);
      if (!rc && (!in || !codes)) rc = OOM(err);
      if (!rc) rc = add_item(o, (plan_item){p, 0, a, s, CP_SNAP_NONE, status, has ? score : 0, in, codes});
      if (k < x->nfixed) rep->fixed++;
      else rep->places++;
    }
    /* mentors */
    for (size_t j = 0; !rc && j < sn->npairs; j++) {
      if (sn->pairs[j].mentee != p) continue;
      const uint32_t *sv;
      size_t ns;
      rc = cp_rules_strengths(r, sn->pairs[j].mentor, &sv, &ns, err);
      char *codes = rc ? NULL : cp_needs_codes(sn, nd, nn, sv, ns);
      if (!rc && !codes) rc = OOM(err);
      if (!rc)
        rc = add_item(o, (plan_item){p, 1, CP_SNAP_NONE, CP_SNAP_NONE, sn->pairs[j].mentor,
                                     sn->pairs[j].active ? CP_ENROL_CONFIRMED : CP_ENROL_PROPOSED, 0,
                                     cp_map_intern(&w->reasons, sn->pairs[j].active ? "active mentoring pair"
                                                                                    : "proposed mentoring pair"),
                                     codes});
    }
    /* needs: covered or open */
    for (size_t i = 0; !rc && i < nn; i++) {
      uint32_t st = nd[i].statement;
      int covered = 0;
      for (uint32_t k = 0; k < nheld && !covered; k++) {
        uint32_t s = k < x->nfixed ? x->fixed[k] : res->assign[g0 + k - x->nfixed];
        covered = has_statement(&sn->activities[sn->sessions[s].activity], st);
      }
      for (size_t j = 0; j < sn->npairs && !covered; j++) {
        if (sn->pairs[j].mentee != p) continue;
        const uint32_t *sv;
        size_t ns;
        if ((rc = cp_rules_strengths(r, sn->pairs[j].mentor, &sv, &ns, err))) break;
        covered = sorted_has(sv, ns, st);
      }
      if (rc) break;
      if (covered) {
        rep->covered++;
        continue;
      }
      rep->open++;
      const char *why = open_reason(w, pb, res, p, st);
      char *code = cp_strdup(sn->statements[st].code);
      if (!why || !code) {
        free(code);
        rc = OOM(err);
        break;
      }
      rc = add_item(o, (plan_item){p, 2, CP_SNAP_NONE, CP_SNAP_NONE, CP_SNAP_NONE, -1, nd[i].priority, why, code});
    }
    /* waitlists: for each activity the person wanted and got no session of,
     * their best full session (highest score, then earliest) */
    for (uint32_t k = 0; !rc && k < x->noptions; k++) {
      uint32_t a = pb->sessions[x->options[k].session].activity, best = CP_SNAP_NONE;
      int seen = 0, held = 0;
      for (uint32_t j = 0; j < k && !seen; j++) seen = pb->sessions[x->options[j].session].activity == a;
      for (uint32_t j = 0; j < nheld && !held; j++) {
        uint32_t s = j < x->nfixed ? x->fixed[j] : res->assign[g0 + j - x->nfixed];
        held = pb->sessions[s].activity == a;
      }
      if (seen || held) continue;
      for (uint32_t j = k; j < x->noptions; j++) {
        if (pb->sessions[x->options[j].session].activity != a) continue;
        if (cp_sched_explain_option(pb, res, p, j) != CP_SCHED_FULL) continue;
        if (best == CP_SNAP_NONE || x->options[j].score > x->options[best].score) best = j;
      }
      if (held || best == CP_SNAP_NONE) continue;
      if (cp_grow(&o->waiters, o->nwaiters, &o->cap_waiters, sizeof *o->waiters, 256)) rc = OOM(err);
      else o->waiters[o->nwaiters++] = (waiter){x->options[best].session, p, x->options[best].score};
    }
  }
  if (!rc && o->nwaiters) qsort(o->waiters, o->nwaiters, sizeof *o->waiters, cmp_waiter);
  rep->waitlisted = o->nwaiters;
  return rc;
}

/* ---- dry run: who would join, leave or move ---- */

static int diff_plans(const plan_work *w, const cp_sched_problem *pb, const cp_sched_result *res,
                      cp_schedule_report *rep, cp_error *err) {
  const cp_snapshot *sn = w->sn;
  size_t cap = 0;
  for (uint32_t p = 0; p < sn->npeople; p++) {
    const cp_sched_person *x = &pb->people[p];
    const uint32_t *nw = res->assign + res->assign_start[p];
    uint32_t nn = res->assign_start[p + 1] - res->assign_start[p];
    /* current proposals not kept */
    for (uint32_t i = 0; i < x->ncurrent; i++) {
      uint32_t s = x->current[i];
      if (sorted_has(nw, nn, s)) continue;
      uint32_t to = CP_SNAP_NONE;
      for (uint32_t k = 0; k < nn && to == CP_SNAP_NONE; k++)
        if (sn->sessions[nw[k]].activity == sn->sessions[s].activity) to = nw[k];
      if (cp_grow(&rep->changes, rep->nchanges, &cap, sizeof *rep->changes, 64)) return OOM(err);
      rep->changes[rep->nchanges++] = (cp_plan_change){p, s, to};
    }
    /* new places not replacing a proposal of the same activity */
    for (uint32_t k = 0; k < nn; k++) {
      int known = 0;
      for (uint32_t i = 0; i < x->ncurrent && !known; i++)
        known = x->current[i] == nw[k] || sn->sessions[x->current[i]].activity == sn->sessions[nw[k]].activity;
      if (known) continue;
      if (cp_grow(&rep->changes, rep->nchanges, &cap, sizeof *rep->changes, 64)) return OOM(err);
      rep->changes[rep->nchanges++] = (cp_plan_change){p, CP_SNAP_NONE, nw[k]};
    }
  }
  return 0;
}

/* ---- the run's summary ---- */

static char *summary_json(const plan_work *w, const cp_sched_problem *pb, const cp_schedule_report *rep,
                          const char *made) {
  const cp_snapshot *sn = w->sn;
  const cp_sched_result *res = &rep->result;
  json_t *root = json_object();
  json_object_set_new(root, "cycle", json_string(sn->cycle));
  json_object_set_new(root, "made", json_string(made));
  json_object_set_new(root, "date", json_string(sn->today));
  json_object_set_new(root, "method", json_string(res->used == CP_SCHED_EXACT ? "exact" : "fast"));
  json_object_set_new(root, "scale", json_integer(CP_SCORE_SCALE));
  json_object_set_new(root, "objective", json_real((double)res->objective / CP_SCORE_SCALE));
  json_object_set_new(root, "bound", json_real((double)res->bound / CP_SCORE_SCALE));
  json_object_set_new(root, "gap", json_real(res->gap));
  json_object_set_new(root, "optimal", json_boolean(res->optimal));
  json_object_set_new(root, "iterations", json_integer(res->iterations)); /* dual iterations (fast) or search nodes (exact) */
  json_object_set_new(root, "objective_scaled", json_integer(res->objective));
  json_object_set_new(root, "bound_scaled", json_integer(res->bound));
  json_object_set_new(root, "people", json_integer((json_int_t)rep->people));
  json_object_set_new(root, "sessions", json_integer((json_int_t)rep->sessions));
  json_object_set_new(root, "options", json_integer((json_int_t)rep->options));
  json_object_set_new(root, "places", json_integer((json_int_t)rep->places));
  json_object_set_new(root, "fixed", json_integer((json_int_t)rep->fixed));
  json_object_set_new(root, "waitlisted", json_integer((json_int_t)rep->waitlisted));
  json_object_set_new(root, "needs", json_integer((json_int_t)rep->needs));
  json_object_set_new(root, "covered", json_integer((json_int_t)rep->covered));
  json_object_set_new(root, "open", json_integer((json_int_t)rep->open));
  json_object_set_new(root, "max_places", json_integer(rep->max_places));
  json_object_set_new(root, "max_days", json_real(rep->max_days));
  json_object_set_new(root, "seconds", json_pack("{s:f,s:f}", "rules", rep->seconds_rules, "solve", rep->seconds_solve));
  /* where to add capacity: sessions by the value of one more place */
  json_t *val = json_array();
  uint32_t *order = malloc((pb->nsessions ? pb->nsessions : 1) * sizeof *order);
  size_t no = 0;
  for (uint32_t s = 0; order && s < pb->nsessions; s++)
    if (res->price && res->price[s] > 0) order[no++] = s;
  for (size_t i = 1; order && i < no; i++) /* by price, then extra value; insertion sort is enough for a top list */
    for (size_t j = i; j > 0 && res->price[order[j]] > res->price[order[j - 1]]; j--) {
      uint32_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (size_t i = 0; order && i < no && i < 50; i++) {
    uint32_t s = order[i];
    const cp_snap_session *x = &sn->sessions[s];
    json_array_append_new(val, json_pack("{s:s,s:s,s:s,s:i,s:f,s:o}", "session", x->uuid, "activity",
                                         sn->activities[x->activity].code, "start", x->start, "capacity",
                                         x->capacity, "price", res->price[s] / CP_SCORE_SCALE, "extra_value",
                                         res->extra_value && res->extra_value[s] >= 0
                                             ? json_real((double)res->extra_value[s] / CP_SCORE_SCALE)
                                             : json_null()));
  }
  free(order);
  json_object_set_new(root, "capacity_value", val);
  json_t *unmet = json_array();
  for (size_t a = 0; res->unmet && a < sn->nactivities; a++)
    if (res->unmet[a])
      json_array_append_new(unmet, json_pack("{s:s,s:i}", "activity", sn->activities[a].code, "people",
                                             (int)res->unmet[a]));
  json_object_set_new(root, "unmet_demand", unmet);
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  return text;
}

/* ---- writing ---- */

/* One enrolment row (proposed or waitlisted) through the prepared en. */
static int put_enrolment(cp_store *st, sqlite3_stmt *en, const cp_snapshot *sn, uint32_t person, uint32_t session,
                         const char *status, int64_t position, double score, const char *reason, const char *made,
                         cp_error *err) {
  char uuid[37];
  cp_uuid_new(uuid);
  cp_bind_text(en, 1, uuid);
  sqlite3_bind_int64(en, 2, sn->people[person].id);
  sqlite3_bind_int64(en, 3, sn->sessions[session].id);
  sqlite3_bind_int64(en, 4, sn->cycle_id);
  cp_bind_text(en, 5, status);
  if (position) sqlite3_bind_int64(en, 6, position);
  else sqlite3_bind_null(en, 6);
  sqlite3_bind_double(en, 7, score);
  cp_bind_text(en, 8, reason);
  cp_bind_text(en, 9, made);
  int rc = sqlite3_step(en) == SQLITE_DONE ? 0 : cp_store_db_error(st, err, "writing a place");
  sqlite3_reset(en);
  return rc;
}

/* One plan row through the prepared it. */
static int put_item(cp_store *st, sqlite3_stmt *it, const cp_snapshot *sn, const plan_item *x, cp_error *err) {
  static const char *const kinds[] = {"session", "mentor", "open"};
  sqlite3_bind_int64(it, 1, sn->people[x->person].id);
  sqlite3_bind_int64(it, 2, sn->cycle_id);
  cp_bind_text(it, 3, kinds[x->kind]);
  if (x->activity != CP_SNAP_NONE) sqlite3_bind_int64(it, 4, sn->activities[x->activity].id);
  else sqlite3_bind_null(it, 4);
  if (x->session != CP_SNAP_NONE) sqlite3_bind_int64(it, 5, sn->sessions[x->session].id);
  else sqlite3_bind_null(it, 5);
  if (x->mentor != CP_SNAP_NONE) sqlite3_bind_int64(it, 6, sn->people[x->mentor].id);
  else sqlite3_bind_null(it, 6);
  cp_bind_text(it, 7, x->statements);
  cp_bind_text(it, 8, x->kind == 2 ? "open" : x->kind == 1 ? (x->status == CP_ENROL_CONFIRMED ? "active" : "proposed")
                                                             : cp_enrol_status_name(x->status));
  sqlite3_bind_double(it, 9, x->score);
  cp_bind_text(it, 10, x->reason);
  int rc = sqlite3_step(it) == SQLITE_DONE ? 0 : cp_store_db_error(st, err, "writing a plan item");
  sqlite3_reset(it);
  return rc;
}

static int write_plan(cp_store *st, const plan_work *w, const plan_out *o, const cp_schedule_report *rep,
                      const char *made, cp_error *err) {
  const cp_snapshot *sn = w->sn;
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  static const char *const wipe[] = {
      "DELETE FROM enrolment WHERE cycle_id=?1 AND status IN ('proposed', 'waitlisted')",
      "DELETE FROM plan_item WHERE cycle_id=?1",
  };
  sqlite3_stmt *s;
  for (size_t i = 0; !rc && i < 2; i++) {
    rc = cp_store_prepare(st, wipe[i], &s, err);
    if (rc) break;
    sqlite3_bind_int64(s, 1, sn->cycle_id);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "clearing the earlier plan");
    sqlite3_reset(s);
  }
  sqlite3_stmt *en = NULL, *it = NULL;
  if (!rc)
    rc = cp_store_prepare(st,
                          "INSERT INTO enrolment(uuid, person_id, session_id, cycle_id, status, position, score, reason,"
                          " updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                          " ON CONFLICT(person_id, session_id) DO UPDATE SET cycle_id=?4, status=?5, position=?6,"
                          " score=?7, reason=?8, updated=?9",
                          &en, err);
  if (!rc)
    rc = cp_store_prepare(st,
                          "INSERT INTO plan_item(person_id, cycle_id, kind, activity_id, session_id, mentor_id,"
                          " statements, status, score, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          &it, err);
  for (size_t i = 0; !rc && i < o->nitems; i++) {
    const plan_item *x = &o->items[i];
    if (x->kind == 0 && x->status == CP_ENROL_PROPOSED)
      rc = put_enrolment(st, en, sn, x->person, x->session, "proposed", 0, x->score, x->reason, made, err);
    if (!rc) rc = put_item(st, it, sn, x, err);
  }
  /* waitlists, in priority order per session; the plan shows each place */
  for (size_t i = 0, pos = 0; !rc && i < o->nwaiters; i++) {
    const waiter *x = &o->waiters[i];
    pos = i && o->waiters[i - 1].session == x->session ? pos + 1 : 1;
    double score = (double)x->score / CP_SCORE_SCALE;
    rc = put_enrolment(st, en, sn, x->person, x->session, "waitlisted", (int64_t)pos, score,
                       "the sessions wanted are full", made, err);
    char why[64];
    snprintf(why, sizeof why, "waitlisted, number %zu", pos);
    plan_item item = {x->person, 0, sn->sessions[x->session].activity, x->session, CP_SNAP_NONE,
                      CP_ENROL_WAITLISTED, score, why, ""};
    if (!rc) rc = put_item(st, it, sn, &item, err);
  }
  if (!rc) {
    rc = cp_store_prepare(st,
                          "INSERT INTO plan_run(cycle_id, made, method, objective, bound, scale, json)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(cycle_id) DO UPDATE SET made=?2,"
                          " method=?3, objective=?4, bound=?5, scale=?6, json=?7",
                          &s, err);
    if (!rc) {
      sqlite3_bind_int64(s, 1, sn->cycle_id);
      cp_bind_text(s, 2, made);
      cp_bind_text(s, 3, rep->result.used == CP_SCHED_EXACT ? "exact" : "fast");
      sqlite3_bind_int64(s, 4, rep->result.objective);
      sqlite3_bind_int64(s, 5, rep->result.bound);
      sqlite3_bind_int64(s, 6, CP_SCORE_SCALE);
      cp_bind_text(s, 7, rep->json ? rep->json : "{}");
      if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "writing the planning run");
      sqlite3_reset(s);
    }
  }
  if (rc) {
    cp_store_rollback(st);
    return rc;
  }
  return cp_store_commit(st, err);
}

int cp_schedule_run(cp_store *st, cp_rules *r, const cp_schedule_options *opt, cp_schedule_report *out,
                    cp_error *err) {
  if (!st || !r || !out) return cp_error_set(err, CP_EINVAL, "cp_schedule_run: missing argument");
  memset(out, 0, sizeof *out);
  cp_schedule_options none = CP_SCHEDULE_OPTIONS_INIT;
  if (!opt) opt = &none;
  if (opt->version != CP_SCHEDULE_OPTIONS_VERSION)
    return cp_error_set(err, CP_EINVAL, "schedule options: unsupported version %u", opt->version);
  const cp_snapshot *sn = cp_rules_snapshot(r);
  if (!sn->cycle_id)
    return cp_error_set(err, CP_EINVAL, "no review cycle is held yet: import the self-evaluations first");
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  plan_work w = {0};
  w.sn = sn;
  cp_map_init(&w.reasons, false);
  size_t np = sn->npeople, na = sn->nactivities;
  w.people = calloc(np ? np : 1, sizeof *w.people);
  w.list_start = calloc(2 * np + 1, sizeof *w.list_start);
  w.act_state = calloc(np * na + 1, 1);
  w.act_reason = calloc(np * na + 1, sizeof *w.act_reason);
  /* never NULL, so that offsets into them are valid even when empty */
  w.cap_options = w.cap_lists = 1024;
  w.options = malloc(w.cap_options * sizeof *w.options);
  w.lists = malloc(w.cap_lists * sizeof *w.lists);
  w.el = malloc((na ? na : 1) * sizeof *w.el);
  w.el_score = malloc((na ? na : 1) * sizeof *w.el_score);
  int rc = w.people && w.list_start && w.act_state && w.act_reason && w.options && w.lists && w.el && w.el_score
               ? 0 : OOM(err);
  if (!rc) rc = build_sessions(&w, err);
  for (uint32_t p = 0; !rc && p < np; p++) rc = build_person(r, &w, p, opt, err);
  if (!rc) fix_pointers(&w);
  out->max_places = opt->max_places;
  out->max_days = opt->max_days;
  out->seconds_rules = seconds_since(&t0);
  cp_sched_problem pb = {CP_SCHED_PROBLEM_VERSION, (uint32_t)na, (uint32_t)sn->nsessions, (uint32_t)np,
                         w.sessions, w.people, w.prereq_start, w.prereq};
  for (size_t p = 0; !rc && p < np; p++) out->people += w.people[p].noptions > 0;
  for (size_t a = 0; !rc && a < na; a++) out->sessions += w.future_start[a + 1] - w.future_start[a];
  out->options = w.noptions;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!rc && opt->on_problem) opt->on_problem(&pb, opt->on_problem_ud);
  cp_sched_options so = opt->sched;
  if (so.time_limit <= 0 && opt->budget > 0) {
    double left = 0.9 * opt->budget - out->seconds_rules;
    so.time_limit = left > 5 ? left : 5;
  }
  if (!rc) rc = cp_sched_solve(&pb, &so, &out->result, err);
  out->seconds_solve = seconds_since(&t0);
  plan_out o = {0};
  if (!rc) rc = make_plans(r, &w, &pb, &out->result, &o, out, err);
  if (!rc && opt->dry_run) rc = diff_plans(&w, &pb, &out->result, out, err);
  out->objective = (double)out->result.objective / CP_SCORE_SCALE;
  out->bound = (double)out->result.bound / CP_SCORE_SCALE;
  char made[21];
  cp_now_utc(made);
  if (!rc && !(out->json = summary_json(&w, &pb, out, made))) rc = OOM(err);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!rc && !opt->dry_run) rc = write_plan(st, &w, &o, out, made, err);
  out->seconds_write = seconds_since(&t0);
  out_free(&o);
  work_free(&w);
  if (rc) cp_schedule_report_free(out);
  return rc;
}

/* ---- reading plans ---- */

void cp_plan_rows_free(cp_plan_row *rows, size_t n) {
  for (size_t i = 0; rows && i < n; i++) {
    char **f[] = {&rows[i].person, &rows[i].cycle, &rows[i].kind, &rows[i].activity, &rows[i].session,
                  &rows[i].start, &rows[i].end, &rows[i].status, &rows[i].reason, &rows[i].statements,
                  &rows[i].place};
    for (size_t k = 0; k < sizeof f / sizeof *f; k++) free(*f[k]);
  }
  free(rows);
}

static int find_cycle(cp_store *st, const char *cycle, int64_t *id, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            cycle ? "SELECT id FROM cycle WHERE name=?1"
                                  : "SELECT c.id FROM plan_run r JOIN cycle c ON c.id=r.cycle_id ORDER BY c.name DESC"
                                    " LIMIT 1",
                            &s, err);
  if (rc) return rc;
  if (cycle) cp_bind_text(s, 1, cycle);
  int r = sqlite3_step(s);
  *id = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_reset(s);
  if (r != SQLITE_ROW && r != SQLITE_DONE) return cp_store_db_error(st, err, "reading cycles");
  if (!*id) {
    if (cycle) return cp_error_set(err, CP_ENOTFOUND, "no cycle \"%s\"", cycle);
    return cp_error_set(err, CP_ENOTFOUND, "no plan has been made yet: see cpdplan schedule");
  }
  return 0;
}

int cp_plan_rows(cp_store *st, const char *person, const char *cycle, cp_plan_row **out, size_t *n,
                 cp_error *err) {
  *out = NULL;
  *n = 0;
  int64_t cid;
  int rc = find_cycle(st, cycle, &cid, err);
  if (rc) return rc;
  int64_t pid = 0;
  if (person) {
    sqlite3_stmt *q;
    rc = cp_store_prepare(st, "SELECT id FROM person WHERE email=?1 COLLATE NOCASE OR uuid=?1", &q, err);
    if (rc) return rc;
    cp_bind_text(q, 1, person);
    if (sqlite3_step(q) == SQLITE_ROW) pid = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (!pid) return cp_error_set(err, CP_ENOTFOUND, "no person \"%s\"", person);
  }
  sqlite3_stmt *s;
  rc = cp_store_prepare(st,
                        "SELECT p.email, c.name, i.kind, coalesce(a.code, ''), coalesce(s.uuid, ''),"
                        " coalesce(s.start, ''), coalesce(s.end, ''), i.status, i.score, i.reason, i.statements,"
                        " coalesce(m.email, ''), coalesce(s.place, '')"
                        " FROM plan_item i JOIN person p ON p.id=i.person_id JOIN cycle c ON c.id=i.cycle_id"
                        " LEFT JOIN activity a ON a.id=i.activity_id LEFT JOIN session s ON s.id=i.session_id"
                        " LEFT JOIN person m ON m.id=i.mentor_id"
                        " WHERE i.cycle_id=?1 AND (?2=0 OR i.person_id=?2)"
                        " ORDER BY p.email, CASE i.kind WHEN 'session' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END,"
                        " s.start, a.code, i.id",
                        &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, cid);
  sqlite3_bind_int64(s, 2, pid);
  size_t cap = 0;
  cp_plan_row *rows = NULL;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(&rows, *n, &cap, sizeof *rows, 64)) {
      rc = OOM(err);
      break;
    }
    cp_plan_row *x = &rows[(*n)++];
    memset(x, 0, sizeof *x);
    int mentor = strcmp(cp_col_text(s, 2), "mentor") == 0;
    x->person = cp_strdup(cp_col_text(s, 0));
    x->cycle = cp_strdup(cp_col_text(s, 1));
    x->kind = cp_strdup(cp_col_text(s, 2));
    x->activity = cp_strdup(cp_col_text(s, 3));
    /* a mentor row names the mentor where a session row names the session */
    x->session = cp_strdup(cp_col_text(s, mentor ? 11 : 4));
    x->start = cp_strdup(cp_col_text(s, 5));
    x->end = cp_strdup(cp_col_text(s, 6));
    x->status = cp_strdup(cp_col_text(s, 7));
    x->score = sqlite3_column_double(s, 8);
    x->reason = cp_strdup(cp_col_text(s, 9));
    x->statements = cp_strdup(cp_col_text(s, 10));
    x->place = cp_strdup(cp_col_text(s, 12));
    if (!x->person || !x->cycle || !x->kind || !x->activity || !x->session || !x->start || !x->end || !x->status ||
        !x->reason || !x->statements || !x->place) {
      rc = OOM(err);
      break;
    }
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading the plan");
  sqlite3_reset(s);
  if (rc) {
    cp_plan_rows_free(rows, *n);
    *n = 0;
    return rc;
  }
  *out = rows;
  return 0;
}

int cp_plan_run_json(cp_store *st, const char *cycle, char **json, cp_error *err) {
  *json = NULL;
  int64_t cid;
  int rc = find_cycle(st, cycle, &cid, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  rc = cp_store_prepare(st, "SELECT json FROM plan_run WHERE cycle_id=?1", &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, cid);
  if (sqlite3_step(s) == SQLITE_ROW) *json = cp_strdup(cp_col_text(s, 0));
  else rc = cp_error_set(err, CP_ENOTFOUND, "cycle %s has not been planned: see cpdplan schedule", cycle ? cycle : "");
  sqlite3_reset(s);
  if (!rc && !*json) rc = OOM(err);
  return rc;
}
