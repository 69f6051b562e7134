/* framework_case.c: 1EdTech CASE 1.0 JSON packages <-> cp_fw_doc (jansson).
 * The tree comes from isChildOf associations (sequenceNumber orders siblings,
 * else file order); everything not modelled in cp_fw_item/cp_fw_doc is kept
 * in the "case" section of extra_json/doc_json so that writing the document
 * back gives the same JSON (shipped files byte for byte: 2-space indent, keys
 * in the order they use). Errors name the file, line and column. */
#include "cpdplan/framework.h"

#include "framework_internal.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Key orders written for objects cpdplan builds (those of the shipped files,
 * then the other CASE 1.0 fields). */
static const char *const doc_keys[] = {
    "identifier", "uri", "creator", "title", "lastChangeDateTime", "officialSourceURL", "publisher",
    "description", "subject", "subjectURI", "language", "version", "adoptionStatus", "statusStartDate",
    "statusEndDate", "licenseURI", "notes", "humanCodingScheme", "frameworkType", "caseVersion",
    "CFPackageURI", "extensions", NULL};
static const char *const item_keys[] = {
    "identifier", "uri", "CFDocumentURI", "fullStatement", "alternativeLabel", "humanCodingScheme",
    "listEnumeration", "abbreviatedStatement", "CFItemType", "CFItemTypeURI", "conceptKeywords",
    "conceptKeywordsURI", "educationLevel", "subject", "subjectURI", "language", "licenseURI",
    "statusStartDate", "statusEndDate", "lastChangeDateTime", "notes", "extensions", NULL};
static const char *const pkg_keys[] = {"CFDocument", "CFItems", "CFAssociations", NULL};

/* ---- locating a value in the source text (for error positions) ---- */

typedef struct jstep {
  const char *key; /* object member, or NULL for an array index */
  long index;
} jstep;

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

static const char *skip_string(const char *p, const char *end) {
  for (p++; p < end && *p != '"'; p++)
    if (*p == '\\') p++;
  return p < end ? p + 1 : end;
}

static const char *skip_value(const char *p, const char *end) {
  p = skip_ws(p, end);
  if (p >= end) return end;
  if (*p == '"') return skip_string(p, end);
  if (*p != '{' && *p != '[') {
    while (p < end && !strchr(",]} \t\r\n", *p)) p++;
    return p;
  }
  int depth = 0;
  while (p < end) {
    if (*p == '"') {
      p = skip_string(p, end);
      continue;
    }
    if (*p == '{' || *p == '[') depth++;
    else if ((*p == '}' || *p == ']') && --depth == 0) return p + 1;
    p++;
  }
  return end;
}

/* Start of the value at path, or NULL. The text is valid JSON (jansson read it). */
static const char *locate(const char *p, const char *end, const jstep *path, size_t n) {
  p = skip_ws(p, end);
  if (n == 0) return p;
  char open = path->key ? '{' : '[';
  if (p >= end || *p != open) return NULL;
  p++;
  for (long idx = 0;; idx++) {
    p = skip_ws(p, end);
    if (p >= end || *p == '}' || *p == ']') return NULL;
    bool hit = !path->key && idx == path->index;
    if (path->key) {
      const char *k = p + 1, *ke = skip_string(p, end) - 1;
      hit = (size_t)(ke - k) == strlen(path->key) && memcmp(k, path->key, (size_t)(ke - k)) == 0;
      p = skip_ws(ke + 1, end);
      if (p < end && *p == ':') p++;
    }
    if (hit) return locate(p, end, path + 1, n - 1);
    p = skip_ws(skip_value(p, end), end);
    if (p < end && *p == ',') p++;
  }
}

/* ---- parsing ---- */

typedef struct cnode {
  json_t *obj;
  const char *id;
  const char *code; /* humanCodingScheme, or NULL */
  size_t file_idx;
  int parent;       /* node index, -1 for the document */
  long assoc;       /* index of its isChildOf association in CFAssociations, -1 */
  bool has_seq;
  double seq;
  int visit;        /* 0 new, 1 placed in the tree */
} cnode;

typedef struct cparse {
  const char *name, *data, *end;
  json_t *root, *pkg;
  bool wrapped;
  cnode *nodes;
  size_t n;
  cp_map ids; /* identifier -> node index; the document -> -1 */
  int *order; /* node indexes in document order */
  size_t norder;
  cp_error *err;
} cparse;

/* Set err at the value reached by path (prefixed by CFPackage when wrapped). */
static int fail_at(cparse *cp, const jstep *path, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(cparse *cp, const jstep *path, size_t n, const char *fmt, ...) {
  jstep full[8];
  size_t k = 0;
  if (cp->wrapped) full[k++] = (jstep){"CFPackage", 0};
  for (size_t i = 0; i < n && k < 8; i++) full[k++] = path[i];
  const char *at = locate(cp->data, cp->end, full, k);
  long line = 1, col = 1;
  for (const char *p = cp->data; at && p < at; p++) {
    if (*p == '\n') {
      line++;
      col = 1;
    } else if (((unsigned char)*p & 0xC0) != 0x80) {
      col++;
    }
  }
  char msg[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cp_error_set_at(cp->err, CP_EPARSE, cp->name, at ? line : 0, at ? col : 0, "%s", msg);
}

static const char *str_member(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *node_name(const cnode *nd) { return nd->code ? nd->code : nd->id; }

static int load_json(cparse *cp) {
  json_error_t je;
  cp->root = json_loadb(cp->data, (size_t)(cp->end - cp->data), JSON_REJECT_DUPLICATES, &je);
  if (!cp->root)
    return cp_error_set_at(cp->err, CP_EPARSE, cp->name, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1,
                           "invalid JSON: %s", je.text);
  if (!json_is_object(cp->root)) return fail_at(cp, NULL, 0, "not a CASE package: expected a JSON object");
  json_t *wrap = json_object_get(cp->root, "CFPackage");
  cp->pkg = cp->root;
  if (json_is_object(wrap) && !json_object_get(cp->root, "CFDocument")) {
    cp->pkg = wrap;
    cp->wrapped = true;
  }
  if (!json_is_object(json_object_get(cp->pkg, "CFDocument")))
    return fail_at(cp, NULL, 0, "no \"CFDocument\" object: not a CASE 1.0 package");
  return 0;
}

/* identifier of obj at path: a UUID string, else an error. */
static int get_identifier(cparse *cp, json_t *obj, jstep *path, size_t n, const char *what, const char **out) {
  *out = str_member(obj, "identifier");
  if (!*out) return fail_at(cp, path, n, "%s has no \"identifier\"", what);
  if (!cp_uuid_valid(*out)) {
    path[n] = (jstep){"identifier", 0};
    return fail_at(cp, path, n + 1, "%s: identifier \"%s\" is not a UUID", what, *out);
  }
  return 0;
}

static json_t *array_member(cparse *cp, const char *key, int *rc) {
  json_t *a = json_object_get(cp->pkg, key);
  if (a && !json_is_array(a)) {
    jstep p[] = {{key, 0}};
    *rc = fail_at(cp, p, 1, "\"%s\" is not an array", key);
  }
  return json_is_array(a) ? a : NULL;
}

static int read_items(cparse *cp) {
  json_t *doc = json_object_get(cp->pkg, "CFDocument");
  jstep path[4] = {{"CFDocument", 0}};
  const char *docid;
  int rc = get_identifier(cp, doc, path, 1, "CFDocument", &docid);
  if (rc) return rc;
  if (!str_member(doc, "title")) return fail_at(cp, path, 1, "CFDocument has no \"title\"");
  if (cp_map_put(&cp->ids, docid, -1)) return cp_error_set(cp->err, CP_ENOMEM, "out of memory");
  json_t *items = array_member(cp, "CFItems", &rc);
  if (rc) return rc;
  size_t n = json_array_size(items);
  cp->nodes = calloc(n + 1, sizeof *cp->nodes);
  cp->order = calloc(n + 1, sizeof *cp->order);
  if (!cp->nodes || !cp->order) return cp_error_set(cp->err, CP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    json_t *it = json_array_get(items, i);
    path[0] = (jstep){"CFItems", 0};
    path[1] = (jstep){NULL, (long)i};
    char what[64];
    snprintf(what, sizeof what, "CFItems[%zu]", i);
    if (!json_is_object(it)) return fail_at(cp, path, 2, "%s is not an object", what);
    cnode *nd = &cp->nodes[i];
    if ((rc = get_identifier(cp, it, path, 2, what, &nd->id))) return rc;
    nd->obj = it;
    nd->file_idx = i;
    nd->parent = -1;
    nd->assoc = -1;
    const char *hcs = str_member(it, "humanCodingScheme");
    nd->code = hcs && *hcs ? hcs : NULL;
    if (cp_map_get(&cp->ids, nd->id, NULL)) {
      path[2] = (jstep){"identifier", 0};
      return fail_at(cp, path, 3, "item %s: duplicate identifier %s", node_name(nd), nd->id);
    }
    if (!json_is_string(json_object_get(it, "fullStatement")))
      return fail_at(cp, path, 2, "item %s has no \"fullStatement\"", node_name(nd));
    if (cp_map_put(&cp->ids, nd->id, (int64_t)i)) return cp_error_set(cp->err, CP_ENOMEM, "out of memory");
    cp->n++;
  }
  return 0;
}

/* The identifier of origin/destination node of association k. */
static int node_ref(cparse *cp, json_t *as, long k, const char *key, const char **id) {
  json_t *uri = json_object_get(as, key);
  *id = json_is_object(uri) ? str_member(uri, "identifier") : NULL;
  if (*id) return 0;
  jstep p[] = {{"CFAssociations", 0}, {NULL, k}};
  return fail_at(cp, p, 2, "CFAssociations[%ld] has no %s.identifier", k, key);
}

static void read_seq(cnode *nd, json_t *as) {
  json_t *v = json_object_get(as, "sequenceNumber");
  char *endp;
  if (json_is_number(v)) {
    nd->has_seq = true;
    nd->seq = json_number_value(v);
  } else if (json_is_string(v) && *json_string_value(v)) {
    nd->seq = strtod(json_string_value(v), &endp);
    nd->has_seq = *endp == '\0' && isfinite(nd->seq);
  }
}

static int read_tree(cparse *cp) {
  int rc = 0;
  json_t *assocs = array_member(cp, "CFAssociations", &rc);
  if (rc) return rc;
  for (size_t k = 0; k < json_array_size(assocs); k++) {
    json_t *as = json_array_get(assocs, k);
    jstep p[3] = {{"CFAssociations", 0}, {NULL, (long)k}};
    if (!json_is_object(as)) return fail_at(cp, p, 2, "CFAssociations[%zu] is not an object", k);
    const char *type = str_member(as, "associationType"), *from, *to;
    if (!type || strcmp(type, "isChildOf") != 0) continue;
    if ((rc = node_ref(cp, as, (long)k, "originNodeURI", &from)) ||
        (rc = node_ref(cp, as, (long)k, "destinationNodeURI", &to)))
      return rc;
    int64_t child, parent;
    if (!cp_map_get(&cp->ids, from, &child) || child < 0) {
      p[2] = (jstep){"originNodeURI", 0};
      return fail_at(cp, p, 3, "isChildOf association: unknown origin node %s", from);
    }
    cnode *nd = &cp->nodes[child];
    if (!cp_map_get(&cp->ids, to, &parent)) {
      p[2] = (jstep){"destinationNodeURI", 0};
      return fail_at(cp, p, 3, "item %s: isChildOf an unknown node %s", node_name(nd), to);
    }
    if (parent == child) return fail_at(cp, p, 2, "isChildOf cycle: %s is its own parent", node_name(nd));
    if (nd->assoc >= 0) continue; /* a second parent: kept as an ordinary association */
    nd->assoc = (long)k;
    nd->parent = (int)parent;
    read_seq(nd, as);
  }
  return 0;
}

/* Sibling order: by sequenceNumber, those without one after, by file order. */
typedef struct skey {
  int parent, noseq;
  double seq;
  size_t file_idx;
  int node;
} skey;

static int skey_cmp(const void *a, const void *b) {
  const skey *x = a, *y = b;
  if (x->parent != y->parent) return x->parent < y->parent ? -1 : 1;
  if (x->noseq != y->noseq) return x->noseq - y->noseq;
  if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
  return x->file_idx < y->file_idx ? -1 : x->file_idx > y->file_idx;
}

static int report_cycle(cparse *cp) {
  int start = -1;
  for (size_t i = 0; i < cp->n && start < 0; i++)
    if (!cp->nodes[i].visit) start = (int)i;
  int slow = start;
  for (size_t i = 0; i < cp->n; i++) slow = cp->nodes[slow].parent; /* now inside the cycle */
  char chain[700] = "";
  int k = slow;
  do {
    size_t len = strlen(chain);
    snprintf(chain + len, sizeof chain - len, "%s -> ", node_name(&cp->nodes[k]));
    k = cp->nodes[k].parent;
  } while (k != slow);
  size_t len = strlen(chain);
  snprintf(chain + len, sizeof chain - len, "%s", node_name(&cp->nodes[slow]));
  jstep p[] = {{"CFAssociations", 0}, {NULL, cp->nodes[slow].assoc}};
  return fail_at(cp, p, 2, "isChildOf cycle: %s", chain);
}

/* Depth-first order of the tree (iterative: any depth). */
static int build_order(cparse *cp) {
  size_t n = cp->n;
  skey *keys = malloc((n + 1) * sizeof *keys);
  size_t *first = calloc(n + 2, sizeof *first), *stack = malloc((n + 1) * sizeof *stack);
  size_t *next = calloc(n + 1, sizeof *next);
  int rc = 0;
  if (!keys || !first || !stack || !next) {
    rc = cp_error_set(cp->err, CP_ENOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    cnode *nd = &cp->nodes[i];
    keys[i] = (skey){nd->parent, !nd->has_seq, nd->has_seq ? nd->seq : 0, nd->file_idx, (int)i};
  }
  qsort(keys, n, sizeof *keys, skey_cmp);
  /* first[p + 1] .. first[p + 2]: children of p in keys[] */
  for (size_t i = 0; i < n; i++) first[keys[i].parent + 2]++;
  for (size_t p = 1; p < n + 2; p++) first[p] += first[p - 1];
  size_t top = 0;
  long cur = -1; /* the document */
  size_t pos = first[0];
  for (;;) {
    size_t endp = first[cur + 2];
    if (pos < endp) {
      int child = keys[pos].node;
      cp->nodes[child].visit = 1;
      cp->order[cp->norder++] = child;
      next[top] = pos + 1;
      stack[top++] = (size_t)(cur + 1);
      cur = child;
      pos = first[cur + 1];
      continue;
    }
    if (top == 0) break;
    top--;
    cur = (long)stack[top] - 1;
    pos = next[top];
  }
  if (cp->norder < n) rc = report_cycle(cp);
out:
  free(keys);
  free(first);
  free(stack);
  free(next);
  return rc;
}

/* ---- building the document ---- */

static int set_str(char **field, const char *v, cp_error *err) {
  return cp_fw_set(field, v) ? cp_error_set(err, CP_ENOMEM, "out of memory") : 0;
}

/* The value of a member cpdplan models, or NULL: only a non-empty string is
 * modelled (empty strings and other values stay with the unmodelled ones). */
static const char *take(json_t *rest, const char *key) {
  json_t *v = json_object_get(rest, key);
  return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static bool keys_in_order(json_t *obj, const char *const *canon);

/* Record obj's key order when it is not the order cpdplan writes. */
static void note_order(json_t *sec, const char *name, json_t *obj, const char *const *canon) {
  if (keys_in_order(obj, canon)) return;
  json_t *keys = json_array();
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) json_array_append_new(keys, json_string(k));
  json_object_set_new(sec, name, keys);
}

static int canon_rank(const char *key, const char *const *canon) {
  for (int i = 0; canon[i]; i++)
    if (strcmp(canon[i], key) == 0) return i;
  return 1000;
}

/* True when the known keys of obj come in canonical order and before the
 * unknown ones (which the writer keeps in their own order). */
static bool keys_in_order(json_t *obj, const char *const *canon) {
  int last = -1;
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    int r = canon_rank(k, canon);
    if (r < last) return false;
    last = r;
  }
  return true;
}

static int applicability_of(cparse *cp, cnode *nd, json_t *rest, cp_applicability *out) {
  *out = CP_APPLY_INHERIT;
  json_t *ext = json_object_get(rest, "extensions");
  json_t *a = json_is_object(ext) ? json_object_get(ext, "applicability") : NULL;
  if (!a) return 0;
  const char *s = json_is_string(a) ? json_string_value(a) : "";
  if (strcmp(s, "all") == 0) *out = CP_APPLY_ALL;
  else if (strcmp(s, "agreed") == 0) *out = CP_APPLY_AGREED;
  else {
    jstep p[] = {{"CFItems", 0}, {NULL, (long)nd->file_idx}, {"extensions", 0}, {"applicability", 0}};
    return fail_at(cp, p, 4, "item %s: extensions.applicability must be \"all\" or \"agreed\"", node_name(nd));
  }
  json_t *copy = json_deep_copy(ext);
  json_object_del(copy, "applicability");
  if (json_object_size(copy) == 0) json_object_del(rest, "extensions");
  else json_object_set(rest, "extensions", copy);
  json_decref(copy);
  return 0;
}

static int item_fields(cparse *cp, cnode *nd, cp_fw_item *it, json_t *sec) {
  json_t *rest = json_copy(nd->obj);
  cp_error *err = cp->err;
  int rc = applicability_of(cp, nd, rest, &it->applicability);
  const char *v;
  snprintf(it->uuid, sizeof it->uuid, "%s", nd->id);
  json_object_del(rest, "identifier");
  if (!rc) rc = set_str(&it->statement, json_string_value(json_object_get(rest, "fullStatement")), err);
  json_object_del(rest, "fullStatement");
  static const char *const modelled[] = {"humanCodingScheme", "CFItemType", "abbreviatedStatement", "notes"};
  char **fields[] = {&it->code, &it->item_type, &it->abbreviated, &it->notes};
  for (int i = 0; i < 4 && !rc; i++) {
    if (!(v = take(rest, modelled[i]))) continue;
    rc = set_str(fields[i], v, err);
    json_object_del(rest, modelled[i]);
  }
  note_order(sec, "order", nd->obj, item_keys);
  json_object_set_new(sec, "item", rest);
  if (nd->assoc >= 0) {
    json_t *as = json_array_get(json_object_get(cp->pkg, "CFAssociations"), (size_t)nd->assoc);
    json_object_set(sec, "isChildOf", as);
  }
  return rc;
}

/* Codes for items without a humanCodingScheme: the listEnumeration path
 * ("1.2.a") when it has one all the way up, else the identifier's first 8
 * characters, else the whole identifier. */
static int derive_code(cparse *cp, cp_fw_doc *doc, size_t i, cp_map *codes) {
  cp_fw_item *it = &doc->items[i];
  cnode *nd = &cp->nodes[cp->order[i]];
  const char *le = str_member(nd->obj, "listEnumeration");
  char buf[512] = "";
  if (le && *le) {
    if (it->parent < 0) snprintf(buf, sizeof buf, "%s", le);
    else if (json_is_string(json_object_get(cp->nodes[cp->order[it->parent]].obj, "listEnumeration")))
      snprintf(buf, sizeof buf, "%s.%s", doc->items[it->parent].code, le);
  }
  if (!buf[0] || cp_map_get(codes, buf, NULL)) snprintf(buf, sizeof buf, "%.8s", nd->id);
  if (cp_map_get(codes, buf, NULL)) snprintf(buf, sizeof buf, "%s", nd->id);
  return set_str(&it->code, buf, cp->err);
}

static int check_code(cparse *cp, cp_fw_doc *doc, size_t i, cp_map *codes) {
  cnode *nd = &cp->nodes[cp->order[i]];
  int64_t other;
  if (cp_map_get(codes, doc->items[i].code, &other)) {
    jstep p[] = {{"CFItems", 0}, {NULL, (long)nd->file_idx}, {"humanCodingScheme", 0}};
    return fail_at(cp, p, 3, "duplicate code %s (items %s and %s)", doc->items[i].code,
                   doc->items[other].uuid, nd->id);
  }
  return cp_map_put(codes, doc->items[i].code, (int64_t)i) ? cp_error_set(cp->err, CP_ENOMEM, "out of memory") : 0;
}

static int build_items(cparse *cp, cp_fw_doc *doc) {
  int *index = malloc((cp->n + 1) * sizeof *index); /* node -> item index */
  if (!index) return cp_error_set(cp->err, CP_ENOMEM, "out of memory");
  cp_map codes;
  cp_map_init(&codes, false);
  int rc = 0;
  for (size_t i = 0; i < cp->norder && !rc; i++) {
    cnode *nd = &cp->nodes[cp->order[i]];
    if (cp_fw_doc_add_item(doc) < 0) {
      rc = cp_error_set(cp->err, CP_ENOMEM, "out of memory");
      break;
    }
    index[cp->order[i]] = (int)i;
    cp_fw_item *it = &doc->items[i];
    it->parent = nd->parent < 0 ? -1 : index[nd->parent];
    json_t *extra = json_object(), *sec = json_object();
    json_object_set_new(extra, "case", sec);
    rc = item_fields(cp, nd, it, sec);
    if (!rc && !nd->code) json_object_set_new(sec, "codeDerived", json_true());
    if (!rc && nd->code) rc = check_code(cp, doc, i, &codes);
    char *s = rc ? NULL : json_dumps(extra, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    if (!rc && (!s || set_str(&it->extra_json, s, cp->err))) rc = cp_error_set(cp->err, CP_ENOMEM, "out of memory");
    free(s);
    json_decref(extra);
  }
  for (size_t i = 0; i < cp->norder && !rc; i++)
    if (!cp->nodes[cp->order[i]].code && !(rc = derive_code(cp, doc, i, &codes))) rc = check_code(cp, doc, i, &codes);
  cp_map_free(&codes);
  free(index);
  return rc;
}

/* The order of CFItems when it is not document order. */
static void note_item_order(cparse *cp, json_t *sec) {
  bool same = true;
  for (size_t i = 0; i < cp->norder && same; i++) same = (size_t)cp->order[i] == i;
  if (same) return;
  json_t *ids = json_array();
  for (size_t i = 0; i < cp->n; i++) json_array_append_new(ids, json_string(cp->nodes[i].id));
  json_object_set_new(sec, "itemOrder", ids);
}

/* Associations other than the tree's, verbatim; with markers (the
 * child's identifier) for the tree's when they are not first in tree order. */
static void note_associations(cparse *cp, json_t *sec) {
  json_t *assocs = json_object_get(cp->pkg, "CFAssociations"), *list = json_array(), *others = json_array();
  int *owner = calloc(json_array_size(assocs) + 1, sizeof *owner);
  if (!owner) goto out;
  for (size_t i = 0; i < cp->n; i++)
    if (cp->nodes[i].assoc >= 0) owner[cp->nodes[i].assoc] = (int)i + 1;
  size_t want = 0;
  bool canonical = true;
  for (size_t k = 0; k < json_array_size(assocs); k++) {
    json_t *as = json_array_get(assocs, k);
    if (!owner[k]) {
      json_array_append(list, as);
      json_array_append(others, as);
      continue;
    }
    json_array_append_new(list, json_string(cp->nodes[owner[k] - 1].id));
    while (want < cp->norder && cp->nodes[cp->order[want]].assoc < 0) want++;
    if (json_array_size(others) > 0 || want >= cp->norder || cp->order[want] != owner[k] - 1) canonical = false;
    want++;
  }
  json_object_set(sec, "associations", canonical ? others : list);
out:
  free(owner);
  json_decref(list);
  json_decref(others);
}

static int build_doc(cparse *cp, cp_fw_doc *doc) {
  json_t *d = json_object_get(cp->pkg, "CFDocument"), *rest = json_copy(d);
  json_t *dj = json_object(), *sec = json_object(), *pkg = json_object();
  json_object_set_new(dj, "case", sec);
  snprintf(doc->uuid, sizeof doc->uuid, "%s", str_member(d, "identifier"));
  json_object_del(rest, "identifier");
  int rc = set_str(&doc->title, str_member(d, "title"), cp->err);
  json_object_del(rest, "title");
  static const char *const modelled[] = {"description", "version", "humanCodingScheme"};
  char **fields[] = {&doc->description, &doc->version, &doc->short_name};
  for (int i = 0; i < 3 && !rc; i++) {
    const char *v = take(rest, modelled[i]);
    if (!v) continue;
    rc = set_str(fields[i], v, cp->err);
    json_object_del(rest, modelled[i]);
  }
  if (!rc && !*doc->short_name) {
    rc = set_str(&doc->short_name, doc->title, cp->err);
    json_object_set_new(sec, "shortNameDerived", json_true());
  }
  if (cp->wrapped) json_object_set_new(sec, "wrapper", json_true());
  json_object_set_new(sec, "document", rest);
  note_order(sec, "documentOrder", d, doc_keys);
  const char *k;
  json_t *v;
  json_object_foreach(cp->pkg, k, v) {
    if (canon_rank(k, pkg_keys) == 1000) json_object_set(pkg, k, v);
  }
  json_object_set_new(sec, "package", pkg);
  note_order(sec, "packageOrder", cp->pkg, pkg_keys);
  if (json_object_size(cp->pkg) < 3 + json_object_size(pkg)) {
    json_t *keys = json_array();
    json_object_foreach(cp->pkg, k, v) json_array_append_new(keys, json_string(k));
    json_object_set_new(sec, "packageOrder", keys);
  }
  note_item_order(cp, sec);
  note_associations(cp, sec);
  char *s = json_dumps(dj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  if (!rc && (!s || set_str(&doc->doc_json, s, cp->err))) rc = cp_error_set(cp->err, CP_ENOMEM, "out of memory");
  free(s);
  json_decref(dj);
  return rc;
}

int cp_fw_parse_case(const char *name, const char *data, size_t size, cp_fw_doc **out, cp_error *err) {
  *out = NULL;
  cparse cp = {0};
  cp.name = name ? name : "<case>";
  if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    size -= 3;
  }
  cp.data = data;
  cp.end = data + size;
  cp.err = err;
  cp_map_init(&cp.ids, true);
  cp_fw_doc *doc = NULL;
  int rc = load_json(&cp);
  if (!rc) rc = read_items(&cp);
  if (!rc) rc = read_tree(&cp);
  if (!rc) rc = build_order(&cp);
  if (!rc && !(doc = cp_fw_doc_new())) rc = cp_error_set(err, CP_ENOMEM, "out of memory");
  if (!rc) rc = build_items(&cp, doc);
  if (!rc) rc = build_doc(&cp, doc);
  if (!rc) rc = cp_fw_doc_finish(doc, err);
  json_decref(cp.root);
  cp_map_free(&cp.ids);
  free(cp.nodes);
  free(cp.order);
  if (rc) {
    cp_fw_doc_free(doc);
    return rc;
  }
  doc->source_format = CP_FW_CASE;
  *out = doc;
  return 0;
}

/* ---- writing ---- */

typedef struct cwriter {
  const cp_fw_doc *doc;
  json_t *dsec;      /* the document's "case" section, or NULL */
  json_t **isec;     /* each item's "case" section, or NULL */
  cp_map index;      /* item identifier -> index */
  char now[32];
  cp_error *err;
} cwriter;

static json_t *link_uri(const char *title, const char *id, const char *uri) {
  char urn[64];
  snprintf(urn, sizeof urn, "urn:uuid:%s", id);
  return json_pack("{s:s, s:s, s:s}", "title", title, "identifier", id, "uri", uri ? uri : urn);
}

/* Copy all into a new object: keys of order (if any) first, then known keys
 * in canonical order, then the rest as they come. */
static json_t *ordered(json_t *all, json_t *order, const char *const *canon) {
  json_t *o = json_object();
  size_t i;
  json_t *v;
  json_array_foreach(order, i, v) {
    const char *k = json_string_value(v);
    if (k && json_object_get(all, k)) json_object_set(o, k, json_object_get(all, k));
  }
  for (int c = 0; canon[c]; c++)
    if (json_object_get(all, canon[c]) && !json_object_get(o, canon[c]))
      json_object_set(o, canon[c], json_object_get(all, canon[c]));
  const char *k;
  json_object_foreach(all, k, v) {
    if (!json_object_get(o, k)) json_object_set(o, k, v);
  }
  return o;
}

static void put_str(json_t *o, const char *key, const char *v) {
  if (v && *v) json_object_set_new(o, key, json_string(v));
}

static const char *doc_uri(const cwriter *w) {
  json_t *d = w->dsec ? json_object_get(w->dsec, "document") : NULL;
  return d ? str_member(d, "uri") : NULL;
}

static json_t *build_document(cwriter *w) {
  const cp_fw_doc *doc = w->doc;
  json_t *src = w->dsec ? json_object_get(w->dsec, "document") : NULL;
  json_t *all = src ? json_copy(src) : json_object();
  json_object_set_new(all, "identifier", json_string(doc->uuid));
  json_object_set_new(all, "title", json_string(doc->title));
  put_str(all, "description", doc->description);
  put_str(all, "version", doc->version);
  if (!w->dsec || !json_is_true(json_object_get(w->dsec, "shortNameDerived")))
    put_str(all, "humanCodingScheme", doc->short_name);
  if (!w->dsec) {
    char urn[64];
    snprintf(urn, sizeof urn, "urn:uuid:%s", doc->uuid);
    json_object_set_new(all, "uri", json_string(urn));
    json_object_set_new(all, "creator", json_string("cpdplan"));
    json_object_set_new(all, "lastChangeDateTime", json_string(w->now));
    json_object_set_new(all, "CFPackageURI", link_uri(doc->title, doc->uuid, NULL));
  }
  json_t *o = ordered(all, w->dsec ? json_object_get(w->dsec, "documentOrder") : NULL, doc_keys);
  json_decref(all);
  return o;
}

static const char *item_uri(const cwriter *w, size_t i) {
  json_t *it = w->isec[i] ? json_object_get(w->isec[i], "item") : NULL;
  return it ? str_member(it, "uri") : NULL;
}

static void merge_extensions(json_t *all, cp_applicability a) {
  if (a == CP_APPLY_INHERIT) return;
  json_t *ext = json_object_get(all, "extensions");
  ext = json_is_object(ext) ? json_copy(ext) : json_object();
  json_object_set_new(ext, "applicability", json_string(a == CP_APPLY_AGREED ? "agreed" : "all"));
  json_object_set_new(all, "extensions", ext);
}

static json_t *build_item(cwriter *w, size_t i) {
  const cp_fw_item *it = &w->doc->items[i];
  json_t *sec = w->isec[i], *src = sec ? json_object_get(sec, "item") : NULL;
  json_t *all = src ? json_copy(src) : json_object();
  json_object_set_new(all, "identifier", json_string(it->uuid));
  json_object_set_new(all, "fullStatement", json_string(it->statement));
  if (!sec || !json_is_true(json_object_get(sec, "codeDerived"))) put_str(all, "humanCodingScheme", it->code);
  put_str(all, "abbreviatedStatement", it->abbreviated);
  put_str(all, "CFItemType", it->item_type);
  put_str(all, "notes", it->notes);
  merge_extensions(all, it->applicability);
  if (!sec) {
    char urn[64], le[16];
    snprintf(urn, sizeof urn, "urn:uuid:%s", it->uuid);
    snprintf(le, sizeof le, "%d", it->seq);
    json_object_set_new(all, "uri", json_string(urn));
    json_object_set_new(all, "CFDocumentURI", link_uri(w->doc->title, w->doc->uuid, doc_uri(w)));
    json_object_set_new(all, "listEnumeration", json_string(le));
    json_object_set_new(all, "lastChangeDateTime", json_string(w->now));
  }
  json_t *o = ordered(all, sec ? json_object_get(sec, "order") : NULL, item_keys);
  json_decref(all);
  return o;
}

/* The destination node a tree association of item i points at. */
static json_t *parent_link(cwriter *w, size_t i) {
  const cp_fw_item *it = &w->doc->items[i];
  if (it->parent < 0) return link_uri(w->doc->short_name, w->doc->uuid, doc_uri(w));
  const cp_fw_item *p = &w->doc->items[it->parent];
  return link_uri(p->code, p->uuid, item_uri(w, (size_t)it->parent));
}

static json_t *build_assoc(cwriter *w, size_t i) {
  const cp_fw_item *it = &w->doc->items[i];
  const char *parent_id = it->parent < 0 ? w->doc->uuid : w->doc->items[it->parent].uuid;
  json_t *src = w->isec[i] ? json_object_get(w->isec[i], "isChildOf") : NULL;
  if (src) {
    json_t *as = json_deep_copy(src), *dest = json_object_get(as, "destinationNodeURI");
    if (!json_is_object(dest) || !cp_streq(str_member(dest, "identifier"), parent_id))
      json_object_set_new(as, "destinationNodeURI", parent_link(w, i));
    cnode probe = {0};
    read_seq(&probe, as);
    if (probe.has_seq && probe.seq != it->seq) json_object_set_new(as, "sequenceNumber", json_integer(it->seq));
    return as;
  }
  char name[80], id[37], urn[64];
  snprintf(name, sizeof name, "cpdplan:assoc:%s", it->uuid);
  cp_fw_uuid_for(id, name);
  snprintf(urn, sizeof urn, "urn:uuid:%s", id);
  json_t *as = json_object();
  json_object_set_new(as, "identifier", json_string(id));
  json_object_set_new(as, "uri", json_string(urn));
  json_object_set_new(as, "associationType", json_string("isChildOf"));
  json_object_set_new(as, "CFDocumentURI", link_uri(w->doc->title, w->doc->uuid, doc_uri(w)));
  json_object_set_new(as, "originNodeURI", link_uri(it->code, it->uuid, item_uri(w, i)));
  json_object_set_new(as, "destinationNodeURI", parent_link(w, i));
  json_object_set_new(as, "sequenceNumber", json_integer(it->seq));
  json_object_set_new(as, "lastChangeDateTime", json_string(w->now));
  return as;
}

/* Does item i have a tree association (items read from CASE without one are
 * top level by default and get none)? */
static bool has_assoc(const cwriter *w, size_t i) {
  return !w->isec[i] || json_object_get(w->isec[i], "isChildOf");
}

static int find_item(const cwriter *w, const char *id) {
  int64_t i;
  return id && cp_map_get(&w->index, id, &i) ? (int)i : -1;
}

static json_t *write_items(cwriter *w) {
  json_t *arr = json_array(), *order = w->dsec ? json_object_get(w->dsec, "itemOrder") : NULL;
  char *done = calloc(w->doc->nitems + 1, 1);
  size_t k;
  json_t *v;
  json_array_foreach(order, k, v) {
    int i = find_item(w, json_string_value(v));
    if (i < 0 || !done || done[i]) continue;
    done[i] = 1;
    json_array_append_new(arr, build_item(w, (size_t)i));
  }
  for (size_t i = 0; i < w->doc->nitems; i++)
    if (!done || !done[i]) json_array_append_new(arr, build_item(w, i));
  free(done);
  return arr;
}

static json_t *write_assocs(cwriter *w) {
  json_t *arr = json_array(), *list = w->dsec ? json_object_get(w->dsec, "associations") : NULL;
  char *done = calloc(w->doc->nitems + 1, 1);
  bool placed = false;
  size_t k;
  json_t *v;
  json_array_foreach(list, k, v) placed = placed || json_is_string(v);
  if (placed) {
    json_array_foreach(list, k, v) {
      int i = json_is_string(v) ? find_item(w, json_string_value(v)) : -1;
      if (json_is_object(v)) json_array_append(arr, v);
      else if (i >= 0 && done && !done[i] && has_assoc(w, (size_t)i)) {
        done[i] = 1;
        json_array_append_new(arr, build_assoc(w, (size_t)i));
      }
    }
  }
  for (size_t i = 0; i < w->doc->nitems; i++)
    if ((!done || !done[i]) && has_assoc(w, i)) json_array_append_new(arr, build_assoc(w, i));
  if (!placed) json_array_foreach(list, k, v) json_array_append(arr, v);
  free(done);
  return arr;
}

static json_t *build_package(cwriter *w) {
  json_t *extra = w->dsec ? json_object_get(w->dsec, "package") : NULL;
  json_t *order = w->dsec ? json_object_get(w->dsec, "packageOrder") : NULL;
  json_t *all = extra ? json_copy(extra) : json_object();
  json_object_set_new(all, "CFDocument", build_document(w));
  json_t *items = write_items(w), *assocs = write_assocs(w);
  bool listed_items = false, listed_assocs = false;
  size_t k;
  json_t *v;
  json_array_foreach(order, k, v) {
    listed_items = listed_items || cp_streq(json_string_value(v), "CFItems");
    listed_assocs = listed_assocs || cp_streq(json_string_value(v), "CFAssociations");
  }
  if (!order || listed_items || json_array_size(items)) json_object_set(all, "CFItems", items);
  if (!order || listed_assocs || json_array_size(assocs)) json_object_set(all, "CFAssociations", assocs);
  json_decref(items);
  json_decref(assocs);
  json_t *pkg = ordered(all, order, pkg_keys);
  json_decref(all);
  return pkg;
}

int cp_fw_write_case(const cp_fw_doc *doc, FILE *out, cp_error *err) {
  cwriter w = {doc, NULL, NULL, {0}, "", err};
  cp_map_init(&w.index, false);
  char now[21];
  cp_now_utc(now);
  snprintf(w.now, sizeof w.now, "%.19s+00:00", now);
  w.dsec = cp_fw_section(doc->doc_json, "case");
  w.isec = calloc(doc->nitems + 1, sizeof *w.isec);
  if (!w.isec) {
    json_decref(w.dsec);
    cp_map_free(&w.index);
    return cp_error_set(err, CP_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < doc->nitems; i++) {
    w.isec[i] = cp_fw_section(doc->items[i].extra_json, "case");
    cp_map_put(&w.index, doc->items[i].uuid, (int64_t)i);
  }
  json_t *pkg = build_package(&w), *root = pkg;
  if (w.dsec && json_is_true(json_object_get(w.dsec, "wrapper"))) root = json_pack("{s:O}", "CFPackage", pkg);
  int rc = 0;
  if (!root || json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', out) == EOF ||
      ferror(out))
    rc = cp_error_set(err, CP_EIO, "writing the CASE package failed");
  if (root != pkg) json_decref(root);
  json_decref(pkg);
  for (size_t i = 0; i < doc->nitems; i++) json_decref(w.isec[i]);
  free(w.isec);
  json_decref(w.dsec);
  cp_map_free(&w.index);
  return rc;
}
