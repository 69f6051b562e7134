/* test_sample.c: cmocka tests of the synthetic sample (sample.h): the same
 * options give the same bytes, headers are the design's, line managers form
 * a tree, every grade is on a statement of the person's profile (recomputed
 * here from the shipped frameworks, services.csv and posts.csv), the
 * proportions (grades, new staff, Welsh speakers, evidence) are plausible,
 * and the sessions are of the shipped catalogue's activities, in the cycle's
 * year, with valid ids, known facilitators and about one per 100 people. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpdplan/catalogue.h"
#include "cpdplan/csvio.h"
#include "cpdplan/framework.h"
#include "cpdplan/sample.h"
#include "embedded.h"
#include "util.h"

#define BIG_PEOPLE 2000
#define TODAY "2026-11-23"

static const char *const files[] = {"services.csv", "posts.csv", "people.csv", "assessments.csv", "sessions.csv"};
#define NFILES (sizeof files / sizeof *files)

/* ---- files and directories ---- */

static char *tmpdir(void) {
  char tmpl[] = "/tmp/cpdplan-sample-XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return cp_strdup(d);
}

static char *path_in(const char *dir, const char *name) {
  cp_buf b;
  cp_buf_init(&b);
  cp_buf_printf(&b, "%s/%s", dir, name);
  return cp_buf_steal(&b);
}

static void rm_dir(char *dir) {
  for (size_t i = 0; i < NFILES; i++) {
    char *p = path_in(dir, files[i]);
    unlink(p);
    free(p);
  }
  rmdir(dir);
  free(dir);
}

static char *slurp(const char *dir, const char *name, size_t *n) {
  char *p = path_in(dir, name);
  FILE *f = fopen(p, "rb");
  free(p);
  assert_non_null(f);
  cp_buf b;
  cp_buf_init(&b);
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) cp_buf_append(&b, chunk, k);
  fclose(f);
  *n = b.len;
  return b.data ? cp_buf_steal(&b) : cp_strdup("");
}

static void run_sample(const char *dir, long people, uint64_t seed, int services, cp_sample_stats *st) {
  cp_sample_options o = CP_SAMPLE_OPTIONS_INIT;
  o.people = people;
  o.seed = seed;
  o.services = services;
  cp_error e;
  char buf[2048];
  int rc = cp_sample_write(&o, dir, st, &e);
  if (rc) fail_msg("cp_sample_write: %s", cp_error_format(&e, buf, sizeof buf));
}

/* ---- reading CSV back into rows of strings ---- */

typedef struct table {
  size_t ncols, nrows;
  char **header;
  char ***rows;
} table;

static int table_row(void *ctx, const cp_csv_row *row, cp_error *err) {
  table *t = ctx;
  (void)err;
  char **cells = calloc(row->nfields + 1, sizeof *cells);
  for (size_t i = 0; i < row->nfields; i++) cells[i] = cp_strdup(row->fields[i]);
  if (!t->header) {
    t->header = cells;
    t->ncols = row->nfields;
    return 0;
  }
  if (row->nfields != t->ncols) fail_msg("%s:%ld: %zu fields, want %zu", row->file, row->line, row->nfields, t->ncols);
  t->rows = realloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
  t->rows[t->nrows++] = cells;
  return 0;
}

static void table_read(const char *dir, const char *name, table *t) {
  memset(t, 0, sizeof *t);
  char *p = path_in(dir, name);
  cp_error e;
  char buf[2048];
  if (cp_csv_read(p, table_row, t, &e)) fail_msg("%s", cp_error_format(&e, buf, sizeof buf));
  free(p);
}

static void free_cells(char **cells, size_t n) {
  for (size_t i = 0; i < n; i++) free(cells[i]);
  free(cells);
}

static void table_free(table *t) {
  for (size_t r = 0; r < t->nrows; r++) free_cells(t->rows[r], t->ncols);
  free(t->rows);
  if (t->header) free_cells(t->header, t->ncols);
  memset(t, 0, sizeof *t);
}

static void assert_header(const table *t, const char *const *want, size_t n) {
  assert_int_equal(t->ncols, n);
  for (size_t i = 0; i < n; i++) assert_string_equal(t->header[i], want[i]);
}

/* ---- profiles, recomputed from the frameworks (independently of sample.c) ---- */

typedef struct fixture {
  char *dir;
  cp_sample_stats st;
  table services, posts, people;
  cp_fw_doc *docs[8];
  size_t ndocs;
  cp_map person;   /* email -> row in people */
  cp_map service;  /* name -> row in services */
  cp_map post;     /* name -> row in posts */
  cp_map profile;  /* "frameworks\x1fpost\x1fcode" -> 1 */
  cp_map psize;    /* "frameworks\x1fpost" -> statements */
} fixture;

enum { P_NAME, P_EMAIL, P_POST, P_TEAM, P_SERVICE, P_MANAGER, P_APPOINTED, P_STAGE, P_LANG, P_MENTOR, P_RETIRE };

static void load_frameworks(fixture *fx) {
  for (const cp_embedded_file *f = cp_embedded_frameworks; f->name && fx->ndocs < 8; f++) {
    cp_error e;
    char buf[2048];
    if (cp_fw_parse_case(f->name, f->data, f->size, &fx->docs[fx->ndocs], &e))
      fail_msg("%s", cp_error_format(&e, buf, sizeof buf));
    fx->ndocs++;
  }
}

static const cp_fw_doc *doc_named(const fixture *fx, const char *name) {
  for (size_t i = 0; i < fx->ndocs; i++)
    if (strcmp(fx->docs[i]->short_name, name) == 0) return fx->docs[i];
  fail_msg("no framework %s", name);
  return NULL;
}

static bool is_leaf(const cp_fw_doc *d, size_t i) {
  for (size_t j = 0; j < d->nitems; j++)
    if (d->items[j].parent == (int)i) return false;
  return true;
}

static bool in_list(const char *list, const char *code) {
  char *copy = cp_strdup(list), *save = NULL;
  bool found = false;
  for (char *t = strtok_r(copy, " ", &save); t && !found; t = strtok_r(NULL, " ", &save))
    found = strcmp(t, code) == 0;
  free(copy);
  return found;
}

/* Statement i applies: `all` (inherited down the tree) or under an agreed item. */
static bool applies(const cp_fw_doc *d, size_t i, const char *agreed) {
  int j = (int)i;
  cp_applicability eff = CP_APPLY_ALL;
  while (j >= 0 && d->items[j].applicability == CP_APPLY_INHERIT) j = d->items[j].parent;
  if (j >= 0) eff = d->items[j].applicability;
  if (eff == CP_APPLY_ALL) return true;
  for (j = (int)i; j >= 0; j = d->items[j].parent)
    if (in_list(agreed, d->items[j].code)) return true;
  return false;
}

static void add_profile(fixture *fx, const char *frameworks, const char *post, const char *agreed) {
  char key[512];
  snprintf(key, sizeof key, "%s\x1f%s", frameworks, post);
  int64_t n = 0;
  if (cp_map_get(&fx->psize, key, &n)) return;
  char *copy = cp_strdup(frameworks), *save = NULL;
  for (char *fw = strtok_r(copy, " ", &save); fw; fw = strtok_r(NULL, " ", &save)) {
    const cp_fw_doc *d = doc_named(fx, fw);
    for (size_t i = 0; i < d->nitems; i++) {
      if (!is_leaf(d, i) || strcmp(d->items[i].item_type, "Principle") == 0) continue;
      if (!applies(d, i, agreed)) continue;
      char k[700];
      snprintf(k, sizeof k, "%s\x1f%s", key, d->items[i].code);
      assert_int_equal(cp_map_put(&fx->profile, k, 1), 0);
      n++;
    }
  }
  free(copy);
  cp_map_put(&fx->psize, key, n);
}

static char **service_row(const fixture *fx, const char *name) {
  int64_t r;
  if (!cp_map_get(&fx->service, name, &r)) fail_msg("service %s not in services.csv", name);
  return fx->services.rows[r];
}

static const char *agreed_for(const fixture *fx, const char *post) {
  int64_t r;
  if (!cp_map_get(&fx->post, post, &r)) fail_msg("post %s not in posts.csv", post);
  return fx->posts.rows[r][1];
}

static void index_rows(cp_map *m, const table *t, size_t col) {
  cp_map_init(m, false);
  for (size_t r = 0; r < t->nrows; r++) {
    int64_t dup;
    if (cp_map_get(m, t->rows[r][col], &dup)) fail_msg("duplicate key %s", t->rows[r][col]);
    cp_map_put(m, t->rows[r][col], (int64_t)r);
  }
}

static int fixture_setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  fx->dir = tmpdir();
  run_sample(fx->dir, BIG_PEOPLE, 7, 22, &fx->st);
  table_read(fx->dir, "services.csv", &fx->services);
  table_read(fx->dir, "posts.csv", &fx->posts);
  table_read(fx->dir, "people.csv", &fx->people);
  load_frameworks(fx);
  index_rows(&fx->person, &fx->people, P_EMAIL);
  index_rows(&fx->service, &fx->services, 0);
  index_rows(&fx->post, &fx->posts, 0);
  cp_map_init(&fx->profile, false);
  cp_map_init(&fx->psize, false);
  for (size_t r = 0; r < fx->people.nrows; r++) {
    char **p = fx->people.rows[r];
    add_profile(fx, service_row(fx, p[P_SERVICE])[2], p[P_POST], agreed_for(fx, p[P_POST]));
  }
  *state = fx;
  return 0;
}

static int fixture_teardown(void **state) {
  fixture *fx = *state;
  table_free(&fx->services);
  table_free(&fx->posts);
  table_free(&fx->people);
  for (size_t i = 0; i < fx->ndocs; i++) cp_fw_doc_free(fx->docs[i]);
  cp_map_free(&fx->person);
  cp_map_free(&fx->service);
  cp_map_free(&fx->post);
  cp_map_free(&fx->profile);
  cp_map_free(&fx->psize);
  rm_dir(fx->dir);
  free(fx);
  return 0;
}

static char **person_row(const fixture *fx, const char *email) {
  int64_t r;
  if (!cp_map_get(&fx->person, email, &r)) fail_msg("%s is not in people.csv", email);
  return fx->people.rows[r];
}

static long profile_size(const fixture *fx, char **p) {
  char key[512];
  int64_t n = 0;
  snprintf(key, sizeof key, "%s\x1f%s", service_row(fx, p[P_SERVICE])[2], p[P_POST]);
  cp_map_get(&fx->psize, key, &n);
  return (long)n;
}

static bool in_profile(const fixture *fx, char **p, const char *code) {
  char key[700];
  int64_t v;
  snprintf(key, sizeof key, "%s\x1f%s\x1f%s", service_row(fx, p[P_SERVICE])[2], p[P_POST], code);
  return cp_map_get(&fx->profile, key, &v);
}

/* ---- tests: defaults, headers, determinism ---- */

static void test_defaults_and_headers(void **state) {
  (void)state;
  char *dir = tmpdir();
  cp_sample_stats st;
  cp_sample_options o = CP_SAMPLE_OPTIONS_INIT;
  cp_error e;
  assert_int_equal(cp_sample_write(&o, dir, &st, &e), 0);
  assert_int_equal(st.services, 22);
  assert_int_equal(st.people, 200);
  table t;
  table_read(dir, "services.csv", &t);
  const char *sh[] = {"service", "nation", "frameworks"};
  assert_header(&t, sh, 3);
  assert_int_equal(t.nrows, 22);
  int nation[3] = {0, 0, 0};
  for (size_t r = 0; r < t.nrows; r++) {
    const char *n = t.rows[r][1], *f = t.rows[r][2];
    if (strcmp(n, "Wales") == 0) nation[0]++, assert_string_equal(f, "WEIP VSC");
    else if (strcmp(n, "England") == 0) nation[1]++, assert_string_equal(f, "ASP05");
    else if (strcmp(n, "Scotland") == 0) nation[2]++, assert_string_equal(f, "PSS19");
    else fail_msg("nation %s", n);
  }
  assert_int_equal(nation[0], 8);
  assert_int_equal(nation[1], 9);
  assert_int_equal(nation[2], 5);
  table_free(&t);
  table_read(dir, "posts.csv", &t);
  const char *ph[] = {"post", "statements"};
  assert_header(&t, ph, 2);
  assert_int_equal((long)t.nrows, st.posts);
  table_free(&t);
  table_read(dir, "people.csv", &t);
  const char *peh[] = {"name", "email", "post", "team", "service", "line_manager", "appointed",
                       "stage", "language", "mentor_capacity", "retirement_year"};
  assert_header(&t, peh, 11);
  assert_int_equal((long)t.nrows, 200);
  table_free(&t);
  table_read(dir, "assessments.csv", &t);
  const char *ah[] = {"person", "statement", "cycle", "by", "grade", "assessor", "evidence", "date", "comment"};
  assert_header(&t, ah, 9);
  assert_int_equal((long)t.nrows, st.assessments);
  assert_true(st.assessments > 1000);
  table_free(&t);
  table_read(dir, "sessions.csv", &t);
  const char *sh2[] = {"activity", "start", "end", "id", "place", "capacity", "facilitator", "language"};
  assert_header(&t, sh2, 8);
  assert_int_equal((long)t.nrows, st.sessions);
  assert_int_equal(st.sessions, 13); /* 200 people: one per activity */
  table_free(&t);
  char *tmp = path_in(dir, ".assessments.csv.tmp");
  assert_int_not_equal(access(tmp, F_OK), 0); /* no temporary left */
  free(tmp);
  rm_dir(dir);
}

static void test_deterministic(void **state) {
  (void)state;
  char *a = tmpdir(), *b = tmpdir(), *c = tmpdir();
  run_sample(a, 300, 42, 22, NULL);
  run_sample(b, 300, 42, 22, NULL);
  run_sample(c, 300, 43, 22, NULL);
  for (size_t i = 0; i < NFILES; i++) {
    size_t na, nb, nc;
    char *fa = slurp(a, files[i], &na), *fb = slurp(b, files[i], &nb), *fc = slurp(c, files[i], &nc);
    assert_int_equal(na, nb);
    assert_memory_equal(fa, fb, na);
    if (i >= 2) assert_true(na != nc || memcmp(fa, fc, na) != 0); /* people and grades change with the seed */
    free(fa);
    free(fb);
    free(fc);
  }
  rm_dir(a);
  rm_dir(b);
  rm_dir(c);
}

static void test_few_services(void **state) {
  (void)state;
  char *dir = tmpdir();
  cp_sample_stats st;
  run_sample(dir, 60, 1, 3, &st);
  table t;
  table_read(dir, "services.csv", &t);
  assert_int_equal(t.nrows, 3);
  bool seen[3] = {false, false, false};
  for (size_t r = 0; r < t.nrows; r++) {
    seen[0] |= strcmp(t.rows[r][1], "Wales") == 0;
    seen[1] |= strcmp(t.rows[r][1], "England") == 0;
    seen[2] |= strcmp(t.rows[r][1], "Scotland") == 0;
  }
  assert_true(seen[0] && seen[1] && seen[2]);
  table_free(&t);
  table_read(dir, "people.csv", &t);
  assert_int_equal(t.nrows, 60);
  table_free(&t);
  long all_posts = st.posts;
  run_sample(dir, 10, 1, 1, &st); /* one Welsh council: Welsh posts only */
  assert_true(st.posts > 0 && st.posts < all_posts);
  table_read(dir, "services.csv", &t);
  assert_int_equal(t.nrows, 1);
  assert_string_equal(t.rows[0][1], "Wales");
  table_free(&t);
  table posts, people;
  table_read(dir, "posts.csv", &posts);
  table_read(dir, "people.csv", &people);
  assert_int_equal((long)posts.nrows, st.posts);
  for (size_t r = 0; r < posts.nrows; r++)
    assert_true(strstr(posts.rows[r][1], "ASP05") == NULL && strstr(posts.rows[r][1], "PSS19") == NULL);
  for (size_t r = 0; r < people.nrows; r++) {
    bool found = false;
    for (size_t k = 0; k < posts.nrows && !found; k++) found = strcmp(posts.rows[k][0], people.rows[r][2]) == 0;
    assert_true(found);
  }
  table_free(&posts);
  table_free(&people);
  rm_dir(dir);
}

/* ---- tests: people ---- */

static bool email_ok(const char *s) {
  const char *at = strchr(s, '@');
  if (!at || at == s || !strstr(at, ".gov.uk")) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '@')) return false;
  return true;
}

static int days_of(const char *d) { /* days since 2000-03-01, for differences */
  int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
  if (m <= 2) y--, m += 12;
  return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + dd;
}

static void test_line_managers_form_a_tree(void **state) {
  fixture *fx = *state;
  const table *t = &fx->people;
  assert_int_equal((long)t->nrows, BIG_PEOPLE);
  long roots = 0, after = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    char **p = t->rows[r];
    assert_true(email_ok(p[P_EMAIL]));
    if (!p[P_MANAGER][0]) {
      roots++;
      continue;
    }
    int64_t m;
    if (!cp_map_get(&fx->person, p[P_MANAGER], &m)) fail_msg("%s: manager %s missing", p[P_EMAIL], p[P_MANAGER]);
    assert_string_equal(t->rows[m][P_SERVICE], p[P_SERVICE]);
    after += (size_t)m > r;
    /* walk up: the chain must reach a root within the number of people */
    size_t steps = 0;
    for (int64_t q = (int64_t)r; t->rows[q][P_MANAGER][0]; steps++) {
      if (steps > t->nrows) fail_msg("line manager cycle through %s", p[P_EMAIL]);
      cp_map_get(&fx->person, t->rows[q][P_MANAGER], &q);
    }
  }
  assert_int_equal(roots, 22); /* one chief officer per service */
  assert_true(after > 0);      /* some managers come after their reports */
}

static void test_people_proportions(void **state) {
  fixture *fx = *state;
  const table *t = &fx->people;
  long n = (long)t->nrows, fresh = 0, welsh = 0, cy = 0, both = 0, retire = 0, mentors = 0, old = 0;
  int today = days_of(TODAY);
  for (long r = 0; r < n; r++) {
    char **p = t->rows[r];
    bool wales = strcmp(service_row(fx, p[P_SERVICE])[1], "Wales") == 0;
    bool is_new = strcmp(p[P_STAGE], "new") == 0;
    assert_true(cp_date_valid(p[P_APPOINTED]));
    int age = today - days_of(p[P_APPOINTED]);
    assert_true(age >= 0);
    assert_int_equal(is_new, age < 365);
    fresh += is_new;
    if (is_new) assert_string_equal(p[P_MENTOR], "0");
    else old++, mentors += strcmp(p[P_MENTOR], "0") != 0;
    int cap = atoi(p[P_MENTOR]);
    assert_true(cap >= 0 && cap <= 3);
    if (!wales) assert_string_equal(p[P_LANG], "en");
    welsh += wales;
    cy += wales && strcmp(p[P_LANG], "cy") == 0;
    both += wales && strcmp(p[P_LANG], "both") == 0;
    if (p[P_RETIRE][0]) {
      int y = atoi(p[P_RETIRE]);
      assert_true(y >= 2027 && y <= 2041);
      retire++;
    }
  }
  assert_in_range(fresh * 1000 / n, 80, 120);
  assert_true(welsh > 200);
  assert_in_range(cy * 100 / welsh, 20, 40);
  assert_in_range(both * 100 / welsh, 12, 28);
  assert_in_range(retire * 100 / n, 20, 40);
  assert_in_range(mentors * 100 / old, 50, 70);
}

/* ---- tests: assessments ---- */

typedef struct tally {
  const fixture *fx;
  long rows, grade[5], evidence, line;
  cp_map self;     /* "email\x1fcode" -> self grade (0 = NA) */
  cp_map mgr;      /* "email\x1fcode" -> manager grade */
  cp_map selfn;    /* email -> self rows */
  cp_map kinds;    /* email -> bit 1 manager, 2 peer */
  cp_map sum;      /* email -> sum of graded (not NA) self grades */
  cp_map cnt;      /* email -> number of them */
  cp_map ssum;     /* statement -> sum of graded self grades */
  cp_map scnt;     /* statement -> number of them */
} tally;

static int grade_value(const char *g) {
  if (strcmp(g, "NA") == 0) return 0;
  if (strlen(g) == 1 && g[0] >= '1' && g[0] <= '4') return g[0] - '0';
  fail_msg("grade %s", g);
  return -1;
}

static void check_evidence(const char *ev) {
  if (!*ev) return;
  char *copy = cp_strdup(ev);
  for (char *item = copy; item;) {
    char *next = strstr(item, "; ");
    if (next) *next = 0;
    size_t n = strlen(item);
    char *lt = strstr(item, " <");
    if (!lt || n < 4 || item[n - 1] != '>' || lt == item) fail_msg("evidence item \"%s\"", item);
    item = next ? next + 2 : NULL;
  }
  free(copy);
}

static void bump(cp_map *m, const char *key, int64_t by, bool or_bits) {
  int64_t v = 0;
  cp_map_get(m, key, &v);
  cp_map_put(m, key, or_bits ? (v | by) : v + by);
}

static void check_assessor(const tally *ty, char **p, const char *by, const char *assessor) {
  if (strcmp(by, "self") == 0) {
    assert_string_equal(assessor, "");
  } else if (strcmp(by, "manager") == 0) {
    assert_string_equal(assessor, p[P_MANAGER]);
  } else if (strcmp(by, "peer") == 0) {
    char **a = person_row(ty->fx, assessor);
    assert_string_not_equal(assessor, p[P_EMAIL]);
    assert_string_equal(a[P_TEAM], p[P_TEAM]);
    assert_string_equal(a[P_SERVICE], p[P_SERVICE]);
  } else {
    fail_msg("by %s", by);
  }
}

static int assessment_row(void *ctx, const cp_csv_row *row, cp_error *err) {
  tally *ty = ctx;
  (void)err;
  if (ty->line++ == 0) return 0; /* header, checked elsewhere */
  assert_int_equal(row->nfields, 9);
  char **f = row->fields;
  char **p = person_row(ty->fx, f[0]);
  if (!in_profile(ty->fx, p, f[1])) fail_msg("%s graded on %s, not in the profile of %s", f[0], f[1], p[P_POST]);
  assert_string_equal(f[2], "2026-27");
  check_assessor(ty, p, f[3], f[5]);
  int g = grade_value(f[4]);
  ty->grade[g]++;
  ty->rows++;
  check_evidence(f[6]);
  ty->evidence += f[6][0] != 0;
  assert_true(cp_date_valid(f[7]));
  assert_true(days_of(f[7]) >= days_of("2026-09-01") && days_of(f[7]) <= days_of(TODAY));
  assert_true(days_of(f[7]) >= days_of(p[P_APPOINTED]));
  char key[512];
  snprintf(key, sizeof key, "%s\x1f%s", f[0], f[1]);
  if (strcmp(f[3], "self") == 0) {
    int64_t dup;
    assert_false(cp_map_get(&ty->self, key, &dup));
    cp_map_put(&ty->self, key, g);
    bump(&ty->selfn, f[0], 1, false);
    if (g) bump(&ty->sum, f[0], g, false), bump(&ty->cnt, f[0], 1, false);
    if (g) bump(&ty->ssum, f[1], g, false), bump(&ty->scnt, f[1], 1, false);
  } else if (strcmp(f[3], "manager") == 0) {
    cp_map_put(&ty->mgr, key, g);
    bump(&ty->kinds, f[0], 1, true);
  } else {
    bump(&ty->kinds, f[0], 2, true);
  }
  return 0;
}

/* Every non-new person self-grades the whole profile; new people part or none. */
static void check_coverage(const fixture *fx, tally *ty) {
  long eligible = 0, managed = 0, peered = 0, fresh = 0, fresh_graded = 0, part = 0, whole = 0;
  for (size_t r = 0; r < fx->people.nrows; r++) {
    char **p = fx->people.rows[r];
    int64_t n = 0, kinds = 0;
    cp_map_get(&ty->selfn, p[P_EMAIL], &n);
    cp_map_get(&ty->kinds, p[P_EMAIL], &kinds);
    long size = profile_size(fx, p);
    if (strcmp(p[P_STAGE], "new") == 0) {
      fresh++;
      fresh_graded += n > 0;
      assert_true(n <= size);
      if (n) part += (long)n, whole += size;
      assert_int_equal(kinds, 0);
      continue;
    }
    assert_int_equal(n, size);
    peered += (kinds & 2) != 0;
    if (p[P_MANAGER][0]) eligible++, managed += (kinds & 1) != 0;
  }
  assert_in_range(managed * 100 / eligible, 75, 95);
  assert_in_range(peered * 100 / (long)fx->people.nrows, 8, 22);
  assert_in_range(fresh_graded * 100 / fresh, 30, 70);
  assert_in_range(part * 100 / whole, 20, 80); /* only part of the profile */
}

/* Manager grades follow the self grade: usually equal, else one off. */
static void check_agreement(tally *ty) {
  long same = 0, graded = 0;
  for (size_t i = 0; i < ty->mgr.cap; i++) {
    cp_map_entry *e = &ty->mgr.slots[i];
    int64_t s;
    if (!e->key || !cp_map_get(&ty->self, e->key, &s) || !s || !e->value) continue;
    long d = (long)(e->value - s);
    assert_in_range(d + 1, 0, 2);
    same += d == 0;
    graded++;
  }
  assert_true(graded > 1000);
  assert_in_range(same * 100 / graded, 60, 85);
}

/* Variance of mean self grades over the keys of cnt with at least min
 * grades (people, or statements). */
static double mean_variance(const cp_map *sum, const cp_map *cnt, int64_t min, long *k) {
  double m = 0, m2 = 0;
  *k = 0;
  for (size_t i = 0; i < cnt->cap; i++) {
    const cp_map_entry *e = &cnt->slots[i];
    int64_t s;
    if (!e->key || e->value < min || !cp_map_get(sum, e->key, &s)) continue;
    double mean = (double)s / (double)e->value;
    m += mean;
    m2 += mean * mean;
    (*k)++;
  }
  return *k ? m2 / (double)*k - (m / (double)*k) * (m / (double)*k) : 0;
}

/* Grades have structure: a person's lean one way (person-level tendency,
 * strengths and needs) and some statements are harder than others. Without
 * either, the spread of the means would be noise only (~0.002 and ~0.001). */
static void check_tendencies(tally *ty) {
  long k;
  double people = mean_variance(&ty->sum, &ty->cnt, 60, &k);
  assert_true(k > 100);
  assert_true(people > 0.05);
  double statements = mean_variance(&ty->ssum, &ty->scnt, 100, &k);
  assert_true(k > 100);
  assert_true(statements > 0.008);
}

static void test_assessments(void **state) {
  fixture *fx = *state;
  tally ty;
  memset(&ty, 0, sizeof ty);
  ty.fx = fx;
  cp_map_init(&ty.self, false);
  cp_map_init(&ty.mgr, false);
  cp_map_init(&ty.selfn, false);
  cp_map_init(&ty.kinds, false);
  cp_map_init(&ty.sum, false);
  cp_map_init(&ty.cnt, false);
  cp_map_init(&ty.ssum, false);
  cp_map_init(&ty.scnt, false);
  char *path = path_in(fx->dir, "assessments.csv");
  cp_error e;
  char buf[2048];
  if (cp_csv_read(path, assessment_row, &ty, &e)) fail_msg("%s", cp_error_format(&e, buf, sizeof buf));
  free(path);
  assert_int_equal(ty.rows, fx->st.assessments);
  long n = ty.rows;
  assert_in_range(ty.grade[0] * 1000 / n, 15, 50);   /* NA ~3% */
  assert_in_range(ty.grade[1] * 100 / n, 8, 30);     /* fewer 1 */
  assert_in_range(ty.grade[2] * 100 / n, 40, 65);    /* most 2 */
  assert_in_range(ty.grade[3] * 100 / n, 10, 35);    /* fewer 3 */
  assert_in_range(ty.grade[4] * 1000 / n, 5, 80);    /* few 4 */
  assert_in_range(ty.evidence * 100 / n, 50, 70);
  check_coverage(fx, &ty);
  check_agreement(&ty);
  check_tendencies(&ty);
  cp_map_free(&ty.sum);
  cp_map_free(&ty.cnt);
  cp_map_free(&ty.ssum);
  cp_map_free(&ty.scnt);
  cp_map_free(&ty.self);
  cp_map_free(&ty.mgr);
  cp_map_free(&ty.selfn);
  cp_map_free(&ty.kinds);
}

/* ---- tests: sessions ---- */

static void test_sessions(void **state) {
  fixture *fx = *state;
  cp_activity *acts;
  size_t nacts;
  cp_error e;
  const cp_embedded_file *cat = &cp_embedded_catalogues[0];
  assert_int_equal(cp_activity_parse(cat->name, cat->data, cat->size, &acts, &nacts, &e), 0);
  cp_map act, ids;
  cp_map_init(&act, false);
  cp_map_init(&ids, false);
  for (size_t a = 0; a < nacts; a++) cp_map_put(&act, acts[a].code, (int64_t)a);
  long *per = calloc(nacts, sizeof *per);
  table t;
  table_read(fx->dir, "sessions.csv", &t);
  assert_int_equal((long)t.nrows, fx->st.sessions);
  /* about one to two per 100 people */
  assert_true(t.nrows >= BIG_PEOPLE / 100 && t.nrows <= BIG_PEOPLE / 50);
  long welsh = 0, led = 0, places = 0;
  const char *prev = "";
  for (size_t r = 0; r < t.nrows; r++) {
    char **s = t.rows[r];
    int64_t a;
    if (!cp_map_get(&act, s[0], &a)) fail_msg("session of unknown activity %s", s[0]);
    per[a]++;
    assert_true(cp_datetime_valid(s[1]) && cp_datetime_valid(s[2]));
    assert_true(strcmp(prev, s[1]) <= 0); /* by start */
    prev = s[1];
    assert_true(cp_datetime_minutes(s[2], true) >= cp_datetime_minutes(s[1], false));
    assert_true(strncmp(s[1], "2026-09-01", 10) >= 0 && strncmp(s[1], "2027-08-31", 10) <= 0);
    assert_true(cp_uuid_valid(s[3]) && s[3][14] == '4' && strchr("89ab", s[3][19]));
    assert_false(cp_map_get(&ids, s[3], NULL));
    cp_map_put(&ids, s[3], 1);
    assert_true(s[4][0] != 0);
    int cap = atoi(s[5]);
    assert_true(cap >= 12 && cap <= 30);
    if (strcmp(s[0], "VSC-IND-RES") == 0) places += cap;
    if (s[6][0]) {
      person_row(fx, s[6]); /* a person of the sample */
      led++;
    }
    assert_true(strcmp(s[7], "en") == 0 || strcmp(s[7], "cy") == 0);
    if (strcmp(s[7], "cy") == 0) {
      welsh++;
      assert_string_not_equal(acts[a].language, "en");
    }
  }
  for (size_t a = 0; a < nacts; a++) assert_true(per[a] >= 1); /* every activity */
  assert_true(welsh > 0);
  assert_true(led > 0 && led < (long)t.nrows);
  long fresh = 0;
  for (size_t r = 0; r < fx->people.nrows; r++) fresh += strcmp(fx->people.rows[r][P_STAGE], "new") == 0;
  assert_true(places * 4 >= fresh * 3); /* induction for most of the newly appointed */
  table_free(&t);
  free(per);
  cp_map_free(&act);
  cp_map_free(&ids);
  cp_activity_list_free(acts, nacts);
}

/* ---- tests: options and errors ---- */

static void expect_error(cp_sample_options *o, const char *dir, int code) {
  cp_error e;
  assert_int_equal(cp_sample_write(o, dir, NULL, &e), code);
  assert_true(e.msg[0] != 0);
}

static void test_bad_options(void **state) {
  (void)state;
  char *dir = tmpdir();
  cp_sample_options o = CP_SAMPLE_OPTIONS_INIT;
  o.people = 0;
  expect_error(&o, dir, CP_EINVAL);
  o.people = 10;
  o.services = 23;
  expect_error(&o, dir, CP_EINVAL);
  o.services = 22;
  o.today = "2026-02-30";
  expect_error(&o, dir, CP_EINVAL);
  o.today = TODAY;
  o.cycle = "next year";
  expect_error(&o, dir, CP_EINVAL);
  o.cycle = "2026 27";
  expect_error(&o, dir, CP_EINVAL);
  o.cycle = "20262";
  expect_error(&o, dir, CP_EINVAL);
  o.cycle = "2026-27";
  o.version = 99;
  expect_error(&o, dir, CP_EINVAL);
  o.version = CP_SAMPLE_OPTIONS_VERSION;
  expect_error(&o, NULL, CP_EINVAL);
  /* a directory that cannot be made: under a regular file */
  char *file = path_in(dir, "services.csv");
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  char *under = path_in(file, "out");
  expect_error(&o, under, CP_EIO);
  free(under);
  free(file);
  rm_dir(dir);
}

static void test_cycle_from_today(void **state) {
  (void)state;
  char *dir = tmpdir();
  cp_sample_options o = CP_SAMPLE_OPTIONS_INIT;
  o.people = 30;
  o.cycle = NULL;
  o.today = "2027-03-15";
  cp_error e;
  assert_int_equal(cp_sample_write(&o, dir, NULL, &e), 0);
  table t;
  table_read(dir, "assessments.csv", &t);
  assert_true(t.nrows > 0);
  for (size_t r = 0; r < t.nrows; r++) {
    assert_string_equal(t.rows[r][2], "2026-27");
    assert_true(days_of(t.rows[r][7]) <= days_of("2027-03-15"));
  }
  table_free(&t);
  rm_dir(dir);
}

static int count_rows(void *ctx, const cp_csv_row *row, cp_error *err) {
  (void)row;
  (void)err;
  ++*(long *)ctx;
  return 0;
}

/* Rewriting a directory replaces the files whole. */
static void test_overwrite(void **state) {
  (void)state;
  char *dir = tmpdir();
  run_sample(dir, 500, 1, 22, NULL);
  cp_sample_stats st;
  run_sample(dir, 20, 1, 22, &st);
  long rows = 0;
  char *p = path_in(dir, "people.csv");
  cp_error e;
  assert_int_equal(cp_csv_read(p, count_rows, &rows, &e), 0);
  assert_int_equal(rows, 21);
  free(p);
  rm_dir(dir);
}

int main(void) {
  const struct CMUnitTest alone[] = {
      cmocka_unit_test(test_defaults_and_headers),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_few_services),
      cmocka_unit_test(test_bad_options),
      cmocka_unit_test(test_cycle_from_today),
      cmocka_unit_test(test_overwrite),
  };
  const struct CMUnitTest big[] = {
      cmocka_unit_test(test_line_managers_form_a_tree),
      cmocka_unit_test(test_people_proportions),
      cmocka_unit_test(test_assessments),
      cmocka_unit_test(test_sessions),
  };
  int failed = cmocka_run_group_tests_name("sample", alone, NULL, NULL);
  failed += cmocka_run_group_tests_name("sample_big", big, fixture_setup, fixture_teardown);
  return failed;
}
