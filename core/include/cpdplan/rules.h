/* rules.h: the local rules over a snapshot: plugins/default.lua then the
 * local plugins loaded into one host, and each hook called through a typed
 * function that checks what the plugin returned (statement codes known and in
 * the profile, scores finite and >= 0, activity codes held...). People reach
 * the plugins as read-only views of the snapshot (nothing is copied per
 * call); a person's needs and strengths are computed once and kept. */
#ifndef CPDPLAN_RULES_H
#define CPDPLAN_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/plugin.h"
#include "cpdplan/snapshot.h"

/* One plugin to load after the default rules. */
typedef struct cp_plugin_spec {
  const char *path;
  const char *options_json; /* ctx.options, or NULL */
} cp_plugin_spec;

#define CP_RULES_OPTIONS_VERSION 1
typedef struct cp_rules_options {
  unsigned version;              /* CP_RULES_OPTIONS_VERSION */
  const cp_plugin_spec *plugins; /* loaded in order after the default rules */
  size_t nplugins;
  const char *default_path;      /* NULL: the default rules built into cpdplan */
  int no_default;                /* load no default rules (plugin check of a complete rule set) */
  cp_plugin_limits limits;       /* zeros: the defaults */
} cp_rules_options;
#define CP_RULES_OPTIONS_INIT {CP_RULES_OPTIONS_VERSION, NULL, 0, NULL, 0, CP_PLUGIN_LIMITS_INIT}

/* The source text of plugins/default.lua as built in, and its name in messages. */
extern const char *const cp_rules_default_name;
const char *cp_rules_default_text(void);

typedef struct cp_need {
  uint32_t statement; /* snapshot statement index */
  double priority;    /* > 0; higher is more urgent */
  const char *reason; /* owned by the rules object */
  int induction;      /* an initial training need of a newly appointed person */
} cp_need;

typedef struct cp_rules cp_rules;

/* Load the rules for snap (which must outlive them). */
int cp_rules_new(cp_rules **out, const cp_snapshot *snap, const cp_rules_options *opt, cp_error *err);
void cp_rules_free(cp_rules *r);
/* Another rules object like r (same snapshot, plugins and options) with its
 * own Lua state, so that two threads can call hooks at once; it computes
 * needs again when it needs them. */
int cp_rules_clone(cp_rules **out, const cp_rules *r, cp_error *err);
/* Take over the needs and strengths src has worked out for people
 * from..to-1 that dst has not (src a clone of dst: the same snapshot and
 * plugins), so that two threads can share the work of cp_rules_needs. */
int cp_rules_adopt_needs(cp_rules *dst, const cp_rules *src, uint32_t from, uint32_t to, cp_error *err);
const cp_snapshot *cp_rules_snapshot(const cp_rules *r);

/* Needs of a person (the needs hook, run once and kept), ordered by
 * statement (framework order). Valid while r lives. */
int cp_rules_needs(cp_rules *r, uint32_t person, const cp_need **needs, size_t *n, cp_error *err);
/* Strengths that can be shared (the needs hook's second result). */
int cp_rules_strengths(cp_rules *r, uint32_t person, const uint32_t **statements, size_t *n, cp_error *err);

/* eligible(person, activity): *ok 1 or 0; *reason (may be "") is valid
 * until the next call. Without an eligible hook everyone is eligible. */
int cp_rules_eligible(cp_rules *r, uint32_t person, uint32_t activity, int *ok, const char **reason, cp_error *err);
/* score_activity / score_mentor: *has 0 when the hook returned nil (no
 * value / pair not allowed); *reason as for eligible. */
int cp_rules_score_activity(cp_rules *r, uint32_t person, uint32_t activity, int *has, double *score,
                            const char **reason, cp_error *err);
int cp_rules_score_mentor(cp_rules *r, uint32_t mentee, uint32_t mentor, int *has, double *score,
                          const char **reason, cp_error *err);
/* The same hooks on one person's many pairs, faster than one call each:
 * score[k] for activities[k] / mentors[k], 0 when the hook returned nil.
 * Results, checks and errors are those of the single calls; the first
 * error stops the rest. */
int cp_rules_score_activities(cp_rules *r, uint32_t person, const uint32_t *activities, size_t n, double *score,
                              cp_error *err);
int cp_rules_score_mentors(cp_rules *r, uint32_t mentee, const uint32_t *mentors, size_t n, double *score,
                           cp_error *err);
/* The induction programme: activity indexes in the order given; *acts is
 * malloc'd (caller frees; NULL when empty). */
int cp_rules_induction(cp_rules *r, uint32_t person, uint32_t **acts, size_t *n, cp_error *err);

/* Hook calls made so far. */
unsigned long cp_rules_calls(const cp_rules *r);
/* Which mentor pairs score_mentor can value, as the rules declare
 * (mentor_pairs): CP_PAIRS_STRENGTHS, only when the mentor has a strength on
 * one of the mentee's needs; CP_PAIRS_STRENGTHS_IN_SERVICE, and only within
 * the mentee's service; CP_PAIRS_ANY (0), every pair must be scored. */
enum { CP_PAIRS_ANY, CP_PAIRS_STRENGTHS, CP_PAIRS_STRENGTHS_IN_SERVICE };
int cp_rules_strength_pairs(const cp_rules *r);

#endif
