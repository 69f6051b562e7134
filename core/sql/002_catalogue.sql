-- 002_catalogue.sql: the CPD catalogue (activities and their dated sessions),
-- the local rule plugins a database runs, and the mentoring pairs the rules
-- count a mentor's capacity against. Enrolments and plans come with the planner.

CREATE TABLE activity(
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  code          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  title         TEXT NOT NULL,
  kind          TEXT NOT NULL DEFAULT '',
  strand        TEXT NOT NULL DEFAULT '',
  days          REAL NOT NULL DEFAULT 0 CHECK (days >= 0),
  cost          REAL NOT NULL DEFAULT 0 CHECK (cost >= 0),
  language      TEXT NOT NULL DEFAULT 'both' CHECK (language IN ('en', 'cy', 'both')),
  provider      TEXT NOT NULL DEFAULT '',
  stages        TEXT NOT NULL DEFAULT '',     -- career stages allowed, space separated ('' = any)
  eligibility   TEXT NOT NULL DEFAULT '',     -- free-text eligibility notes
  awarding_body TEXT NOT NULL DEFAULT '',     -- accredited modules
  credits       REAL NOT NULL DEFAULT 0 CHECK (credits >= 0),
  ord           INTEGER NOT NULL              -- catalogue order (first import order)
);

-- The statements an activity develops, in the order the catalogue lists them.
CREATE TABLE activity_item(
  activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  item_id     INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  PRIMARY KEY(activity_id, item_id)
) WITHOUT ROWID;

CREATE TABLE activity_prereq(
  activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  prereq_id   INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  PRIMARY KEY(activity_id, prereq_id),
  CHECK (activity_id <> prereq_id)
) WITHOUT ROWID;

CREATE TABLE session(
  id             INTEGER PRIMARY KEY,
  uuid           TEXT NOT NULL UNIQUE,
  activity_id    INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  start          TEXT NOT NULL,               -- ISO 8601 date or date-time
  end            TEXT NOT NULL,
  place          TEXT NOT NULL DEFAULT '',
  capacity       INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
  facilitator_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
  language       TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'cy', 'both'))
);
CREATE INDEX session_activity ON session(activity_id, start);
CREATE INDEX session_start ON session(start);

-- Local rule plugins run after plugins/default.lua, in position order.
CREATE TABLE plugin(
  id           INTEGER PRIMARY KEY,
  path         TEXT NOT NULL UNIQUE,          -- absolute path of the .lua file
  name         TEXT NOT NULL,                 -- the plugin's own name field
  version      TEXT NOT NULL,
  options_json TEXT,                          -- ctx.options (JSON) or NULL
  position     INTEGER NOT NULL UNIQUE,
  enabled_at   TEXT NOT NULL
);

-- Mentoring pairs; a mentor's active pairs count against mentor_capacity.
CREATE TABLE mentor_pair(
  id         INTEGER PRIMARY KEY,
  uuid       TEXT NOT NULL UNIQUE,
  mentor_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  mentee_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  cycle_id   INTEGER REFERENCES cycle(id),
  score      REAL NOT NULL DEFAULT 0,
  statements TEXT NOT NULL DEFAULT '',        -- focus statement codes, space separated
  status     TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'active', 'ended')),
  started_on TEXT,
  ended_on   TEXT,
  CHECK (mentor_id <> mentee_id)
);
CREATE INDEX mentor_pair_mentor ON mentor_pair(mentor_id, status);
CREATE INDEX mentor_pair_mentee ON mentor_pair(mentee_id, status);
