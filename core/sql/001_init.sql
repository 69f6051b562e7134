-- 001_init.sql: cpdplan schema version 1: settings, grading scales,
-- frameworks (CASE tree), services and the frameworks they adopt, posts and
-- their agreed statements, people and their profile changes, review cycles,
-- assessments and the evidence they reference. Integer keys stay internal;
-- uuid columns are the public identifiers.

CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE scale(
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT ''
);

-- Levels of a scale: value 1 is best; value NULL is "not applicable".
CREATE TABLE scale_level(
  scale_id    INTEGER NOT NULL REFERENCES scale(id) ON DELETE CASCADE,
  code        TEXT NOT NULL,
  value       INTEGER,
  label       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(scale_id, code)
);

-- The four-level grading model with N/A from the Wales EIP guidance notes.
INSERT INTO scale(id, uuid, name, description) VALUES
 (1, 'a5c1f0a2-3c8e-5b7d-9e41-6f2a8b0c4d11', 'four-level',
  'Four-level grading model of the National Standards for Educational Improvement Professionals in Wales (guidance notes): 1 is best; N/A where a standard is not applicable.');
INSERT INTO scale_level(scale_id, code, value, label, description) VALUES
 (1, '1', 1, 'Consistently very good', 'Practice is consistently very good, much of it exemplary and could be shared with others. The EIP is self motivated to continue to improve his/her practice.'),
 (1, '2', 2, 'Consistently good', 'Practice is consistently good. The EIP recognises his/her development needs and is able to address them.'),
 (1, '3', 3, 'Good in most respects', 'Practice is good in most respects. The EIP is willing to improve his/her performance and acknowledges that some support is required.'),
 (1, '4', 4, 'Good in a limited number of respects', 'Practice is good in only a limited number of respects. The EIP is in need of regular support and encouragement.'),
 (1, 'NA', NULL, 'Not applicable', 'Where the standard is not applicable to the EIP''s specific role it should be marked as not applicable (N/A).');

CREATE TABLE framework(
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,          -- CASE CFDocument identifier
  short_name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
  title         TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  version       TEXT NOT NULL DEFAULT '',
  source_format TEXT NOT NULL DEFAULT 'case' CHECK (source_format IN ('case', 'moodle')),
  scale_id      INTEGER REFERENCES scale(id),
  doc_json      TEXT NOT NULL DEFAULT '{}',    -- source fields not modelled here, kept for export
  imported_at   TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

-- A node of a framework tree: dimension, element, statement, principle...
-- gradeable: 1 for the statements people are assessed against (leaves that
-- are not principles). applicability: 'all' posts, or 'agreed' per post.
CREATE TABLE item(
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  framework_id  INTEGER NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
  parent_id     INTEGER REFERENCES item(id) ON DELETE CASCADE,
  ord           INTEGER NOT NULL,              -- document order within framework
  seq           INTEGER NOT NULL,              -- position among siblings
  depth         INTEGER NOT NULL,
  code          TEXT NOT NULL,
  item_type     TEXT NOT NULL DEFAULT '',
  statement     TEXT NOT NULL,
  abbreviated   TEXT NOT NULL DEFAULT '',
  notes         TEXT NOT NULL DEFAULT '',
  applicability TEXT NOT NULL DEFAULT 'all' CHECK (applicability IN ('all', 'agreed')),
  gradeable     INTEGER NOT NULL DEFAULT 0,
  retired       INTEGER NOT NULL DEFAULT 0,    -- dropped by a newer version but graded: kept for history
  extra_json    TEXT NOT NULL DEFAULT '{}',    -- source fields not modelled here
  UNIQUE(framework_id, code)
);
CREATE INDEX item_code ON item(code);
CREATE INDEX item_parent ON item(parent_id);
CREATE INDEX item_framework ON item(framework_id, ord);

CREATE TABLE service(
  id     INTEGER PRIMARY KEY,
  uuid   TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
  nation TEXT NOT NULL DEFAULT ''   -- wales, england, scotland, ... ('' if not given)
);

CREATE TABLE service_framework(
  service_id   INTEGER NOT NULL REFERENCES service(id) ON DELETE CASCADE,
  framework_id INTEGER NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
  PRIMARY KEY(service_id, framework_id)
);

CREATE TABLE post(
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

-- 'agreed' items added to a post's default profile (an item may be a
-- dimension or element: all the statements under it are meant).
CREATE TABLE post_item(
  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
  PRIMARY KEY(post_id, item_id)
);

CREATE TABLE person(
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE,
  email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name            TEXT NOT NULL,
  post_id         INTEGER REFERENCES post(id),
  team            TEXT NOT NULL DEFAULT '',
  service_id      INTEGER REFERENCES service(id),
  line_manager_id INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  appointed       TEXT,
  stage           TEXT NOT NULL DEFAULT 'established'
                  CHECK (stage IN ('new', 'established', 'experienced', 'senior', 'chief')),
  language        TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'cy', 'both')),
  mentor_capacity INTEGER NOT NULL DEFAULT 0 CHECK (mentor_capacity >= 0),
  retirement_year INTEGER,
  CHECK (line_manager_id IS NULL OR line_manager_id <> id)
);
CREATE INDEX person_manager ON person(line_manager_id);
CREATE INDEX person_service ON person(service_id);

-- Per-person changes to the post's profile, agreed with the line manager.
CREATE TABLE person_item(
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
  mode      TEXT NOT NULL CHECK (mode IN ('add', 'remove')),
  PRIMARY KEY(person_id, item_id)
);

CREATE TABLE cycle(
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- One judgement: never updated, a new judgement is a new row.
-- grade NULL means N/A.
CREATE TABLE assessment(
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  item_id     INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
  cycle_id    INTEGER NOT NULL REFERENCES cycle(id),
  kind        TEXT NOT NULL CHECK (kind IN ('self', 'manager', 'peer', 'stakeholder')),
  grade       INTEGER CHECK (grade IS NULL OR grade BETWEEN 1 AND 9),
  assessor_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
  assessed_on TEXT NOT NULL,
  comment     TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  fingerprint INTEGER NOT NULL      -- hash of the judgement's content: the same row imported twice is kept once
);
CREATE INDEX assessment_person ON assessment(person_id, cycle_id, item_id, kind);

-- Evidence is referenced, never copied: a title and where it lives.
CREATE TABLE evidence(
  assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  title         TEXT NOT NULL,
  location      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(assessment_id, seq)
);
