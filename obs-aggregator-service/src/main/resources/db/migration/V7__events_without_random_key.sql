-- obs.events drops its primary key (workspace_id, event_id, occurred_at). Event ids are random
-- UUIDs, so every insert landed on a random leaf of that index: once the index outgrew the buffer
-- cache each event cost a page read, a dirty-page write and, after a checkpoint, a full-page image
-- in the WAL. Uniqueness never depended on it (obs.event_ids is the dedupe key, claimed in the
-- same transaction) and a lookup by id finds occurred_at in obs.event_ids first, then the row
-- through events_newest_idx (workspace_id, occurred_at, event_id), whose inserts are time-ordered.
-- See docs/adr/0009-aggregator-write-path.md.
ALTER TABLE obs.events DROP CONSTRAINT events_pkey;
