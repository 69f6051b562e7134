/* framework_moodle.c: Moodle competency framework CSV (tool_lpimportcsv)
 * <-> cp_fw_doc. Columns as Moodle's framework_exporter writes them: one
 * framework row (Is framework = 1), then a row per competency; rows are
 * written the way PHP's fputcsv does (quoted when a field holds a comma,
 * quote, backslash, space, tab, CR or LF; "\n" line ends). Raw fields are
 * kept in the "moodle" sections so an imported export is written back byte
 * for byte; frameworks from elsewhere carry their item types, applicability,
 * notes and identifiers in a {"cpdplan": ...} object in "Rule config". */
#include "cpdplan/framework.h"

#include "cpdplan/csvio.h"
#include "framework_internal.h"
#include "util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum {
  M_PARENT, M_IDNUMBER, M_SHORTNAME, M_DESC, M_DESCFMT, M_SCALEVALUES, M_SCALECONFIG, M_RULETYPE,
  M_RULEOUTCOME, M_RULECONFIG, M_RELATED, M_EXPORTID, M_ISFRAMEWORK, M_TAXONOMY, M_NCOLS
};

/* Column names after normalising (see norm_header). */
static const cp_csv_column m_cols[M_NCOLS] = {
    {"parent id number", false}, {"id number", true}, {"short name", true}, {"description", false},
    {"description format", false}, {"scale values", false}, {"scale configuration", false},
    {"rule type", false}, {"rule outcome", false}, {"rule config", false},
    {"cross referenced competency id numbers", false}, {"exported id", false}, {"is framework", true},
    {"taxonomy", false}};

/* Keys of the raw fields in the "moodle" sections. */
static const char *const m_keys[M_NCOLS] = {
    "parentidnumber", "idnumber", "shortname", "description", "descriptionformat", "scalevalues",
    "scaleconfiguration", "ruletype", "ruleoutcome", "ruleconfig", "relatedidnumbers", "exportid",
    "isframework", "taxonomy"};

/* The header Moodle writes: framework_importer::list_required_headers() with
 * the strings of admin/tool/lpimportcsv/lang/en/tool_lpimportcsv.php. */
static const char *const m_header[M_NCOLS] = {
    "Parent ID number", "ID number", "Short name", "Description", "Description format", "Scale values",
    "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
    "Cross-referenced competency ID numbers", "Exported ID (optional)", "Is framework", "Taxonomy"};

/* The default four-level scale (core/sql/001_init.sql), as a Moodle scale:
 * items from the lowest grade up; "Consistently good" (grade 2) is the
 * default and grades 1 and 2 are proficient. */
static const char m_scale_values[] =
    "Good in a limited number of respects,Good in most respects,Consistently good,Consistently very good";
static const char m_scale_config[] =
    "[{\"scaleid\":\"0\"},{\"id\":3,\"scaledefault\":1,\"proficient\":1},"
    "{\"id\":4,\"scaledefault\":0,\"proficient\":1}]";

#define M_SHORTNAME_MAX 100 /* Moodle's limit, in characters */

/* ---- text and HTML ---- */

static const struct {
  const char *name;
  const char *utf8;
} m_entities[] = {{"amp", "&"},         {"lt", "<"},          {"gt", ">"},          {"quot", "\""},
                  {"apos", "'"},        {"nbsp", "\xC2\xA0"}, {"rsquo", "\xE2\x80\x99"}, {"lsquo", "\xE2\x80\x98"},
                  {"rdquo", "\xE2\x80\x9D"}, {"ldquo", "\xE2\x80\x9C"}, {"ndash", "\xE2\x80\x93"},
                  {"mdash", "\xE2\x80\x94"}, {"hellip", "\xE2\x80\xA6"}, {"bull", "\xE2\x80\xA2"},
                  {"middot", "\xC2\xB7"}, {"copy", "\xC2\xA9"}, {"reg", "\xC2\xAE"}, {"trade", "\xE2\x84\xA2"},
                  {"pound", "\xC2\xA3"}, {"euro", "\xE2\x82\xAC"}};

static void put_utf8(cp_buf *b, unsigned long c) {
  char u[4];
  if (c < 0x80) {
    cp_buf_putc(b, (char)c);
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | (c >> 6));
    u[1] = (char)(0x80 | (c & 0x3F));
    cp_buf_append(b, u, 2);
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | (c >> 12));
    u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F));
    cp_buf_append(b, u, 3);
  } else {
    u[0] = (char)(0xF0 | (c >> 18));
    u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[3] = (char)(0x80 | (c & 0x3F));
    cp_buf_append(b, u, 4);
  }
}

/* Decode the entity at s ('&'); returns the bytes used, 0 if not one. */
static size_t entity(const char *s, cp_buf *b) {
  const char *semi = strchr(s, ';');
  if (!semi || semi - s > 10) return 0;
  size_t n = (size_t)(semi - s) + 1;
  if (s[1] == '#') {
    char *end;
    unsigned long c = s[2] == 'x' || s[2] == 'X' ? strtoul(s + 3, &end, 16) : strtoul(s + 2, &end, 10);
    if (end != semi || c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    put_utf8(b, c);
    return n;
  }
  for (size_t i = 0; i < sizeof m_entities / sizeof m_entities[0]; i++) {
    size_t len = strlen(m_entities[i].name);
    if (len == n - 2 && memcmp(s + 1, m_entities[i].name, len) == 0) {
      cp_buf_puts(b, m_entities[i].utf8);
      return n;
    }
  }
  return 0;
}

/* Tag at s ('<'): its lower-case name (without '/') and the bytes it spans
 * (to its '>', or past "-->" for a comment); 0 if s is no tag. */
static size_t tag(const char *s, char *name, size_t cap) {
  if (strncmp(s, "<!--", 4) == 0) {
    const char *e = strstr(s + 4, "-->");
    name[0] = '\0';
    return e ? (size_t)(e + 3 - s) : strlen(s);
  }
  const char *p = s + 1;
  if (*p == '/') p++;
  size_t k = 0;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9' && k)) {
    if (k + 1 < cap) name[k++] = (char)(*p | 0x20);
    p++;
  }
  name[k] = '\0';
  const char *e = strchr(p, '>');
  return k && e ? (size_t)(e + 1 - s) : 0;
}

static bool is_block(const char *name) {
  static const char *const blocks[] = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                                       "table", "blockquote", "pre", "dd", "dt", NULL};
  for (int i = 0; blocks[i]; i++)
    if (strcmp(name, blocks[i]) == 0) return true;
  return false;
}

typedef struct textout {
  cp_buf b;
  int brk;    /* pending line breaks (0-2) */
  bool space; /* pending space */
} textout;

static void text_char(textout *t, const char *s, size_t n) {
  if (t->b.len && t->brk) cp_buf_append(&t->b, "\n\n", (size_t)t->brk);
  else if (t->b.len && t->space) cp_buf_putc(&t->b, ' ');
  t->brk = 0;
  t->space = false;
  cp_buf_append(&t->b, s, n);
}

/* Plain text of a Moodle description: tags dropped, entities decoded,
 * white space collapsed, <br> a line break, block ends a blank line. Plain
 * and Markdown descriptions (formats 2 and 4) are taken as they are. */
static char *html_to_text(const char *html, const char *format) {
  int fmt = format && *format ? atoi(format) : 1;
  if (fmt == 2 || fmt == 4) {
    char *s = cp_strdup(html);
    return s ? cp_trim(s) : NULL;
  }
  textout t = {{0}, 0, false};
  for (const char *p = html; *p;) {
    char name[16];
    size_t n;
    if (*p == '<' && (n = tag(p, name, sizeof name))) {
      if (strcmp(name, "br") == 0) t.brk = t.brk < 2 ? t.brk + 1 : 2;
      else if (is_block(name)) t.brk = 2;
      p += n;
    } else if (*p == '&') {
      cp_buf e;
      cp_buf_init(&e);
      n = entity(p, &e);
      text_char(&t, n ? e.data : "&", n ? e.len : 1);
      cp_buf_free(&e);
      p += n ? n : 1;
    } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f') {
      if (*p == '\n' && fmt == 0) t.brk = t.brk < 2 ? t.brk + 1 : 2;
      else t.space = true;
      p++;
    } else {
      text_char(&t, p, 1);
      p++;
    }
  }
  return cp_buf_steal(&t.b);
}

static void escape_html(cp_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '&': cp_buf_puts(b, "&amp;"); break;
    case '<': cp_buf_puts(b, "&lt;"); break;
    case '>': cp_buf_puts(b, "&gt;"); break;
    case '"': cp_buf_puts(b, "&quot;"); break;
    default: cp_buf_putc(b, s[i]);
    }
  }
}

/* HTML for plain text: escaped; with paragraphs (<p>) and line breaks
 * (<br>) when it has more than one line. */
static char *text_to_html(const char *text) {
  cp_buf b;
  cp_buf_init(&b);
  if (!strchr(text, '\n')) {
    escape_html(&b, text, strlen(text));
    return cp_buf_steal(&b);
  }
  cp_buf_puts(&b, "<p>");
  for (const char *p = text; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    escape_html(&b, p, n);
    if (!nl) break;
    if (nl[1] == '\n') {
      cp_buf_puts(&b, "</p><p>");
      while (*nl == '\n') nl++;
      p = nl;
    } else {
      cp_buf_puts(&b, "<br>");
      p = nl + 1;
    }
  }
  cp_buf_puts(&b, "</p>");
  return cp_buf_steal(&b);
}

/* The first max characters of s, cut on a UTF-8 boundary. */
static char *cut_chars(const char *s, size_t max) {
  size_t i = 0, chars = 0;
  while (s[i]) {
    if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max) break;
    i++;
  }
  return cp_strndup(s, i);
}

/* ---- reading ---- */

typedef struct mrow {
  long line;
  char *f[M_NCOLS];
  json_t *more; /* columns Moodle does not define: header -> value */
} mrow;

typedef struct mparse {
  const char *name;
  int idx[M_NCOLS];
  json_t *header; /* the header row as read */
  mrow *rows;
  size_t n, cap;
  cp_error *err;
} mparse;

/* "Cross-referenced competency ID numbers (optional)" -> "cross referenced
 * competency id numbers"; "Shortname" -> "short name". */
static void norm_header(const char *in, char *out, size_t cap) {
  size_t k = 0;
  for (const char *p = in; *p && k + 1 < cap; p++) {
    char c = *p == '-' || *p == '_' ? ' ' : (char)((*p >= 'A' && *p <= 'Z') ? *p | 0x20 : *p);
    if (c == ' ' && (k == 0 || out[k - 1] == ' ')) continue;
    out[k++] = c;
  }
  while (k && out[k - 1] == ' ') k--;
  out[k] = '\0';
  size_t n = strlen(out), opt = strlen(" (optional)");
  if (n > opt && strcmp(out + n - opt, " (optional)") == 0) out[n - opt] = '\0';
  if (strcmp(out, "shortname") == 0) snprintf(out, cap, "short name");
}

/* Map header names to columns; a header in another language with Moodle's
 * 14 columns is read by position, as Moodle's importer does. */
static int map_header(const cp_csv_row *row, int *idx, cp_error *err) {
  char **norm = calloc(row->nfields + 1, sizeof *norm);
  if (!norm) return cp_error_set(err, CP_ENOMEM, "out of memory");
  int rc = 0;
  for (size_t i = 0; i < row->nfields && !rc; i++) {
    size_t cap = strlen(row->fields[i]) + 16; /* "shortname" grows */
    norm[i] = malloc(cap);
    if (!norm[i]) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
    else norm_header(row->fields[i], norm[i], cap);
  }
  cp_csv_row h = {row->file, row->line, row->nfields, norm};
  cp_error tmp;
  cp_error_clear(&tmp);
  if (!rc && (rc = cp_csv_map_header(&h, m_cols, M_NCOLS, idx, NULL, &tmp))) {
    if (rc == CP_EPARSE && row->nfields >= M_NCOLS && strstr(tmp.msg, "missing required column")) {
      for (int c = 0; c < M_NCOLS; c++) idx[c] = c;
      rc = 0;
    } else if (err) {
      *err = tmp;
    }
  }
  for (size_t i = 0; i < row->nfields; i++) free(norm[i]);
  free(norm);
  return rc;
}

static bool row_blank(const cp_csv_row *row) {
  for (size_t i = 0; i < row->nfields; i++)
    if (row->fields[i][0]) return false;
  return true;
}

static int add_row(mparse *mp, const cp_csv_row *row) {
  if (mp->n == mp->cap) {
    size_t cap = mp->cap ? mp->cap * 2 : 64;
    mrow *p = realloc(mp->rows, cap * sizeof *p);
    if (!p) return cp_error_set(mp->err, CP_ENOMEM, "out of memory");
    mp->rows = p;
    mp->cap = cap;
  }
  mrow *r = &mp->rows[mp->n++];
  memset(r, 0, sizeof *r);
  r->line = row->line;
  bool known[256] = {false};
  for (int c = 0; c < M_NCOLS; c++) {
    r->f[c] = cp_strdup(cp_csv_get(row, mp->idx[c]));
    if (!r->f[c]) return cp_error_set(mp->err, CP_ENOMEM, "out of memory");
    if (mp->idx[c] >= 0 && mp->idx[c] < 256) known[mp->idx[c]] = true;
  }
  for (size_t i = 0; i < json_array_size(mp->header); i++) {
    if (i < 256 && known[i]) continue;
    if (!r->more) r->more = json_object();
    json_object_set_new(r->more, json_string_value(json_array_get(mp->header, i)),
                        json_string(i < row->nfields ? row->fields[i] : ""));
  }
  return 0;
}

static int on_row(void *ctx, const cp_csv_row *row, cp_error *err) {
  mparse *mp = ctx;
  if (!mp->header) {
    int rc = map_header(row, mp->idx, err);
    if (rc) return rc;
    mp->header = json_array();
    for (size_t i = 0; i < row->nfields; i++) json_array_append_new(mp->header, json_string(row->fields[i]));
    return 0;
  }
  return row_blank(row) ? 0 : add_row(mp, row);
}

static void mparse_free(mparse *mp) {
  for (size_t i = 0; i < mp->n; i++) {
    for (int c = 0; c < M_NCOLS; c++) free(mp->rows[i].f[c]);
    json_decref(mp->rows[i].more);
  }
  free(mp->rows);
  json_decref(mp->header);
}

/* PHP truthiness of the "Is framework" cell. */
static bool truthy(const char *s) { return s[0] && strcmp(s, "0") != 0; }

static int row_fail(mparse *mp, const mrow *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int row_fail(mparse *mp, const mrow *r, const char *fmt, ...) {
  char msg[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cp_error_set_at(mp->err, CP_EPARSE, mp->name, r->line, 0, "%s", msg);
}

/* ---- the tree ---- */

typedef struct mtree {
  long fw;        /* the framework row */
  long *parent;   /* parent row of each row, -1 top level */
  long *order;    /* competency rows in document order */
  size_t norder;
} mtree;

static void mtree_free(mtree *t) {
  free(t->parent);
  free(t->order);
}

static int find_framework(mparse *mp, mtree *t) {
  t->fw = -1;
  for (size_t i = 0; i < mp->n; i++) {
    if (!truthy(mp->rows[i].f[M_ISFRAMEWORK])) continue;
    if (t->fw >= 0)
      return row_fail(mp, &mp->rows[i], "a second framework row (Is framework = %s): one is allowed",
                      mp->rows[i].f[M_ISFRAMEWORK]);
    t->fw = (long)i;
  }
  if (t->fw < 0)
    return cp_error_set_at(mp->err, CP_EPARSE, mp->name, 1, 0, "no framework row (a row with Is framework = 1)");
  if (!mp->rows[t->fw].f[M_IDNUMBER][0])
    return row_fail(mp, &mp->rows[t->fw], "the framework row has no ID number");
  return 0;
}

static int link_rows(mparse *mp, mtree *t, cp_map *ids) {
  for (size_t i = 0; i < mp->n; i++) {
    mrow *r = &mp->rows[i];
    if ((long)i == t->fw) continue;
    if (!r->f[M_IDNUMBER][0]) return row_fail(mp, r, "a competency without an ID number");
    if (!r->f[M_SHORTNAME][0]) return row_fail(mp, r, "competency %s has no short name", r->f[M_IDNUMBER]);
    int64_t other;
    if (cp_map_get(ids, r->f[M_IDNUMBER], &other)) {
      return row_fail(mp, r, "duplicate ID number %s (also on line %ld)", r->f[M_IDNUMBER], mp->rows[other].line);
    }
    if (cp_map_put(ids, r->f[M_IDNUMBER], (int64_t)i)) return cp_error_set(mp->err, CP_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < mp->n; i++) {
    mrow *r = &mp->rows[i];
    int64_t p = -1;
    if ((long)i == t->fw || !r->f[M_PARENT][0]) {
      t->parent[i] = -1;
      continue;
    }
    if (!cp_map_get(ids, r->f[M_PARENT], &p)) {
      return row_fail(mp, r, "competency %s: parent ID number %s is not in the file", r->f[M_IDNUMBER],
                      r->f[M_PARENT]);
    }
    t->parent[i] = (long)p;
  }
  return 0;
}

/* Children of each row in file order: kids[first[p + 1] .. first[p + 2]]
 * are those of row p (p = -1: the top level). */
static int bucket_children(const mparse *mp, const mtree *t, size_t *first, size_t *kids) {
  size_t n = mp->n;
  size_t *fill = calloc(n + 2, sizeof *fill);
  if (!fill) return CP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    if ((long)i != t->fw) first[t->parent[i] + 2]++;
  for (size_t p = 1; p < n + 2; p++) first[p] += first[p - 1];
  for (size_t i = 0; i < n; i++)
    if ((long)i != t->fw) kids[first[t->parent[i] + 1] + fill[t->parent[i] + 1]++] = i;
  free(fill);
  return 0;
}

/* Depth-first order (iterative: any depth), children in file order; rows
 * never reached are in a cycle of parents. */
static int order_rows(mparse *mp, mtree *t) {
  size_t n = mp->n;
  size_t *first = calloc(n + 2, sizeof *first), *kids = malloc((n + 1) * sizeof *kids);
  size_t *stack = malloc((n + 1) * sizeof *stack), *next = malloc((n + 1) * sizeof *next);
  char *seen = calloc(n + 1, 1);
  int rc = !first || !kids || !stack || !next || !seen || bucket_children(mp, t, first, kids)
               ? cp_error_set(mp->err, CP_ENOMEM, "out of memory")
               : 0;
  size_t top = 0, pos = rc ? 0 : first[0];
  long cur = -1;
  while (!rc) {
    if (pos < first[cur + 2]) {
      size_t child = kids[pos];
      seen[child] = 1;
      t->order[t->norder++] = (long)child;
      next[top] = pos + 1;
      stack[top++] = (size_t)(cur + 1);
      cur = (long)child;
      pos = first[cur + 1];
      continue;
    }
    if (top == 0) break;
    top--;
    cur = (long)stack[top] - 1;
    pos = next[top];
  }
  for (size_t i = 0; i < n && !rc; i++)
    if ((long)i != t->fw && !seen[i])
      rc = row_fail(mp, &mp->rows[i], "competency %s is its own ancestor (a cycle of parent ID numbers)",
                    mp->rows[i].f[M_IDNUMBER]);
  free(first);
  free(kids);
  free(stack);
  free(next);
  free(seen);
  return rc;
}

/* ---- building the document ---- */

/* The {"cpdplan": {...}} object of a Rule config cell, or NULL. */
static json_t *cpdplan_ext(const char *ruletype, const char *ruleconfig) {
  if (ruletype[0] || ruleconfig[0] != '{') return NULL;
  json_t *j = json_loads(ruleconfig, 0, NULL);
  json_t *e = json_is_object(j) ? json_object_get(j, "cpdplan") : NULL;
  if (json_is_object(e)) json_incref(e);
  else e = NULL;
  json_decref(j);
  return e;
}

static const char *ext_str(json_t *ext, const char *key) {
  json_t *v = json_object_get(ext, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The raw cells of row r kept for writing it back (all but skip). */
static json_t *raw_fields(const mrow *r, const int *skip) {
  json_t *o = json_object();
  for (int c = 0; c < M_NCOLS; c++) {
    bool s = false;
    for (int k = 0; skip[k] >= 0; k++) s = s || skip[k] == c;
    if (!s) json_object_set_new(o, m_keys[c], json_string(r->f[c]));
  }
  if (r->more) json_object_set(o, "columns", r->more);
  return o;
}

static int store_json(char **field, json_t *j, cp_error *err) {
  char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  int rc = !s || cp_fw_set(field, s) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
  free(s);
  return rc;
}

static int build_item(mparse *mp, cp_fw_doc *doc, const mrow *r, int parent) {
  int i = cp_fw_doc_add_item(doc);
  if (i < 0) return cp_error_set(mp->err, CP_ENOMEM, "out of memory");
  cp_fw_item *it = &doc->items[i];
  it->parent = parent;
  char *text = html_to_text(r->f[M_DESC], r->f[M_DESCFMT]);
  json_t *ext = cpdplan_ext(r->f[M_RULETYPE], r->f[M_RULECONFIG]);
  const char *abbr = ext && ext_str(ext, "abbreviated") ? ext_str(ext, "abbreviated") : r->f[M_SHORTNAME];
  int rc = !text || cp_fw_set(&it->code, r->f[M_IDNUMBER]) || cp_fw_set(&it->abbreviated, abbr) ||
           cp_fw_set(&it->statement, text[0] ? text : r->f[M_SHORTNAME]);
  if (!rc && ext) {
    const char *app = ext_str(ext, "applicability");
    it->applicability = cp_streq(app, "agreed") ? CP_APPLY_AGREED : cp_streq(app, "all") ? CP_APPLY_ALL
                                                                                         : CP_APPLY_INHERIT;
    rc = cp_fw_set(&it->item_type, ext_str(ext, "type")) || cp_fw_set(&it->notes, ext_str(ext, "notes"));
    if (cp_uuid_valid(r->f[M_EXPORTID])) snprintf(it->uuid, sizeof it->uuid, "%s", r->f[M_EXPORTID]);
  }
  free(text);
  json_decref(ext);
  if (rc) return cp_error_set(mp->err, CP_ENOMEM, "out of memory");
  static const int skip[] = {M_PARENT, M_IDNUMBER, M_SHORTNAME, -1};
  json_t *extra = json_object();
  json_object_set_new(extra, "moodle", raw_fields(r, skip));
  rc = store_json(&it->extra_json, extra, mp->err);
  json_decref(extra);
  return rc;
}

static int build_doc(mparse *mp, mtree *t, cp_fw_doc *doc) {
  const mrow *fw = &mp->rows[t->fw];
  json_t *ext = cpdplan_ext(fw->f[M_RULETYPE], fw->f[M_RULECONFIG]);
  char *text = html_to_text(fw->f[M_DESC], fw->f[M_DESCFMT]);
  const char *title = ext && ext_str(ext, "title") ? ext_str(ext, "title") : fw->f[M_SHORTNAME];
  int rc = !text || cp_fw_set(&doc->short_name, fw->f[M_IDNUMBER]) ||
           cp_fw_set(&doc->title, title[0] ? title : fw->f[M_IDNUMBER]) || cp_fw_set(&doc->description, text) ||
           cp_fw_set(&doc->version, ext ? ext_str(ext, "version") : "");
  if (!rc && ext && cp_uuid_valid(fw->f[M_EXPORTID])) snprintf(doc->uuid, sizeof doc->uuid, "%s", fw->f[M_EXPORTID]);
  free(text);
  json_decref(ext);
  if (rc) return cp_error_set(mp->err, CP_ENOMEM, "out of memory");
  json_t *dj = json_object(), *sec = json_object();
  json_object_set_new(dj, "moodle", sec);
  json_object_set(sec, "header", mp->header);
  static const int skip[] = {M_IDNUMBER, -1};
  json_object_set_new(sec, "framework", raw_fields(fw, skip));
  if (t->fw != 0) json_object_set_new(sec, "frameworkRow", json_integer(t->fw));
  bool same = true;
  for (size_t k = 0, want = 0; k < t->norder && same; k++, want++) {
    if ((long)want == t->fw) want++;
    same = t->order[k] == (long)want;
  }
  if (!same) {
    json_t *codes = json_array();
    for (size_t i = 0; i < mp->n; i++)
      if ((long)i != t->fw) json_array_append_new(codes, json_string(mp->rows[i].f[M_IDNUMBER]));
    json_object_set_new(sec, "order", codes);
  }
  rc = store_json(&doc->doc_json, dj, mp->err);
  json_decref(dj);
  return rc;
}

static int build(mparse *mp, cp_fw_doc **out) {
  mtree t = {0};
  cp_map ids;
  cp_map_init(&ids, false);
  cp_fw_doc *doc = NULL;
  t.parent = calloc(mp->n + 1, sizeof *t.parent);
  t.order = calloc(mp->n + 1, sizeof *t.order);
  long *index = calloc(mp->n + 1, sizeof *index);
  int rc = !t.parent || !t.order || !index ? cp_error_set(mp->err, CP_ENOMEM, "out of memory") : 0;
  if (!rc) rc = find_framework(mp, &t);
  if (!rc) rc = link_rows(mp, &t, &ids);
  if (!rc) rc = order_rows(mp, &t);
  if (!rc && !(doc = cp_fw_doc_new())) rc = cp_error_set(mp->err, CP_ENOMEM, "out of memory");
  for (size_t k = 0; k < t.norder && !rc; k++) {
    long r = t.order[k], p = t.parent[r];
    index[r] = (long)k;
    rc = build_item(mp, doc, &mp->rows[r], p < 0 ? -1 : (int)index[p]);
  }
  if (!rc) rc = build_doc(mp, &t, doc);
  if (!rc) rc = cp_fw_doc_finish(doc, mp->err);
  mtree_free(&t);
  free(index);
  cp_map_free(&ids);
  if (rc) {
    cp_fw_doc_free(doc);
    return rc;
  }
  doc->source_format = CP_FW_MOODLE;
  *out = doc;
  return 0;
}

int cp_fw_parse_moodle(const char *name, const char *data, size_t size, cp_fw_doc **out, cp_error *err) {
  *out = NULL;
  mparse mp = {0};
  mp.name = name ? name : "<moodle>";
  mp.err = err;
  int rc = cp_csv_read_string(mp.name, data, size, on_row, &mp, err);
  if (!rc && !mp.header) rc = cp_error_set_at(err, CP_EPARSE, mp.name, 1, 0, "empty file: no header row");
  if (!rc) rc = build(&mp, out);
  mparse_free(&mp);
  return rc;
}

/* ---- writing ---- */

/* One field as PHP's fputcsv writes it (Moodle's csv_export_writer). */
static void php_field(FILE *out, const char *s, bool last) {
  if (strpbrk(s, ",\"\\\n\r\t ")) {
    fputc('"', out);
    bool escaped = false;
    for (const char *p = s; *p; p++) {
      if (*p == '\\') escaped = true;
      else if (!escaped && *p == '"') fputc('"', out);
      else escaped = false;
      fputc(*p, out);
    }
    fputc('"', out);
  } else {
    fputs(s, out);
  }
  fputc(last ? '\n' : ',', out);
}

typedef struct mwriter {
  const cp_fw_doc *doc;
  json_t *dsec;        /* the document's "moodle" section, or NULL */
  json_t *header;      /* the header written */
  int col[64];         /* column of the header -> M_* or -1 */
  size_t ncols;
  FILE *out;
} mwriter;

static void write_row(mwriter *w, char *const *cells, json_t *more) {
  for (size_t j = 0; j < w->ncols; j++) {
    const char *v = "";
    if (w->col[j] >= 0) v = cells[w->col[j]];
    else if (more) {
      json_t *m = json_object_get(more, json_string_value(json_array_get(w->header, j)));
      v = json_is_string(m) ? json_string_value(m) : "";
    }
    php_field(w->out, v ? v : "", j + 1 == w->ncols);
  }
}

/* JSON without a backslash before a quote (PHP's CSV reader would take
 * the quote as escaped): \" -> \u0022, \\ -> \u005c. */
static char *ext_json(json_t *ext) {
  json_t *wrap = json_pack("{s:O}", "cpdplan", ext);
  char *s = json_dumps(wrap, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(wrap);
  if (!s) return NULL;
  cp_buf b;
  cp_buf_init(&b);
  for (const char *p = s; *p; p++) {
    if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
      cp_buf_puts(&b, p[1] == '"' ? "\\u0022" : "\\u005c");
      p++;
    } else {
      cp_buf_putc(&b, *p);
    }
  }
  free(s);
  return cp_buf_steal(&b);
}

static const char *raw(json_t *sec, const char *key) {
  json_t *v = sec ? json_object_get(sec, key) : NULL;
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Cells shared by framework and competency rows: description (the raw one
 * while it still reads as text), rule config (raw, or the cpdplan object). */
static void text_cells(char **c, json_t *sec, const char *text, const char *fallback, json_t *ext) {
  const char *d = raw(sec, "description"), *f = raw(sec, "descriptionformat");
  char *plain = d ? html_to_text(d, f) : NULL;
  bool keep = plain && cp_streq(plain[0] ? plain : fallback, text);
  free(plain);
  c[M_DESC] = keep ? cp_strdup(d) : text_to_html(text);
  c[M_DESCFMT] = cp_strdup(keep && f ? f : "1");
  const char *rc = raw(sec, "ruleconfig"), *rt = raw(sec, "ruletype");
  json_t *old = rc ? cpdplan_ext(rt ? rt : "", rc) : NULL;
  c[M_RULECONFIG] = rc && !old ? cp_strdup(rc) : ext_json(ext);
  json_decref(old);
}

static void fill_raw(char **c, json_t *sec, const int *cols, const char *const *defaults) {
  for (int k = 0; cols[k] >= 0; k++) {
    const char *v = raw(sec, m_keys[cols[k]]);
    c[cols[k]] = cp_strdup(v ? v : defaults[k]);
  }
}

static const char *const m_taxonomies[] = {"domain", "competency", "indicator", "value", "outcome", "skill",
                                            "behaviour", "concept", "level", "practice", "proficiency"};
#define M_NTAX (sizeof m_taxonomies / sizeof m_taxonomies[0])

/* The Moodle taxonomy (an index in m_taxonomies) for an item type. */
static size_t taxonomy_of(const char *type) {
  static const struct {
    const char *type;
    size_t tax;
  } map[] = {{"dimension", 0}, {"key area", 0},  {"domain", 0},     {"strand", 0},      {"element", 1},
             {"standard", 1},  {"cluster", 1},   {"competency", 1}, {"statement", 2},   {"indicator", 2},
             {"component", 2}, {"principle", 3}, {"value", 3},      {"outcome", 4},     {"skill", 5},
             {"behaviour", 6}, {"concept", 7},   {"level", 8},      {"practice", 9},    {"proficiency", 10}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (cp_strcasecmp(type, map[i].type) == 0) return map[i].tax;
  return 1;
}

/* One Moodle taxonomy per level: that of the commonest item type at the
 * depth; principles (values) only where there is nothing else. */
static char *derive_taxonomy(const cp_fw_doc *doc) {
  size_t levels = 0;
  for (size_t i = 0; i < doc->nitems; i++)
    if ((size_t)doc->items[i].depth + 1 > levels) levels = (size_t)doc->items[i].depth + 1;
  long *count = calloc(levels * M_NTAX + 1, sizeof *count);
  if (!count) return NULL;
  for (size_t i = 0; i < doc->nitems; i++) count[(size_t)doc->items[i].depth * M_NTAX + taxonomy_of(doc->items[i].item_type)]++;
  cp_buf b;
  cp_buf_init(&b);
  for (size_t d = 0; d < levels; d++) {
    size_t best = 1;
    long best_n = 0;
    for (size_t t = 0; t < M_NTAX; t++) {
      long n = count[d * M_NTAX + t] * (t == 3 ? 1 : (long)doc->nitems + 1);
      if (n > best_n) {
        best_n = n;
        best = t;
      }
    }
    if (d) cp_buf_putc(&b, ',');
    cp_buf_puts(&b, m_taxonomies[best]);
  }
  free(count);
  return cp_buf_steal(&b);
}

static void free_cells(char **c) {
  for (int k = 0; k < M_NCOLS; k++) free(c[k]);
}

static int framework_row(mwriter *w) {
  const cp_fw_doc *doc = w->doc;
  json_t *sec = w->dsec ? json_object_get(w->dsec, "framework") : NULL;
  char *c[M_NCOLS] = {0};
  json_t *ext = json_object();
  char *shortened = cut_chars(doc->title, M_SHORTNAME_MAX);
  if (shortened && strcmp(shortened, doc->title) != 0) json_object_set_new(ext, "title", json_string(doc->title));
  if (doc->version[0]) json_object_set_new(ext, "version", json_string(doc->version));
  c[M_IDNUMBER] = cp_strdup(doc->short_name);
  const char *rs = raw(sec, "shortname");
  c[M_SHORTNAME] = rs && strcmp(rs, doc->title) == 0 ? cp_strdup(rs) : cp_strdup(shortened ? shortened : "");
  free(shortened);
  text_cells(c, sec, doc->description, "", ext);
  static const int cols[] = {M_PARENT, M_SCALEVALUES, M_SCALECONFIG, M_RULETYPE, M_RULEOUTCOME, M_RELATED,
                             M_ISFRAMEWORK, -1};
  static const char *const defs[] = {"", m_scale_values, m_scale_config, "", "", "", "1"};
  fill_raw(c, sec, cols, defs);
  const char *eid = raw(sec, "exportid"), *tx = raw(sec, "taxonomy");
  c[M_EXPORTID] = cp_strdup(eid ? eid : doc->uuid);
  c[M_TAXONOMY] = tx ? cp_strdup(tx) : derive_taxonomy(doc);
  json_decref(ext);
  int rc = 0;
  for (int k = 0; k < M_NCOLS; k++)
    if (!c[k]) rc = CP_ENOMEM;
  if (!rc) write_row(w, c, sec ? json_object_get(sec, "columns") : NULL);
  free_cells(c);
  return rc;
}

static json_t *item_ext(const cp_fw_item *it) {
  json_t *ext = json_object();
  if (it->item_type[0]) json_object_set_new(ext, "type", json_string(it->item_type));
  if (it->applicability != CP_APPLY_INHERIT)
    json_object_set_new(ext, "applicability", json_string(it->applicability == CP_APPLY_AGREED ? "agreed" : "all"));
  if (it->notes[0]) json_object_set_new(ext, "notes", json_string(it->notes));
  if (!it->abbreviated[0]) json_object_set_new(ext, "abbreviated", json_string(""));
  return ext;
}

static int item_row(mwriter *w, size_t i) {
  const cp_fw_item *it = &w->doc->items[i];
  json_t *sec = cp_fw_section(it->extra_json, "moodle");
  char *c[M_NCOLS] = {0};
  c[M_PARENT] = cp_strdup(it->parent >= 0 ? w->doc->items[it->parent].code : "");
  c[M_IDNUMBER] = cp_strdup(it->code);
  c[M_SHORTNAME] = it->abbreviated[0] ? cp_strdup(it->abbreviated) : cut_chars(it->statement, M_SHORTNAME_MAX);
  json_t *ext = item_ext(it);
  text_cells(c, sec, it->statement, it->abbreviated, ext);
  json_decref(ext);
  static const int cols[] = {M_SCALEVALUES, M_SCALECONFIG, M_RULETYPE, M_RULEOUTCOME, M_RELATED, M_ISFRAMEWORK,
                             M_TAXONOMY, -1};
  static const char *const defs[] = {"", "", "", "0", "", "", ""};
  fill_raw(c, sec, cols, defs);
  const char *eid = raw(sec, "exportid");
  c[M_EXPORTID] = cp_strdup(eid ? eid : it->uuid);
  int rc = 0;
  for (int k = 0; k < M_NCOLS; k++)
    if (!c[k]) rc = CP_ENOMEM;
  if (!rc) write_row(w, c, sec ? json_object_get(sec, "columns") : NULL);
  free_cells(c);
  json_decref(sec);
  return rc;
}

/* The header: the one read (kept), else Moodle's; and what each column is. */
static int setup_header(mwriter *w) {
  json_t *h = w->dsec ? json_object_get(w->dsec, "header") : NULL;
  w->header = json_array();
  if (json_is_array(h) && json_array_size(h) >= 3 && json_array_size(h) <= 64) {
    char **f = calloc(json_array_size(h), sizeof *f);
    if (!f) return CP_ENOMEM;
    for (size_t j = 0; j < json_array_size(h); j++) {
      f[j] = (char *)json_string_value(json_array_get(h, j));
      if (!f[j]) f[j] = "";
      json_array_append_new(w->header, json_string(f[j]));
    }
    cp_csv_row row = {"", 1, json_array_size(h), f};
    int idx[M_NCOLS];
    int rc = map_header(&row, idx, NULL);
    free(f);
    if (!rc) {
      w->ncols = json_array_size(h);
      for (size_t j = 0; j < w->ncols; j++) w->col[j] = -1;
      for (int c = 0; c < M_NCOLS; c++)
        if (idx[c] >= 0) w->col[idx[c]] = c;
      return 0;
    }
    json_array_clear(w->header);
  }
  w->ncols = M_NCOLS;
  for (int c = 0; c < M_NCOLS; c++) {
    json_array_append_new(w->header, json_string(m_header[c]));
    w->col[c] = c;
  }
  return 0;
}

static int write_rows(mwriter *w) {
  json_t *order = w->dsec ? json_object_get(w->dsec, "order") : NULL;
  json_int_t fwrow = w->dsec ? json_integer_value(json_object_get(w->dsec, "frameworkRow")) : 0;
  char *done = calloc(w->doc->nitems + 1, 1);
  if (!done) return CP_ENOMEM;
  int *seq = malloc((w->doc->nitems + 1) * sizeof *seq);
  size_t n = 0, k;
  json_t *v;
  if (!seq) {
    free(done);
    return CP_ENOMEM;
  }
  cp_map codes;
  cp_map_init(&codes, false);
  for (size_t i = 0; order && i < w->doc->nitems; i++) cp_map_put(&codes, w->doc->items[i].code, (int64_t)i);
  json_array_foreach(order, k, v) {
    int64_t i;
    const char *code = json_string_value(v);
    if (code && cp_map_get(&codes, code, &i) && !done[i]) {
      done[i] = 1;
      seq[n++] = (int)i;
    }
  }
  cp_map_free(&codes);
  for (size_t i = 0; i < w->doc->nitems; i++)
    if (!done[i]) seq[n++] = (int)i;
  int rc = 0;
  for (size_t r = 0; r <= n && !rc; r++) {
    if ((json_int_t)r == fwrow || (r == n && fwrow >= (json_int_t)n)) rc = framework_row(w);
    if (!rc && r < n) rc = item_row(w, (size_t)seq[r]);
  }
  free(done);
  free(seq);
  return rc;
}

int cp_fw_write_moodle(const cp_fw_doc *doc, FILE *out, cp_error *err) {
  mwriter w = {0};
  w.doc = doc;
  w.out = out;
  w.dsec = cp_fw_section(doc->doc_json, "moodle");
  int rc = setup_header(&w);
  if (!rc) {
    for (size_t j = 0; j < w.ncols; j++)
      php_field(out, json_string_value(json_array_get(w.header, j)), j + 1 == w.ncols);
    rc = write_rows(&w);
  }
  json_decref(w.header);
  json_decref(w.dsec);
  if (rc) return cp_error_set(err, CP_ENOMEM, "out of memory");
  if (ferror(out)) return cp_error_set(err, CP_EIO, "writing the Moodle CSV failed");
  return 0;
}
