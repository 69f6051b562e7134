/* common.c: shared CLI plumbing: opening the store, printing errors and
 * usage, option parsing, output formats, aligned text tables, progress. */
#include "cli.h"

#include "cpdplan/csvio.h"
#include "cpdplan/people.h"

#include <jansson.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cp_store *cli_store(cp_cli *cli, unsigned flags) {
  if (cli->store) return cli->store;
  cp_error e;
  cp_error_clear(&e);
  int rc = cp_store_open(&cli->store, cli->db_path, flags, &e);
  if (rc == CP_ESCHEMA && (flags & CP_STORE_READONLY)) {
    /* a database from an earlier version: a read-only command brings its
     * schema up to date once (read-write), then reads as asked */
    cp_store *up;
    cp_error_clear(&e);
    rc = cp_store_open(&up, cli->db_path, flags & ~(unsigned)CP_STORE_READONLY, &e);
    cp_store_close(up);
    if (!rc) rc = cp_store_open(&cli->store, cli->db_path, flags, &e);
  }
  if (rc) {
    cli_fail(cli, &e);
    return NULL;
  }
  return cli->store;
}

int cli_fail(cp_cli *cli, const cp_error *e) {
  char buf[2048];
  fprintf(cli->err, "cpdplan: %s\n", cp_error_format(e, buf, sizeof buf));
  return CLI_FAIL;
}

int cli_failf(cp_cli *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("cpdplan: ", cli->err);
  vfprintf(cli->err, fmt, ap);
  fputc('\n', cli->err);
  va_end(ap);
  return CLI_FAIL;
}

void cli_warn(cp_cli *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("cpdplan: warning: ", cli->err);
  vfprintf(cli->err, fmt, ap);
  fputc('\n', cli->err);
  va_end(ap);
}

int cli_usage(cp_cli *cli, const char *fmt, ...) {
  const cp_command *c = cli->cmd;
  va_list ap;
  va_start(ap, fmt);
  fprintf(cli->err, "cpdplan %s%s%s: ", c ? c->name : "", c && c->sub ? " " : "", c && c->sub ? c->sub : "");
  vfprintf(cli->err, fmt, ap);
  fputc('\n', cli->err);
  va_end(ap);
  if (c)
    fprintf(cli->err, "usage: cpdplan %s%s%s %s\n", c->name, c->sub ? " " : "", c->sub ? c->sub : "",
            c->usage ? c->usage : "");
  return CLI_USAGE;
}

static cli_opt *find_opt(cli_opt *opts, size_t nopts, const char *name, size_t len, bool *takes) {
  for (size_t i = 0; i < nopts; i++) {
    size_t n = strlen(opts[i].name);
    bool t = n && opts[i].name[n - 1] == '=';
    if (t) n--;
    if (n == len && strncmp(opts[i].name, name, len) == 0) {
      *takes = t;
      return &opts[i];
    }
  }
  return NULL;
}

static int push_value(cli_opt *o, const char *v) {
  const char **p = realloc(o->values, (size_t)(o->count + 2) * sizeof *p);
  if (!p) return -1;
  p[o->count] = v;
  p[o->count + 1] = NULL;
  o->values = p;
  o->value = v;
  o->count++;
  return 0;
}

int cli_parse(cp_cli *cli, int argc, char **argv, cli_opt *opts, size_t nopts,
              const char **pos, size_t maxpos, size_t *npos) {
  *npos = 0;
  bool only_pos = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!only_pos && strcmp(a, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (!only_pos && a[0] == '-' && a[1] == '-' && a[2]) {
      const char *name = a + 2;
      const char *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      bool takes;
      cli_opt *o = find_opt(opts, nopts, name, len, &takes);
      if (!o) return cli_usage(cli, "unknown option --%.*s", (int)len, name);
      const char *v = "1";
      if (takes) {
        if (eq) v = eq + 1;
        else if (i + 1 < argc) v = argv[++i];
        else return cli_usage(cli, "option --%.*s needs a value", (int)len, name);
      } else if (eq) {
        return cli_usage(cli, "option --%.*s takes no value", (int)len, name);
      }
      if (push_value(o, v)) return cli_failf(cli, "out of memory");
      continue;
    }
    if (!only_pos && a[0] == '-' && a[1] && a[1] != '-')
      return cli_usage(cli, "unknown option %s", a);
    if (*npos >= maxpos) return cli_usage(cli, "unexpected argument \"%s\"", a);
    pos[(*npos)++] = a;
  }
  return 0;
}

const char *cli_opt_get(const cli_opt *opts, size_t nopts, const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < nopts; i++) {
    size_t n = strlen(opts[i].name);
    if (n && opts[i].name[n - 1] == '=') n--;
    if (n == len && strncmp(opts[i].name, name, len) == 0) return opts[i].value;
  }
  return NULL;
}

void cli_opts_free(cli_opt *opts, size_t nopts) {
  for (size_t i = 0; i < nopts; i++) {
    free(opts[i].values);
    opts[i].values = NULL;
    opts[i].value = NULL;
    opts[i].count = 0;
  }
}

int cli_format_parse(cp_cli *cli, const char *value, unsigned allowed, cli_format *out) {
  static const char *names[] = {"text", "csv", "json"};
  if (!value) {
    *out = FMT_TEXT;
    return 0;
  }
  for (int f = 0; f < 3; f++) {
    if (strcmp(value, names[f]) == 0 && (allowed & (1u << f))) {
      *out = (cli_format)f;
      return 0;
    }
  }
  char list[64] = "";
  for (int f = 0; f < 3; f++) {
    if (!(allowed & (1u << f))) continue;
    if (list[0]) strcat(list, ", ");
    strcat(list, names[f]);
  }
  return cli_usage(cli, "unknown format \"%s\" (one of: %s)", value, list);
}

struct cli_table {
  size_t ncols, nrows, cap;
  char **cells; /* nrows * ncols, row 0 = headers */
};

cli_table *cli_table_new(size_t ncols, const char *const *headers) {
  cli_table *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->ncols = ncols;
  cli_table_add(t, headers);
  return t;
}

void cli_table_add(cli_table *t, const char *const *cells) {
  if (!t) return;
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    char **p = realloc(t->cells, cap * t->ncols * sizeof *p);
    if (!p) return;
    t->cells = p;
    t->cap = cap;
  }
  for (size_t c = 0; c < t->ncols; c++) {
    const char *s = cells[c] ? cells[c] : "";
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d) {
      /* one line per cell in a table */
      for (size_t k = 0; k <= n; k++) d[k] = (s[k] == '\n' || s[k] == '\r' || s[k] == '\t') ? ' ' : s[k];
    }
    t->cells[t->nrows * t->ncols + c] = d;
  }
  t->nrows++;
}

static size_t width(const char *s) {
  size_t w = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) w++;
  return w;
}

void cli_table_print(cli_table *t, FILE *out) {
  if (!t) return;
  size_t *w = calloc(t->ncols, sizeof *w);
  if (!w) return;
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++) {
      size_t n = width(t->cells[r * t->ncols + c]);
      if (n > w[c]) w[c] = n;
    }
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = t->cells[r * t->ncols + c];
      fputs(s ? s : "", out);
      if (c + 1 < t->ncols)
        for (size_t k = width(s); k < w[c] + 2; k++) fputc(' ', out);
    }
    fputc('\n', out);
  }
  free(w);
}

void cli_table_free(cli_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
  free(t->cells);
  free(t);
}

void cli_progress_start(cp_cli *cli, cli_progress *p, const char *label, long total) {
  p->on = cli->err_tty && total > 0;
  p->total = total;
  p->last_shown = -1;
  p->label = label;
}

void cli_progress_update(cli_progress *p, long done) {
  if (!p->on) return;
  long pct = p->total ? done * 100 / p->total : 100;
  if (pct == p->last_shown) return;
  p->last_shown = pct;
  int bar = (int)(pct * 30 / 100);
  fprintf(stderr, "\r%-12s [%.*s%*s] %3ld%%", p->label, bar, "##############################", 30 - bar, "", pct);
  fflush(stderr);
}

void cli_progress_end(cli_progress *p) {
  if (!p->on) return;
  fprintf(stderr, "\r%*s\r", 60, "");
  fflush(stderr);
}


/* The temporary name for path: "path.tmp-PID". */
static void tmp_name(char *buf, size_t n, const char *path) { snprintf(buf, n, "%s.tmp-%ld", path, (long)getpid()); }

FILE *cli_open_out(cp_cli *cli, const char *path) {
  char tmp[4096];
  tmp_name(tmp, sizeof tmp, path);
  FILE *fp = fopen(tmp, "w");
  if (!fp) cli_failf(cli, "%s: cannot write: %s", path, strerror(errno));
  return fp;
}

int cli_close_out(cp_cli *cli, FILE *fp, const char *path, bool ok) {
  char tmp[4096];
  tmp_name(tmp, sizeof tmp, path);
  bool werr = ferror(fp) != 0;
  if (fclose(fp) != 0) werr = true;
  if (!ok || werr) {
    unlink(tmp);
    if (ok) cli_failf(cli, "%s: error writing", path);
    return CLI_FAIL;
  }
  if (rename(tmp, path) != 0) {
    unlink(tmp);
    return cli_failf(cli, "%s: cannot write: %s", path, strerror(errno));
  }
  return 0;
}



int cli_run_import(cp_cli *cli, int argc, char **argv, cli_import_fn fn, const char *noun, bool history) {
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, 1, &npos);
  if (rc) return rc;
  if (npos != 1) return cli_usage(cli, "give the CSV file to import");
  cp_store *st = cli_store(cli, 0);
  if (!st) return CLI_FAIL;
  cp_import_result res;
  cp_error e;
  cp_error_clear(&e);
  rc = fn(st, pos[0], &res, &e);
  if (res.unknown_columns) cli_warn(cli, "%s: unknown columns ignored: %s", pos[0], res.unknown_columns);
  if (rc) rc = cli_fail(cli, &e);
  else if (history)
    fprintf(cli->out, "%s: %ld %s: %ld recorded, %ld already held\n", pos[0], res.rows, noun, res.added, res.unchanged);
  else
    fprintf(cli->out, "%s: %ld %s: %ld added, %ld updated, %ld unchanged\n", pos[0], res.rows, noun, res.added,
            res.updated, res.unchanged);
  cp_import_result_clear(&res);
  return rc;
}

void cli_rows_begin(cli_rows *r, FILE *out, cli_format fmt, size_t ncols, const char *const *headers) {
  r->fmt = fmt;
  r->out = out;
  r->ncols = ncols;
  r->table = fmt == FMT_TEXT ? cli_table_new(ncols, headers) : NULL;
  if (fmt == FMT_CSV) cp_csv_write_row(out, headers, ncols);
}

void cli_rows_add(cli_rows *r, const char *const *cells) {
  if (r->table) cli_table_add(r->table, cells);
  else cp_csv_write_row(r->out, cells, r->ncols);
}

void cli_rows_end(cli_rows *r) {
  cli_table_print(r->table, r->out);
  cli_table_free(r->table);
  r->table = NULL;
}

char *cli_fmt_num(char *buf, size_t size, double x) {
  snprintf(buf, size, "%.3f", x);
  char *e = buf + strlen(buf) - 1;
  while (e > buf && *e == '0') *e-- = '\0';
  if (*e == '.') *e = '\0';
  return buf;
}

char *cli_fmt_codes(char *buf, size_t size, const char *codes, size_t keep) {
  const char *p = codes ? codes : "";
  size_t n = 0;
  while (*p && n < keep) { /* the end of the keep-th code */
    p += strcspn(p, " ");
    n++;
    if (n < keep) p += strspn(p, " ");
  }
  size_t more = 0;
  for (const char *q = p; *q;) {
    q += strspn(q, " ");
    if (!*q) break;
    more++;
    q += strcspn(q, " ");
  }
  if (more > 1) snprintf(buf, size, "%.*s … (+%zu)", (int)(p - (codes ? codes : "")), codes, more);
  else snprintf(buf, size, "%s", codes ? codes : "");
  return buf;
}

void cli_json_print(cp_cli *cli, json_t *j) {
  json_dumpf(j, cli->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', cli->out);
  json_decref(j);
}
