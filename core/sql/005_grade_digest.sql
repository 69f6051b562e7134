-- 005_grade_digest.sql: each person's agreed grades of a cycle, folded once
-- from the judgements (the latest manager judgement of each statement, else
-- the latest self-evaluation) and kept as one small blob, so that the
-- planner's snapshot reads one row per person instead of every judgement.
-- Judgements are the truth; a digest is only a cache of them. Triggers mark
-- a person's digest stale (grades NULL) whenever their judgements of that
-- cycle change, however they change; cpdplan folds stale digests again when
-- it records judgements or opens the database read-write, and a snapshot
-- folds any still stale itself. The blob's format is in grade_digest.c.
CREATE TABLE grade_digest(
  cycle_id  INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  grades    BLOB,             -- NULL: stale, to be folded again
  PRIMARY KEY(cycle_id, person_id)
) WITHOUT ROWID;
CREATE INDEX grade_digest_stale ON grade_digest(cycle_id, person_id) WHERE grades IS NULL;

CREATE TRIGGER assessment_digest_insert AFTER INSERT ON assessment BEGIN
  INSERT INTO grade_digest(cycle_id, person_id, grades) VALUES (NEW.cycle_id, NEW.person_id, NULL)
    ON CONFLICT(cycle_id, person_id) DO UPDATE SET grades = NULL WHERE grades IS NOT NULL;
END;
CREATE TRIGGER assessment_digest_delete AFTER DELETE ON assessment BEGIN
  UPDATE grade_digest SET grades = NULL
   WHERE cycle_id = OLD.cycle_id AND person_id = OLD.person_id AND grades IS NOT NULL;
END;
-- (only a change to what folding reads: a person deleted sets assessor_id
-- NULL on the judgements they made, which changes no grade)
CREATE TRIGGER assessment_digest_update
AFTER UPDATE OF id, person_id, item_id, cycle_id, kind, grade, assessed_on ON assessment BEGIN
  UPDATE grade_digest SET grades = NULL
   WHERE cycle_id = OLD.cycle_id AND person_id = OLD.person_id AND grades IS NOT NULL;
  INSERT INTO grade_digest(cycle_id, person_id, grades) VALUES (NEW.cycle_id, NEW.person_id, NULL)
    ON CONFLICT(cycle_id, person_id) DO UPDATE SET grades = NULL WHERE grades IS NOT NULL;
END;

-- every person judged in a cycle gets a digest, stale until folded
INSERT INTO grade_digest(cycle_id, person_id, grades)
  SELECT DISTINCT cycle_id, person_id, NULL FROM assessment;
