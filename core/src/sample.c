/* sample.c: a realistic, deterministic synthetic workforce as services.csv,
 * posts.csv, people.csv, assessments.csv and sessions.csv. Every random choice
 * comes from a xoshiro256** stream seeded by (seed, stream, index), so the
 * same options give the same bytes; profiles are computed once per post from
 * the shipped frameworks, sessions from the shipped activity catalogue; rows
 * go through one buffer into DIR/.NAME.tmp, renamed at the end. */
#include "cpdplan/sample.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpdplan/catalogue.h"
#include "cpdplan/framework.h"
#include "embedded.h"
#include "sample_names.h"
#include "util.h"

#define SM_MAX_DOCS 16
#define SM_MAX_POSTS 64
#define SM_MAX_SERVICES 64
#define SM_OUTBUF (4u << 20)
#define SM_EV_POOL 6
#define SM_EV_LEN 320

enum { STREAM_SERVICE = 1, STREAM_NAMES, STREAM_ATTR, STREAM_ORDER, STREAM_GRADES, STREAM_SESSIONS };
enum { ST_NEW, ST_ESTABLISHED, ST_EXPERIENCED, ST_SENIOR, ST_CHIEF };
enum { LANG_EN, LANG_CY, LANG_BOTH };
enum { GRADE_NA = 0 };

static const char *const stage_name[] = {"new", "established", "experienced", "senior", "chief"};
static const char *const lang_name[] = {"en", "cy", "both"};

/* ---- random numbers: splitmix64 seeding, xoshiro256** ---- */

typedef struct sm_rng {
  uint64_t s[4];
} sm_rng;

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void rng_init(sm_rng *r, uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t a = seed, b = (stream << 48) ^ index;
  uint64_t x = splitmix(&a) ^ splitmix(&b);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(sm_rng *r) {
  uint64_t *s = r->s;
  uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return res;
}

/* Uniform in [0, 1). */
static inline double rng_unit(sm_rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

/* Uniform in [0, n). */
static inline uint32_t rng_below(sm_rng *r, uint32_t n) {
  return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline bool rng_chance(sm_rng *r, double p) { return rng_unit(r) < p; }

/* Roughly standard normal: a scaled sum of four uniforms. */
static inline double rng_gauss(sm_rng *r) {
  uint64_t x = rng_next(r);
  double s = (double)(x & 0xffff) + (double)((x >> 16) & 0xffff) + (double)((x >> 32) & 0xffff) +
             (double)(x >> 48);
  return (s / 65536.0 - 2.0) * 1.7320508075688772;
}

static uint64_t hash_str(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return h;
}

/* ---- dates as days since 1970-01-01 (proleptic Gregorian) ---- */

/* days_from_civil: cp_days_from_civil (util.c); the dates here fit an int */
static int days_from_civil(int y, int m, int d) { return (int)cp_days_from_civil(y, m, d); }

static void civil_from_days(int z, int *y, int *m, int *d) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

/* YYYY-MM-DD for years 0..9999 (clamped). */
static void date_str(int days, char out[11]) {
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  y = y < 0 ? 0 : y > 9999 ? 9999 : y;
  const int v[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1, m / 10, m % 10, -1, d / 10, d % 10};
  for (int i = 0; i < 10; i++) out[i] = v[i] < 0 ? '-' : (char)('0' + v[i]);
  out[10] = 0;
}

static int date_parse(const char *s) { /* s already validated */
  return days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8));
}

/* ---- buffered CSV output, cp_csv_write_field's quoting rules ---- */

typedef struct sm_out {
  FILE *f;
  char *buf; /* shared, SM_OUTBUF bytes */
  size_t len;
  long long bytes;
  int err_no;
  char *tmp, *path;
} sm_out;

static void out_flush(sm_out *o) {
  if (o->len && !o->err_no && fwrite(o->buf, 1, o->len, o->f) != o->len) o->err_no = errno ? errno : EIO;
  o->bytes += (long long)o->len;
  o->len = 0;
}

static inline void out_byte(sm_out *o, char c) {
  if (o->len == SM_OUTBUF) out_flush(o);
  o->buf[o->len++] = c;
}

static inline bool needs_quote(const char *s, size_t n) {
  if (!n) return false;
  if (s[0] == ' ' || s[n - 1] == ' ') return true;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

/* Escape one field into d (room for 2n+2 bytes): quoted only when it holds
 * a comma, quote, CR or LF, or begins or ends with a space; quotes doubled.
 * Returns the bytes written. */
static size_t csv_escape(char *d, const char *s, size_t n) {
  if (!needs_quote(s, n)) {
    memcpy(d, s, n);
    return n;
  }
  char *p = d;
  *p++ = '"';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') *p++ = '"';
    *p++ = s[i];
  }
  *p++ = '"';
  return (size_t)(p - d);
}

/* One field, then end (',' or '\n'). */
static void out_field(sm_out *o, const char *s, size_t n, char end) {
  if (SM_OUTBUF - o->len < 2 * n + 3) out_flush(o);
  if (2 * n + 3 > SM_OUTBUF) { /* a huge field: byte by byte */
    bool q = needs_quote(s, n);
    if (q) out_byte(o, '"');
    for (size_t i = 0; i < n; i++) {
      if (s[i] == '"') out_byte(o, '"');
      out_byte(o, s[i]);
    }
    if (q) out_byte(o, '"');
    out_byte(o, end);
    return;
  }
  o->len += csv_escape(o->buf + o->len, s, n);
  o->buf[o->len++] = end;
}

static inline void out_str(sm_out *o, const char *s, char end) { out_field(o, s, strlen(s), end); }

static void out_row(sm_out *o, const char *const *fields, size_t n) {
  for (size_t i = 0; i < n; i++) out_str(o, fields[i], i + 1 == n ? '\n' : ',');
}

static int out_open(sm_out *o, char *buf, const char *dir, const char *name, cp_error *err) {
  memset(o, 0, sizeof *o);
  o->buf = buf;
  cp_buf b;
  cp_buf_init(&b);
  cp_buf_printf(&b, "%s/.%s.tmp", dir, name);
  o->tmp = cp_buf_steal(&b);
  cp_buf_printf(&b, "%s/%s", dir, name);
  o->path = cp_buf_steal(&b);
  if (!o->tmp || !o->path) return cp_error_set(err, CP_ENOMEM, "out of memory");
  o->f = fopen(o->tmp, "wb");
  if (!o->f) return cp_error_set(err, CP_EIO, "cannot create %s: %s", o->tmp, strerror(errno));
  setvbuf(o->f, NULL, _IONBF, 0);
  return 0;
}

/* Flush and close; the temporary file stays until renamed or discarded. */
static int out_close(sm_out *o, cp_error *err) {
  if (!o->f) return 0;
  out_flush(o);
  if (fclose(o->f) != 0 && !o->err_no) o->err_no = errno ? errno : EIO;
  o->f = NULL;
  if (o->err_no) return cp_error_set(err, CP_EIO, "writing %s: %s", o->tmp, strerror(o->err_no));
  return 0;
}

static void out_discard(sm_out *o) {
  if (o->f) fclose(o->f);
  o->f = NULL;
  if (o->tmp) unlink(o->tmp);
}

static void out_free(sm_out *o) {
  free(o->tmp);
  free(o->path);
  o->tmp = o->path = NULL;
}

/* ---- the generator's state ---- */

typedef struct sm_stmt {
  const char *code;
  uint32_t len;
  int32_t group; /* parent item (statements of one element share it) */
  float tend;    /* statement-level tendency of grades */
} sm_stmt;

typedef struct sm_person {
  const sn_name *first, *last;
  int32_t manager, team, appointed;
  uint32_t email_off;
  uint16_t email_len, post, retire;
  uint8_t service, stage, lang, mentor;
} sm_person;

typedef struct sm_team {
  uint32_t name_off, name_len;
  int32_t first, count; /* members[first .. first+count) */
} sm_team;

typedef struct sm_counts {
  long chief, head, senior, leader, staff;
} sm_counts;

typedef struct sm_gen {
  const cp_sample_options *opt;
  uint64_t seed;
  size_t nserv;
  long serv_people[SM_MAX_SERVICES], serv_base[SM_MAX_SERVICES];
  bool nation_used[SN_NATIONS];
  int today, today_year, cyc_lo, cyc_hi;
  char cycle[72];
  size_t cycle_len;
  cp_fw_doc *docs[SM_MAX_DOCS];
  size_t ndocs, doc_base[SM_MAX_DOCS];
  sm_stmt *st;
  size_t nst;
  uint32_t *prof;
  size_t prof_off[SM_MAX_POSTS + 1];
  sm_person *p;
  long np;
  int32_t *order, *members;
  sm_team *teams;
  size_t nteams;
  cp_buf emails, names; /* arenas: e-mail addresses; team names */
  cp_buf stp;           /* "code,cycle," per item, from stp_off[i] to stp_off[i+1] */
  uint32_t *stp_off;
  size_t row_max;       /* bytes an assessment row may take */
  long rows;
  cp_activity *acts;    /* the shipped catalogue */
  size_t nacts;
  struct sm_session *sess;
  size_t nsess;
} sm_gen;

static void gen_free(sm_gen *g) {
  for (size_t i = 0; i < g->ndocs; i++) cp_fw_doc_free(g->docs[i]);
  free(g->st);
  free(g->prof);
  free(g->p);
  free(g->order);
  free(g->members);
  free(g->teams);
  cp_buf_free(&g->emails);
  cp_buf_free(&g->names);
  cp_buf_free(&g->stp);
  free(g->stp_off);
  cp_activity_list_free(g->acts, g->nacts);
  free(g->sess);
}

/* ---- options ---- */

/* "2026-27", "2026/27", "2026": a four-digit year first, then plain characters
 * (the cycle is also written into evidence titles). */
static bool cycle_valid(const char *c) {
  size_t n = strlen(c);
  if (n < 4 || n > 32) return false;
  for (size_t i = 0; i < n; i++) {
    bool digit = c[i] >= '0' && c[i] <= '9';
    bool letter = (c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z');
    bool plain = digit || letter || strchr("-/_.", c[i]);
    if (i < 4 ? !digit : !plain || (i == 4 && digit)) return false;
  }
  return true;
}

static int check_options(const cp_sample_options *o, const char *dir, cp_error *err) {
  if (!o || o->version != CP_SAMPLE_OPTIONS_VERSION)
    return cp_error_set(err, CP_EINVAL, "sample: unknown options version");
  if (!dir || !*dir) return cp_error_set(err, CP_EINVAL, "sample: no output directory");
  if (o->people < 1 || o->people > CP_SAMPLE_MAX_PEOPLE)
    return cp_error_set(err, CP_EINVAL, "sample: people must be from 1 to %ld", CP_SAMPLE_MAX_PEOPLE);
  size_t most = sn_nservices < SM_MAX_SERVICES ? sn_nservices : SM_MAX_SERVICES;
  if (o->services < 1 || (size_t)o->services > most)
    return cp_error_set(err, CP_EINVAL, "sample: services must be from 1 to %zu", most);
  if (!cp_date_valid(o->today))
    return cp_error_set(err, CP_EINVAL, "sample: today \"%s\" is not a date (YYYY-MM-DD)",
                        o->today ? o->today : "");
  if (o->cycle && *o->cycle && !cycle_valid(o->cycle))
    return cp_error_set(err, CP_EINVAL,
                        "sample: cycle \"%s\" must begin with its first year (e.g. 2026-27) and hold only "
                        "letters, digits, '-', '/', '_' and '.'", o->cycle);
  return 0;
}

/* Today, the cycle and the window grades are dated in. */
static void set_dates(sm_gen *g) {
  const cp_sample_options *o = g->opt;
  int y, m, d;
  g->today = date_parse(o->today);
  civil_from_days(g->today, &y, &m, &d);
  g->today_year = y;
  if (o->cycle && *o->cycle) {
    snprintf(g->cycle, sizeof g->cycle, "%s", o->cycle);
    y = atoi(o->cycle);
  } else {
    if (m < 9) y--;
    snprintf(g->cycle, sizeof g->cycle, "%04d-%02d", y % 10000, (y + 1) % 100);
  }
  g->cycle_len = strlen(g->cycle);
  g->cyc_lo = days_from_civil(y, 9, 1);
  int end = days_from_civil(y + 1, 8, 31);
  g->cyc_hi = (g->today >= g->cyc_lo && g->today < end) ? g->today : end;
}

/* ---- frameworks and profiles ---- */

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int load_frameworks(sm_gen *g, cp_error *err) {
  for (const cp_embedded_file *f = cp_embedded_frameworks; f->name; f++) {
    if (!ends_with(f->name, ".json") || g->ndocs == SM_MAX_DOCS) continue;
    int rc = cp_fw_parse_case(f->name, f->data, f->size, &g->docs[g->ndocs], err);
    if (rc) return rc;
    g->doc_base[g->ndocs] = g->nst;
    g->nst += g->docs[g->ndocs]->nitems;
    g->ndocs++;
  }
  g->st = calloc(g->nst ? g->nst : 1, sizeof *g->st);
  if (!g->st) return cp_error_set(err, CP_ENOMEM, "out of memory");
  uint64_t k = g->seed ^ 0x5851f42d4c957f2dULL;
  uint64_t salt = splitmix(&k);
  for (size_t d = 0; d < g->ndocs; d++) {
    const cp_fw_doc *doc = g->docs[d];
    for (size_t i = 0; i < doc->nitems; i++) {
      const cp_fw_item *it = &doc->items[i];
      sm_stmt *s = &g->st[g->doc_base[d] + i];
      s->code = it->code ? it->code : "";
      s->len = (uint32_t)strlen(s->code);
      s->group = (int32_t)(g->doc_base[d] + (size_t)(it->parent >= 0 ? it->parent : (int)i));
      uint64_t h = hash_str(s->code, s->len) ^ salt;
      s->tend = (float)(((double)(splitmix(&h) >> 11) * 0x1.0p-53 - 0.5) * 0.7);
    }
  }
  return 0;
}

static int find_doc(const sm_gen *g, const char *name, size_t n) {
  for (size_t d = 0; d < g->ndocs; d++) {
    const char *s = g->docs[d]->short_name;
    if (s && strlen(s) == n && strncmp(s, name, n) == 0) return (int)d;
  }
  return -1;
}

/* Next space-separated token of *s. */
static bool next_token(const char **s, const char **tok, size_t *n) {
  const char *p = *s;
  while (*p == ' ') p++;
  if (!*p) return false;
  *tok = p;
  while (*p && *p != ' ') p++;
  *n = (size_t)(p - *tok);
  *s = p;
  return true;
}

static bool code_is(const cp_fw_item *it, const char *tok, size_t n) {
  return it->code && strlen(it->code) == n && strncmp(it->code, tok, n) == 0;
}

/* Applicability with inheritance resolved (top level: all). */
static cp_applicability effective(const cp_fw_doc *doc, size_t i) {
  int j = (int)i;
  for (size_t guard = 0; j >= 0 && guard <= doc->nitems; guard++) {
    if (doc->items[j].applicability != CP_APPLY_INHERIT) return doc->items[j].applicability;
    j = doc->items[j].parent;
  }
  return CP_APPLY_ALL;
}

/* True when item i or one of its ancestors is among the agreed codes. */
static bool agreed_covers(const cp_fw_doc *doc, size_t i, const char *agreed) {
  int j = (int)i;
  for (size_t guard = 0; j >= 0 && guard <= doc->nitems; guard++) {
    const char *s = agreed, *tok;
    size_t n;
    while (next_token(&s, &tok, &n))
      if (code_is(&doc->items[j], tok, n)) return true;
    j = doc->items[j].parent;
  }
  return false;
}

/* Every agreed code of a post names an item of its nation's frameworks. */
static int check_agreed(const sm_gen *g, const sn_post *post, cp_error *err) {
  const char *s = post->agreed, *tok;
  size_t n;
  while (next_token(&s, &tok, &n)) {
    bool found = false;
    const char *fw = sn_nation_frameworks[post->nation], *ftok;
    size_t fn;
    while (!found && next_token(&fw, &ftok, &fn)) {
      int d = find_doc(g, ftok, fn);
      for (size_t i = 0; d >= 0 && !found && i < g->docs[d]->nitems; i++)
        found = code_is(&g->docs[d]->items[i], tok, n);
    }
    if (!found)
      return cp_error_set(err, CP_EINVAL, "sample: post \"%s\" agrees unknown item \"%.*s\"", post->name,
                          (int)n, tok);
  }
  return 0;
}

/* The statements of post k: its nation's frameworks' `all` statements and
 * those under its agreed items, in document order. */
static int add_profile(sm_gen *g, size_t k, size_t *len, cp_error *err) {
  const sn_post *post = &sn_posts[k];
  int rc = check_agreed(g, post, err);
  if (rc) return rc;
  const char *fw = sn_nation_frameworks[post->nation], *tok;
  size_t n;
  while (next_token(&fw, &tok, &n)) {
    int d = find_doc(g, tok, n);
    if (d < 0) return cp_error_set(err, CP_ENOTFOUND, "sample: shipped framework %.*s not found", (int)n, tok);
    const cp_fw_doc *doc = g->docs[d];
    for (size_t i = 0; i < doc->nitems; i++) {
      if (!doc->items[i].gradeable) continue;
      if (effective(doc, i) == CP_APPLY_ALL || agreed_covers(doc, i, post->agreed))
        g->prof[(*len)++] = (uint32_t)(g->doc_base[d] + i);
    }
  }
  return 0;
}

static int build_profiles(sm_gen *g, cp_error *err) {
  if (sn_nposts > SM_MAX_POSTS) return cp_error_set(err, CP_EINVAL, "sample: too many posts");
  g->prof = malloc((sn_nposts * g->nst + 1) * sizeof *g->prof);
  if (!g->prof) return cp_error_set(err, CP_ENOMEM, "out of memory");
  size_t len = 0;
  for (size_t k = 0; k < sn_nposts; k++) {
    g->prof_off[k] = len;
    if (!g->nation_used[sn_posts[k].nation]) continue;
    int rc = add_profile(g, k, &len, err);
    if (rc) return rc;
  }
  g->prof_off[sn_nposts] = len;
  return 0;
}

/* ---- people: services, tiers, teams, line managers ---- */

/* People per service in proportion to the services' weights (largest
 * remainder). */
static void apportion(sm_gen *g) {
  long total = g->opt->people, given = 0, wsum = 0;
  for (size_t s = 0; s < g->nserv; s++) wsum += sn_services[s].weight;
  long rem[SM_MAX_SERVICES];
  for (size_t s = 0; s < g->nserv; s++) {
    long long x = (long long)total * sn_services[s].weight;
    g->serv_people[s] = (long)(x / wsum);
    rem[s] = (long)(x % wsum);
    given += g->serv_people[s];
  }
  while (given < total) {
    size_t best = 0;
    for (size_t s = 1; s < g->nserv; s++)
      if (rem[s] > rem[best]) best = s;
    g->serv_people[best]++;
    rem[best] = -1;
    given++;
  }
  long base = 0;
  for (size_t s = 0; s < g->nserv; s++) {
    g->serv_base[s] = base;
    base += g->serv_people[s];
  }
}

/* Chief officer at the root; a head of service from 15 people; ~3% senior
 * managers from 8; ~10% team leaders from 4; the rest are staff. */
static sm_counts tier_counts(long n) {
  sm_counts c = {0, 0, 0, 0, 0};
  if (n <= 0) return c;
  c.chief = 1;
  c.head = n >= 15;
  c.senior = n >= 8 ? (n * 3 + 50) / 100 : 0;
  if (n >= 8 && c.senior < 1) c.senior = 1;
  c.leader = n >= 4 ? (n + 5) / 10 : 0;
  c.staff = n - c.chief - c.head - c.senior - c.leader;
  return c;
}

static uint16_t post_for_tier(sn_nation nation, sn_tier tier) {
  for (size_t k = 0; k < sn_nposts; k++)
    if (sn_posts[k].nation == nation && sn_posts[k].tier == tier) return (uint16_t)k;
  return 0;
}

static uint16_t staff_post(sm_rng *r, sn_nation nation) {
  int total = 0;
  for (size_t k = 0; k < sn_nposts; k++)
    if (sn_posts[k].nation == nation && sn_posts[k].tier == SN_STAFF) total += sn_posts[k].weight;
  int x = (int)rng_below(r, (uint32_t)(total > 0 ? total : 1));
  for (size_t k = 0; k < sn_nposts; k++) {
    if (sn_posts[k].nation != nation || sn_posts[k].tier != SN_STAFF) continue;
    if (x < sn_posts[k].weight) return (uint16_t)k;
    x -= sn_posts[k].weight;
  }
  return post_for_tier(nation, SN_STAFF);
}

/* A team named in the arena: "Early Years", "Early Years (North)", ... */
static int32_t add_team(sm_gen *g, sn_nation nation, long t) {
  sm_team *tm = &g->teams[g->nteams];
  tm->name_off = (uint32_t)g->names.len;
  if (t < 0) {
    cp_buf_puts(&g->names, sn_leadership_team[nation]);
  } else {
    const sn_words *w = &sn_teams[nation];
    long round = t / (long)w->n;
    cp_buf_puts(&g->names, w->v[t % (long)w->n]);
    if (round >= 1 && round <= (long)sn_areas.n) cp_buf_printf(&g->names, " (%s)", sn_areas.v[round - 1]);
    else if (round > (long)sn_areas.n) cp_buf_printf(&g->names, " %ld", round - (long)sn_areas.n + 1);
  }
  tm->name_len = (uint32_t)(g->names.len - tm->name_off);
  return (int32_t)g->nteams++;
}

static void set_person(sm_person *p, size_t service, uint16_t post, int32_t team, int32_t manager) {
  p->service = (uint8_t)service;
  p->post = post;
  p->team = team;
  p->manager = manager;
}

/* Staff of a service split into the team leaders' teams, of uneven size
 * (in a service too small for team leaders: one team, under the chief). */
static int assign_staff(sm_gen *g, sm_rng *r, size_t s, long first, const sm_counts *c, long leaders) {
  sn_nation nation = sn_services[s].nation;
  double *cut = malloc((size_t)(c->leader + 1) * sizeof *cut);
  if (!cut) return CP_ENOMEM;
  double sum = 0;
  for (long t = 0; t < c->leader; t++) sum += cut[t] = 0.6 + 0.8 * rng_unit(r);
  long t = 0;
  double acc = c->leader ? cut[0] : 0;
  int32_t own = !c->leader && c->staff ? add_team(g, nation, 0) : -1;
  for (long j = 0; j < c->staff; j++) {
    while (c->leader && t + 1 < c->leader && (double)j >= acc / sum * (double)c->staff) acc += cut[++t];
    int32_t team = c->leader ? g->p[leaders + t].team : own;
    int32_t mgr = c->leader ? (int32_t)(leaders + t) : (int32_t)g->serv_base[s];
    set_person(&g->p[first + j], s, staff_post(r, nation), team, mgr);
  }
  free(cut);
  return 0;
}

/* One service: chief, head, senior managers, team leaders, staff. */
static int build_service(sm_gen *g, size_t s) {
  long n = g->serv_people[s], i = g->serv_base[s];
  if (n <= 0) return 0;
  sm_rng r;
  rng_init(&r, g->seed, STREAM_SERVICE, s);
  sn_nation nation = sn_services[s].nation;
  sm_counts c = tier_counts(n);
  int32_t lead = add_team(g, nation, -1), chief = (int32_t)i;
  set_person(&g->p[i++], s, post_for_tier(nation, SN_CHIEF), lead, -1);
  int32_t head = c.head ? (int32_t)i : chief;
  if (c.head) set_person(&g->p[i++], s, post_for_tier(nation, SN_HEAD), lead, chief);
  long seniors = i;
  for (long k = 0; k < c.senior; k++) set_person(&g->p[i++], s, post_for_tier(nation, SN_SENIOR), lead, head);
  long leaders = i;
  for (long t = 0; t < c.leader; t++) {
    int32_t mgr = c.senior ? (int32_t)(seniors + t % c.senior) : head;
    set_person(&g->p[i++], s, post_for_tier(nation, SN_LEADER), add_team(g, nation, t), mgr);
  }
  return assign_staff(g, &r, s, i, &c, leaders);
}

/* ---- names and e-mail addresses ---- */

typedef struct sm_seen { /* e-mail local part (hashed, per service) -> uses */
  uint64_t *keys;
  uint32_t *counts;
  size_t mask;
} sm_seen;

static uint32_t seen_bump(sm_seen *t, uint64_t key) {
  key |= 1; /* 0 marks an empty slot */
  for (size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & t->mask;; i = (i + 1) & t->mask) {
    if (t->keys[i] == key) return ++t->counts[i];
    if (!t->keys[i]) {
      t->keys[i] = key;
      return t->counts[i] = 1;
    }
  }
}

/* The e-mail form of a name: lower-case ASCII letters, digits and '-'. */
static size_t name_ascii(const sn_name *nm, char *out, size_t cap) {
  const char *s = nm->ascii ? nm->ascii : nm->text;
  size_t n = 0;
  for (; *s && n + 1 < cap; s++) {
    char c = *s;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') out[n++] = c;
  }
  out[n] = 0;
  return n;
}

static const sn_name *pick_name(sm_rng *r, const sn_names *local, const sn_names *common, double p_local,
                                double skew) {
  const sn_names *l = (local->n && rng_chance(r, p_local)) ? local : common;
  double u = rng_unit(r);
  u = (1 - skew) * u + skew * u * u; /* front of the list more often */
  size_t i = (size_t)(u * (double)l->n);
  return &l->v[i < l->n ? i : l->n - 1];
}

static void name_person(sm_gen *g, sm_seen *seen, long i) {
  static const double p_first[SN_NATIONS] = {0.6, 0, 0.5}, p_last[SN_NATIONS] = {0.7, 0, 0.7};
  sm_person *p = &g->p[i];
  const sn_service *sv = &sn_services[p->service];
  sm_rng r;
  rng_init(&r, g->seed, STREAM_NAMES, (uint64_t)i);
  p->first = pick_name(&r, &sn_first_local[sv->nation], &sn_first_common, p_first[sv->nation], 0.4);
  p->last = pick_name(&r, &sn_last_local[sv->nation], &sn_last_common, p_last[sv->nation], 0.8);
  char local[160];
  size_t n = name_ascii(p->first, local, 64);
  local[n++] = '.';
  n += name_ascii(p->last, local + n, 64);
  uint32_t k = seen_bump(seen, hash_str(local, n) ^ ((uint64_t)p->service * 0x2545f4914f6cdd1dULL));
  p->email_off = (uint32_t)g->emails.len;
  cp_buf_append(&g->emails, local, n);
  if (k > 1) cp_buf_printf(&g->emails, "%u", (unsigned)k);
  cp_buf_printf(&g->emails, "@%s.example.gov.uk", sv->slug);
  p->email_len = (uint16_t)(g->emails.len - p->email_off);
}

static int name_people(sm_gen *g) {
  sm_seen seen;
  size_t cap = 64;
  while (cap < (size_t)g->np * 2) cap <<= 1;
  seen.keys = calloc(cap, sizeof *seen.keys);
  seen.counts = calloc(cap, sizeof *seen.counts);
  seen.mask = cap - 1;
  int rc = (seen.keys && seen.counts) ? 0 : CP_ENOMEM;
  for (long i = 0; !rc && i < g->np; i++) name_person(g, &seen, i);
  free(seen.keys);
  free(seen.counts);
  if (!rc && (g->emails.oom || g->names.oom)) rc = CP_ENOMEM;
  return rc;
}

/* ---- appointment, stage, language, mentoring, retirement ---- */

static void set_attributes(sm_gen *g, long i) {
  static const double span[SN_TIERS] = {24, 14, 12, 9, 8};       /* years in post, at most */
  static const double p_retire[SN_TIERS] = {0.28, 0.33, 0.4, 0.45, 0.55};
  sm_person *p = &g->p[i];
  sn_tier tier = sn_posts[p->post].tier;
  sm_rng r;
  rng_init(&r, g->seed, STREAM_ATTR, (uint64_t)i);
  int days;
  if (rng_chance(&r, 0.10)) {
    days = (int)rng_below(&r, 365);
  } else {
    double u = rng_unit(&r);
    days = 365 + (int)(u * u * span[tier] * 365.25);
  }
  p->appointed = g->today - days;
  double years = days / 365.25;
  if (days < 365) p->stage = ST_NEW;
  else if (tier == SN_CHIEF) p->stage = ST_CHIEF;
  else if (tier >= SN_SENIOR) p->stage = ST_SENIOR;
  else if (tier == SN_LEADER) p->stage = years < 3 ? ST_ESTABLISHED : ST_EXPERIENCED;
  else p->stage = years < 5 ? ST_ESTABLISHED : ST_EXPERIENCED;
  double u = rng_unit(&r);
  p->lang = sn_services[p->service].nation != SN_WALES ? LANG_EN : u < 0.3 ? LANG_CY : u < 0.5 ? LANG_BOTH : LANG_EN;
  if (p->stage == ST_NEW || rng_chance(&r, 0.4)) p->mentor = 0;
  else if (tier == SN_STAFF) p->mentor = (uint8_t)(1 + rng_chance(&r, 0.3));
  else if (tier == SN_LEADER) p->mentor = (uint8_t)(1 + rng_chance(&r, 0.5));
  else if (tier == SN_SENIOR) p->mentor = (uint8_t)(1 + rng_below(&r, 3));
  else p->mentor = (uint8_t)(2 + rng_below(&r, 2));
  p->retire = rng_chance(&r, p_retire[tier]) ? (uint16_t)(g->today_year + 1 + (int)rng_below(&r, 15)) : 0;
}

/* members[]: people grouped by team (counting sort). */
static int index_teams(sm_gen *g) {
  g->members = malloc((size_t)g->np * sizeof *g->members);
  if (!g->members) return CP_ENOMEM;
  for (size_t t = 0; t < g->nteams; t++) g->teams[t].count = 0;
  for (long i = 0; i < g->np; i++) g->teams[g->p[i].team].count++;
  int32_t at = 0;
  for (size_t t = 0; t < g->nteams; t++) {
    g->teams[t].first = at;
    at += g->teams[t].count;
    g->teams[t].count = 0;
  }
  for (long i = 0; i < g->np; i++) {
    sm_team *t = &g->teams[g->p[i].team];
    g->members[t->first + t->count++] = (int32_t)i;
  }
  return 0;
}

/* File order: each service's people shuffled, so a manager's row may come
 * before or after their reports'. */
static int shuffle_order(sm_gen *g) {
  g->order = malloc((size_t)g->np * sizeof *g->order);
  if (!g->order) return CP_ENOMEM;
  for (long i = 0; i < g->np; i++) g->order[i] = (int32_t)i;
  for (size_t s = 0; s < g->nserv; s++) {
    sm_rng r;
    rng_init(&r, g->seed, STREAM_ORDER, s);
    int32_t *a = g->order + g->serv_base[s];
    for (long k = g->serv_people[s] - 1; k > 0; k--) {
      uint32_t j = rng_below(&r, (uint32_t)(k + 1));
      int32_t t = a[k];
      a[k] = a[j];
      a[j] = t;
    }
  }
  return 0;
}

static int build_people(sm_gen *g, cp_error *err) {
  apportion(g);
  g->np = g->opt->people;
  size_t nteams = 0;
  for (size_t s = 0; s < g->nserv; s++) {
    sm_counts c = tier_counts(g->serv_people[s]);
    nteams += (size_t)(c.chief + c.leader + (!c.leader && c.staff)); /* see assign_staff */
  }
  g->p = calloc((size_t)g->np, sizeof *g->p);
  g->teams = calloc(nteams ? nteams : 1, sizeof *g->teams);
  int rc = (g->p && g->teams) ? 0 : CP_ENOMEM;
  for (size_t s = 0; !rc && s < g->nserv; s++) rc = build_service(g, s);
  if (!rc) rc = name_people(g);
  for (long i = 0; !rc && i < g->np; i++) set_attributes(g, i);
  if (!rc) rc = index_teams(g);
  if (!rc) rc = shuffle_order(g);
  return rc ? cp_error_set(err, rc, "out of memory") : 0;
}

/* ---- services.csv, posts.csv, people.csv ---- */

static void write_services(sm_gen *g, sm_out *o) {
  const char *h[] = {"service", "nation", "frameworks"};
  out_row(o, h, 3);
  for (size_t s = 0; s < g->nserv; s++) {
    const char *f[] = {sn_services[s].name, sn_nation_name[sn_services[s].nation],
                       sn_nation_frameworks[sn_services[s].nation]};
    out_row(o, f, 3);
  }
}

static void write_posts(sm_gen *g, sm_out *o) {
  const char *h[] = {"post", "statements"};
  out_row(o, h, 2);
  for (size_t k = 0; k < sn_nposts; k++) {
    if (!g->nation_used[sn_posts[k].nation]) continue;
    const char *f[] = {sn_posts[k].name, sn_posts[k].agreed};
    out_row(o, f, 2);
  }
}

static inline const char *email_of(const sm_gen *g, const sm_person *p) { return g->emails.data + p->email_off; }

static void write_person(sm_gen *g, sm_out *o, const sm_person *p) {
  char name[256], date[11], num[16];
  snprintf(name, sizeof name, "%s %s", p->first->text, p->last->text);
  out_str(o, name, ',');
  out_field(o, email_of(g, p), p->email_len, ',');
  out_str(o, sn_posts[p->post].name, ',');
  const sm_team *t = &g->teams[p->team];
  out_field(o, g->names.data + t->name_off, t->name_len, ',');
  out_str(o, sn_services[p->service].name, ',');
  if (p->manager >= 0) out_field(o, email_of(g, &g->p[p->manager]), g->p[p->manager].email_len, ',');
  else out_field(o, "", 0, ',');
  date_str(p->appointed, date);
  out_field(o, date, 10, ',');
  out_str(o, stage_name[p->stage], ',');
  out_str(o, lang_name[p->lang], ',');
  snprintf(num, sizeof num, "%u", (unsigned)p->mentor);
  out_str(o, num, ',');
  if (p->retire) snprintf(num, sizeof num, "%u", (unsigned)p->retire);
  else num[0] = 0;
  out_str(o, num, '\n');
}

static void write_people(sm_gen *g, sm_out *o) {
  const char *h[] = {"name", "email", "post", "team", "service", "line_manager", "appointed",
                     "stage", "language", "mentor_capacity", "retirement_year"};
  out_row(o, h, 11);
  for (long i = 0; i < g->np; i++) write_person(g, o, &g->p[g->order[i]]);
}

/* ---- assessments.csv ---- */

/* Rows are assembled from pieces escaped once: the person's "email,", the
 * statement's "code,cycle,", "by,grade,", the assessor's "email,", the
 * evidence field and "date,". Self rows leave the assessor empty. */

#define SM_EVF (2 * (3 * SM_EV_LEN + 4) + 3) /* an escaped evidence field and its ',' */

typedef struct sm_piece {
  const char *s;
  size_t n;
} sm_piece;

#define PIECE(x) {x, sizeof x - 1}
static const sm_piece by_grade[3][5] = {
    {PIECE("self,NA,"), PIECE("self,1,"), PIECE("self,2,"), PIECE("self,3,"), PIECE("self,4,")},
    {PIECE("manager,NA,"), PIECE("manager,1,"), PIECE("manager,2,"), PIECE("manager,3,"), PIECE("manager,4,")},
    {PIECE("peer,NA,"), PIECE("peer,1,"), PIECE("peer,2,"), PIECE("peer,3,"), PIECE("peer,4,")},
};

typedef enum { BY_SELF, BY_MANAGER, BY_PEER } sm_by;

/* One person's grading: who grades what, tendencies, dates, evidence. */
typedef struct sm_grading {
  sm_rng r;
  const sm_person *p;
  const uint32_t *prof;
  size_t nprof;
  bool partial, by_manager;
  double part, base, selfbias, p_up;
  int32_t strong[2], weak[2], peers[2];
  int npeers;
  char self_date[11], mgr_date[11], peer_date[2][11]; /* "YYYY-MM-DD," */
  char ev[SM_EV_POOL][SM_EV_LEN]; /* evidence items, "title <location>" */
  size_t evlen[SM_EV_POOL];
  int nev;
  char evf[SM_EV_POOL][3][SM_EVF]; /* fields of k+1 items from item i, made on first use */
  size_t evflen[SM_EV_POOL][3];
} sm_grading;

static char *put(char *d, const char *s, size_t n) {
  memcpy(d, s, n);
  return d + n;
}

/* "code,cycle," for every framework item; the longest row bound. */
static int build_prefixes(sm_gen *g) {
  g->stp_off = malloc((g->nst + 1) * sizeof *g->stp_off);
  if (!g->stp_off) return CP_ENOMEM;
  size_t longest = 0;
  char *tmp = malloc(2 * (g->cycle_len + 1) + 2);
  for (size_t i = 0; tmp && i < g->nst; i++) {
    g->stp_off[i] = (uint32_t)g->stp.len;
    char *buf = malloc(2 * (g->st[i].len + 1) + 2);
    if (!buf) break;
    size_t n = csv_escape(buf, g->st[i].code, g->st[i].len);
    buf[n++] = ',';
    cp_buf_append(&g->stp, buf, n);
    free(buf);
    n = csv_escape(tmp, g->cycle, g->cycle_len);
    tmp[n++] = ',';
    cp_buf_append(&g->stp, tmp, n);
    if (g->stp.len - g->stp_off[i] > longest) longest = g->stp.len - g->stp_off[i];
  }
  g->stp_off[g->nst] = (uint32_t)g->stp.len;
  free(tmp);
  if (g->stp.oom || !tmp) return CP_ENOMEM;
  size_t email = 0;
  for (long i = 0; i < g->np; i++)
    if (g->p[i].email_len > email) email = g->p[i].email_len;
  g->row_max = longest + 2 * (2 * email + 3) + 16 + SM_EVF + 16 + 1024;
  return 0;
}

static const char *pick(sm_rng *r, const sn_words *w) { return w->v[rng_below(r, (uint32_t)w->n)]; }

/* Replace the first "%s" of fmt with arg. */
static void fill(char *out, size_t cap, const char *fmt, const char *arg) {
  const char *at = strstr(fmt, "%s");
  size_t pre = at ? (size_t)(at - fmt) : strlen(fmt);
  snprintf(out, cap, "%.*s%s%s", (int)pre, fmt, at ? arg : "", at ? at + 2 : "");
}

static void school_name(sm_rng *r, sn_nation nation, char *out, size_t cap) {
  fill(out, cap, pick(r, &sn_school_kinds[nation]), pick(r, &sn_school_places[nation]));
}

static const char *topic(sm_rng *r, sn_nation nation) {
  return rng_chance(r, 0.3) ? pick(r, &sn_topics[nation]) : pick(r, &sn_topics_common);
}

/* The title of an evidence item of the given kind. */
static void evidence_title(const sm_gen *g, sm_rng *r, sn_nation nat, unsigned kind, char *t, size_t cap) {
  char school[120];
  school_name(r, nat, school, sizeof school);
  switch (kind) {
  case 0: snprintf(t, cap, "Notes of visit to %s", school); break;
  case 1: snprintf(t, cap, "Report to governors, %s", school); break;
  case 2: snprintf(t, cap, "Self-evaluation review with %s", school); break;
  case 3: snprintf(t, cap, "Support plan for %s", school); break;
  case 4: snprintf(t, cap, "%s inspection follow-up: %s", sn_inspectorate[nat], school); break;
  case 5: snprintf(t, cap, "Training materials: %s", topic(r, nat)); break;
  case 6: snprintf(t, cap, "Case study: %s", topic(r, nat)); break;
  case 7: snprintf(t, cap, "Minutes of %s", pick(r, &sn_meetings)); break;
  case 8: snprintf(t, cap, "Headteachers' feedback survey %s", g->cycle); break;
  case 9: snprintf(t, cap, "Performance review notes %s", g->cycle); break;
  case 10: snprintf(t, cap, "Team development plan %s", g->cycle); break;
  case 11: snprintf(t, cap, "Report to scrutiny committee: %s", topic(r, nat)); break;
  default: snprintf(t, cap, "Service improvement plan %s", g->cycle); break;
  }
}

/* One evidence item, "title <location>": an intranet or SharePoint file. */
static size_t make_evidence(const sm_gen *g, sm_rng *r, const sm_person *p, char *out, size_t cap) {
  static const char *const folder[] = {"visits", "governors", "self-evaluation", "support-plans", "inspection",
                                       "training", "case-studies", "minutes", "surveys", "reviews",
                                       "team-plans", "scrutiny", "service-plans"};
  const sn_service *sv = &sn_services[p->service];
  char title[160];
  unsigned kind = rng_below(r, sn_posts[p->post].tier >= SN_LEADER ? 13 : 10);
  evidence_title(g, r, sv->nation, kind, title, sizeof title);
  unsigned num = 1 + rng_below(r, 9999);
  int n;
  if (rng_chance(r, 0.5))
    n = snprintf(out, cap, "%s <https://intranet.%s.example.gov.uk/%s/%04u.pdf>", title, sv->slug, folder[kind], num);
  else
    n = snprintf(out, cap, "%s <sharepoint:/sites/%s-education/%s/%04u.docx>", title, sv->slug, folder[kind], num);
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static void pick_peers(const sm_gen *g, sm_grading *a, long pi) {
  const sm_team *t = &g->teams[a->p->team];
  a->npeers = 0;
  if (t->count < 2 || !rng_chance(&a->r, 0.16)) return;
  int want = 1 + rng_chance(&a->r, 0.4);
  if (want > t->count - 1) want = t->count - 1;
  while (a->npeers < want) {
    int32_t c = g->members[t->first + (int32_t)rng_below(&a->r, (uint32_t)t->count)];
    if (c == pi || (a->npeers && a->peers[0] == c)) continue;
    a->peers[a->npeers++] = c;
  }
}

static void date_piece(int days, char out[11]) {
  char s[11];
  date_str(days, s);
  memcpy(out, s, 10);
  out[10] = ',';
}

/* Self-evaluation early in the window, the review meeting a few weeks on. */
static void set_grading_dates(const sm_gen *g, sm_grading *a) {
  int lo = a->p->appointed > g->cyc_lo ? a->p->appointed : g->cyc_lo, hi = g->cyc_hi;
  if (lo > hi) lo = hi;
  uint32_t span = (uint32_t)(hi - lo);
  int self = lo + (int)rng_below(&a->r, span * 6 / 10 + 1);
  int mgr = self + 7 + (int)rng_below(&a->r, 35);
  date_piece(self, a->self_date);
  date_piece(mgr < hi ? mgr : hi, a->mgr_date);
  for (int k = 0; k < 2; k++) date_piece(lo + (int)rng_below(&a->r, span + 1), a->peer_date[k]);
}

/* Set up person pi's grading; false when they have no grades this cycle. */
static bool start_grading(const sm_gen *g, sm_grading *a, long pi) {
  static const double stage_shift[] = {0.45, 0.12, -0.05, -0.18, -0.25};
  const sm_person *p = a->p = &g->p[pi];
  rng_init(&a->r, g->seed, STREAM_GRADES, (uint64_t)pi);
  a->prof = g->prof + g->prof_off[p->post];
  a->nprof = g->prof_off[p->post + 1] - g->prof_off[p->post];
  if (!a->nprof || p->appointed > g->cyc_hi) return false;
  a->partial = p->stage == ST_NEW;
  if (a->partial && rng_chance(&a->r, 0.5)) return false;
  a->part = 0.2 + 0.5 * rng_unit(&a->r);
  a->by_manager = !a->partial && p->manager >= 0 && rng_chance(&a->r, 0.85);
  a->npeers = 0;
  if (!a->partial) pick_peers(g, a, pi);
  a->base = 2.08 + stage_shift[p->stage] + 0.3 * rng_gauss(&a->r);
  a->selfbias = 0.2 * rng_gauss(&a->r);
  a->p_up = a->selfbias < 0 ? 0.2 : 0.1;
  for (int k = 0; k < 2; k++) {
    a->strong[k] = g->st[a->prof[rng_below(&a->r, (uint32_t)a->nprof)]].group;
    a->weak[k] = g->st[a->prof[rng_below(&a->r, (uint32_t)a->nprof)]].group;
  }
  set_grading_dates(g, a);
  a->nev = 3 + (int)rng_below(&a->r, SM_EV_POOL - 2);
  for (int k = 0; k < a->nev; k++) {
    a->evlen[k] = make_evidence(g, &a->r, p, a->ev[k], SM_EV_LEN);
    a->evflen[k][0] = a->evflen[k][1] = a->evflen[k][2] = 0;
  }
  return true;
}

static int grade_of(double latent) { return latent < 1.5 ? 1 : latent < 2.5 ? 2 : latent < 3.5 ? 3 : 4; }

static int clamp_grade(int x) { return x < 1 ? 1 : x > 4 ? 4 : x; }

/* The manager's benchmark: usually the self grade, sometimes one off. */
static int manager_grade(sm_grading *a, int self, double latent) {
  double u = rng_unit(&a->r);
  if (self == GRADE_NA) return u < 0.85 ? GRADE_NA : grade_of(latent);
  if (u < 0.01) return GRADE_NA;
  if (u < 0.73) return self;
  return clamp_grade(u < 0.73 + a->p_up ? self + 1 : self - 1);
}

static int peer_grade(sm_grading *a, int ref) {
  if (ref == GRADE_NA) return GRADE_NA;
  double u = rng_unit(&a->r);
  if (u < 0.72) return ref;
  return clamp_grade(u < 0.88 ? ref + 1 : ref - 1);
}

/* The escaped field of k items from item i on ("a; b"), with its ','. */
static const char *evidence_field(sm_grading *a, int i, int k, size_t *n) {
  if (!a->evflen[i][k - 1]) {
    char raw[3 * SM_EV_LEN + 4];
    size_t len = 0;
    for (int j = 0; j < k; j++) {
      int e = (i + j) % a->nev;
      if (j) len = (size_t)(put(raw + len, "; ", 2) - raw);
      len = (size_t)(put(raw + len, a->ev[e], a->evlen[e]) - raw);
    }
    char *f = a->evf[i][k - 1];
    size_t m = csv_escape(f, raw, len);
    f[m++] = ',';
    a->evflen[i][k - 1] = m;
  }
  *n = a->evflen[i][k - 1];
  return a->evf[i][k - 1];
}

/* Evidence for a row: one to three items of the person's pool, or none. */
static char *put_evidence(sm_grading *a, sm_by by, char *d) {
  static const double p_ev[] = {0.74, 0.48, 0.3};
  if (!rng_chance(&a->r, p_ev[by])) {
    *d++ = ',';
    return d;
  }
  double u = rng_unit(&a->r);
  int k = u < 0.8 ? 1 : u < 0.97 ? 2 : 3, start = (int)rng_below(&a->r, (uint32_t)a->nev);
  if (k > a->nev) k = a->nev;
  size_t n;
  const char *f = evidence_field(a, start, k, &n);
  return put(d, f, n);
}

static const char *row_comment(sm_grading *a, sm_by by, int grade) {
  static const double p_comment[] = {0.1, 0.15, 0.2};
  static const sn_words *const lists[] = {&sn_comments_self, &sn_comments_manager, &sn_comments_peer};
  if (grade == GRADE_NA) return rng_chance(&a->r, 0.5) ? pick(&a->r, &sn_comments_na) : "";
  return rng_chance(&a->r, p_comment[by]) ? pick(&a->r, lists[by]) : "";
}

/* One row; assessor is NULL for self. */
static void write_grade(sm_gen *g, sm_out *o, sm_grading *a, uint32_t sid, sm_by by, int grade,
                        const sm_person *assessor, const char *date) {
  if (SM_OUTBUF - o->len < g->row_max) out_flush(o);
  char *d = o->buf + o->len;
  d = put(d, email_of(g, a->p), a->p->email_len);
  *d++ = ',';
  d = put(d, g->stp.data + g->stp_off[sid], g->stp_off[sid + 1] - g->stp_off[sid]);
  d = put(d, by_grade[by][grade].s, by_grade[by][grade].n);
  if (assessor) d = put(d, email_of(g, assessor), assessor->email_len);
  *d++ = ',';
  d = put_evidence(a, by, d);
  d = put(d, date, 11);
  const char *c = row_comment(a, by, grade);
  d += csv_escape(d, c, strlen(c));
  *d++ = '\n';
  o->len = (size_t)(d - o->buf);
  g->rows++;
}

/* Self, manager and peer grades of one statement. */
static void grade_statement(sm_gen *g, sm_out *o, sm_grading *a, uint32_t sid) {
  const sm_stmt *s = &g->st[sid];
  bool na = rng_chance(&a->r, 0.03);
  double lat = a->base + s->tend + 0.34 * rng_gauss(&a->r);
  for (int k = 0; k < 2; k++) {
    if (s->group == a->strong[k]) lat -= 0.75;
    if (s->group == a->weak[k]) lat += 0.75;
  }
  int self = na ? GRADE_NA : grade_of(lat + a->selfbias);
  write_grade(g, o, a, sid, BY_SELF, self, NULL, a->self_date);
  int ref = self;
  if (a->by_manager) {
    ref = manager_grade(a, self, lat);
    write_grade(g, o, a, sid, BY_MANAGER, ref, &g->p[a->p->manager], a->mgr_date);
  }
  for (int k = 0; k < a->npeers; k++)
    if (rng_chance(&a->r, 0.6))
      write_grade(g, o, a, sid, BY_PEER, peer_grade(a, ref), &g->p[a->peers[k]], a->peer_date[k]);
}

static void write_assessments(sm_gen *g, sm_out *o) {
  const char *h[] = {"person", "statement", "cycle", "by", "grade", "assessor", "evidence", "date", "comment"};
  out_row(o, h, 9);
  sm_grading *a = malloc(sizeof *a);
  if (!a || build_prefixes(g)) {
    free(a);
    o->err_no = ENOMEM;
    return;
  }
  const cp_sample_options *opt = g->opt;
  for (long i = 0; i < g->np && !o->err_no; i++) {
    if (opt->progress && (i & 4095) == 0) opt->progress(opt->progress_ctx, i, g->np);
    if (!start_grading(g, a, g->order[i])) continue;
    for (size_t k = 0; k < a->nprof; k++) {
      if (a->partial && !rng_chance(&a->r, a->part)) continue;
      grade_statement(g, o, a, a->prof[k]);
    }
  }
  if (opt->progress) opt->progress(opt->progress_ctx, g->np, g->np);
  free(a);
}

/* ---- sessions.csv: the shipped catalogue's activities across the cycle ---- */

/* How sessions of a kind of activity run: capacity, and either consecutive
 * working days (as many as the activity's days), a window of span days that
 * starts on a working day, or a half day (a date-time). */
enum { RUN_DAYS, RUN_WINDOW, RUN_HALF };

typedef struct sm_kind {
  const char *kind;
  int capacity, run, span;
  bool residential, online, july; /* july: only in July (summer schools) */
} sm_kind;

static const sm_kind sm_kinds[] = {
    {"e-learning", 30, RUN_WINDOW, 27, false, true, false},
    {"residential course", 24, RUN_DAYS, 0, true, false, false},
    {"accredited module", 20, RUN_WINDOW, 83, false, false, false},
    {"learning set", 12, RUN_WINDOW, 272, false, false, false},
    {"summer school", 30, RUN_DAYS, 0, true, false, true},
    {"co-coaching workshop", 12, RUN_DAYS, 0, true, false, false},
    {"coaching", 12, RUN_WINDOW, 181, false, false, false},
    {"mentoring", 12, RUN_WINDOW, 181, false, false, false},
    {"briefing", 30, RUN_HALF, 0, false, false, false},
    {"exchange", 12, RUN_DAYS, 0, false, false, false},
    {"secondment", 12, RUN_WINDOW, 27, false, false, false},
    {"international link", 16, RUN_DAYS, 0, false, false, false},
    {"shadowing", 12, RUN_DAYS, 0, false, false, false},
    {"in-house session", 20, RUN_DAYS, 0, false, false, false},
};

static sm_kind kind_of(const cp_activity *a) {
  for (size_t k = 0; k < sizeof sm_kinds / sizeof *sm_kinds; k++)
    if (a->kind && strcmp(a->kind, sm_kinds[k].kind) == 0) return sm_kinds[k];
  sm_kind other = {"", 20, a->days < 1 ? RUN_HALF : RUN_DAYS, 0, false, false, false};
  return other;
}

typedef struct sm_session {
  uint32_t act, seq;
  int32_t person;  /* facilitator, -1 for none */
  int start, end;  /* days */
  int16_t time;    /* minutes after midnight of a half-day start; -1: dates */
  uint8_t service, lang;
  uint16_t capacity;
  char uuid[37];
} sm_session;

static int weekday(int days) { return ((days % 7) + 7 + 3) % 7; } /* 0 = Monday; 1970-01-01 was a Thursday */

static int next_working_day(int d) {
  while (weekday(d) >= 5) d++;
  return d;
}

/* The last of n working days from d. */
static int add_working_days(int d, int n) {
  for (int k = 1; k < n; k++) d = next_working_day(d + 1);
  return d;
}

/* People of each career stage. */
static void stage_counts(const sm_gen *g, long count[5]) {
  for (int k = 0; k < 5; k++) count[k] = 0;
  for (long i = 0; i < g->np; i++) count[g->p[i].stage]++;
}

/* Sessions a year's demand fills: the people of the activity's stages times
 * a yearly uptake by strand (induction: 90 % of the newly appointed;
 * management development 4 %; leadership and cross-cutting 2 %), over the
 * capacity of a session. Over the shipped catalogue that is about 1.2
 * sessions per 100 people. */
static double sessions_wanted(const cp_activity *a, const long count[5], int capacity) {
  double eligible = 0;
  for (int k = 0; k < 5; k++)
    if (!a->stages || !*a->stages || strstr(a->stages, stage_name[k])) eligible += (double)count[k];
  double uptake = 0.02;
  if (a->strand && strcmp(a->strand, "induction") == 0) uptake = 0.9;
  else if (a->strand && strcmp(a->strand, "management development") == 0) uptake = 0.04;
  return eligible * uptake / (capacity > 0 ? capacity : 20);
}

/* Sessions per activity: what the demand fills, at least one each. */
static void plan_counts(const sm_gen *g, uint32_t *want) {
  long count[5];
  stage_counts(g, count);
  for (size_t a = 0; a < g->nacts; a++) {
    double w = sessions_wanted(&g->acts[a], count, kind_of(&g->acts[a]).capacity) + 0.5;
    want[a] = w < 1 ? 1 : w > 1e6 ? 1000000 : (uint32_t)w;
  }
}

/* A service by its number of people. */
static uint8_t pick_service(const sm_gen *g, sm_rng *r) {
  long x = (long)rng_below(r, (uint32_t)g->np);
  for (size_t s = 0; s < g->nserv; s++) {
    if (x < g->serv_people[s]) return (uint8_t)s;
    x -= g->serv_people[s];
  }
  return 0;
}

/* Half the sessions are led by an experienced colleague of the host
 * service (a senior manager or chief officer for leadership sessions). */
static int32_t pick_facilitator(const sm_gen *g, sm_rng *r, size_t service, bool leadership) {
  if (!rng_chance(r, 0.5) || g->serv_people[service] < 2) return -1;
  for (int tries = 0; tries < 24; tries++) {
    long i = g->serv_base[service] + (long)rng_below(r, (uint32_t)g->serv_people[service]);
    uint8_t st = g->p[i].stage;
    if (leadership ? st >= ST_SENIOR : st >= ST_EXPERIENCED) return (int32_t)i;
  }
  return -1;
}

/* A version 4 UUID from the stream. */
static void rng_uuid(sm_rng *r, char out[37]) {
  unsigned char b[16];
  uint64_t x = rng_next(r), y = rng_next(r);
  for (int i = 0; i < 8; i++) {
    b[i] = (unsigned char)(x >> (8 * i));
    b[8 + i] = (unsigned char)(y >> (8 * i));
  }
  b[6] = (unsigned char)(0x40 | (b[6] & 0x0f));
  b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
  static const char hex[] = "0123456789abcdef";
  char *p = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    *p++ = hex[b[i] >> 4];
    *p++ = hex[b[i] & 15];
  }
  *p = 0;
}

/* The dates of session j of k of an activity of kind kd, spread over the
 * school year (8 September to 20 July; summer schools in July). */
static void session_dates(const sm_gen *g, sm_rng *r, const cp_activity *a, const sm_kind *kd, uint32_t j,
                          uint32_t k, sm_session *s) {
  int y, m, d;
  civil_from_days(g->cyc_lo, &y, &m, &d);
  int lo = days_from_civil(y, 9, 8), hi = days_from_civil(y + 1, 7, 20);
  if (kd->july) {
    lo = days_from_civil(y + 1, 7, 1);
    hi = days_from_civil(y + 1, 7, 24);
  }
  int ndays = a->days >= 1 ? (int)(a->days + 0.999) : 1;
  int span = kd->run == RUN_WINDOW ? kd->span : kd->run == RUN_DAYS ? ndays + ndays / 5 * 2 : 0;
  if (hi - span > lo) hi -= span;
  double at = ((double)j + 0.2 + 0.6 * rng_unit(r)) / (double)k;
  int start = lo + (int)(at * (double)(hi - lo));
  int xmas = days_from_civil(y, 12, 20), newyear = days_from_civil(y + 1, 1, 4);
  if (start >= xmas && start < newyear) start = newyear; /* not over the Christmas break */
  start = next_working_day(start);
  if (kd->run == RUN_DAYS && ndays <= 5)
    while (weekday(start) + ndays > 5) start++; /* within one working week */
  if (kd->run == RUN_DAYS && ndays > 5)
    while (weekday(start) != 0) start++; /* whole working weeks from a Monday */
  start = next_working_day(start);
  s->start = start;
  s->time = -1;
  if (kd->run == RUN_WINDOW) {
    s->end = start + kd->span;
  } else if (kd->run == RUN_DAYS) {
    s->end = add_working_days(start, ndays);
  } else {
    s->end = start;
    s->time = rng_chance(r, 0.6) ? 9 * 60 + 30 : 13 * 60 + 30;
  }
}

static int build_sessions(sm_gen *g, cp_error *err) {
  uint32_t *want = calloc(g->nacts ? g->nacts : 1, sizeof *want);
  if (!want) return cp_error_set(err, CP_ENOMEM, "out of memory");
  plan_counts(g, want);
  size_t total = 0;
  for (size_t a = 0; a < g->nacts; a++) total += want[a];
  g->sess = calloc(total ? total : 1, sizeof *g->sess);
  if (!g->sess) {
    free(want);
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  for (size_t a = 0; a < g->nacts; a++) {
    const cp_activity *act = &g->acts[a];
    sm_kind kd = kind_of(act);
    bool welsh = act->language && (strcmp(act->language, "cy") == 0 || strcmp(act->language, "both") == 0);
    bool leadership = act->strand && strcmp(act->strand, "leadership development") == 0;
    sm_rng r;
    rng_init(&r, g->seed, STREAM_SESSIONS, a);
    for (uint32_t j = 0; j < want[a]; j++) {
      sm_session *s = &g->sess[g->nsess];
      s->act = (uint32_t)a;
      s->seq = (uint32_t)g->nsess++;
      session_dates(g, &r, act, &kd, j, want[a], s);
      s->service = pick_service(g, &r);
      s->capacity = (uint16_t)kd.capacity;
      bool in_wales = sn_services[s->service].nation == SN_WALES;
      if (act->language && strcmp(act->language, "cy") == 0) s->lang = LANG_CY;
      else s->lang = welsh && in_wales && rng_chance(&r, 0.35) ? LANG_CY : LANG_EN;
      s->person = kd.online ? -1 : pick_facilitator(g, &r, s->service, leadership);
      rng_uuid(&r, s->uuid);
    }
  }
  free(want);
  return 0;
}

static int session_cmp(const void *x, const void *y) {
  const sm_session *a = x, *b = y;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->time != b->time) return a->time < b->time ? -1 : 1;
  if (a->act != b->act) return a->act < b->act ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void when_str(int days, int minutes, char out[17]) {
  date_str(days, out);
  if (minutes >= 0) snprintf(out + 10, 7, "T%02d:%02d", minutes / 60 % 24, minutes % 60);
}

static void write_sessions(sm_gen *g, sm_out *o) {
  const char *h[] = {"activity", "start", "end", "id", "place", "capacity", "facilitator", "language"};
  out_row(o, h, 8);
  qsort(g->sess, g->nsess, sizeof *g->sess, session_cmp);
  for (size_t i = 0; i < g->nsess; i++) {
    const sm_session *s = &g->sess[i];
    sm_kind kd = kind_of(&g->acts[s->act]);
    char start[17], end[17], cap[8], place[200];
    when_str(s->start, s->time, start);
    when_str(s->end, s->time >= 0 ? s->time + 180 : -1, end);
    snprintf(cap, sizeof cap, "%u", (unsigned)s->capacity);
    if (kd.online) snprintf(place, sizeof place, "Online");
    else
      snprintf(place, sizeof place, "%s %s", sn_services[s->service].name,
               kd.residential ? "residential centre" : "professional learning centre");
    const char *f[] = {g->acts[s->act].code, start, end, s->uuid, place, cap};
    for (int k = 0; k < 6; k++) out_str(o, f[k], ',');
    const sm_person *p = s->person >= 0 ? &g->p[s->person] : NULL; /* arena e-mails are not NUL-terminated */
    out_field(o, p ? email_of(g, p) : "", p ? p->email_len : 0, ',');
    out_str(o, lang_name[s->lang], '\n');
  }
}

/* The activities of every shipped catalogue, in file order. */
static int load_catalogue(sm_gen *g, cp_error *err) {
  for (const cp_embedded_file *f = cp_embedded_catalogues; f->name; f++) {
    cp_activity *list;
    size_t n;
    int rc = cp_activity_parse(f->name, f->data, f->size, &list, &n, err);
    if (rc) return rc;
    cp_activity *all = realloc(g->acts, (g->nacts + n + 1) * sizeof *all);
    if (!all) {
      cp_activity_list_free(list, n);
      return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    g->acts = all;
    if (n) memcpy(g->acts + g->nacts, list, n * sizeof *list);
    g->nacts += n;
    free(list);
  }
  return 0;
}

/* ---- files ---- */

static int make_dir(const char *dir, cp_error *err) {
  char *p = cp_strdup(dir);
  if (!p) return cp_error_set(err, CP_ENOMEM, "out of memory");
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    mkdir(p, 0777);
    *s = '/';
  }
  int rc = mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : errno;
  struct stat sb;
  if (!rc && (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))) rc = ENOTDIR;
  free(p);
  if (rc) return cp_error_set(err, CP_EIO, "cannot create directory %s: %s", dir, strerror(rc));
  return 0;
}

enum { F_SERVICES, F_POSTS, F_PEOPLE, F_ASSESSMENTS, F_SESSIONS, F_COUNT };

static int write_files(sm_gen *g, const char *dir, sm_out *o, char *buf, cp_error *err) {
  static const char *const names[F_COUNT] = {"services.csv", "posts.csv", "people.csv", "assessments.csv",
                                             "sessions.csv"};
  int rc = 0;
  for (int f = 0; f < F_COUNT && !rc; f++) {
    rc = out_open(&o[f], buf, dir, names[f], err);
    if (rc) break;
    if (f == F_SERVICES) write_services(g, &o[f]);
    else if (f == F_POSTS) write_posts(g, &o[f]);
    else if (f == F_PEOPLE) write_people(g, &o[f]);
    else if (f == F_ASSESSMENTS) write_assessments(g, &o[f]);
    else write_sessions(g, &o[f]);
    rc = out_close(&o[f], err);
  }
  for (int f = 0; f < F_COUNT && !rc; f++)
    if (rename(o[f].tmp, o[f].path) != 0)
      rc = cp_error_set(err, CP_EIO, "cannot rename %s to %s: %s", o[f].tmp, o[f].path, strerror(errno));
  return rc;
}

static long count_posts(const sm_gen *g) {
  long n = 0;
  for (size_t k = 0; k < sn_nposts; k++) n += g->nation_used[sn_posts[k].nation];
  return n;
}

static int generate(sm_gen *g, const char *dir, cp_sample_stats *stats, cp_error *err) {
  int rc = load_frameworks(g, err);
  if (!rc) rc = build_profiles(g, err);
  if (!rc) rc = build_people(g, err);
  if (!rc) rc = load_catalogue(g, err);
  if (!rc) rc = build_sessions(g, err);
  if (!rc) rc = make_dir(dir, err);
  if (rc) return rc;
  char *buf = malloc(SM_OUTBUF);
  if (!buf) return cp_error_set(err, CP_ENOMEM, "out of memory");
  sm_out o[F_COUNT];
  memset(o, 0, sizeof o);
  rc = write_files(g, dir, o, buf, err);
  long long bytes = 0;
  for (int f = 0; f < F_COUNT; f++) {
    if (rc) out_discard(&o[f]);
    bytes += o[f].bytes;
    out_free(&o[f]);
  }
  free(buf);
  if (!rc && stats) {
    stats->people = g->np;
    stats->assessments = g->rows;
    stats->services = (long)g->nserv;
    stats->posts = count_posts(g);
    stats->sessions = (long)g->nsess;
    stats->bytes = bytes;
  }
  return rc;
}

int cp_sample_write(const cp_sample_options *opt, const char *dir, cp_sample_stats *stats, cp_error *err) {
  cp_error_clear(err);
  if (stats) memset(stats, 0, sizeof *stats);
  int rc = check_options(opt, dir, err);
  if (rc) return rc;
  sm_gen g;
  memset(&g, 0, sizeof g);
  cp_buf_init(&g.emails);
  cp_buf_init(&g.names);
  cp_buf_init(&g.stp);
  g.opt = opt;
  g.seed = opt->seed;
  g.nserv = (size_t)opt->services;
  for (size_t s = 0; s < g.nserv; s++) g.nation_used[sn_services[s].nation] = true;
  set_dates(&g);
  rc = generate(&g, dir, stats, err);
  gen_free(&g);
  return rc;
}
