/* snapshot.c: the one reader that fills the planning arrays. A handful of
 * whole-table queries inside one read transaction: statements, people (their
 * profiles built per (service, post) by the profile index and shared by all
 * who have no personal changes), the agreed grade of each profile entry in
 * the cycle (the latest manager judgement, else the latest self-evaluation,
 * read from the grade digests: one row per person),
 * active mentoring pairs, activities and sessions, and for the planner the
 * cycle's enrolments, each person's completed activities and the proposed
 * and active mentoring pairs. Strings live in an arena. */
#include "cpdplan/snapshot.h"

#include "cpdplan/assess.h"
#include "grade_digest.h"
#include "profile_index.h"
#include "store_internal.h"
#include "util.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK ((size_t)1 << 20)

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, cap;
  char data[];
} arena_chunk;

typedef struct cp_id_index {
  int64_t id;
  uint32_t index;
} cp_id_index;

struct cp_snap_mem {
  arena_chunk *chunks;
  cp_map by_email, by_uuid, by_code, by_fwcode, by_activity;
  uint32_t *by_item; /* item id -> statement index */
  cp_map by_session_uuid;
  cp_id_index *session_by_id; /* sessions ordered by store id */
  int64_t max_item;
  int maps_ready;
};

static void *arena_alloc(struct cp_snap_mem *m, size_t n, size_t align) {
  arena_chunk *c = m->chunks;
  size_t off = c ? (c->used + align - 1) & ~(align - 1) : 0;
  if (!c || off + n > c->cap) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    c = malloc(sizeof *c + cap);
    if (!c) return NULL;
    c->cap = cap;
    c->used = 0;
    c->next = m->chunks;
    m->chunks = c;
    off = 0;
  }
  c->used = off + n;
  return c->data + off;
}

static const char *arena_str(struct cp_snap_mem *m, const char *s) {
  if (!s) s = "";
  size_t n = strlen(s) + 1;
  char *p = arena_alloc(m, n, 1);
  if (p) memcpy(p, s, n);
  return p;
}

static const char *const stage_names[] = {"new", "established", "experienced", "senior", "chief"};

int cp_stage_parse(const char *s) {
  for (int i = 0; s && i < 5; i++)
    if (strcmp(s, stage_names[i]) == 0) return i;
  return -1;
}

const char *cp_stage_name(int stage) { return stage >= 0 && stage < 5 ? stage_names[stage] : ""; }

void cp_snapshot_free(cp_snapshot *s) {
  if (!s) return;
  if (s->mem) {
    for (arena_chunk *c = s->mem->chunks, *n; c; c = n) {
      n = c->next;
      free(c);
    }
    cp_map_free(&s->mem->by_email);
    cp_map_free(&s->mem->by_uuid);
    cp_map_free(&s->mem->by_code);
    cp_map_free(&s->mem->by_fwcode);
    cp_map_free(&s->mem->by_activity);
    free(s->mem->by_item);
    cp_map_free(&s->mem->by_session_uuid);
    free(s->mem->session_by_id);
    free(s->mem);
  }
  free(s->people);
  free(s->statements);
  free(s->activities);
  free(s->sessions);
  free(s->enrolments);
  free(s->enrol_start);
  free(s->done);
  free(s->done_start);
  free(s->pairs);
  free(s->cycle);
  free(s);
}

#define OOM(err) cp_error_set((err), CP_ENOMEM, "out of memory")

static uint32_t lookup(const cp_map *m, const char *key);

/* Step a prepared statement; returns 1 on a row, 0 when done, or an error. */
static int step(cp_store *st, sqlite3_stmt *s, const char *what, cp_error *err) {
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) return 1;
  if (r == SQLITE_DONE) return 0;
  return cp_store_db_error(st, err, what);
}

static int count_rows(cp_store *st, const char *sql, size_t *n, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  rc = step(st, s, "counting", err);
  if (rc == 1) {
    *n = (size_t)sqlite3_column_int64(s, 0);
    rc = 0;
  }
  sqlite3_reset(s);
  return rc;
}

static int load_cycle(cp_store *st, cp_snapshot *sn, const char *want, int64_t *cycle_id, cp_error *err) {
  sqlite3_stmt *s;
  *cycle_id = 0;
  int rc = cp_store_prepare(st,
                            want ? "SELECT id, name FROM cycle WHERE name=?1"
                                 : "SELECT id, name FROM cycle ORDER BY name DESC LIMIT 1",
                            &s, err);
  if (rc) return rc;
  if (want) cp_bind_text(s, 1, want);
  rc = step(st, s, "reading cycles", err);
  if (rc == 1) {
    *cycle_id = sqlite3_column_int64(s, 0);
    sn->cycle = cp_strdup(cp_col_text(s, 1));
    rc = sn->cycle ? 0 : OOM(err);
  } else if (rc == 0) {
    sn->cycle = cp_strdup(want ? want : "");
    rc = sn->cycle ? 0 : OOM(err);
    if (!rc && want) rc = cp_error_set(err, CP_EINVAL, "no judgements are held for cycle \"%s\"", want);
  }
  sqlite3_reset(s);
  return rc;
}

static int load_statements(cp_store *st, cp_snapshot *sn, cp_error *err) {
  struct cp_snap_mem *m = sn->mem;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT count(*), coalesce(max(id), 0) FROM item", &s, err);
  if (!rc) {
    rc = step(st, s, "reading items", err);
    if (rc == 1) {
      sn->nstatements = (size_t)sqlite3_column_int64(s, 0); /* an upper bound: grouping items are not statements */
      m->max_item = sqlite3_column_int64(s, 1);
      rc = 0;
    }
    sqlite3_reset(s);
  }
  if (rc) return rc;
  m->by_item = malloc(((size_t)m->max_item + 1) * sizeof *m->by_item);
  sn->statements = calloc(sn->nstatements ? sn->nstatements : 1, sizeof *sn->statements);
  if (!m->by_item || !sn->statements) return OOM(err);
  for (int64_t i = 0; i <= m->max_item; i++) m->by_item[i] = CP_SNAP_NONE;
  rc = cp_store_prepare(st,
                        "SELECT i.id, i.code, f.short_name, i.statement FROM item i JOIN framework f ON"
                        " f.id=i.framework_id WHERE i.gradeable AND NOT i.retired ORDER BY f.id, i.ord",
                        &s, err);
  if (rc) return rc;
  size_t n = 0;
  while ((rc = step(st, s, "reading statements", err)) == 1 && n < sn->nstatements) {
    cp_snap_statement *x = &sn->statements[n];
    x->item_id = sqlite3_column_int64(s, 0);
    x->code = arena_str(m, cp_col_text(s, 1));
    x->framework = arena_str(m, cp_col_text(s, 2));
    x->text = arena_str(m, cp_col_text(s, 3));
    if (!x->code || !x->framework || !x->text) {
      rc = OOM(err);
      break;
    }
    if (x->item_id >= 0 && x->item_id <= m->max_item) m->by_item[x->item_id] = (uint32_t)n;
    cp_buf key;
    cp_buf_init(&key);
    cp_buf_printf(&key, "%s:%s", x->framework, x->code);
    int64_t old;
    if (key.oom || cp_map_put(&m->by_fwcode, key.data, (int64_t)n) ||
        (!cp_map_get(&m->by_code, x->code, &old) && cp_map_put(&m->by_code, x->code, (int64_t)n))) {
      cp_buf_free(&key);
      rc = OOM(err);
      break;
    }
    cp_buf_free(&key);
    n++;
  }
  sqlite3_reset(s);
  sn->nstatements = n;
  return rc < 0 ? rc : 0;
}

/* A person's profile: shared by everyone with the same (service, post) and no
 * personal changes, else their own. */
typedef struct combo_prof {
  int64_t service_id, post_id;
  uint32_t *list;
  uint32_t n;
} combo_prof;

typedef struct prof_cache {
  combo_prof *c;
  size_t n, cap;
  uint32_t *tmp;
} prof_cache;

static int build_profile(cp_snapshot *sn, cp_profile_index *ix, int64_t person_id, int64_t service_id,
                         int64_t post_id, prof_cache *pc, cp_snap_person *p) {
  int personal = cp_profile_index_has_changes(ix, person_id);
  if (!personal) {
    for (size_t i = 0; i < pc->n; i++)
      if (pc->c[i].service_id == service_id && pc->c[i].post_id == post_id) {
        p->profile = pc->c[i].list;
        p->nprofile = pc->c[i].n;
        return 0;
      }
  }
  uint32_t n = 0;
  for (size_t k = 0; k < sn->nstatements; k++) {
    int src = cp_profile_index_source(ix, person_id, service_id, post_id, sn->statements[k].item_id);
    if (src < 0) return CP_ENOMEM;
    if (src) pc->tmp[n++] = (uint32_t)k;
  }
  uint32_t *list = arena_alloc(sn->mem, (n ? n : 1) * sizeof *list, sizeof *list);
  if (!list) return CP_ENOMEM;
  memcpy(list, pc->tmp, n * sizeof *list);
  p->profile = list;
  p->nprofile = n;
  if (!personal) {
    if (cp_grow(&pc->c, pc->n, &pc->cap, sizeof *pc->c, 32)) return CP_ENOMEM;
    combo_prof x = {service_id, post_id, list, n};
    pc->c[pc->n++] = x;
  }
  return 0;
}

static int load_people(cp_store *st, cp_snapshot *sn, int64_t **ids_out, cp_error *err) {
  struct cp_snap_mem *m = sn->mem;
  size_t cap = 0;
  int rc = count_rows(st, "SELECT count(*) FROM person", &cap, err);
  if (rc) return rc;
  sn->people = calloc(cap ? cap : 1, sizeof *sn->people);
  int64_t *mgr = calloc(cap ? cap : 1, sizeof *mgr);
  *ids_out = mgr;
  if (!sn->people || !mgr) return OOM(err);
  cp_profile_index *ix = NULL;
  rc = cp_profile_index_load(st, &ix, err);
  if (rc) return rc;
  prof_cache pc = {NULL, 0, 0, malloc((sn->nstatements ? sn->nstatements : 1) * sizeof(uint32_t))};
  sqlite3_stmt *s = NULL;
  if (!pc.tmp) rc = OOM(err);
  if (!rc)
    rc = cp_store_prepare(st,
                          "SELECT p.id, p.uuid, p.name, p.email, coalesce(po.name, ''), p.team, coalesce(sv.name, ''),"
                          " coalesce(p.line_manager_id, 0), coalesce(p.appointed, ''), p.stage, p.language,"
                          " p.mentor_capacity, coalesce(p.retirement_year, 0), coalesce(p.service_id, 0),"
                          " coalesce(p.post_id, 0) FROM person p LEFT JOIN post po ON po.id=p.post_id"
                          " LEFT JOIN service sv ON sv.id=p.service_id ORDER BY p.id",
                          &s, err);
  size_t n = 0;
  while (!rc && (rc = step(st, s, "reading people", err)) == 1) {
    rc = 0;
    if (n == cap) break;
    cp_snap_person *p = &sn->people[n];
    p->id = sqlite3_column_int64(s, 0);
    p->uuid = arena_str(m, cp_col_text(s, 1));
    p->name = arena_str(m, cp_col_text(s, 2));
    p->email = arena_str(m, cp_col_text(s, 3));
    p->post = arena_str(m, cp_col_text(s, 4));
    p->team = arena_str(m, cp_col_text(s, 5));
    p->service = arena_str(m, cp_col_text(s, 6));
    mgr[n] = sqlite3_column_int64(s, 7);
    p->appointed = arena_str(m, cp_col_text(s, 8));
    p->stage = cp_stage_parse(cp_col_text(s, 9));
    p->language = arena_str(m, cp_col_text(s, 10));
    p->mentor_capacity = sqlite3_column_int(s, 11);
    p->retirement_year = sqlite3_column_int(s, 12);
    p->manager = CP_SNAP_NONE;
    if (!p->uuid || !p->name || !p->email || !p->post || !p->team || !p->service || !p->appointed || !p->language ||
        cp_map_put(&m->by_email, p->email, (int64_t)n) || cp_map_put(&m->by_uuid, p->uuid, (int64_t)n) ||
        build_profile(sn, ix, p->id, sqlite3_column_int64(s, 13), sqlite3_column_int64(s, 14), &pc, p)) {
      rc = OOM(err);
      break;
    }
    n++;
  }
  if (s) sqlite3_reset(s);
  sn->npeople = n;
  cp_profile_index_free(ix);
  free(pc.c);
  free(pc.tmp);
  return rc < 0 ? rc : 0;
}

/* Person index by store id (people are ordered by id). */
static uint32_t person_by_id(const cp_snapshot *sn, int64_t id) {
  size_t lo = 0, hi = sn->npeople;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (sn->people[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < sn->npeople && sn->people[lo].id == id ? (uint32_t)lo : CP_SNAP_NONE;
}

/* The agreed grades of the cycle (per person and statement the latest
 * manager judgement, else the latest self-evaluation) from the grade
 * digests: one row per person, in person order. A stale or unreadable
 * digest is folded from that person's judgements here (grade_digest.c). */
typedef struct grade_sink {
  const struct cp_snap_mem *m;
  const int32_t *pos_of; /* statement -> position in the person's profile, or -1 */
  int8_t *grades;
} grade_sink;

static void put_grade(void *ud, int64_t item, int grade) {
  grade_sink *g = ud;
  uint32_t k = item >= 0 && item <= g->m->max_item ? g->m->by_item[item] : CP_SNAP_NONE;
  int32_t pos = k == CP_SNAP_NONE ? -1 : g->pos_of[k];
  if (pos >= 0) g->grades[pos] = (int8_t)grade;
}

static int load_grades(cp_store *st, cp_snapshot *sn, int64_t cycle_id, cp_error *err) {
  struct cp_snap_mem *m = sn->mem;
  for (size_t i = 0; i < sn->npeople; i++) {
    cp_snap_person *p = &sn->people[i];
    int8_t *g = arena_alloc(m, p->nprofile ? p->nprofile : 1, 1);
    if (!g) return OOM(err);
    memset(g, CP_GRADE_NONE, p->nprofile);
    p->grades = g;
  }
  if (!cycle_id) return 0;
  int32_t *pos_of = malloc((sn->nstatements ? sn->nstatements : 1) * sizeof *pos_of);
  if (!pos_of) return OOM(err);
  memset(pos_of, 0xff, (sn->nstatements ? sn->nstatements : 1) * sizeof *pos_of);
  const uint32_t *shown = NULL; /* the profile pos_of holds */
  uint32_t nshown = 0;
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT person_id, grades FROM grade_digest WHERE cycle_id=?1 ORDER BY person_id",
                            &s, err);
  if (rc) {
    free(pos_of);
    return rc;
  }
  sqlite3_bind_int64(s, 1, cycle_id);
  while ((rc = step(st, s, "reading grade digests", err)) == 1) {
    rc = 0;
    int64_t person = sqlite3_column_int64(s, 0);
    uint32_t pi = person_by_id(sn, person);
    if (pi == CP_SNAP_NONE) continue;
    cp_snap_person *p = &sn->people[pi];
    if (p->profile != shown) {
      for (uint32_t k = 0; k < nshown; k++) pos_of[shown[k]] = -1;
      for (uint32_t k = 0; k < p->nprofile; k++) pos_of[p->profile[k]] = (int32_t)k;
      shown = p->profile;
      nshown = p->nprofile;
    }
    grade_sink sink = {m, pos_of, (int8_t *)p->grades};
    cp_digest_reader rd;
    int ok = sqlite3_column_type(s, 1) == SQLITE_BLOB &&
             cp_digest_open(&rd, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1)) == 0;
    int64_t item;
    int grade, r = 0;
    while (ok && (r = cp_digest_next(&rd, &item, &grade)) == 1) put_grade(&sink, item, grade);
    if (ok && r == 0) continue;
    /* stale (NULL) or unreadable: fold it from the judgements */
    memset(sink.grades, CP_GRADE_NONE, p->nprofile);
    if ((rc = cp_grade_fold(st, cycle_id, person, put_grade, &sink, NULL, err))) break;
  }
  sqlite3_reset(s);
  free(pos_of);
  if (rc) return rc;
  for (size_t i = 0; i < sn->npeople; i++) {
    cp_snap_person *q = &sn->people[i];
    for (uint32_t k = 0; k < q->nprofile; k++) q->nassessed += q->grades[k] != CP_GRADE_NONE;
  }
  return 0;
}

static int load_mentees(cp_store *st, cp_snapshot *sn, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT mentor_id, count(*) FROM mentor_pair WHERE status='active' GROUP BY mentor_id",
                            &s, err);
  if (rc) return rc;
  while ((rc = step(st, s, "reading mentoring pairs", err)) == 1) {
    uint32_t i = person_by_id(sn, sqlite3_column_int64(s, 0));
    if (i != CP_SNAP_NONE) sn->people[i].mentees = sqlite3_column_int(s, 1);
  }
  sqlite3_reset(s);
  return rc;
}

/* Read (owner id, target id) rows into per-owner index lists. */
static int load_links(cp_store *st, cp_snapshot *sn, const char *sql, int statements, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, sql, &s, err);
  if (rc) return rc;
  size_t cap = 0, n = 0;
  int64_t *rows = NULL; /* pairs (owner, target) */
  while (!rc && (rc = step(st, s, "reading the catalogue", err)) == 1) {
    rc = 0;
    if (cp_grow(&rows, n, &cap, 2 * sizeof *rows, 64)) {
      rc = OOM(err);
      break;
    }
    rows[2 * n] = sqlite3_column_int64(s, 0);
    rows[2 * n + 1] = sqlite3_column_int64(s, 1);
    n++;
  }
  sqlite3_reset(s);
  /* rows are ordered by owner: each owner's run becomes its list */
  for (size_t i = 0, a = 0; !rc && i < n; i = a) {
    for (a = i; a < n && rows[2 * a] == rows[2 * i]; a++) {}
    uint32_t owner = CP_SNAP_NONE;
    for (size_t k = 0; k < sn->nactivities; k++)
      if (sn->activities[k].id == rows[2 * i]) owner = (uint32_t)k;
    if (owner == CP_SNAP_NONE) continue;
    uint32_t *list = arena_alloc(sn->mem, (a - i) * sizeof *list, sizeof *list);
    if (!list) {
      rc = OOM(err);
      break;
    }
    uint32_t m = 0;
    for (size_t k = i; k < a; k++) {
      int64_t t = rows[2 * k + 1];
      uint32_t x = CP_SNAP_NONE;
      if (statements) x = t >= 0 && t <= sn->mem->max_item ? sn->mem->by_item[t] : CP_SNAP_NONE;
      else
        for (size_t q = 0; q < sn->nactivities; q++)
          if (sn->activities[q].id == t) x = (uint32_t)q;
      if (x != CP_SNAP_NONE) list[m++] = x;
    }
    cp_snap_activity *act = &sn->activities[owner];
    if (statements) act->statements = list, act->nstatements = m;
    else act->prereqs = list, act->nprereqs = m;
  }
  free(rows);
  return rc;
}

static int load_activities(cp_store *st, cp_snapshot *sn, cp_error *err) {
  struct cp_snap_mem *m = sn->mem;
  size_t cap = 0;
  int rc = count_rows(st, "SELECT count(*) FROM activity", &cap, err);
  if (rc) return rc;
  sn->activities = calloc(cap ? cap : 1, sizeof *sn->activities);
  if (!sn->activities) return OOM(err);
  sqlite3_stmt *s;
  rc = cp_store_prepare(st,
                        "SELECT id, code, title, kind, strand, language, provider, stages, eligibility, awarding_body,"
                        " days, cost, credits FROM activity ORDER BY ord, id",
                        &s, err);
  if (rc) return rc;
  size_t n = 0;
  while ((rc = step(st, s, "reading activities", err)) == 1 && n < cap) {
    rc = 0;
    cp_snap_activity *a = &sn->activities[n];
    a->id = sqlite3_column_int64(s, 0);
    const char **f[] = {&a->code, &a->title, &a->kind, &a->strand, &a->language,
                        &a->provider, &a->stages, &a->eligibility, &a->awarding_body};
    for (int k = 0; k < 9; k++)
      if (!(*f[k] = arena_str(m, cp_col_text(s, k + 1)))) rc = OOM(err);
    a->days = sqlite3_column_double(s, 10);
    a->cost = sqlite3_column_double(s, 11);
    a->credits = sqlite3_column_double(s, 12);
    if (!rc && cp_map_put(&m->by_activity, a->code, (int64_t)n)) rc = OOM(err);
    if (rc) break;
    n++;
  }
  sqlite3_reset(s);
  sn->nactivities = n;
  if (rc < 0) return rc;
  rc = load_links(st, sn, "SELECT activity_id, item_id FROM activity_item ORDER BY activity_id, seq", 1, err);
  if (!rc)
    rc = load_links(st, sn, "SELECT activity_id, prereq_id FROM activity_prereq ORDER BY activity_id, seq", 0, err);
  return rc;
}

static int load_sessions(cp_store *st, cp_snapshot *sn, cp_error *err) {
  struct cp_snap_mem *m = sn->mem;
  size_t cap = 0;
  int rc = count_rows(st, "SELECT count(*) FROM session", &cap, err);
  if (rc) return rc;
  sn->sessions = calloc(cap ? cap : 1, sizeof *sn->sessions);
  if (!sn->sessions) return OOM(err);
  sqlite3_stmt *s;
  rc = cp_store_prepare(st,
                        "SELECT s.id, s.uuid, s.start, s.end, s.place, s.language, a.code,"
                        " coalesce(s.facilitator_id, 0), s.capacity FROM session s JOIN activity a ON"
                        " a.id=s.activity_id ORDER BY s.start, a.code, s.id",
                        &s, err);
  if (rc) return rc;
  size_t n = 0;
  while ((rc = step(st, s, "reading sessions", err)) == 1 && n < cap) {
    rc = 0;
    cp_snap_session *x = &sn->sessions[n];
    x->id = sqlite3_column_int64(s, 0);
    const char **f[] = {&x->uuid, &x->start, &x->end, &x->place, &x->language};
    for (int k = 0; k < 5; k++)
      if (!(*f[k] = arena_str(m, cp_col_text(s, k + 1)))) rc = OOM(err);
    if (rc) break;
    x->activity = cp_snapshot_activity(sn, cp_col_text(s, 6));
    int64_t fac = sqlite3_column_int64(s, 7);
    x->facilitator = fac ? person_by_id(sn, fac) : CP_SNAP_NONE;
    x->capacity = sqlite3_column_int(s, 8);
    n++;
  }
  sqlite3_reset(s);
  sn->nsessions = n;
  return rc < 0 ? rc : 0;
}

static int cmp_id_index(const void *a, const void *b) {
  const cp_id_index *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Session lookups by store id and by uuid. */
static int index_sessions(cp_snapshot *sn, cp_error *err) {
  struct cp_snap_mem *m = sn->mem;
  m->session_by_id = malloc((sn->nsessions ? sn->nsessions : 1) * sizeof *m->session_by_id);
  if (!m->session_by_id) return OOM(err);
  for (size_t i = 0; i < sn->nsessions; i++) {
    m->session_by_id[i] = (cp_id_index){sn->sessions[i].id, (uint32_t)i};
    if (cp_map_put(&m->by_session_uuid, sn->sessions[i].uuid, (int64_t)i)) return OOM(err);
  }
  qsort(m->session_by_id, sn->nsessions, sizeof *m->session_by_id, cmp_id_index);
  return 0;
}

uint32_t cp_snapshot_session_by_id(const cp_snapshot *s, int64_t id) {
  const cp_id_index *v = s->mem->session_by_id;
  size_t lo = 0, hi = s->nsessions;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (v[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < s->nsessions && v[lo].id == id ? v[lo].index : CP_SNAP_NONE;
}

uint32_t cp_snapshot_session(const cp_snapshot *s, const char *uuid) { return lookup(&s->mem->by_session_uuid, uuid); }

static const char *const enrol_names[] = {"proposed", "confirmed", "waitlisted", "attended", "completed", "withdrawn"};

int cp_enrol_status_parse(const char *s) {
  for (int i = 0; s && i < 6; i++)
    if (strcmp(s, enrol_names[i]) == 0) return i;
  return -1;
}

const char *cp_enrol_status_name(int status) { return status >= 0 && status < 6 ? enrol_names[status] : "?"; }

/* Offsets of per-person runs in a list ordered by person. */
static uint32_t *person_offsets(size_t npeople, const void *items, size_t n, size_t size, size_t person_off) {
  uint32_t *start = calloc(npeople + 1, sizeof *start);
  if (!start) return NULL;
  for (size_t i = 0; i < n; i++) {
    uint32_t p;
    memcpy(&p, (const char *)items + i * size + person_off, sizeof p);
    start[p + 1]++;
  }
  for (size_t i = 0; i < npeople; i++) start[i + 1] += start[i];
  return start;
}

static int cmp_enrolment(const void *a, const void *b) {
  const cp_snap_enrolment *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  return x->session < y->session ? -1 : x->session > y->session;
}

static int load_enrolments(cp_store *st, cp_snapshot *sn, cp_error *err) {
  int rc = index_sessions(sn, err);
  size_t cap = 0, n = 0;
  if (!rc) rc = count_rows(st, "SELECT count(*) FROM enrolment", &cap, err);
  if (rc) return rc;
  sn->enrolments = malloc((cap ? cap : 1) * sizeof *sn->enrolments);
  if (!sn->enrolments) return OOM(err);
  sqlite3_stmt *s;
  rc = cp_store_prepare(st,
                        "SELECT person_id, session_id, status, coalesce(position, 0) FROM enrolment"
                        " WHERE cycle_id=?1",
                        &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, sn->cycle_id);
  while ((rc = step(st, s, "reading enrolments", err)) == 1 && n < cap) {
    rc = 0;
    uint32_t p = person_by_id(sn, sqlite3_column_int64(s, 0));
    uint32_t x = cp_snapshot_session_by_id(sn, sqlite3_column_int64(s, 1));
    int status = cp_enrol_status_parse(cp_col_text(s, 2));
    if (p == CP_SNAP_NONE || x == CP_SNAP_NONE || status < 0) continue;
    sn->enrolments[n++] = (cp_snap_enrolment){p, x, status, sqlite3_column_int(s, 3)};
  }
  sqlite3_reset(s);
  if (rc < 0) return rc;
  sn->nenrolments = n;
  qsort(sn->enrolments, n, sizeof *sn->enrolments, cmp_enrolment);
  sn->enrol_start = person_offsets(sn->npeople, sn->enrolments, n, sizeof *sn->enrolments,
                                   offsetof(cp_snap_enrolment, person));
  return sn->enrol_start ? 0 : OOM(err);
}

typedef struct person_item {
  uint32_t person, item;
} person_item;

static int cmp_person_item(const void *a, const void *b) {
  const person_item *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  return x->item < y->item ? -1 : x->item > y->item;
}

/* Each person's completed activities, from the CPD record. */
static int load_done(cp_store *st, cp_snapshot *sn, cp_error *err) {
  size_t cap = 0, n = 0;
  int rc = count_rows(st, "SELECT count(*) FROM cpd_record", &cap, err);
  if (rc) return rc;
  person_item *pi = malloc((cap ? cap : 1) * sizeof *pi);
  if (!pi) return OOM(err);
  sqlite3_stmt *s;
  rc = cp_store_prepare(st, "SELECT r.person_id, a.code FROM cpd_record r JOIN activity a ON a.id=r.activity_id", &s,
                        err);
  while (!rc && (rc = step(st, s, "reading the CPD record", err)) == 1 && n < cap) {
    rc = 0;
    uint32_t p = person_by_id(sn, sqlite3_column_int64(s, 0));
    uint32_t a = cp_snapshot_activity(sn, cp_col_text(s, 1));
    if (p != CP_SNAP_NONE && a != CP_SNAP_NONE) pi[n++] = (person_item){p, a};
  }
  if (rc >= 0 && s) sqlite3_reset(s);
  if (rc < 0) {
    free(pi);
    return rc;
  }
  qsort(pi, n, sizeof *pi, cmp_person_item);
  size_t w = 0;
  for (size_t i = 0; i < n; i++)
    if (!w || pi[w - 1].person != pi[i].person || pi[w - 1].item != pi[i].item) pi[w++] = pi[i];
  sn->done = malloc((w ? w : 1) * sizeof *sn->done);
  sn->done_start = person_offsets(sn->npeople, pi, w, sizeof *pi, offsetof(person_item, person));
  for (size_t i = 0; sn->done && i < w; i++) sn->done[i] = pi[i].item;
  free(pi);
  return sn->done && sn->done_start ? 0 : OOM(err);
}

static int cmp_pair(const void *a, const void *b) {
  const cp_snap_pair *x = a, *y = b;
  if (x->mentee != y->mentee) return x->mentee < y->mentee ? -1 : 1;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

static int load_pairs(cp_store *st, cp_snapshot *sn, cp_error *err) {
  size_t cap = 0, n = 0;
  int rc = count_rows(st, "SELECT count(*) FROM mentor_pair", &cap, err);
  if (rc) return rc;
  sn->pairs = malloc((cap ? cap : 1) * sizeof *sn->pairs);
  if (!sn->pairs) return OOM(err);
  sqlite3_stmt *s;
  rc = cp_store_prepare(st,
                        "SELECT mentee_id, mentor_id, status='active' FROM mentor_pair"
                        " WHERE status IN ('proposed', 'active')",
                        &s, err);
  if (rc) return rc;
  while ((rc = step(st, s, "reading mentoring pairs", err)) == 1 && n < cap) {
    rc = 0;
    uint32_t e = person_by_id(sn, sqlite3_column_int64(s, 0)), r = person_by_id(sn, sqlite3_column_int64(s, 1));
    if (e != CP_SNAP_NONE && r != CP_SNAP_NONE) sn->pairs[n++] = (cp_snap_pair){e, r, sqlite3_column_int(s, 2)};
  }
  sqlite3_reset(s);
  if (rc < 0) return rc;
  sn->npairs = n;
  qsort(sn->pairs, n, sizeof *sn->pairs, cmp_pair);
  return 0;
}

int cp_snapshot_load(cp_store *st, const cp_snapshot_options *opt, cp_snapshot **out, cp_error *err) {
  if (!out || !st) return cp_error_set(err, CP_EINVAL, "cp_snapshot_load: missing argument");
  *out = NULL;
  if (opt && opt->version != CP_SNAPSHOT_OPTIONS_VERSION)
    return cp_error_set(err, CP_EINVAL, "snapshot options: unsupported version %u", opt->version);
  if (opt && opt->today && !cp_date_valid(opt->today))
    return cp_error_set(err, CP_EINVAL, "bad date \"%s\" (wanted YYYY-MM-DD)", opt->today);
  cp_snapshot *sn = calloc(1, sizeof *sn);
  if (!sn || !(sn->mem = calloc(1, sizeof *sn->mem))) {
    free(sn);
    return OOM(err);
  }
  struct cp_snap_mem *m = sn->mem;
  cp_map_init(&m->by_email, true);
  cp_map_init(&m->by_uuid, true);
  cp_map_init(&m->by_code, false);
  cp_map_init(&m->by_fwcode, true);
  cp_map_init(&m->by_activity, true);
  cp_map_init(&m->by_session_uuid, true);
  if (opt && opt->today) snprintf(sn->today, sizeof sn->today, "%s", opt->today);
  else cp_date_today(sn->today);
  int own = cp_store_depth(st) == 0;
  int rc = own ? cp_store_exec(st, "BEGIN", err) : 0;
  int64_t cycle_id = 0, *mgr = NULL;
  if (!rc) rc = load_cycle(st, sn, opt ? opt->cycle : NULL, &cycle_id, err);
  if (!rc) rc = load_statements(st, sn, err);
  if (!rc) rc = load_people(st, sn, &mgr, err);
  for (size_t i = 0; !rc && i < sn->npeople; i++)
    if (mgr[i]) sn->people[i].manager = person_by_id(sn, mgr[i]);
  free(mgr);
  if (!rc) rc = load_grades(st, sn, cycle_id, err);
  if (!rc) rc = load_mentees(st, sn, err);
  if (!rc) rc = load_activities(st, sn, err);
  if (!rc) rc = load_sessions(st, sn, err);
  sn->cycle_id = cycle_id;
  if (!rc) rc = load_enrolments(st, sn, err);
  if (!rc) rc = load_done(st, sn, err);
  if (!rc) rc = load_pairs(st, sn, err);
  if (own) {
    cp_error ignore;
    cp_store_exec(st, rc ? "ROLLBACK" : "COMMIT", &ignore);
  }
  if (rc) {
    cp_snapshot_free(sn);
    return rc;
  }
  *out = sn;
  return 0;
}

static uint32_t lookup(const cp_map *m, const char *key) {
  int64_t v;
  return key && cp_map_get(m, key, &v) ? (uint32_t)v : CP_SNAP_NONE;
}

uint32_t cp_snapshot_person(const cp_snapshot *s, const char *ref) {
  uint32_t i = lookup(&s->mem->by_email, ref);
  return i != CP_SNAP_NONE ? i : lookup(&s->mem->by_uuid, ref);
}

uint32_t cp_snapshot_statement(const cp_snapshot *s, const char *code) {
  uint32_t i = lookup(&s->mem->by_code, code);
  return i != CP_SNAP_NONE ? i : lookup(&s->mem->by_fwcode, code);
}

uint32_t cp_snapshot_activity(const cp_snapshot *s, const char *code) { return lookup(&s->mem->by_activity, code); }

char *cp_snapshot_codes(const cp_snapshot *s, const uint32_t *list, size_t n) {
  size_t len = 1;
  for (size_t i = 0; i < n; i++) len += strlen(s->statements[list[i]].code) + 1;
  char *out = malloc(len), *w = out;
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) {
    size_t k = strlen(s->statements[list[i]].code);
    if (i) *w++ = ' ';
    memcpy(w, s->statements[list[i]].code, k);
    w += k;
  }
  *w = '\0';
  return out;
}

/* (a binary search without branches on the data: the rules ask it for
 * every statement of every profile) */
long cp_snapshot_profile_pos(const cp_snap_person *p, uint32_t st) {
  if (!p->nprofile) return -1;
  const uint32_t *b = p->profile;
  uint32_t n = p->nprofile;
  while (n > 1) { /* the last entry <= st is in b[0..n) */
    uint32_t half = n / 2;
    b = b[half] <= st ? b + half : b;
    n -= half;
  }
  return *b == st ? (long)(b - p->profile) : -1;
}

static int parse_day(const char *s, long *out) {
  if (!s || strlen(s) < 10) return 0;
  char d[11];
  memcpy(d, s, 10);
  d[10] = '\0';
  if (!cp_date_valid(d)) return 0;
  *out = (long)cp_days_from_civil(atoi(d), atoi(d + 5), atoi(d + 8));
  return 1;
}

long cp_days_between(const char *a, const char *b) {
  long x, y;
  if (!parse_day(a, &x) || !parse_day(b, &y)) return 0;
  return y - x;
}
