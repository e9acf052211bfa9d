-- How often the conversation's current run has stopped (ended, or paused for approvals): a run
-- that waited goes on as the same run and stops again, and (run, stop) names each stop.
ALTER TABLE conversations ADD COLUMN run_stops integer NOT NULL DEFAULT 0;

-- The outbox of chat.turn-stops.v1 (ADR 0028): one row per stop, written in the statement that
-- ends or pauses the turn, so a stop is never lost and never told twice under another id. The
-- publisher sends rows in seq order and marks them; published rows are deleted after a week.
CREATE TABLE turn_stops (
    stop_id         text        PRIMARY KEY,
    seq             bigserial   NOT NULL UNIQUE,
    workspace_id    text        NOT NULL,
    agent_id        uuid        NOT NULL,
    run_id          uuid        NOT NULL,
    -- the TurnStop record's JSON exactly as it is published
    payload         text        NOT NULL,
    stopped_at      timestamptz NOT NULL,
    published_at    timestamptz
);

CREATE INDEX turn_stops_unpublished_idx ON turn_stops (seq) WHERE published_at IS NULL;
CREATE INDEX turn_stops_published_idx ON turn_stops (published_at) WHERE published_at IS NOT NULL;
