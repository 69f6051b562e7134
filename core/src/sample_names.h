/* sample_names.h: the constant tables behind `cpdplan sample`: local
 * authorities by nation, posts with their tier and agreed framework items,
 * personal names, teams, schools and the words evidence and comments are made
 * of. Internal to sample.c; all data is const. */
#ifndef CP_SAMPLE_NAMES_H
#define CP_SAMPLE_NAMES_H

#include <stddef.h>

typedef enum { SN_WALES = 0, SN_ENGLAND = 1, SN_SCOTLAND = 2, SN_NATIONS = 3 } sn_nation;

/* Levels of the line-management tree, root last. */
typedef enum { SN_STAFF = 0, SN_LEADER, SN_SENIOR, SN_HEAD, SN_CHIEF, SN_TIERS } sn_tier;

typedef struct sn_service {
  const char *name; /* the council's name */
  const char *slug; /* domain label: email and intranet addresses */
  sn_nation nation;
  int weight;       /* relative size of its improvement service */
} sn_service;

typedef struct sn_post {
  const char *name;
  sn_nation nation;
  sn_tier tier;
  int weight;         /* among the staff posts of a nation (0 for other tiers) */
  const char *agreed; /* framework item codes agreed for the post, space-separated */
} sn_post;

/* A personal name; ascii is its e-mail form when the text is not plain ASCII
 * letters (NULL: the text lower-cased, without spaces and apostrophes). */
typedef struct sn_name {
  const char *text;
  const char *ascii;
} sn_name;

typedef struct sn_names {
  const sn_name *v;
  size_t n;
} sn_names;

typedef struct sn_words {
  const char *const *v;
  size_t n;
} sn_words;

/* Services in a fixed interleaved order (so the first K mix the nations). */
extern const sn_service sn_services[];
extern const size_t sn_nservices;

/* Posts, nation by nation; names are unique across nations. */
extern const sn_post sn_posts[];
extern const size_t sn_nposts;

extern const char *const sn_nation_name[SN_NATIONS];       /* "Wales" ... */
extern const char *const sn_nation_frameworks[SN_NATIONS]; /* "WEIP VSC" ... */
extern const char *const sn_leadership_team[SN_NATIONS];
extern const char *const sn_inspectorate[SN_NATIONS];

/* Names: common British (and diverse) lists, and each nation's own (the
 * English one is empty); ordered most frequent first. */
extern const sn_names sn_first_common, sn_last_common;
extern const sn_names sn_first_local[SN_NATIONS], sn_last_local[SN_NATIONS];

extern const sn_words sn_teams[SN_NATIONS];  /* team areas */
extern const sn_words sn_areas;              /* "North", ... to tell teams apart */
extern const sn_words sn_school_places[SN_NATIONS];
extern const sn_words sn_school_kinds[SN_NATIONS]; /* printf formats with one %s */
extern const sn_words sn_topics_common, sn_topics[SN_NATIONS];
extern const sn_words sn_meetings;

/* Comments by kind of assessor, and for N/A grades. */
extern const sn_words sn_comments_self, sn_comments_manager, sn_comments_peer;
extern const sn_words sn_comments_na;

#endif
