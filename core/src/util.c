/* util.c: buffer, hash map, string, UUID and date helpers (see util.h). */
#include "util.h"

#include "cpdplan/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

void cp_buf_init(cp_buf *b) { memset(b, 0, sizeof *b); }

void cp_buf_free(cp_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

void cp_buf_reset(cp_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

static int buf_grow(cp_buf *b, size_t need) {
  if (b->oom) return CP_ENOMEM;
  if (b->len + need + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + need + 1) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    b->oom = 1;
    return CP_ENOMEM;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

int cp_buf_append(cp_buf *b, const char *s, size_t n) {
  if (buf_grow(b, n)) return CP_ENOMEM;
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int cp_buf_puts(cp_buf *b, const char *s) { return cp_buf_append(b, s ? s : "", s ? strlen(s) : 0); }

int cp_buf_putc(cp_buf *b, char c) { return cp_buf_append(b, &c, 1); }

int cp_buf_printf(cp_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[256];
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return CP_EINVAL;
  if ((size_t)n < sizeof tmp) return cp_buf_append(b, tmp, (size_t)n);
  if (buf_grow(b, (size_t)n)) return CP_ENOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return 0;
}

char *cp_buf_steal(cp_buf *b) {
  char *s = b->data;
  if (!s) s = cp_strdup("");
  memset(b, 0, sizeof *b);
  return s;
}

/* FNV-1a, optionally over ASCII-lowered bytes. */
static uint64_t hash_key(const char *k, bool nocase) {
  uint64_t h = 1469598103934665603ULL;
  for (const unsigned char *p = (const unsigned char *)k; *p; p++) {
    unsigned c = nocase ? (unsigned)tolower(*p) : *p;
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h ? h : 1;
}

void cp_map_init(cp_map *m, bool nocase) {
  memset(m, 0, sizeof *m);
  m->nocase = nocase;
}

void cp_map_free(cp_map *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->slots[i].key);
  free(m->slots);
  m->slots = NULL;
  m->cap = m->count = 0;
}

static bool key_eq(const cp_map *m, const char *a, const char *b) {
  return m->nocase ? cp_strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static int map_rehash(cp_map *m, size_t cap) {
  cp_map_entry *slots = calloc(cap, sizeof *slots);
  if (!slots) return CP_ENOMEM;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].key) continue;
    size_t j = m->slots[i].hash & (cap - 1);
    while (slots[j].key) j = (j + 1) & (cap - 1);
    slots[j] = m->slots[i];
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

int cp_map_put(cp_map *m, const char *key, int64_t value) {
  if ((m->count + 1) * 10 >= m->cap * 7) {
    if (map_rehash(m, m->cap ? m->cap * 2 : 64)) return CP_ENOMEM;
  }
  uint64_t h = hash_key(key, m->nocase);
  size_t j = h & (m->cap - 1);
  while (m->slots[j].key) {
    if (m->slots[j].hash == h && key_eq(m, m->slots[j].key, key)) {
      m->slots[j].value = value;
      return 0;
    }
    j = (j + 1) & (m->cap - 1);
  }
  char *k = cp_strdup(key);
  if (!k) return CP_ENOMEM;
  m->slots[j].key = k;
  m->slots[j].hash = h;
  m->slots[j].value = value;
  m->count++;
  return 0;
}

const char *cp_map_intern(cp_map *m, const char *key) {
  if (!key) return NULL;
  uint64_t h = hash_key(key, m->nocase);
  for (size_t j = m->cap ? h & (m->cap - 1) : 0; m->cap && m->slots[j].key; j = (j + 1) & (m->cap - 1))
    if (m->slots[j].hash == h && key_eq(m, m->slots[j].key, key)) return m->slots[j].key;
  if (cp_map_put(m, key, 0)) return NULL;
  for (size_t j = h & (m->cap - 1);; j = (j + 1) & (m->cap - 1))
    if (m->slots[j].hash == h && key_eq(m, m->slots[j].key, key)) return m->slots[j].key;
}

bool cp_map_get(const cp_map *m, const char *key, int64_t *value) {
  if (!m->cap || !key) return false;
  uint64_t h = hash_key(key, m->nocase);
  size_t j = h & (m->cap - 1);
  while (m->slots[j].key) {
    if (m->slots[j].hash == h && key_eq(m, m->slots[j].key, key)) {
      if (value) *value = m->slots[j].value;
      return true;
    }
    j = (j + 1) & (m->cap - 1);
  }
  return false;
}

void cp_set64_init(cp_set64 *s) { memset(s, 0, sizeof *s); }

void cp_set64_free(cp_set64 *s) {
  free(s->slots);
  memset(s, 0, sizeof *s);
}

static size_t mix64(int64_t v, size_t cap) {
  uint64_t x = (uint64_t)v;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x & (cap - 1);
}

int cp_set64_add(cp_set64 *s, int64_t v) {
  if (v == 0) {
    s->has_zero = true;
    return 0;
  }
  if ((s->count + 1) * 10 >= s->cap * 7) {
    size_t cap = s->cap ? s->cap * 2 : 1024;
    int64_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return CP_ENOMEM;
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->slots[i]) continue;
      size_t j = mix64(s->slots[i], cap);
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
  }
  size_t j = mix64(v, s->cap);
  while (s->slots[j]) {
    if (s->slots[j] == v) return 0;
    j = (j + 1) & (s->cap - 1);
  }
  s->slots[j] = v;
  s->count++;
  return 0;
}

bool cp_set64_has(const cp_set64 *s, int64_t v) {
  if (v == 0) return s->has_zero;
  if (!s->cap) return false;
  size_t j = mix64(v, s->cap);
  while (s->slots[j]) {
    if (s->slots[j] == v) return true;
    j = (j + 1) & (s->cap - 1);
  }
  return false;
}

char *cp_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

char *cp_strndup(const char *s, size_t n) {
  if (!s) return NULL;
  char *p = malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

int cp_strcasecmp(const char *a, const char *b) {
  for (;; a++, b++) {
    int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
    if (ca != cb || !ca) return ca - cb;
  }
}

char *cp_trim(char *s) {
  if (!s) return s;
  char *p = s;
  while (*p && isspace((unsigned char)*p)) p++;
  size_t n = strlen(p);
  while (n && isspace((unsigned char)p[n - 1])) n--;
  memmove(s, p, n);
  s[n] = '\0';
  return s;
}

bool cp_streq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

bool cp_is_blank(const char *s) {
  if (!s) return true;
  for (; *s; s++)
    if (!isspace((unsigned char)*s)) return false;
  return true;
}

bool cp_utf8_valid(const char *str, size_t n, size_t *bad_offset) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    size_t len;
    unsigned min;
    if (c < 0x80) { i++; continue; }
    else if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; c &= 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; c &= 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; c &= 0x07; }
    else goto bad;
    if (i + len > n) goto bad;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) goto bad;
      c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) goto bad;
    i += len;
  }
  return true;
bad:
  if (bad_offset) *bad_offset = i;
  return false;
}

/* A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds,
 * then libuuid's random bits. Random bits keep identifiers unguessable; the
 * time prefix keeps new rows together at the end of the uuid indexes, which
 * makes bulk imports several times faster than fully random (v4) keys. */
void cp_uuid_new(char out[37]) {
  uuid_t u;
  uuid_generate_random(u);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
  for (int i = 5; i >= 0; i--) {
    u[i] = (unsigned char)(ms & 0xff);
    ms >>= 8;
  }
  u[6] = (unsigned char)(0x70 | (u[6] & 0x0f)); /* version 7 */
  u[8] = (unsigned char)(0x80 | (u[8] & 0x3f)); /* RFC 4122 variant */
  uuid_unparse_lower(u, out);
}

bool cp_uuid_valid(const char *s) {
  if (!s || strlen(s) != 36) return false;
  for (int i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!isxdigit((unsigned char)s[i])) {
      return false;
    }
  }
  return true;
}

static bool digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return false;
  return true;
}

static bool ymd_valid(const char *s) {
  if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
    return false;
  int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  int md = mdays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) md = 29;
  return d <= md;
}

bool cp_date_valid(const char *s) { return s && strlen(s) == 10 && ymd_valid(s); }

static int two(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

/* "HH:MM" with HH <= maxh and MM <= 59. */
static bool hhmm(const char *p, int maxh) {
  return digits(p, 2) && p[2] == ':' && digits(p + 3, 2) && two(p) <= maxh && two(p + 3) <= 59;
}

bool cp_datetime_valid(const char *s) {
  if (!s || strlen(s) < 10 || !ymd_valid(s)) return false;
  const char *p = s + 10;
  if (!*p) return true;
  if (*p++ != 'T' || !hhmm(p, 23)) return false;
  p += 5;
  if (*p == ':') {
    if (!digits(p + 1, 2) || two(p + 1) > 59) return false;
    p += 3;
  }
  if (*p == 'Z') return p[1] == '\0';
  if (*p == '+' || *p == '-') return hhmm(p + 1, 14) && p[6] == '\0';
  return *p == '\0';
}

int64_t cp_days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t)era * 146097 + doe - 719468;
}

int64_t cp_datetime_minutes(const char *s, bool end_of_day) {
  int64_t m = cp_days_from_civil(atoi(s), two(s + 5), two(s + 8)) * 1440;
  if (!s[10]) return end_of_day ? m + 1439 : m;
  const char *p = s + 11;
  m += two(p) * 60 + two(p + 3);
  p += 5;
  if (*p == ':') p += 3;
  if (*p == '+' || *p == '-') {
    int off = two(p + 1) * 60 + two(p + 4);
    m += *p == '+' ? -off : off;
  }
  return m;
}

void cp_date_today(char out[11]) {
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

void cp_now_utc(char out[21]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cp_grow(void *itemsp, size_t n, size_t *cap, size_t elem, size_t first) {
  if (n < *cap) return 0;
  size_t nc = *cap ? *cap * 2 : (first ? first : 8);
  if (nc < *cap || nc > SIZE_MAX / elem) return CP_ENOMEM;
  void *old;
  memcpy(&old, itemsp, sizeof old);
  void *p = realloc(old, nc * elem);
  if (!p) return CP_ENOMEM;
  memcpy(itemsp, &p, sizeof p);
  *cap = nc;
  return 0;
}
