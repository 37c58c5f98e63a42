-- The event log's public order is assigned after commit, in commit order, so a reader that polls with the sequence of
-- the last event it saw never skips one. A bigserial is drawn at insert: a transaction that draws n and commits after
-- another that drew n + 1 would be skipped by a reader that saw n + 1 first. Now the bigserial only identifies the
-- row (insert_id), and `sequence` is given by the store's event sequencer: under one advisory lock, in a transaction
-- of its own, it numbers the committed rows that have no sequence yet, following the highest sequence given. Its
-- transactions commit one after another, so every reader sees a gap-free prefix of the log.
ALTER TABLE events RENAME COLUMN sequence TO insert_id;
ALTER TABLE events ADD COLUMN sequence bigint UNIQUE;
UPDATE events SET sequence = insert_id;

DROP INDEX events_object;
DROP INDEX events_kind;
DROP INDEX events_project;
CREATE INDEX events_object ON events (object_id, sequence);
CREATE INDEX events_kind ON events (object_kind, sequence);
CREATE INDEX events_project ON events (project_id, sequence) WHERE project_id IS NOT NULL;
CREATE INDEX events_unsequenced ON events (insert_id) WHERE sequence IS NULL;
