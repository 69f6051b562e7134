/* framework.h: standards frameworks as trees (framework -> dimension or key
 * area -> element -> statement), held in memory as a cp_fw_doc and in the
 * store as framework/item rows. Parsers read 1EdTech CASE 1.0 JSON packages
 * and Moodle competency framework CSV (tool_lpimportcsv) into a cp_fw_doc
 * without touching the store; cp_framework_save writes one in a single
 * transaction, updating a framework already held in place. */
#ifndef CPDPLAN_FRAMEWORK_H
#define CPDPLAN_FRAMEWORK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpdplan/error.h"
#include "cpdplan/store.h"

typedef enum { CP_APPLY_INHERIT = 0, CP_APPLY_ALL = 1, CP_APPLY_AGREED = 2 } cp_applicability;
typedef enum { CP_FW_CASE = 0, CP_FW_MOODLE = 1 } cp_fw_format;

typedef struct cp_fw_item {
  char uuid[37];      /* CASE identifier (made for Moodle items on first import) */
  char *code;         /* humanCodingScheme / Moodle "Id number"; unique in the framework */
  char *item_type;    /* CFItemType: "Dimension", "Element", "Statement", "Principle", "Key Area" ... */
  char *statement;    /* fullStatement (plain text) */
  char *abbreviated;  /* abbreviatedStatement / Moodle short name, "" if none */
  char *notes;        /* "" if none */
  int parent;         /* index of the parent in items[], -1 for top level */
  int seq;            /* 1-based position among siblings */
  int depth;          /* 0 for top level */
  cp_applicability applicability; /* as declared; INHERIT = as the parent (top level: ALL) */
  int gradeable;      /* 1 for statements people are graded on: leaves not of type Principle */
  char *extra_json;   /* source fields not modelled above, as a JSON object ("{}" if none) */
} cp_fw_item;

typedef struct cp_fw_doc {
  char uuid[37];      /* CFDocument identifier */
  char *short_name;   /* humanCodingScheme of the document / Moodle framework id number */
  char *title;
  char *description;
  char *version;
  cp_fw_format source_format;
  char *doc_json;     /* unmodelled source data (CFDocument extras, CFDefinitions,
                         CFRubrics, non-hierarchy associations, Moodle scale ...) */
  cp_fw_item *items;  /* document order: every parent before its children */
  size_t nitems;
  size_t capitems;    /* allocated length of items */
} cp_fw_doc;

void cp_fw_doc_free(cp_fw_doc *doc); /* NULL accepted */

/* Building a document (the parsers, cp_framework_load and tests use these).
 * cp_fw_doc_new gives an empty document: every string "" (doc_json "{}"),
 * CASE format; NULL when out of memory. cp_fw_doc_add_item appends an item
 * (strings "", extra_json "{}", parent -1, applicability INHERIT) and
 * returns its index, or -1 when out of memory. cp_fw_set replaces the string
 * *field with a copy of value (NULL = ""). */
cp_fw_doc *cp_fw_doc_new(void);
int cp_fw_doc_add_item(cp_fw_doc *doc);
int cp_fw_set(char **field, const char *value);

/* Check that items are in document order (each parent before its children)
 * and compute seq, depth and gradeable from the tree. */
int cp_fw_doc_finish(cp_fw_doc *doc, cp_error *err);

/* Number of gradeable items (statements) and of items of type Principle. */
long cp_fw_doc_statements(const cp_fw_doc *doc);
long cp_fw_doc_principles(const cp_fw_doc *doc);

/* The deterministic identifier cpdplan gives NAME: a version 5 UUID in the
 * cpdplan namespace 6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f (the scheme of
 * frameworks/README.md: "cpdplan:CODE", "cpdplan:doc:CODE", ...). */
void cp_fw_uuid_for(char out[37], const char *name);

/* Effective applicability of item i (inheritance resolved). */
cp_applicability cp_fw_doc_applicability(const cp_fw_doc *doc, size_t i);

/* Parse a CASE 1.0 JSON package (CFPackage, or a CFDocument + CFItems +
 * CFAssociations object). name is used in error messages. */
int cp_fw_parse_case(const char *name, const char *data, size_t size, cp_fw_doc **out, cp_error *err);
/* Parse a Moodle tool_lpimportcsv export. */
int cp_fw_parse_moodle(const char *name, const char *data, size_t size, cp_fw_doc **out, cp_error *err);
/* Read a file ("-" for standard input) and parse it as CASE (if it starts
 * with '{' or '[' after any BOM and white space) or Moodle CSV. */
int cp_fw_parse_file(const char *path, cp_fw_doc **out, cp_error *err);

/* Write a framework as a CASE 1.0 package / Moodle CSV. A document read
 * from that format is written back as it was read (CASE: the same JSON;
 * Moodle: the same bytes); others get the fields the format requires. In
 * Moodle CSV, item types, applicability, notes and an empty abbreviated
 * statement travel in a {"cpdplan": {...}} object in "Rule config" and the
 * identifier in "Exported ID", so cpdplan reads its own export back whole. */
int cp_fw_write_case(const cp_fw_doc *doc, FILE *out, cp_error *err);
int cp_fw_write_moodle(const cp_fw_doc *doc, FILE *out, cp_error *err);

/* ---- the store ---- */

typedef struct cp_fw_save_result {
  int64_t framework_id;
  int created;          /* 1 if new, 0 if an existing framework was updated */
  long items_added, items_updated, items_unchanged, items_removed, items_retired;
} cp_fw_save_result;

/* Insert doc, or update the framework with the same CASE identifier (or, for
 * Moodle sources, the same short name) in place: items matched by identifier
 * (Moodle: by code) keep their rows and so their grades; items no longer in
 * the document are deleted, or marked retired when they have grades (a
 * retired item whose code the document reuses becomes "CODE (retired ID)").
 * One transaction (a savepoint inside the caller's); on error nothing is
 * written. For Moodle documents whose uuids are empty the held framework's
 * identifiers are reused, else made with cp_fw_uuid_for: doc->uuid and the
 * items' uuids are filled in, and seq/depth/gradeable recomputed. Sections
 * of the held extra_json/doc_json ("case", "moodle") that doc lacks are
 * kept, so a CASE framework updated from its Moodle export still exports
 * its CASE data. res may be NULL. */
int cp_framework_save(cp_store *st, cp_fw_doc *doc, cp_fw_save_result *res, cp_error *err);

/* Find a framework by CASE identifier or short name (case-insensitive). */
int cp_framework_resolve(cp_store *st, const char *ref, int64_t *id, cp_error *err);

/* Load a held framework back into a document (for export and show). */
int cp_framework_load(cp_store *st, const char *ref, cp_fw_doc **out, cp_error *err);

typedef struct cp_fw_summary {
  char uuid[37];
  char *short_name, *title, *version;
  long statements;  /* gradeable, not retired */
  long items;       /* all nodes, not retired */
  long principles;  /* items of type Principle */
} cp_fw_summary;

/* All frameworks, by short name. Free with cp_fw_summaries_free. */
int cp_framework_list(cp_store *st, cp_fw_summary **out, size_t *n, cp_error *err);
void cp_fw_summaries_free(cp_fw_summary *list, size_t n);

/* Load the frameworks shipped with cpdplan (compiled in) into the store. */
int cp_framework_install_shipped(cp_store *st, cp_error *err);

/* Find a framework item by code, or by uuid. Codes are unique within a
 * framework; a code held by two frameworks is CP_EAMBIGUOUS unless prefixed
 * "SHORTNAME:" (e.g. "ASP05:ASP05-1.K.3"). Sets *item_id. */
int cp_framework_find_item(cp_store *st, const char *ref, int64_t *item_id, cp_error *err);

#endif
