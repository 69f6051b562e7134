/* framework.c: the `framework` commands: import CASE packages and Moodle
 * competency CSV, export a held framework in either format, list the
 * frameworks held and show one as an indented tree (text or JSON). */
#include "cli.h"

#include "cpdplan/csvio.h"
#include "cpdplan/framework.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int import_one(cp_cli *cli, cp_store *st, const char *path) {
  cp_error e;
  cp_error_clear(&e);
  cp_fw_doc *doc = NULL;
  cp_fw_save_result r;
  int rc = cp_fw_parse_file(path, &doc, &e);
  if (!rc) rc = cp_framework_save(st, doc, &r, &e);
  if (rc) {
    cp_fw_doc_free(doc);
    return cli_fail(cli, &e);
  }
  long n = cp_fw_doc_statements(doc);
  fprintf(cli->out, "imported %s: %ld statement%s ", doc->short_name, n, n == 1 ? "" : "s");
  if (r.created)
    fprintf(cli->out, "(created)\n");
  else
    fprintf(cli->out, "(updated: %ld added, %ld changed, %ld removed, %ld retired)\n", r.items_added,
            r.items_updated, r.items_removed, r.items_retired);
  cp_fw_doc_free(doc);
  return CLI_OK;
}

static int cmd_import(cp_cli *cli, int argc, char **argv) {
  const char **pos = calloc((size_t)argc + 1, sizeof *pos);
  if (!pos) return cli_failf(cli, "out of memory");
  size_t npos;
  int rc = cli_parse(cli, argc, argv, NULL, 0, pos, (size_t)argc, &npos);
  if (!rc && npos == 0) rc = cli_usage(cli, "no file given");
  cp_store *st = rc ? NULL : cli_store(cli, 0);
  if (!rc && !st) rc = CLI_FAIL;
  for (size_t i = 0; i < npos && !rc; i++) rc = import_one(cli, st, pos[i]);
  free(pos);
  return rc;
}

/* ---- export ---- */

static int cmd_export(cp_cli *cli, int argc, char **argv) {
  cli_opt opts[] = {{"format="}, {"out="}};
  const char *pos[1];
  size_t npos;
  int rc = cli_parse(cli, argc, argv, opts, 2, pos, 1, &npos);
  const char *fmt = cli_opt_get(opts, 2, "format"), *out = cli_opt_get(opts, 2, "out");
  bool moodle = fmt && strcmp(fmt, "moodle-csv") == 0;
  if (!rc && npos != 1) rc = cli_usage(cli, "name one framework");
  if (!rc && fmt && !moodle && strcmp(fmt, "case") != 0)
    rc = cli_usage(cli, "unknown format \"%s\" (one of: case, moodle-csv)", fmt);
  cp_store *st = rc ? NULL : cli_store(cli, 0);
  if (!rc && !st) rc = CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  cp_fw_doc *doc = NULL;
  if (!rc && cp_framework_load(st, pos[0], &doc, &e)) rc = cli_fail(cli, &e);
  FILE *fp = rc ? NULL : out ? cli_open_out(cli, out) : cli->out;
  if (!rc && !fp) rc = CLI_FAIL;
  if (!rc) {
    int wr = moodle ? cp_fw_write_moodle(doc, fp, &e) : cp_fw_write_case(doc, fp, &e);
    if (wr) cli_fail(cli, &e);
    if (out) {
      int cr = cli_close_out(cli, fp, out, wr == 0);
      rc = wr ? CLI_FAIL : cr;
    } else {
      rc = wr ? CLI_FAIL : CLI_OK;
    }
  }
  cp_fw_doc_free(doc);
  cli_opts_free(opts, 2);
  return rc;
}

/* ---- list ---- */

static void list_text(cp_cli *cli, const cp_fw_summary *f, size_t n) {
  static const char *const head[] = {"identifier", "short name", "title", "statements"};
  cli_table *t = cli_table_new(4, head);
  for (size_t i = 0; i < n; i++) {
    char count[64];
    if (f[i].principles)
      snprintf(count, sizeof count, "%ld (+%ld principle%s)", f[i].statements, f[i].principles,
               f[i].principles == 1 ? "" : "s");
    else
      snprintf(count, sizeof count, "%ld", f[i].statements);
    const char *row[] = {f[i].uuid, f[i].short_name, f[i].title, count};
    cli_table_add(t, row);
  }
  cli_table_print(t, cli->out);
  cli_table_free(t);
}

static void list_csv(cp_cli *cli, const cp_fw_summary *f, size_t n) {
  static const char *const head[] = {"identifier", "short_name", "title", "version", "statements", "principles",
                                     "items"};
  cp_csv_write_row(cli->out, head, 7);
  for (size_t i = 0; i < n; i++) {
    char s[32], p[32], it[32];
    snprintf(s, sizeof s, "%ld", f[i].statements);
    snprintf(p, sizeof p, "%ld", f[i].principles);
    snprintf(it, sizeof it, "%ld", f[i].items);
    const char *row[] = {f[i].uuid, f[i].short_name, f[i].title, f[i].version, s, p, it};
    cp_csv_write_row(cli->out, row, 7);
  }
}

static void list_json(cp_cli *cli, const cp_fw_summary *f, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "identifier", f[i].uuid,
                                         "short_name", f[i].short_name, "title", f[i].title, "version",
                                         f[i].version, "statements", (json_int_t)f[i].statements, "principles",
                                         (json_int_t)f[i].principles, "items", (json_int_t)f[i].items));
  cli_json_print(cli, arr);
}

static int cmd_list(cp_cli *cli, int argc, char **argv) {
  cli_opt opts[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  cli_format fmt = FMT_TEXT;
  int rc = cli_parse(cli, argc, argv, opts, 1, pos, 0, &npos);
  if (!rc) rc = cli_format_parse(cli, opts[0].value, 1u << FMT_TEXT | 1u << FMT_CSV | 1u << FMT_JSON, &fmt);
  cli_opts_free(opts, 1);
  if (rc) return rc;
  cp_store *st = cli_store(cli, 0);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  cp_fw_summary *list;
  size_t n;
  if (cp_framework_list(st, &list, &n, &e)) return cli_fail(cli, &e);
  if (fmt == FMT_CSV) list_csv(cli, list, n);
  else if (fmt == FMT_JSON) list_json(cli, list, n);
  else list_text(cli, list, n);
  cp_fw_summaries_free(list, n);
  return CLI_OK;
}

/* ---- show ---- */

static void show_text(cp_cli *cli, const cp_fw_doc *doc) {
  long n = cp_fw_doc_statements(doc), p = cp_fw_doc_principles(doc);
  fprintf(cli->out, "%s  %s\n", doc->short_name, doc->title);
  fprintf(cli->out, "identifier %s%s%s, %ld statement%s", doc->uuid, doc->version[0] ? ", version " : "",
          doc->version, n, n == 1 ? "" : "s");
  if (p) fprintf(cli->out, " (+%ld principle%s)", p, p == 1 ? "" : "s");
  fputs("\n\n", cli->out);
  for (size_t i = 0; i < doc->nitems; i++) {
    const cp_fw_item *it = &doc->items[i];
    fprintf(cli->out, "%*s%s", it->depth * 2, "", it->code);
    if (it->item_type[0]) fprintf(cli->out, " (%s)", it->item_type);
    fputs("  ", cli->out);
    for (const char *c = it->statement; *c; c++) fputc(*c == '\n' ? ' ' : *c, cli->out);
    if (cp_fw_doc_applicability(doc, i) == CP_APPLY_AGREED) fputs("  [agreed]", cli->out);
    fputc('\n', cli->out);
  }
}

static json_t *show_item(const cp_fw_doc *doc, size_t i) {
  const cp_fw_item *it = &doc->items[i];
  json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "identifier", it->uuid, "code", it->code, "type", it->item_type,
                        "statement", it->statement);
  if (it->abbreviated[0]) json_object_set_new(o, "abbreviated", json_string(it->abbreviated));
  if (it->notes[0]) json_object_set_new(o, "notes", json_string(it->notes));
  json_object_set_new(o, "applicability",
                      json_string(cp_fw_doc_applicability(doc, i) == CP_APPLY_AGREED ? "agreed" : "all"));
  json_object_set_new(o, "gradeable", json_boolean(it->gradeable));
  json_object_set_new(o, "children", json_array());
  return o;
}

static void show_json(cp_cli *cli, const cp_fw_doc *doc) {
  json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "identifier", doc->uuid, "short_name",
                           doc->short_name, "title", doc->title, "version", doc->version, "description",
                           doc->description, "statements", (json_int_t)cp_fw_doc_statements(doc), "principles",
                           (json_int_t)cp_fw_doc_principles(doc));
  json_t *top = json_array();
  json_object_set_new(root, "items", top);
  json_t **node = calloc(doc->nitems + 1, sizeof *node);
  for (size_t i = 0; node && i < doc->nitems; i++) {
    node[i] = show_item(doc, i);
    int p = doc->items[i].parent;
    json_array_append_new(p < 0 ? top : json_object_get(node[p], "children"), node[i]);
  }
  free(node);
  cli_json_print(cli, root);
}

static int cmd_show(cp_cli *cli, int argc, char **argv) {
  cli_opt opts[] = {{"format="}};
  const char *pos[1];
  size_t npos;
  cli_format fmt = FMT_TEXT;
  int rc = cli_parse(cli, argc, argv, opts, 1, pos, 1, &npos);
  if (!rc) rc = cli_format_parse(cli, opts[0].value, 1u << FMT_TEXT | 1u << FMT_JSON, &fmt);
  cli_opts_free(opts, 1);
  if (!rc && npos != 1) rc = cli_usage(cli, "name one framework");
  if (rc) return rc;
  cp_store *st = cli_store(cli, 0);
  if (!st) return CLI_FAIL;
  cp_error e;
  cp_error_clear(&e);
  cp_fw_doc *doc;
  if (cp_framework_load(st, pos[0], &doc, &e)) return cli_fail(cli, &e);
  if (fmt == FMT_JSON) show_json(cli, doc);
  else show_text(cli, doc);
  cp_fw_doc_free(doc);
  return CLI_OK;
}

const cp_command cp_cmds_framework[] = {
    {"framework", "import", cmd_import, "FILE...", "import CASE packages or Moodle competency CSV",
     "Reads each FILE, a 1EdTech CASE 1.0 JSON package (it starts with '{') or a\n"
     "Moodle competency framework CSV (Site administration > Competencies >\n"
     "Export competency framework), and stores it. A framework already held\n"
     "(same CASE identifier; for Moodle files, same ID number) is updated in\n"
     "place: statements keep their identifiers and grades; statements no longer\n"
     "in the file are removed, or retired when they have been graded. Each file\n"
     "is one transaction; the first file with an error stops the import and\n"
     "leaves the database as that file found it.\n"},
    {"framework", "export", cmd_export, "FRAMEWORK [--format case|moodle-csv] [--out FILE]",
     "write a framework as CASE JSON or Moodle CSV",
     "Writes the framework (short name or CASE identifier) to standard output\n"
     "or to FILE (written to a temporary file, then renamed into place).\n"
     "\n"
     "  --format case         a CASE 1.0 package (the default); a framework\n"
     "                        imported from CASE is written as it was read\n"
     "  --format moodle-csv   a CSV file Moodle's \"Import competency framework\"\n"
     "                        reads, with the four-level grading scale\n"
     "  --out FILE            write to FILE instead of standard output\n"},
    {"framework", "list", cmd_list, "[--format text|csv|json]", "list the frameworks held",
     "Lists each framework: CASE identifier, short name, title and the number of\n"
     "statements people are graded on (principles, which are context and not\n"
     "graded, are counted apart).\n"
     "\n"
     "  --format text|csv|json   output format (default text)\n"},
    {"framework", "show", cmd_show, "FRAMEWORK [--format text|json]", "show a framework as a tree",
     "Shows the framework (short name or CASE identifier) as an indented tree:\n"
     "code, item type and statement, with [agreed] on items whose applicability\n"
     "is agreed per post (the others apply to every post).\n"
     "\n"
     "  --format text|json   output format (default text)\n"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
