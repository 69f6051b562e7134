-- 004_snapshot_index.sql: a covering index for the planner's snapshot, which
-- reads every self and manager judgement of one cycle in person, statement,
-- kind and date order (the latest of each kind wins); without it SQLite sorts
-- the whole cycle's judgements in a temporary B-tree on every run.
CREATE INDEX assessment_cycle ON assessment(cycle_id, person_id, item_id, kind, assessed_on, id, grade);
