/* util.h: small internal helpers shared by the library's modules: a growable
 * string buffer, a string-keyed hash map, UUIDs, dates and string utilities.
 * Not part of the public API. */
#ifndef CP_UTIL_H
#define CP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- growable byte buffer, always NUL-terminated when data != NULL ---- */
typedef struct cp_buf {
  char *data;
  size_t len, cap;
  int oom; /* set once an allocation failed; later appends are ignored */
} cp_buf;

void cp_buf_init(cp_buf *b);
void cp_buf_free(cp_buf *b);
void cp_buf_reset(cp_buf *b); /* len = 0, keeps memory */
int cp_buf_append(cp_buf *b, const char *s, size_t n);
int cp_buf_puts(cp_buf *b, const char *s);
int cp_buf_putc(cp_buf *b, char c);
int cp_buf_printf(cp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Detach the string (caller frees); the buffer is left empty. */
char *cp_buf_steal(cp_buf *b);

/* ---- growable arrays ----
 * Make room for element n of the array at *itemsp (a pointer to any element
 * pointer) whose capacity is *cap elements of elem bytes: doubles the
 * capacity (from first) when n == *cap. 0, or CP_ENOMEM with the array kept. */
int cp_grow(void *itemsp, size_t n, size_t *cap, size_t elem, size_t first);

/* ---- string -> int64 hash map (keys copied; optional case folding) ---- */
typedef struct cp_map_entry {
  char *key;
  int64_t value;
  uint64_t hash;
} cp_map_entry;

typedef struct cp_map {
  cp_map_entry *slots;
  size_t cap, count;
  bool nocase; /* ASCII case-insensitive keys */
} cp_map;

void cp_map_init(cp_map *m, bool nocase);
void cp_map_free(cp_map *m);
/* Insert or replace. Returns 0 or CP_ENOMEM. */
int cp_map_put(cp_map *m, const char *key, int64_t value);
/* The map's own copy of key, inserted (value 0) if absent: a string pool
 * whose strings live as long as the map. NULL when out of memory. */
const char *cp_map_intern(cp_map *m, const char *key);
/* Returns true and sets *value when found. */
bool cp_map_get(const cp_map *m, const char *key, int64_t *value);

/* ---- set of int64 (open addressing; 0 is stored out of band) ---- */
typedef struct cp_set64 {
  int64_t *slots;
  size_t cap, count;
  bool has_zero;
} cp_set64;

void cp_set64_init(cp_set64 *s);
void cp_set64_free(cp_set64 *s);
int cp_set64_add(cp_set64 *s, int64_t v); /* 0 or CP_ENOMEM */
bool cp_set64_has(const cp_set64 *s, int64_t v);

/* ---- strings ---- */
char *cp_strdup(const char *s);                  /* NULL-safe */
char *cp_strndup(const char *s, size_t n);
int cp_strcasecmp(const char *a, const char *b); /* ASCII */
char *cp_trim(char *s);                          /* in place, returns s */
bool cp_streq(const char *a, const char *b);     /* NULL-safe */
bool cp_is_blank(const char *s);
/* True if s is valid UTF-8 (no overlongs, no surrogates). */
bool cp_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/* ---- identifiers and dates ---- */
/* Write a new random lower-case UUID (36 chars + NUL). */
void cp_uuid_new(char out[37]);
/* True if s is a UUID in 8-4-4-4-12 hex form. */
bool cp_uuid_valid(const char *s);
/* True if s is YYYY-MM-DD and a real calendar date. */
bool cp_date_valid(const char *s);
/* True if s is an ISO 8601 date or date-time, YYYY-MM-DD[THH:MM[:SS][Z|+HH:MM|-HH:MM]],
 * with a real calendar date and time of day. */
bool cp_datetime_valid(const char *s);
/* Minutes since 1970-01-01T00:00Z of a valid date or date-time, for ordering:
 * an offset is taken away (a time without one is read as UTC); a date alone
 * is its first minute, or its last when end_of_day. */
int64_t cp_datetime_minutes(const char *s, bool end_of_day);
/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
int64_t cp_days_from_civil(int y, int m, int d);
/* Today's date (local time) as YYYY-MM-DD. */
void cp_date_today(char out[11]);
/* Current UTC time as YYYY-MM-DDTHH:MM:SSZ. */
void cp_now_utc(char out[21]);

#endif
