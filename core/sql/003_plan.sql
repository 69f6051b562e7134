-- 003_plan.sql: what the planner writes and people then do with it:
-- enrolments (a person's place in a session, with its state), the CPD
-- record (completed activities with hours and reflection), each person's
-- plan for a cycle (sessions, mentoring and the needs left open, with the
-- reason) and one row per planning run with the objective it reached and
-- the bound it proved.

-- proposed and waitlisted places move when the plan is re-made; confirmed,
-- attended and completed ones never do; withdrawn ones are kept for history.
CREATE TABLE enrolment(
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  session_id  INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
  cycle_id    INTEGER NOT NULL REFERENCES cycle(id),
  status      TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'waitlisted', 'attended',
                                              'completed', 'withdrawn')),
  position    INTEGER,                       -- waitlist order in the session, 1 = first
  score       REAL NOT NULL DEFAULT 0,       -- the rules' score of the place
  reason      TEXT NOT NULL DEFAULT '',
  updated     TEXT NOT NULL,                 -- date-time of the last change
  UNIQUE (person_id, session_id)
);
CREATE INDEX enrolment_session ON enrolment(session_id, status, position);
CREATE INDEX enrolment_cycle ON enrolment(cycle_id, person_id);

-- A completed activity: from a completed enrolment or recorded directly.
CREATE TABLE cpd_record(
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  person_id    INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  activity_id  INTEGER NOT NULL REFERENCES activity(id),
  session_id   INTEGER REFERENCES session(id) ON DELETE SET NULL,
  completed_on TEXT NOT NULL,                -- YYYY-MM-DD
  hours        REAL NOT NULL DEFAULT 0 CHECK (hours >= 0),
  reflection   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cpd_record_person ON cpd_record(person_id, completed_on);

-- A person's plan for a cycle, one row per item: a session place, a mentor,
-- or a need left open (kind 'open', with the reason). need_id is the need
-- the item covers (NULL for a session or mentor row covering several).
CREATE TABLE plan_item(
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  cycle_id    INTEGER NOT NULL REFERENCES cycle(id),
  kind        TEXT NOT NULL CHECK (kind IN ('session', 'mentor', 'open')),
  activity_id INTEGER REFERENCES activity(id),
  session_id  INTEGER REFERENCES session(id) ON DELETE SET NULL,
  mentor_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  statements  TEXT NOT NULL DEFAULT '',      -- the need codes the item covers (or leaves open)
  status      TEXT NOT NULL DEFAULT '',
  score       REAL NOT NULL DEFAULT 0,
  reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_item_person ON plan_item(cycle_id, person_id, kind);

-- One planning run per cycle (the latest replaces the earlier one).
CREATE TABLE plan_run(
  cycle_id   INTEGER PRIMARY KEY REFERENCES cycle(id),
  made       TEXT NOT NULL,                  -- date-time
  method     TEXT NOT NULL,                  -- fast or exact
  objective  INTEGER NOT NULL,               -- in score units x scale
  bound      INTEGER NOT NULL,
  scale      INTEGER NOT NULL,               -- plugin scores x scale, rounded once
  json       TEXT NOT NULL DEFAULT '{}'      -- the run's summary as schedule writes it
);
