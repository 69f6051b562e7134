/* plugin_check.h: `cpdplan plugin check`: load a plugin in the sandbox after
 * the default rules and run each hook it provides over a small built-in
 * sample workforce (the shipped frameworks and catalogue, a generated
 * sample of people, grades and sessions in a private in-memory store),
 * collecting the problems as a linter would: errors (load failures, runtime
 * errors, bad results, limits) and warnings (a hook that never gives a value). */
#ifndef CPDPLAN_PLUGIN_CHECK_H
#define CPDPLAN_PLUGIN_CHECK_H

#include <stddef.h>

#include "cpdplan/error.h"
#include "cpdplan/plugin.h"

typedef struct cp_check_problem {
  int error;     /* 1 error, 0 warning */
  char *message; /* "FILE:LINE: ..." where known */
  long repeats;  /* further calls that failed the same way */
} cp_check_problem;

typedef struct cp_plugin_check_report {
  char *name, *version;  /* as the plugin declares them ("" if it did not load) */
  unsigned hooks;        /* bit set of the hooks it provides (bit 0 = needs) */
  cp_check_problem *problems;
  size_t nproblems;
  int errors, warnings;
  unsigned long calls;   /* hook calls made */
  size_t people, activities;
} cp_plugin_check_report;

/* Check the plugin at path. Returns 0 when the check ran (the report says
 * what was found), or an error when it could not run (no memory, sample). */
int cp_plugin_check(const char *path, const char *options_json, const cp_plugin_limits *lim,
                    cp_plugin_check_report *rep, cp_error *err);
void cp_plugin_check_report_clear(cp_plugin_check_report *rep);

#endif
