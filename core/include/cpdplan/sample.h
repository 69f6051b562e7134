/* sample.h: a realistic, deterministic synthetic workforce written as the CSV
 * files the importers take: services.csv (service, nation, frameworks),
 * posts.csv (post, statements), people.csv, assessments.csv and sessions.csv
 * (dated sessions of the shipped catalogue's activities over the cycle's
 * school year) in the design's formats. The same options give byte-identical
 * files; nothing depends on the clock, and no database is needed (the shipped
 * frameworks and activity catalogue are compiled in). */
#ifndef CPDPLAN_SAMPLE_H
#define CPDPLAN_SAMPLE_H

#include <stdint.h>

#include "cpdplan/error.h"

/* Called now and then while assessments are written (done <= total people). */
typedef void (*cp_sample_progress_fn)(void *ctx, long done, long total);

typedef struct cp_sample_options {
  int version;         /* CP_SAMPLE_OPTIONS_VERSION */
  long people;         /* number of people (1 .. CP_SAMPLE_MAX_PEOPLE) */
  uint64_t seed;       /* random seed */
  int services;        /* local authorities (1 .. 22, default 22) */
  const char *cycle;   /* review cycle graded, e.g. "2026-27": its first year,
                          then letters, digits, - / _ . (at most 32 bytes);
                          grades are dated from 1 September of that year to
                          31 August of the next, and not after today when
                          today falls within it. NULL or "": the academic
                          year that holds today. */
  const char *today;   /* YYYY-MM-DD the sample is "as of" (appointment dates) */
  cp_sample_progress_fn progress; /* optional */
  void *progress_ctx;
} cp_sample_options;

#define CP_SAMPLE_OPTIONS_VERSION 1
#define CP_SAMPLE_OPTIONS_INIT {CP_SAMPLE_OPTIONS_VERSION, 200, 1, 22, "2026-27", "2026-11-23"}
#define CP_SAMPLE_MAX_PEOPLE 10000000L

typedef struct cp_sample_stats {
  long people, assessments, services, posts;
  long long bytes; /* written to the five files */
  long sessions;
} cp_sample_stats;

/* Write the sample into dir (created if missing). Each file is written to
 * DIR/.NAME.tmp and the five are renamed into place only when all were
 * written, so a failure leaves no partial file. stats may be NULL. Errors:
 * CP_EINVAL (options), CP_EIO (files), CP_ENOMEM, or a framework parse error. */
int cp_sample_write(const cp_sample_options *opt, const char *dir, cp_sample_stats *stats, cp_error *err);

#endif
