/* enrol.c: confirm, withdraw and complete a place; change a session's
 * capacity; offer a freed place down the waitlist. A place is held when it
 * is proposed, confirmed, attended or completed. The waitlist is the
 * session's waitlisted places in position order; the first person who can
 * take the place (no other held session of the activity, no clash with a
 * held session, each prerequisite completed or held in a session that ends
 * before) gets it as a proposal, and the positions behind close up. These
 * are single-person changes, so they query the store directly. */
#include "cpdplan/enrol.h"

#include "store_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELD "('proposed', 'confirmed', 'attended', 'completed')"

typedef struct place {
  int64_t id, person_id, session_id, activity_id;
  char status[16], email[320], activity[64], start[40], end[40];
  int capacity;
  double days;
} place;

static int find_place(cp_store *st, const char *person, const char *session, place *pl, cp_error *err) {
  memset(pl, 0, sizeof *pl);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT e.id, e.person_id, e.session_id, s.activity_id, e.status, p.email, a.code, s.start,"
                            " s.end, s.capacity, a.days FROM enrolment e JOIN person p ON p.id=e.person_id"
                            " JOIN session s ON s.id=e.session_id JOIN activity a ON a.id=s.activity_id"
                            " WHERE (p.email=?1 COLLATE NOCASE OR p.uuid=?1) AND s.uuid=?2 COLLATE NOCASE",
                            &s, err);
  if (rc) return rc;
  cp_bind_text(s, 1, person);
  cp_bind_text(s, 2, session);
  int r = sqlite3_step(s);
  if (r == SQLITE_ROW) {
    pl->id = sqlite3_column_int64(s, 0);
    pl->person_id = sqlite3_column_int64(s, 1);
    pl->session_id = sqlite3_column_int64(s, 2);
    pl->activity_id = sqlite3_column_int64(s, 3);
    snprintf(pl->status, sizeof pl->status, "%s", cp_col_text(s, 4));
    snprintf(pl->email, sizeof pl->email, "%s", cp_col_text(s, 5));
    snprintf(pl->activity, sizeof pl->activity, "%s", cp_col_text(s, 6));
    snprintf(pl->start, sizeof pl->start, "%s", cp_col_text(s, 7));
    snprintf(pl->end, sizeof pl->end, "%s", cp_col_text(s, 8));
    pl->capacity = sqlite3_column_int(s, 9);
    pl->days = sqlite3_column_double(s, 10);
  }
  sqlite3_reset(s);
  if (r == SQLITE_ROW) return 0;
  if (r != SQLITE_DONE) return cp_store_db_error(st, err, "reading enrolments");
  return cp_error_set(err, CP_ENOTFOUND, "%s has no place in session %s (see cpdplan plan show)", person, session);
}

static int set_status(cp_store *st, int64_t id, const char *status, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "UPDATE enrolment SET status=?2, position=NULL, updated=?3 WHERE id=?1", &s, err);
  if (rc) return rc;
  char now[21];
  cp_now_utc(now);
  sqlite3_bind_int64(s, 1, id);
  cp_bind_text(s, 2, status);
  cp_bind_text(s, 3, now);
  rc = sqlite3_step(s) == SQLITE_DONE ? 0 : cp_store_db_error(st, err, "changing a place");
  sqlite3_reset(s);
  return rc;
}

static int count_held(cp_store *st, int64_t session_id, int *n, cp_error *err) {
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st, "SELECT count(*) FROM enrolment WHERE session_id=?1 AND status IN " HELD, &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, session_id);
  *n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
  sqlite3_reset(s);
  return 0;
}

/* Can person take a place in session (activity, start, end)? */
static int can_take(cp_store *st, int64_t person_id, int64_t session_id, int64_t activity_id, const char *start,
                    const char *end, int *ok, cp_error *err) {
  *ok = 0;
  int64_t s0 = cp_datetime_minutes(start, false), s1 = cp_datetime_minutes(end, true);
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT s.activity_id, s.start, s.end FROM enrolment e JOIN session s ON s.id=e.session_id"
                            " WHERE e.person_id=?1 AND e.session_id<>?2 AND e.status IN " HELD,
                            &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, person_id);
  sqlite3_bind_int64(s, 2, session_id);
  int bad = 0;
  while (!bad && sqlite3_step(s) == SQLITE_ROW) {
    int64_t a = sqlite3_column_int64(s, 0);
    int64_t t0 = cp_datetime_minutes(cp_col_text(s, 1), false), t1 = cp_datetime_minutes(cp_col_text(s, 2), true);
    bad = a == activity_id || (t0 < s1 && s0 < t1);
  }
  sqlite3_reset(s);
  if (bad) return 0;
  /* every prerequisite completed, or held in a session that ends before */
  rc = cp_store_prepare(st,
                        "SELECT p.prereq_id, (SELECT count(*) FROM cpd_record r WHERE r.person_id=?1 AND"
                        " r.activity_id=p.prereq_id) FROM activity_prereq p WHERE p.activity_id=?2",
                        &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, person_id);
  sqlite3_bind_int64(s, 2, activity_id);
  int64_t need[32];
  int nneed = 0;
  while (sqlite3_step(s) == SQLITE_ROW)
    if (!sqlite3_column_int(s, 1) && nneed < 32) need[nneed++] = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  for (int i = 0; i < nneed && !bad; i++) {
    rc = cp_store_prepare(st,
                          "SELECT s.end FROM enrolment e JOIN session s ON s.id=e.session_id WHERE e.person_id=?1"
                          " AND s.activity_id=?2 AND e.status IN " HELD,
                          &s, err);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int64(s, 2, need[i]);
    int met = 0;
    while (!met && sqlite3_step(s) == SQLITE_ROW) met = cp_datetime_minutes(cp_col_text(s, 0), true) <= s0;
    sqlite3_reset(s);
    bad = !met;
  }
  *ok = !bad;
  return 0;
}

/* Offer a freed place in session_id to the first who can take it. */
static int offer(cp_store *st, int64_t session_id, char *who, size_t whosize, cp_error *err) {
  if (who) *who = '\0';
  sqlite3_stmt *s;
  int rc = cp_store_prepare(st,
                            "SELECT e.id, e.person_id, p.email, e.position, s.activity_id, s.start, s.end"
                            " FROM enrolment e JOIN person p ON p.id=e.person_id JOIN session s ON s.id=e.session_id"
                            " WHERE e.session_id=?1 AND e.status='waitlisted' ORDER BY e.position, e.id",
                            &s, err);
  if (rc) return rc;
  typedef struct waiting {
    int64_t id, person_id, activity_id;
    int position;
    char email[320], start[40], end[40];
  } waiting;
  waiting *v = NULL;
  size_t n = 0, cap = 0;
  sqlite3_bind_int64(s, 1, session_id);
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (cp_grow(&v, n, &cap, sizeof *v, 8)) {
      rc = cp_error_set(err, CP_ENOMEM, "out of memory");
      break;
    }
    waiting *x = &v[n++];
    x->id = sqlite3_column_int64(s, 0);
    x->person_id = sqlite3_column_int64(s, 1);
    snprintf(x->email, sizeof x->email, "%s", cp_col_text(s, 2));
    x->position = sqlite3_column_int(s, 3);
    x->activity_id = sqlite3_column_int64(s, 4);
    snprintf(x->start, sizeof x->start, "%s", cp_col_text(s, 5));
    snprintf(x->end, sizeof x->end, "%s", cp_col_text(s, 6));
  }
  sqlite3_reset(s);
  for (size_t i = 0; !rc && i < n; i++) {
    int ok;
    rc = can_take(st, v[i].person_id, session_id, v[i].activity_id, v[i].start, v[i].end, &ok, err);
    if (rc || !ok) continue;
    rc = cp_store_prepare(st,
                          "UPDATE enrolment SET status='proposed', position=NULL, updated=?2,"
                          " reason='offered from the waitlist: a place freed' WHERE id=?1",
                          &s, err);
    if (rc) break;
    char now[21];
    cp_now_utc(now);
    sqlite3_bind_int64(s, 1, v[i].id);
    cp_bind_text(s, 2, now);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "offering a place");
    sqlite3_reset(s);
    if (!rc) rc = cp_store_prepare(st,
                                   "UPDATE enrolment SET position=position-1 WHERE session_id=?1 AND"
                                   " status='waitlisted' AND position>?2",
                                   &s, err);
    if (!rc) {
      sqlite3_bind_int64(s, 1, session_id);
      sqlite3_bind_int(s, 2, v[i].position);
      if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "closing up the waitlist");
      sqlite3_reset(s);
    }
    if (!rc && who) snprintf(who, whosize, "%s", v[i].email);
    break;
  }
  free(v);
  return rc;
}

static void outcome(cp_enrol_outcome *out, const place *pl, const char *to) {
  if (!out) return;
  memset(out, 0, sizeof *out);
  snprintf(out->person, sizeof out->person, "%s", pl->email);
  snprintf(out->activity, sizeof out->activity, "%s", pl->activity);
  snprintf(out->start, sizeof out->start, "%s", pl->start);
  snprintf(out->from, sizeof out->from, "%s", pl->status);
  snprintf(out->to, sizeof out->to, "%s", to);
}

static int finish(cp_store *st, int rc, cp_error *err) {
  if (rc) {
    cp_store_rollback(st);
    return rc;
  }
  return cp_store_commit(st, err);
}

int cp_enrol_confirm(cp_store *st, const char *person, const char *session, cp_enrol_outcome *out, cp_error *err) {
  if (!st || !person || !session) return cp_error_set(err, CP_EINVAL, "cp_enrol_confirm: missing argument");
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  place pl;
  rc = find_place(st, person, session, &pl, err);
  if (!rc && strcmp(pl.status, "proposed") && strcmp(pl.status, "waitlisted"))
    rc = cp_error_set(err, CP_EINVAL, "%s's place in %s on %s is %s: only a proposed or waitlisted place is confirmed",
                      pl.email, pl.activity, pl.start, pl.status);
  if (!rc && strcmp(pl.status, "waitlisted") == 0 && pl.capacity > 0) {
    int held = 0;
    rc = count_held(st, pl.session_id, &held, err);
    if (!rc && held >= pl.capacity)
      rc = cp_error_set(err, CP_EINVAL, "%s on %s is full (%d of %d places): %s stays on the waitlist", pl.activity,
                        pl.start, held, pl.capacity, pl.email);
  }
  if (!rc && strcmp(pl.status, "waitlisted") == 0) {
    int ok;
    rc = can_take(st, pl.person_id, pl.session_id, pl.activity_id, pl.start, pl.end, &ok, err);
    if (!rc && !ok)
      rc = cp_error_set(err, CP_EINVAL, "%s cannot take %s on %s: it clashes with a place held, repeats an activity or"
                        " comes before a prerequisite", pl.email, pl.activity, pl.start);
  }
  if (!rc) rc = set_status(st, pl.id, "confirmed", err);
  if (!rc) outcome(out, &pl, "confirmed");
  return finish(st, rc, err);
}

int cp_enrol_withdraw(cp_store *st, const char *person, const char *session, cp_enrol_outcome *out, cp_error *err) {
  if (!st || !person || !session) return cp_error_set(err, CP_EINVAL, "cp_enrol_withdraw: missing argument");
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  place pl;
  rc = find_place(st, person, session, &pl, err);
  if (!rc && (strcmp(pl.status, "completed") == 0 || strcmp(pl.status, "attended") == 0 ||
              strcmp(pl.status, "withdrawn") == 0))
    rc = cp_error_set(err, CP_EINVAL, "%s's place in %s on %s is %s already", pl.email, pl.activity, pl.start,
                      pl.status);
  int held = !rc && (strcmp(pl.status, "proposed") == 0 || strcmp(pl.status, "confirmed") == 0);
  if (!rc) rc = set_status(st, pl.id, "withdrawn", err);
  if (!rc) outcome(out, &pl, "withdrawn");
  if (!rc && held) rc = offer(st, pl.session_id, out ? out->offered : NULL, out ? sizeof out->offered : 0, err);
  return finish(st, rc, err);
}

int cp_enrol_complete(cp_store *st, const char *person, const char *session, double hours, const char *reflection,
                      const char *date, cp_enrol_outcome *out, cp_error *err) {
  if (!st || !person || !session) return cp_error_set(err, CP_EINVAL, "cp_enrol_complete: missing argument");
  char today[11];
  if (date && !cp_date_valid(date)) return cp_error_set(err, CP_EINVAL, "bad date \"%s\" (wanted YYYY-MM-DD)", date);
  if (!date) cp_date_today(today), date = today;
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  place pl;
  rc = find_place(st, person, session, &pl, err);
  if (!rc && strcmp(pl.status, "confirmed") && strcmp(pl.status, "attended"))
    rc = cp_error_set(err, CP_EINVAL, "%s's place in %s on %s is %s: only a confirmed or attended place is completed",
                      pl.email, pl.activity, pl.start, pl.status);
  if (!rc && hours < 0) hours = pl.days * CP_HOURS_PER_DAY;
  if (!rc) rc = set_status(st, pl.id, "completed", err);
  sqlite3_stmt *s;
  if (!rc)
    rc = cp_store_prepare(st,
                          "INSERT INTO cpd_record(uuid, person_id, activity_id, session_id, completed_on, hours,"
                          " reflection) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          &s, err);
  if (!rc) {
    char uuid[37];
    cp_uuid_new(uuid);
    cp_bind_text(s, 1, uuid);
    sqlite3_bind_int64(s, 2, pl.person_id);
    sqlite3_bind_int64(s, 3, pl.activity_id);
    sqlite3_bind_int64(s, 4, pl.session_id);
    cp_bind_text(s, 5, date);
    sqlite3_bind_double(s, 6, hours);
    cp_bind_text(s, 7, reflection ? reflection : "");
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "adding to the CPD record");
    sqlite3_reset(s);
  }
  if (!rc) {
    outcome(out, &pl, "completed");
    if (out) out->hours = hours;
  }
  return finish(st, rc, err);
}

int cp_session_set_capacity(cp_store *st, const char *session, int capacity, int *offered, cp_error *err) {
  if (offered) *offered = 0;
  if (!st || !session) return cp_error_set(err, CP_EINVAL, "cp_session_set_capacity: missing argument");
  if (capacity < 0) return cp_error_set(err, CP_EINVAL, "capacity must be 0 (not limited) or more");
  int rc = cp_store_begin(st, err);
  if (rc) return rc;
  sqlite3_stmt *s;
  int64_t sid = 0;
  rc = cp_store_prepare(st, "SELECT id FROM session WHERE uuid=?1 COLLATE NOCASE", &s, err);
  if (!rc) {
    cp_bind_text(s, 1, session);
    if (sqlite3_step(s) == SQLITE_ROW) sid = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (!sid) rc = cp_error_set(err, CP_ENOTFOUND, "no session \"%s\" (see cpdplan session list)", session);
  }
  if (!rc) rc = cp_store_prepare(st, "UPDATE session SET capacity=?2 WHERE id=?1", &s, err);
  if (!rc) {
    sqlite3_bind_int64(s, 1, sid);
    sqlite3_bind_int(s, 2, capacity);
    if (sqlite3_step(s) != SQLITE_DONE) rc = cp_store_db_error(st, err, "changing the capacity");
    sqlite3_reset(s);
  }
  /* offer each free place down the waitlist */
  for (int guard = 0; !rc && guard < 100000; guard++) {
    int held = 0;
    rc = count_held(st, sid, &held, err);
    if (rc || (capacity > 0 && held >= capacity)) break;
    char who[320];
    rc = offer(st, sid, who, sizeof who, err);
    if (rc || !*who) break;
    if (offered) (*offered)++;
  }
  return finish(st, rc, err);
}
