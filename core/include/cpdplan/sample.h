/* sample.h: a realistic, deterministic synthetic workforce written as the CSV
 * files the importers take: services.csv (service, nation, frameworks),
 * posts.csv (post, statements), people.csv and assessments.csv in the design's
 * formats. The same options give byte-identical files. */
#ifndef CPDPLAN_SAMPLE_H
#define CPDPLAN_SAMPLE_H

#include <stdint.h>

#include "cpdplan/error.h"

typedef struct cp_sample_options {
  int version;         /* CP_SAMPLE_OPTIONS_VERSION */
  long people;         /* number of people (>= 1) */
  uint64_t seed;       /* random seed */
  int services;        /* local authorities (default 22) */
  const char *cycle;   /* review cycle graded, e.g. "2026-27" */
  const char *today;   /* YYYY-MM-DD the sample is "as of" (appointment dates) */
} cp_sample_options;

#define CP_SAMPLE_OPTIONS_VERSION 1
#define CP_SAMPLE_OPTIONS_INIT {CP_SAMPLE_OPTIONS_VERSION, 200, 1, 22, "2026-27", "2026-11-23"}

typedef struct cp_sample_stats {
  long people, assessments, services, posts;
} cp_sample_stats;

/* Write the sample into dir (created if missing). */
int cp_sample_write(const cp_sample_options *opt, const char *dir, cp_sample_stats *stats, cp_error *err);

#endif
