/* csvio.c: streaming CSV reader over libcsv (strict RFC 4180 quoting) that
 * knows which line each record starts on, checks UTF-8 line by line, strips a
 * BOM, maps header names to columns; and a minimal quoting CSV writer. */
#include "cpdplan/csvio.h"

#include "util.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
  const char *file;
  cp_csv_row_fn fn;
  void *ctx;
  cp_error *err;
  int rc;          /* first error from the callback or from us */
  long cur_line;   /* line being fed to libcsv */
  long rec_start;  /* line the current record began on */
  /* fields of the current record, stored end to end in buf */
  cp_buf buf;
  size_t *offs;
  size_t nfields, capfields;
  char **ptrs;
  size_t capptrs;
} reader;

static void on_field(void *data, size_t len, void *vr) {
  reader *r = vr;
  if (r->rc) return;
  if (r->nfields == r->capfields) {
    size_t cap = r->capfields ? r->capfields * 2 : 16;
    size_t *p = realloc(r->offs, cap * sizeof *p);
    if (!p) {
      r->rc = cp_error_set(r->err, CP_ENOMEM, "out of memory");
      return;
    }
    r->offs = p;
    r->capfields = cap;
  }
  r->offs[r->nfields++] = r->buf.len;
  if (cp_buf_append(&r->buf, data ? data : "", data ? len : 0) || cp_buf_putc(&r->buf, '\0'))
    r->rc = cp_error_set(r->err, CP_ENOMEM, "out of memory");
}

static void on_record(int c, void *vr) {
  (void)c;
  reader *r = vr;
  if (r->rc) goto done;
  if (r->capptrs < r->nfields) {
    char **p = realloc(r->ptrs, r->nfields * sizeof *p);
    if (!p) {
      r->rc = cp_error_set(r->err, CP_ENOMEM, "out of memory");
      goto done;
    }
    r->ptrs = p;
    r->capptrs = r->nfields;
  }
  for (size_t i = 0; i < r->nfields; i++) r->ptrs[i] = r->buf.data + r->offs[i];
  cp_csv_row row = {r->file, r->rec_start, r->nfields, r->ptrs};
  int rc = r->fn(r->ctx, &row, r->err);
  if (rc) r->rc = rc;
done:
  r->nfields = 0;
  cp_buf_reset(&r->buf);
}

/* Feed one line (with its terminator) to the parser. */
static int feed_line(reader *r, struct csv_parser *p, const char *line, size_t n) {
  size_t bad;
  const char *body = line;
  size_t len = n;
  if (r->cur_line == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
    body += 3;
    len -= 3;
  }
  if (!cp_utf8_valid(body, len, &bad))
    return cp_error_set_at(r->err, CP_EPARSE, r->file, r->cur_line, (long)(bad + 1 + (size_t)(body - line)),
                           "not valid UTF-8 (save the file as CSV UTF-8)");
  if (memchr(body, '\0', len))
    return cp_error_set_at(r->err, CP_EPARSE, r->file, r->cur_line, 0, "NUL byte in a text file");
  if (p->pstate == 0) r->rec_start = r->cur_line;
  size_t done = csv_parse(p, body, len, on_field, on_record, r);
  if (r->rc) return r->rc;
  if (done < len) {
    int e = csv_error(p);
    if (e == CSV_EPARSE)
      return cp_error_set_at(r->err, CP_EPARSE, r->file, r->cur_line, (long)(done + 1 + (size_t)(body - line)),
                             "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
    return cp_error_set_at(r->err, CP_ENOMEM, r->file, r->cur_line, 0, "%s", csv_strerror(e));
  }
  return 0;
}

typedef struct source {
  FILE *fp;          /* or NULL when reading from memory */
  const char *data;
  size_t size, pos;
} source;

static int run(reader *r, source *src) {
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
    return cp_error_set(r->err, CP_ENOMEM, "out of memory");
  cp_buf line;
  cp_buf_init(&line);
  int rc = 0;
  char chunk[65536];
  r->cur_line = 1;
  r->rec_start = 1;
  for (;;) {
    size_t got;
    const char *blk;
    if (src->fp) {
      got = fread(chunk, 1, sizeof chunk, src->fp);
      if (got == 0 && ferror(src->fp)) {
        rc = cp_error_set_at(r->err, CP_EIO, r->file, 0, 0, "read error: %s", strerror(errno));
        break;
      }
      blk = chunk;
    } else {
      got = src->size - src->pos;
      if (got > sizeof chunk) got = sizeof chunk;
      blk = src->data + src->pos;
      src->pos += got;
    }
    if (got == 0) break;
    size_t i = 0;
    while (i < got) {
      const char *nl = memchr(blk + i, '\n', got - i);
      size_t take = nl ? (size_t)(nl - (blk + i)) + 1 : got - i;
      if (cp_buf_append(&line, blk + i, take)) {
        rc = cp_error_set(r->err, CP_ENOMEM, "out of memory");
        goto out;
      }
      i += take;
      if (nl) {
        if ((rc = feed_line(r, &p, line.data, line.len))) goto out;
        cp_buf_reset(&line);
        r->cur_line++;
      }
    }
  }
  if (line.len && (rc = feed_line(r, &p, line.data, line.len))) goto out;
  if (!line.len && r->cur_line > 1) r->cur_line--;
  if (csv_fini(&p, on_field, on_record, r) != 0 && !r->rc)
    rc = cp_error_set_at(r->err, CP_EPARSE, r->file, r->rec_start, 0,
                         "malformed CSV: a quoted field is never closed");
  if (!rc) rc = r->rc;
out:
  cp_buf_free(&line);
  csv_free(&p);
  return rc;
}

static void reader_free(reader *r) {
  cp_buf_free(&r->buf);
  free(r->offs);
  free(r->ptrs);
}

int cp_csv_read(const char *path, cp_csv_row_fn fn, void *ctx, cp_error *err) {
  bool is_stdin = strcmp(path, "-") == 0;
  FILE *fp = is_stdin ? stdin : fopen(path, "rb");
  if (!fp) return cp_error_set_at(err, CP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  reader r = {0};
  r.file = is_stdin ? "<stdin>" : path;
  r.fn = fn;
  r.ctx = ctx;
  r.err = err;
  cp_buf_init(&r.buf);
  source src = {fp, NULL, 0, 0};
  int rc = run(&r, &src);
  reader_free(&r);
  if (!is_stdin) fclose(fp);
  return rc;
}

int cp_csv_read_string(const char *name, const char *data, size_t size, cp_csv_row_fn fn,
                       void *ctx, cp_error *err) {
  reader r = {0};
  r.file = name;
  r.fn = fn;
  r.ctx = ctx;
  r.err = err;
  cp_buf_init(&r.buf);
  source src = {NULL, data, size, 0};
  int rc = run(&r, &src);
  reader_free(&r);
  return rc;
}

int cp_csv_map_header(const cp_csv_row *header, const cp_csv_column *cols, size_t ncols,
                      int *index, char **unknown, cp_error *err) {
  if (unknown) *unknown = NULL;
  for (size_t i = 0; i < ncols; i++) index[i] = -1;
  cp_buf unk;
  cp_buf_init(&unk);
  for (size_t f = 0; f < header->nfields; f++) {
    char name[256];
    snprintf(name, sizeof name, "%s", header->fields[f]);
    cp_trim(name);
    if (!name[0]) continue;
    size_t i;
    for (i = 0; i < ncols; i++)
      if (cp_strcasecmp(name, cols[i].name) == 0) break;
    if (i == ncols) {
      if (unk.len) cp_buf_puts(&unk, ", ");
      cp_buf_puts(&unk, name);
      continue;
    }
    if (index[i] >= 0) {
      cp_buf_free(&unk);
      return cp_error_set_at(err, CP_EPARSE, header->file, header->line, (long)f + 1,
                             "column \"%s\" appears twice", cols[i].name);
    }
    index[i] = (int)f;
  }
  for (size_t i = 0; i < ncols; i++) {
    if (cols[i].required && index[i] < 0) {
      cp_buf_free(&unk);
      return cp_error_set_at(err, CP_EPARSE, header->file, header->line, 0,
                             "missing required column \"%s\"", cols[i].name);
    }
  }
  if (unk.oom) {
    cp_buf_free(&unk);
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  if (unknown && unk.len && !(*unknown = cp_buf_steal(&unk))) return cp_error_set(err, CP_ENOMEM, "out of memory");
  cp_buf_free(&unk);
  return 0;
}

const char *cp_csv_get(const cp_csv_row *row, int index) {
  if (index < 0 || (size_t)index >= row->nfields) return "";
  return row->fields[index];
}

void cp_csv_write_field(FILE *out, const char *s, bool last) {
  if (!s) s = "";
  size_t n = strlen(s);
  bool quote = n && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' ');
  if (!quote) {
    fwrite(s, 1, n, out);
  } else {
    fputc('"', out);
    for (const char *p = s; *p; p++) {
      if (*p == '"') fputc('"', out);
      fputc(*p, out);
    }
    fputc('"', out);
  }
  fputc(last ? '\n' : ',', out);
}

void cp_csv_write_row(FILE *out, const char *const *fields, size_t n) {
  for (size_t i = 0; i < n; i++) cp_csv_write_field(out, fields[i], i + 1 == n);
}
