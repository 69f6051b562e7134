/* catalogue.c: CPD activities, with the statements they develop and their
 * prerequisites (sessions are in catalogue_session.c). An import parses the
 * whole file into plain records first (per-row checks, FILE:LINE:COL), then in
 * one transaction resolves statement codes against the frameworks, checks
 * prerequisites (in the file or held; no cycles, through held activities too)
 * and writes; on any error nothing is written. The code is the key; an import
 * updates only the columns its file has, as the people import does. */
#include "cpdplan/catalogue.h"

#include "catalogue_internal.h"
#include "cpdplan/framework.h"
#include "embedded.h"

/* ---------- helpers ---------- */

/* a[0..] equals the len bytes at b, without regard to ASCII case. */
static bool same_code(const char *a, const char *b, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!a[i] || tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return false;
  return a[len] == '\0';
}

static void free_list(char **v, size_t n) {
  for (size_t i = 0; v && i < n; i++) free(v[i]);
  free(v);
}

/* Split a list cell (codes separated by spaces, commas or semicolons) into
 * *out, dropping repeats (compared without regard to case). */
static int split_codes(const char *s, char ***out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  while (s && *s) {
    while (*s && (isspace((unsigned char)*s) || *s == ',' || *s == ';')) s++;
    if (!*s) break;
    const char *b = s;
    while (*s && !isspace((unsigned char)*s) && *s != ',' && *s != ';') s++;
    size_t len = (size_t)(s - b);
    bool seen = false;
    for (size_t i = 0; i < *n && !seen; i++) seen = same_code((*out)[i], b, len);
    if (seen) continue;
    if (cp_grow(out, *n, &cap, sizeof **out, 8)) goto nomem;
    if (!((*out)[*n] = cp_strndup(b, len))) goto nomem;
    (*n)++;
  }
  return 0;
nomem:
  free_list(*out, *n);
  *out = NULL;
  *n = 0;
  return oom(err);
}

/* A number of 0 or more written plainly: digits with an optional fraction. */
static bool parse_amount(const char *s, double *out) {
  const char *p = s;
  size_t before = 0, after = 0;
  while (isdigit((unsigned char)*p)) p++, before++;
  if (*p == '.')
    for (p++; isdigit((unsigned char)*p); p++) after++;
  if (*p || (!before && !after) || before > 12) return false;
  *out = strtod(s, NULL);
  return true;
}

/* Format a number as the CSV files write it: 1, 0.5, 1200. */
static void amount_str(double v, char out[32]) { snprintf(out, 32, "%.15g", v); }

/* ---------- activities: records ---------- */

void cp_activity_clear(cp_activity *a) {
  if (!a) return;
  free(a->code);
  free(a->title);
  free(a->kind);
  free(a->strand);
  free_list(a->statements, a->nstatements);
  free_list(a->prerequisites, a->nprerequisites);
  free(a->language);
  free(a->provider);
  free(a->stages);
  free(a->eligibility);
  free(a->awarding_body);
  memset(a, 0, sizeof *a);
}

void cp_activity_list_free(cp_activity *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) cp_activity_clear(&list[i]);
  free(list);
}

void cp_activity_items_free(cp_activity_item *list, size_t n) {
  if (!list) return;
  for (size_t i = 0; i < n; i++) {
    free(list[i].framework);
    free(list[i].code);
    free(list[i].text);
  }
  free(list);
}

/* Columns of the activities CSV; bit i of a mask is column i. */
enum { A_CODE, A_TITLE, A_KIND, A_STRAND, A_STATEMENTS, A_PREREQS, A_DAYS, A_COST, A_LANGUAGE, A_PROVIDER,
       A_STAGES, A_ELIGIBILITY, A_AWARDING, A_CREDITS, A_NCOLS };

static const cp_csv_column activity_cols[A_NCOLS] = {
    {"code", true},      {"title", true},          {"kind", false},       {"strand", false},
    {"statements", false}, {"prerequisites", false}, {"days", false},     {"cost", false},
    {"language", false}, {"provider", false},      {"stages", false},     {"eligibility", false},
    {"awarding_body", false}, {"credits", false},
};

#define A_ALL ((1u << A_NCOLS) - 1)

static const char *const strands[] = {"induction", "management development", "leadership development",
                                      "cross-cutting"};

static const char *strand_norm(const char *s) {
  for (size_t i = 0; i < sizeof strands / sizeof *strands; i++)
    if (cp_strcasecmp(s, strands[i]) == 0) return strands[i];
  return NULL;
}

static bool code_valid(const char *c) {
  for (; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.') return false;
  return true;
}

/* Career stages in their canonical order, each once; CP_EINVAL with the
 * first word that names no stage in bad. */
static int stages_norm(char **stages, char *bad, size_t badcap, cp_error *err) {
  static const char *const order[] = {"new", "established", "experienced", "senior", "chief"};
  bool has[5] = {false, false, false, false, false};
  char **words;
  size_t n;
  if (split_codes(*stages, &words, &n, err)) return CP_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    const char *s = cp_people_stage_norm(words[i]);
    size_t k = 0;
    while (s && strcmp(order[k], s) != 0) k++;
    if (s) {
      has[k] = true;
    } else {
      snprintf(bad, badcap, "%s", words[i]);
      rc = CP_EINVAL;
    }
  }
  free_list(words, n);
  if (rc) return rc;
  cp_buf b;
  cp_buf_init(&b);
  for (size_t k = 0; k < 5; k++)
    if (has[k]) {
      if (b.len) cp_buf_putc(&b, ' ');
      cp_buf_puts(&b, order[k]);
    }
  char *v = b.oom ? NULL : cp_buf_steal(&b);
  cp_buf_free(&b);
  if (!v) return oom(err);
  free(*stages);
  *stages = v;
  return 0;
}

/* Per-record checks and normalisation of a trimmed record. */
static int activity_validate(cp_activity *a, const origin *o, cp_error *err) {
  if (cp_is_blank(a->code)) return rec_fail(o, A_CODE, CP_EINVAL, err, "code is empty");
  if (!code_valid(a->code))
    return rec_fail(o, A_CODE, CP_EINVAL, err, "code \"%s\" may hold only letters, digits, '-', '_' and '.'",
                    a->code);
  if (cp_is_blank(a->title)) return rec_fail(o, A_TITLE, CP_EINVAL, err, "title is empty for %s", a->code);
  if (a->strand && *a->strand) {
    const char *s = strand_norm(a->strand);
    if (!s)
      return rec_fail(o, A_STRAND, CP_EINVAL, err,
                      "strand \"%s\" is not one of induction, management development, leadership development, "
                      "cross-cutting",
                      a->strand);
    if (set_str(&a->strand, s, err)) return CP_ENOMEM;
  }
  if (a->language && *a->language) {
    const char *l = cp_people_language_norm(a->language);
    if (!l) return rec_fail(o, A_LANGUAGE, CP_EINVAL, err, "language \"%s\" is not one of en, cy, both", a->language);
    if (set_str(&a->language, l, err)) return CP_ENOMEM;
  }
  if (a->stages && *a->stages) {
    char bad[200];
    int rc = stages_norm(&a->stages, bad, sizeof bad, err);
    if (rc == CP_EINVAL)
      return rec_fail(o, A_STAGES, CP_EINVAL, err,
                      "stage \"%s\" is not one of new, established, experienced, senior, chief", bad);
    if (rc) return rc;
  }
  for (size_t i = 0; i < a->nprerequisites; i++)
    if (cp_strcasecmp(a->prerequisites[i], a->code) == 0)
      return rec_fail(o, A_PREREQS, CP_EINVAL, err, "%s cannot be its own prerequisite", a->code);
  return 0;
}

/* ---------- activities: parsing a file into a batch ---------- */

typedef struct act_rec {
  cp_activity a;
  origin o;
  int64_t id;     /* held id (0 when new), then the id written */
  int64_t *items; /* resolved statements, repeats dropped */
  size_t nitems;
} act_rec;

typedef struct act_batch {
  act_rec *r;
  size_t n, cap;
  unsigned given;  /* columns the file has */
  cp_map by_code;  /* code -> index in r */
  int col[A_NCOLS];
  bool header_done;
  char *unknown;
  long rows;
} act_batch;

static void act_batch_init(act_batch *b) {
  memset(b, 0, sizeof *b);
  b->given = A_ALL;
  cp_map_init(&b->by_code, true);
}

static void act_batch_free(act_batch *b) {
  for (size_t i = 0; i < b->n; i++) {
    cp_activity_clear(&b->r[i].a);
    free(b->r[i].items);
  }
  free(b->r);
  free(b->unknown);
  cp_map_free(&b->by_code);
}

static int act_batch_push(act_batch *b, cp_error *err) {
  if (cp_grow(&b->r, b->n, &b->cap, sizeof *b->r, 32)) return oom(err);
  memset(&b->r[b->n++], 0, sizeof b->r[0]);
  return 0;
}

/* The number in column which (kept 0 when empty). */
static int row_amount(const cp_csv_row *row, const origin *o, int which, double *out, cp_error *err) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%s", cp_csv_get(row, o->col[which]));
  cp_trim(tmp);
  if (tmp[0] && !parse_amount(tmp, out))
    return rec_fail(o, which, CP_EINVAL, err, "%s \"%s\" is not a number of 0 or more", activity_cols[which].name,
                    tmp);
  return 0;
}

static int act_row(void *ctx, const cp_csv_row *row, cp_error *err) {
  act_batch *b = ctx;
  if (!b->header_done) {
    b->header_done = true;
    int rc = cp_csv_map_header(row, activity_cols, A_NCOLS, b->col, &b->unknown, err);
    b->given = 0;
    for (int i = 0; i < A_NCOLS; i++)
      if (b->col[i] >= 0) b->given |= 1u << i;
    return rc;
  }
  if (row_blank(row)) return 0;
  b->rows++;
  int rc = act_batch_push(b, err);
  if (rc) return rc;
  act_rec *r = &b->r[b->n - 1];
  cp_activity *a = &r->a;
  r->o = (origin){row->file, row->line, b->col};
  char **text[] = {&a->code, &a->title, &a->kind, &a->strand, &a->language, &a->provider, &a->stages,
                   &a->eligibility, &a->awarding_body};
  const int cols[] = {A_CODE, A_TITLE, A_KIND, A_STRAND, A_LANGUAGE, A_PROVIDER, A_STAGES, A_ELIGIBILITY, A_AWARDING};
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
    if (!(*text[i] = cell(row, b->col[cols[i]]))) return oom(err);
  if ((rc = split_codes(cp_csv_get(row, b->col[A_STATEMENTS]), &a->statements, &a->nstatements, err)) ||
      (rc = split_codes(cp_csv_get(row, b->col[A_PREREQS]), &a->prerequisites, &a->nprerequisites, err)))
    return rc;
  if ((rc = activity_validate(a, &r->o, err))) return rc;
  if ((rc = row_amount(row, &r->o, A_DAYS, &a->days, err)) || (rc = row_amount(row, &r->o, A_COST, &a->cost, err)) ||
      (rc = row_amount(row, &r->o, A_CREDITS, &a->credits, err)))
    return rc;
  int64_t prev;
  if (cp_map_get(&b->by_code, a->code, &prev))
    return rec_fail(&r->o, A_CODE, CP_EEXISTS, err, "duplicate code %s (also on line %ld)", a->code,
                    b->r[prev].o.line);
  if (cp_map_put(&b->by_code, a->code, (int64_t)(b->n - 1))) return oom(err);
  return 0;
}

/* Read a file (data NULL) or a buffer into b. */
static int act_parse(act_batch *b, const char *name, const char *data, size_t size, cp_error *err) {
  int rc = data ? cp_csv_read_string(name, data, size, act_row, b, err) : cp_csv_read(name, act_row, b, err);
  if (!rc && !b->header_done) rc = cp_error_set_at(err, CP_EPARSE, name, 1, 0, "empty file: no header row");
  return rc;
}

int cp_activity_parse(const char *name, const char *data, size_t size, cp_activity **out, size_t *n,
                      cp_error *err) {
  *out = NULL;
  *n = 0;
  act_batch b;
  act_batch_init(&b);
  int rc = act_parse(&b, name, data ? data : "", data ? size : 0, err);
  if (!rc && b.n) {
    *out = calloc(b.n, sizeof **out);
    if (!*out) rc = oom(err);
  }
  if (!rc) {
    for (size_t i = 0; i < b.n; i++) {
      (*out)[i] = b.r[i].a;
      memset(&b.r[i].a, 0, sizeof b.r[i].a);
    }
    *n = b.n;
  }
  act_batch_free(&b);
  return rc;
}

/* ---------- activities: checking a batch against the store ---------- */

/* The activities held: code -> index, ids, codes, and the prerequisite
 * edges between them (as indexes). */
typedef struct held_acts {
  cp_map by_code; /* code -> index */
  cp_map by_id;   /* id (decimal) -> index */
  int64_t *ids;
  char **codes;
  size_t n, cap;
  size_t *edge_from, *edge_to; /* prerequisite edges, by source then seq */
  size_t nedges, capedges;
} held_acts;

static void held_init(held_acts *h) {
  memset(h, 0, sizeof *h);
  cp_map_init(&h->by_code, true);
  cp_map_init(&h->by_id, false);
}

static void held_free(held_acts *h) {
  cp_map_free(&h->by_code);
  cp_map_free(&h->by_id);
  free(h->ids);
  free_list(h->codes, h->n);
  free(h->edge_from);
  free(h->edge_to);
}

static void id_key(char key[24], int64_t id) { snprintf(key, 24, "%lld", (long long)id); }

static int held_add(held_acts *h, int64_t id, const char *code) {
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 64;
    int64_t *ids = realloc(h->ids, cap * sizeof *ids);
    if (!ids) return CP_ENOMEM;
    h->ids = ids;
    char **codes = realloc(h->codes, cap * sizeof *codes);
    if (!codes) return CP_ENOMEM;
    h->codes = codes;
    h->cap = cap;
  }
  char key[24];
  id_key(key, id);
  char *c = cp_strdup(code);
  if (!c || cp_map_put(&h->by_code, code, (int64_t)h->n) || cp_map_put(&h->by_id, key, (int64_t)h->n)) {
    free(c);
    return CP_ENOMEM;
  }
  h->ids[h->n] = id;
  h->codes[h->n++] = c;
  return 0;
}

static int held_edge(held_acts *h, int64_t from, int64_t to) {
  char kf[24], kt[24];
  int64_t a, b;
  id_key(kf, from);
  id_key(kt, to);
  if (!cp_map_get(&h->by_id, kf, &a) || !cp_map_get(&h->by_id, kt, &b)) return 0;
  if (h->nedges == h->capedges) {
    size_t cap = h->capedges ? h->capedges * 2 : 64;
    size_t *f = realloc(h->edge_from, cap * sizeof *f);
    if (!f) return CP_ENOMEM;
    h->edge_from = f;
    size_t *t = realloc(h->edge_to, cap * sizeof *t);
    if (!t) return CP_ENOMEM;
    h->edge_to = t;
    h->capedges = cap;
  }
  h->edge_from[h->nedges] = (size_t)a;
  h->edge_to[h->nedges++] = (size_t)b;
  return 0;
}

static int held_load(cp_store *st, held_acts *h, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id, code FROM activity ORDER BY id", &s, err);
  if (rc) return rc;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW && !rc)
    if (held_add(h, sqlite3_column_int64(s, 0), cp_col_text(s, 1))) rc = oom(err);
  sqlite3_reset(s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading activities");
  if (rc) return rc;
  if ((rc = cp_store_prepare(st, "SELECT activity_id, prereq_id FROM activity_prereq ORDER BY activity_id, seq", &s,
                             err)))
    return rc;
  while ((r = sqlite3_step(s)) == SQLITE_ROW && !rc)
    if (held_edge(h, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1))) rc = oom(err);
  sqlite3_reset(s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading prerequisites");
  return rc;
}

/* Resolve statement code to a gradeable item (cache: code -> item id). */
static int resolve_statement(cp_store *st, cp_map *cache, const char *code, const origin *o, int64_t *item,
                             cp_error *err) {
  if (cp_map_get(cache, code, item)) return 0;
  cp_error tmp;
  cp_error_clear(&tmp);
  int rc = cp_framework_find_item(st, code, item, &tmp);
  if (rc == CP_EAMBIGUOUS)
    return rec_fail(o, A_STATEMENTS, rc, err, "statement code %s is in more than one framework: write FRAMEWORK:%s",
                    code, code);
  if (rc == CP_ENOTFOUND) return rec_fail(o, A_STATEMENTS, rc, err, "unknown statement %s", code);
  if (rc) {
    if (err) *err = tmp;
    return rec_locate(o, A_STATEMENTS, rc, err);
  }
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st, "SELECT gradeable FROM item WHERE id=?1", &s, err))) return rc;
  sqlite3_bind_int64(s, 1, *item);
  int r = sqlite3_step(s);
  int gradeable = r == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
  sqlite3_reset(s);
  if (r != SQLITE_ROW) return rec_locate(o, A_STATEMENTS, cp_store_db_error(st, err, "reading statement"), err);
  if (!gradeable)
    return rec_fail(o, A_STATEMENTS, CP_EINVAL, err, "%s is not a statement that can be graded (it groups statements)",
                    code);
  return cp_map_put(cache, code, *item) ? oom(err) : 0;
}

/* Statements of every record that has the column, repeats dropped. */
static int resolve_items(cp_store *st, act_batch *b, size_t i, cp_map *cache, cp_error *err) {
  act_rec *r = &b->r[i];
  if (!r->a.nstatements) return 0;
  r->items = malloc(r->a.nstatements * sizeof *r->items);
  if (!r->items) return oom(err);
  for (size_t k = 0; k < r->a.nstatements; k++) {
    int64_t item;
    int rc = resolve_statement(st, cache, r->a.statements[k], &r->o, &item, err);
    if (rc) return rc;
    bool seen = false;
    for (size_t j = 0; j < r->nitems && !seen; j++) seen = r->items[j] == item;
    if (!seen) r->items[r->nitems++] = item;
  }
  return 0;
}

/* The prerequisite graph over the file's activities (nodes 0..n-1) and the
 * held ones the file does not name (nodes n..): CSR adjacency. */
typedef struct graph {
  size_t n;
  size_t *off, *to;
  const char **name;
  size_t *node_of_held; /* held index -> node */
} graph;

static void graph_free(graph *g) {
  free(g->off);
  free(g->to);
  free(g->name);
  free(g->node_of_held);
}

/* Does node v (a file record) take its edges from the file? */
static bool from_file(const act_batch *b, size_t v) { return v < b->n && (b->given & (1u << A_PREREQS)); }

static size_t prereq_node(const act_batch *b, const held_acts *h, const graph *g, const char *code) {
  int64_t k;
  if (cp_map_get(&b->by_code, code, &k)) return (size_t)k;
  cp_map_get(&h->by_code, code, &k); /* checked before: it is held */
  return g->node_of_held[k];
}

static int graph_build(const act_batch *b, const held_acts *h, graph *g) {
  memset(g, 0, sizeof *g);
  g->node_of_held = malloc((h->n ? h->n : 1) * sizeof *g->node_of_held);
  if (!g->node_of_held) return CP_ENOMEM;
  g->n = b->n;
  for (size_t k = 0; k < h->n; k++) {
    int64_t i;
    g->node_of_held[k] = cp_map_get(&b->by_code, h->codes[k], &i) ? (size_t)i : g->n++;
  }
  g->name = malloc((g->n ? g->n : 1) * sizeof *g->name);
  size_t *held_node = malloc((g->n ? g->n : 1) * sizeof *held_node); /* node -> held index or SIZE_MAX */
  g->off = calloc(g->n + 1, sizeof *g->off);
  if (!g->name || !held_node || !g->off) {
    free(held_node);
    return CP_ENOMEM;
  }
  for (size_t v = 0; v < g->n; v++) held_node[v] = SIZE_MAX;
  for (size_t k = 0; k < h->n; k++) held_node[g->node_of_held[k]] = k;
  for (size_t v = 0; v < g->n; v++) g->name[v] = v < b->n ? b->r[v].a.code : h->codes[held_node[v]];
  /* count, then fill */
  for (size_t v = 0; v < b->n; v++)
    if (from_file(b, v)) g->off[v + 1] += b->r[v].a.nprerequisites;
  for (size_t e = 0; e < h->nedges; e++) {
    size_t v = g->node_of_held[h->edge_from[e]];
    if (!from_file(b, v)) g->off[v + 1]++;
  }
  for (size_t v = 0; v < g->n; v++) g->off[v + 1] += g->off[v];
  g->to = malloc((g->off[g->n] ? g->off[g->n] : 1) * sizeof *g->to);
  size_t *fill = calloc(g->n ? g->n : 1, sizeof *fill);
  if (!g->to || !fill) {
    free(fill);
    free(held_node);
    return CP_ENOMEM;
  }
  for (size_t v = 0; v < b->n; v++)
    if (from_file(b, v))
      for (size_t k = 0; k < b->r[v].a.nprerequisites; k++)
        g->to[g->off[v] + fill[v]++] = prereq_node(b, h, g, b->r[v].a.prerequisites[k]);
  for (size_t e = 0; e < h->nedges; e++) {
    size_t v = g->node_of_held[h->edge_from[e]];
    if (!from_file(b, v)) g->to[g->off[v] + fill[v]++] = g->node_of_held[h->edge_to[e]];
  }
  free(fill);
  free(held_node);
  return 0;
}

/* Report the cycle path[from..len) closed back to path[from]. It is told
 * from the file record of it that comes first in the file. */
static int cycle_error(const act_batch *b, const graph *g, const size_t *path, size_t from, size_t len,
                       cp_error *err) {
  size_t first = from;
  for (size_t j = from; j < len; j++)
    if (path[j] < b->n && (path[first] >= b->n || path[j] < path[first])) first = j;
  cp_buf m;
  cp_buf_init(&m);
  cp_buf_puts(&m, "prerequisites form a cycle: ");
  for (size_t k = 0; k <= len - from; k++) {
    size_t j = from + (first - from + k) % (len - from);
    if (k) cp_buf_puts(&m, " -> ");
    cp_buf_puts(&m, g->name[path[j]]);
  }
  const origin *o = path[first] < b->n ? &b->r[path[first]].o : NULL;
  int rc = m.oom ? oom(err) : rec_fail(o, A_PREREQS, CP_ECYCLE, err, "%s", m.data ? m.data : "");
  cp_buf_free(&m);
  return rc;
}

/* Depth-first search from each file record in file order. */
static int check_cycles(const act_batch *b, const held_acts *h, cp_error *err) {
  graph g;
  int rc = graph_build(b, h, &g) ? oom(err) : 0;
  unsigned char *state = rc ? NULL : calloc(g.n ? g.n : 1, 1);
  size_t *path = rc ? NULL : malloc((g.n ? g.n : 1) * sizeof *path);
  size_t *next = rc ? NULL : malloc((g.n ? g.n : 1) * sizeof *next);
  if (!rc && (!state || !path || !next)) rc = oom(err);
  for (size_t s = 0; s < b->n && !rc; s++) {
    if (state[s]) continue;
    size_t len = 0;
    path[len] = s;
    next[len++] = g.off[s];
    state[s] = 1;
    while (len && !rc) {
      size_t v = path[len - 1];
      if (next[len - 1] == g.off[v + 1]) {
        state[v] = 2;
        len--;
        continue;
      }
      size_t w = g.to[next[len - 1]++];
      if (state[w] == 1) {
        size_t from = len;
        while (path[from - 1] != w) from--;
        rc = cycle_error(b, &g, path, from - 1, len, err);
      } else if (!state[w]) {
        state[w] = 1;
        path[len] = w;
        next[len++] = g.off[w];
      }
    }
  }
  free(state);
  free(path);
  free(next);
  graph_free(&g);
  return rc;
}

/* Statements resolved, prerequisites known, no cycles; held ids set. */
static int act_check(cp_store *st, act_batch *b, held_acts *h, cp_error *err) {
  cp_map cache;
  cp_map_init(&cache, false);
  int rc = 0;
  for (size_t i = 0; i < b->n && !rc; i++) {
    act_rec *r = &b->r[i];
    int64_t k;
    r->id = cp_map_get(&h->by_code, r->a.code, &k) ? h->ids[k] : 0;
    if ((b->given & (1u << A_STATEMENTS)) && (rc = resolve_items(st, b, i, &cache, err))) break;
    for (size_t p = 0; p < r->a.nprerequisites && !rc; p++) {
      const char *c = r->a.prerequisites[p];
      if (!cp_map_get(&b->by_code, c, NULL) && !cp_map_get(&h->by_code, c, NULL))
        rc = rec_fail(&r->o, A_PREREQS, CP_ENOTFOUND, err, "prerequisite %s is not in the file or the database", c);
    }
  }
  cp_map_free(&cache);
  if (!rc) rc = check_cycles(b, h, err);
  return rc;
}

/* ---------- activities: writing a batch ---------- */

/* Parameters 2..13: the record's fields. */
static void bind_activity(sqlite3_stmt *s, const cp_activity *a) {
  cp_bind_text(s, 2, a->code);
  cp_bind_text(s, 3, a->title);
  cp_bind_text(s, 4, a->kind ? a->kind : "");
  cp_bind_text(s, 5, a->strand ? a->strand : "");
  sqlite3_bind_double(s, 6, a->days);
  sqlite3_bind_double(s, 7, a->cost);
  cp_bind_text(s, 8, a->language && *a->language ? a->language : "both");
  cp_bind_text(s, 9, a->provider ? a->provider : "");
  cp_bind_text(s, 10, a->stages ? a->stages : "");
  cp_bind_text(s, 11, a->eligibility ? a->eligibility : "");
  cp_bind_text(s, 12, a->awarding_body ? a->awarding_body : "");
  sqlite3_bind_double(s, 13, a->credits);
}

static int insert_activity(cp_store *st, act_rec *r, int64_t ord, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "INSERT INTO activity(uuid, code, title, kind, strand, days, cost, language, provider,"
                            " stages, eligibility, awarding_body, credits, ord)"
                            " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
                            &s, err);
  if (rc) return rc;
  cp_uuid_new(r->a.uuid);
  cp_bind_text(s, 1, r->a.uuid);
  bind_activity(s, &r->a);
  sqlite3_bind_int64(s, 14, ord);
  if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "adding activity");
  r->id = sqlite3_last_insert_rowid(cp_store_db(st));
  return 0;
}

static int update_activity(cp_store *st, const act_rec *r, unsigned given, bool *changed, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(
      st,
      "UPDATE activity SET code=?2, title=?3, kind=iif(?14&4, ?4, kind), strand=iif(?14&8, ?5, strand),"
      " days=iif(?14&64, ?6, days), cost=iif(?14&128, ?7, cost), language=iif(?14&256, ?8, language),"
      " provider=iif(?14&512, ?9, provider), stages=iif(?14&1024, ?10, stages),"
      " eligibility=iif(?14&2048, ?11, eligibility), awarding_body=iif(?14&4096, ?12, awarding_body),"
      " credits=iif(?14&8192, ?13, credits)"
      " WHERE id=?1 AND (code IS NOT ?2 COLLATE BINARY OR title IS NOT ?3 OR (?14&4 AND kind IS NOT ?4)"
      " OR (?14&8 AND strand IS NOT ?5) OR (?14&64 AND days IS NOT ?6) OR (?14&128 AND cost IS NOT ?7)"
      " OR (?14&256 AND language IS NOT ?8) OR (?14&512 AND provider IS NOT ?9)"
      " OR (?14&1024 AND stages IS NOT ?10) OR (?14&2048 AND eligibility IS NOT ?11)"
      " OR (?14&4096 AND awarding_body IS NOT ?12) OR (?14&8192 AND credits IS NOT ?13))",
      &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, r->id);
  bind_activity(s, &r->a);
  sqlite3_bind_int(s, 14, (int)given);
  if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "updating activity");
  *changed = sqlite3_changes(cp_store_db(st)) > 0;
  return 0;
}

/* The held list (statements or prerequisites) of activity id equals want? */
static int list_same(cp_store *st, const char *sql, int64_t id, const int64_t *want, size_t n, bool *same,
                     cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  size_t k = 0;
  int r;
  *same = true;
  while ((r = sqlite3_step(s)) == SQLITE_ROW)
    if (k >= n || sqlite3_column_int64(s, 0) != want[k++]) *same = false;
  sqlite3_reset(s);
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "reading activity");
  if (k != n) *same = false;
  return 0;
}

/* Replace a list of activity id by want when it differs. */
static int list_write(cp_store *st, bool items, int64_t id, const int64_t *want, size_t n, bool *changed,
                      cp_error *err) {
  bool same;
  int rc = list_same(st,
                     items ? "SELECT item_id FROM activity_item WHERE activity_id=?1 ORDER BY seq"
                           : "SELECT prereq_id FROM activity_prereq WHERE activity_id=?1 ORDER BY seq",
                     id, want, n, &same, err);
  if (rc || same) return rc;
  *changed = true;
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st,
                             items ? "DELETE FROM activity_item WHERE activity_id=?1"
                                   : "DELETE FROM activity_prereq WHERE activity_id=?1",
                             &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, id);
  if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "updating activity");
  if ((rc = cp_store_prepare(st,
                             items ? "INSERT INTO activity_item(activity_id, item_id, seq) VALUES(?1,?2,?3)"
                                   : "INSERT INTO activity_prereq(activity_id, prereq_id, seq) VALUES(?1,?2,?3)",
                             &s, err)))
    return rc;
  for (size_t k = 0; k < n; k++) {
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, want[k]);
    sqlite3_bind_int64(s, 3, (int64_t)k + 1);
    if (step_once(s) != SQLITE_DONE) return cp_store_db_error(st, err, "updating activity");
  }
  return 0;
}

/* The ids of r's prerequisites (every one is now written). */
static int prereq_ids(const act_batch *b, const held_acts *h, const act_rec *r, int64_t **out, size_t *n,
                      cp_error *err) {
  *n = 0;
  *out = malloc((r->a.nprerequisites ? r->a.nprerequisites : 1) * sizeof **out);
  if (!*out) return oom(err);
  for (size_t k = 0; k < r->a.nprerequisites; k++) {
    int64_t i;
    int64_t id = cp_map_get(&b->by_code, r->a.prerequisites[k], &i) ? b->r[i].id
                 : (cp_map_get(&h->by_code, r->a.prerequisites[k], &i) ? h->ids[i] : 0);
    (*out)[(*n)++] = id;
  }
  return 0;
}

static int act_write(cp_store *st, act_batch *b, const held_acts *h, cp_import_result *res, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT coalesce(max(ord), 0) FROM activity", &s, err);
  if (rc) return rc;
  int64_t ord = 0;
  int q = sqlite3_step(s);
  if (q == SQLITE_ROW) ord = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  if (q != SQLITE_ROW) return cp_store_db_error(st, err, "reading activities");
  unsigned char *state = calloc(b->n ? b->n : 1, 1); /* 0 new, 1 unchanged, 2 changed */
  if (!state) return oom(err);
  for (size_t i = 0; i < b->n && !rc; i++) {
    act_rec *r = &b->r[i];
    if (r->id) {
      bool changed = false;
      rc = update_activity(st, r, b->given, &changed, err);
      state[i] = changed ? 2 : 1;
    } else {
      rc = insert_activity(st, r, ++ord, err);
    }
    rc = rec_locate(&r->o, -1, rc, err);
  }
  for (size_t i = 0; i < b->n && !rc; i++) {
    act_rec *r = &b->r[i];
    bool changed = false;
    if (b->given & (1u << A_STATEMENTS)) rc = list_write(st, true, r->id, r->items, r->nitems, &changed, err);
    if (!rc && (b->given & (1u << A_PREREQS))) {
      int64_t *ids;
      size_t n;
      rc = prereq_ids(b, h, r, &ids, &n, err);
      if (!rc) rc = list_write(st, false, r->id, ids, n, &changed, err);
      free(ids);
    }
    rc = rec_locate(&r->o, -1, rc, err);
    if (changed && state[i] == 1) state[i] = 2;
  }
  for (size_t i = 0; i < b->n && !rc; i++) {
    if (state[i] == 0) res->added++;
    else if (state[i] == 1) res->unchanged++;
    else res->updated++;
  }
  free(state);
  return rc;
}

/* In one transaction (a savepoint inside the caller's): check and write. */
static int act_apply(cp_store *st, act_batch *b, cp_import_result *res, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  held_acts h;
  held_init(&h);
  rc = held_load(st, &h, err);
  if (!rc) rc = act_check(st, b, &h, err);
  if (!rc) rc = act_write(st, b, &h, res, err);
  held_free(&h);
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

static int act_import(cp_store *st, const char *name, const char *data, size_t size, cp_import_result *res,
                      cp_error *err) {
  memset(res, 0, sizeof *res);
  act_batch b;
  act_batch_init(&b);
  int rc = act_parse(&b, name, data, size, err);
  if (!rc) rc = act_apply(st, &b, res, err);
  if (rc) memset(res, 0, sizeof *res); /* nothing was written */
  res->rows = b.rows;
  res->unknown_columns = b.unknown;
  b.unknown = NULL;
  act_batch_free(&b);
  return rc;
}

int cp_activity_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err) {
  return act_import(st, path, NULL, 0, res, err);
}

int cp_activity_import_string(cp_store *st, const char *name, const char *data, size_t size,
                              cp_import_result *res, cp_error *err) {
  return act_import(st, name, data ? data : "", data ? size : 0, res, err);
}

int cp_activity_install_shipped(cp_store *st, cp_error *err) {
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  for (const cp_embedded_file *f = cp_embedded_catalogues; f->name && !rc; f++) {
    char name[300];
    snprintf(name, sizeof name, "frameworks/catalogues/%s", f->name);
    cp_import_result res;
    rc = cp_activity_import_string(st, name, f->data, f->size, &res, err);
    cp_import_result_clear(&res);
  }
  if (!rc) return cp_store_commit(st, err);
  cp_store_rollback(st);
  return rc;
}

/* ---------- activities: reading ---------- */

#define ACTIVITY_SELECT                                                                             \
  "SELECT a.id, a.uuid, a.code, a.title, a.kind, a.strand, a.days, a.cost, a.language, a.provider," \
  " a.stages, a.eligibility, a.awarding_body, a.credits FROM activity a "

/* The rows of a one-parameter (activity id) query as a list of strings. */
static int read_list(cp_store *st, const char *sql, int64_t id, char ***out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 16)) {
      rc = oom(err);
      break;
    }
    if (!((*out)[*n] = cp_strdup(cp_col_text(s, 0)))) {
      rc = oom(err);
      break;
    }
    (*n)++;
  }
  sqlite3_reset(s);
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading activity");
  return rc;
}

/* A statement's code as a catalogue writes it: FRAMEWORK:CODE when another
 * item has the same code. */
static const char *const items_sql =
    "SELECT CASE WHEN (SELECT count(*) FROM item j WHERE j.code=i.code) > 1"
    " THEN f.short_name || ':' || i.code ELSE i.code END"
    " FROM activity_item ai JOIN item i ON i.id=ai.item_id JOIN framework f ON f.id=i.framework_id"
    " WHERE ai.activity_id=?1 ORDER BY ai.seq";

static const char *const prereqs_sql =
    "SELECT p.code FROM activity_prereq ap JOIN activity p ON p.id=ap.prereq_id"
    " WHERE ap.activity_id=?1 ORDER BY ap.seq";

static int row_to_activity(cp_store *st, sqlite3_stmt *s, cp_activity *a, cp_error *err) {
  memset(a, 0, sizeof *a);
  snprintf(a->uuid, sizeof a->uuid, "%s", cp_col_text(s, 1));
  char **text[] = {&a->code, &a->title, &a->kind, &a->strand};
  for (int i = 0; i < 4; i++)
    if (!(*text[i] = cp_strdup(cp_col_text(s, i + 2)))) return oom(err);
  a->days = sqlite3_column_double(s, 6);
  a->cost = sqlite3_column_double(s, 7);
  char **more[] = {&a->language, &a->provider, &a->stages, &a->eligibility, &a->awarding_body};
  for (int i = 0; i < 5; i++)
    if (!(*more[i] = cp_strdup(cp_col_text(s, i + 8)))) return oom(err);
  a->credits = sqlite3_column_double(s, 13);
  int64_t id = sqlite3_column_int64(s, 0);
  int rc = read_list(st, items_sql, id, &a->statements, &a->nstatements, err);
  if (!rc) rc = read_list(st, prereqs_sql, id, &a->prerequisites, &a->nprerequisites, err);
  return rc;
}

int cp_activity_get(cp_store *st, const char *code, cp_activity *out, cp_error *err) {
  memset(out, 0, sizeof *out);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, ACTIVITY_SELECT "WHERE a.code=?1 OR a.uuid=lower(?1)", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, code ? code : "");
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) rc = row_to_activity(st, s, out, err);
  else if (r == SQLITE_DONE) rc = cp_error_set(err, CP_ENOTFOUND, "no activity \"%s\"", code ? code : "");
  else rc = cp_store_db_error(st, err, "reading activity");
  sqlite3_reset(s);
  if (rc) cp_activity_clear(out);
  return rc;
}

int cp_activity_list(cp_store *st, const cp_activity_filter *f, cp_activity **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            ACTIVITY_SELECT "WHERE (?1 IS NULL OR a.strand=?1 COLLATE NOCASE)"
                                            " AND (?2 IS NULL OR a.kind=?2 COLLATE NOCASE) ORDER BY a.ord, a.id",
                            &s, err);
  if (rc) return rc;
  if (f) {
    cp_bind_text(s, 1, f->strand);
    cp_bind_text(s, 2, f->kind);
  }
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 32)) {
      rc = oom(err);
      break;
    }
    rc = row_to_activity(st, s, &(*out)[*n], err);
    (*n)++;
    if (rc) break;
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "listing activities");
  sqlite3_reset(s);
  if (rc) {
    cp_activity_list_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

/* A list as one cell: codes separated by single spaces. */
static char *join_codes(char **v, size_t n) {
  cp_buf b;
  cp_buf_init(&b);
  for (size_t i = 0; i < n; i++) {
    if (i) cp_buf_putc(&b, ' ');
    cp_buf_puts(&b, v[i]);
  }
  if (b.oom) {
    cp_buf_free(&b);
    return NULL;
  }
  return cp_buf_steal(&b);
}

int cp_activity_export_csv(cp_store *st, const cp_activity_filter *filter, FILE *out, cp_error *err) {
  cp_activity *list;
  size_t n;
  int rc = cp_activity_list(st, filter, &list, &n, err);
  if (rc) return rc;
  const char *header[A_NCOLS];
  for (int i = 0; i < A_NCOLS; i++) header[i] = activity_cols[i].name;
  cp_csv_write_row(out, header, A_NCOLS);
  for (size_t i = 0; i < n && !rc; i++) {
    cp_activity *a = &list[i];
    char days[32], cost[32], credits[32];
    amount_str(a->days, days);
    amount_str(a->cost, cost);
    amount_str(a->credits, credits);
    char *statements = join_codes(a->statements, a->nstatements);
    char *prereqs = join_codes(a->prerequisites, a->nprerequisites);
    if (!statements || !prereqs) {
      rc = oom(err);
    } else {
      const char *row[A_NCOLS] = {a->code, a->title, a->kind, a->strand, statements, prereqs, days, cost,
                                  a->language, a->provider, a->stages, a->eligibility, a->awarding_body,
                                  a->credits != 0 ? credits : ""};
      cp_csv_write_row(out, row, A_NCOLS);
    }
    free(statements);
    free(prereqs);
  }
  cp_activity_list_free(list, n);
  if (!rc && ferror(out)) rc = cp_error_set(err, CP_EIO, "error writing activities");
  return rc;
}

int cp_cat_find_activity(cp_store *st, const char *code, int64_t *id, char lang[8], cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT id, language FROM activity WHERE code=?1 OR uuid=lower(?1)", &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, code ? code : "");
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) {
    *id = sqlite3_column_int64(s, 0);
    if (lang) snprintf(lang, 8, "%s", cp_col_text(s, 1));
  } else if (r == SQLITE_DONE) {
    rc = cp_error_set(err, CP_ENOTFOUND, "no activity \"%s\"", code ? code : "");
  } else {
    rc = cp_store_db_error(st, err, "reading activity");
  }
  sqlite3_reset(s);
  return rc;
}

int cp_activity_items(cp_store *st, const char *code, cp_activity_item **out, size_t *n, cp_error *err) {
  *out = NULL;
  *n = 0;
  int64_t id;
  int rc = cp_cat_find_activity(st, code, &id, NULL, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  if ((rc = cp_store_prepare(st,
                             "SELECT f.short_name, i.code, i.statement FROM activity_item ai"
                             " JOIN item i ON i.id=ai.item_id JOIN framework f ON f.id=i.framework_id"
                             " WHERE ai.activity_id=?1 ORDER BY ai.seq",
                             &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, id);
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    if (cp_grow(out, *n, &cap, sizeof **out, 16)) {
      rc = oom(err);
      break;
    }
    cp_activity_item *it = &(*out)[(*n)++];
    it->framework = cp_strdup(cp_col_text(s, 0));
    it->code = cp_strdup(cp_col_text(s, 1));
    it->text = cp_strdup(cp_col_text(s, 2));
    if (!it->framework || !it->code || !it->text) {
      rc = oom(err);
      break;
    }
  }
  if (!rc && r != SQLITE_DONE) rc = cp_store_db_error(st, err, "reading activity");
  sqlite3_reset(s);
  if (rc) {
    cp_activity_items_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}
