/* test_csvio.c: the CSV reader: quoting, multi-line fields and the line each
 * record starts on, BOM, UTF-8 errors with position, header mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cpdplan/csvio.h"

typedef struct rows {
  int n;
  long line[16];
  char text[16][256];
} rows;

static int collect(void *ctx, const cp_csv_row *row, cp_error *err) {
  rows *r = ctx;
  (void)err;
  if (r->n >= 16) return 0;
  r->line[r->n] = row->line;
  r->text[r->n][0] = '\0';
  for (size_t i = 0; i < row->nfields; i++) {
    strcat(r->text[r->n], i ? "|" : "");
    strncat(r->text[r->n], row->fields[i], 100);
  }
  r->n++;
  return 0;
}

static void test_quoting_and_lines(void **state) {
  (void)state;
  const char *csv = "\xEF\xBB\xBFname,email\n"
                    "\"Jones, Siân\",sian@x.gov.uk\n"
                    "\n"
                    "\"multi\nline \"\"quoted\"\"\",a@b.cc\r\n"
                    "last,z@y.org";
  rows r = {0};
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_csv_read_string("t.csv", csv, strlen(csv), collect, &r, &e), 0);
  assert_int_equal(r.n, 4);
  assert_string_equal(r.text[0], "name|email");
  assert_string_equal(r.text[1], "Jones, Siân|sian@x.gov.uk");
  assert_int_equal(r.line[1], 2);
  assert_string_equal(r.text[2], "multi\nline \"quoted\"|a@b.cc");
  assert_int_equal(r.line[2], 4);
  assert_string_equal(r.text[3], "last|z@y.org");
  assert_int_equal(r.line[3], 6);
}

static void test_bad_utf8(void **state) {
  (void)state;
  const char *csv = "name,email\nJos\xE9,j@x.org\n"; /* Latin-1 é */
  rows r = {0};
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_csv_read_string("latin1.csv", csv, strlen(csv), collect, &r, &e), CP_EPARSE);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.col, 4);
  assert_non_null(strstr(e.msg, "UTF-8"));
}

static void test_malformed_quotes(void **state) {
  (void)state;
  const char *csv = "a,b\nx,\"open\n";
  rows r = {0};
  cp_error e;
  cp_error_clear(&e);
  assert_int_equal(cp_csv_read_string("q.csv", csv, strlen(csv), collect, &r, &e), CP_EPARSE);
  assert_int_equal(e.line, 2);
  assert_non_null(strstr(e.msg, "never closed"));
  const char *csv2 = "a,b\nx,\"y\"z\n";
  r.n = 0;
  assert_int_equal(cp_csv_read_string("q2.csv", csv2, strlen(csv2), collect, &r, &e), CP_EPARSE);
  assert_int_equal(e.line, 2);
}

static int header_only(void *ctx, const cp_csv_row *row, cp_error *err) {
  static const cp_csv_column cols[] = {{"email", true}, {"name", true}, {"team", false}};
  int *idx = ctx;
  char *unknown = NULL;
  int rc = cp_csv_map_header(row, cols, 3, idx, &unknown, err);
  if (!rc) {
    assert_non_null(unknown);
    assert_string_equal(unknown, "Colour");
  }
  free(unknown);
  return rc ? rc : 1; /* stop after the header */
}

static void test_header(void **state) {
  (void)state;
  int idx[3];
  cp_error e;
  cp_error_clear(&e);
  const char *ok = "Name, EMAIL ,Colour\n";
  assert_int_equal(cp_csv_read_string("h.csv", ok, strlen(ok), header_only, idx, &e), 1);
  assert_int_equal(idx[0], 1);
  assert_int_equal(idx[1], 0);
  assert_int_equal(idx[2], -1);
  const char *missing = "name,team\n";
  assert_int_equal(cp_csv_read_string("m.csv", missing, strlen(missing), header_only, idx, &e), CP_EPARSE);
  assert_string_equal(e.msg, "missing required column \"email\"");
  assert_int_equal(e.line, 1);
}

static void test_write(void **state) {
  (void)state;
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  const char *row[] = {"plain", "a,b", "say \"hi\"", "two\nlines", ""};
  cp_csv_write_row(f, row, 5);
  fclose(f);
  assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quoting_and_lines), cmocka_unit_test(test_bad_utf8),
      cmocka_unit_test(test_malformed_quotes), cmocka_unit_test(test_header), cmocka_unit_test(test_write),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
