-- One row per agent action (an approval request), paired from its state events by action_id: when
-- it was proposed, decided (approved / rejected / expired) and finished (executed / failed). Events
-- may come in any order and more than once: each column is set by LEAST / COALESCE merges, so the
-- row converges whatever the order, and only events newly inserted into the log reach it.
CREATE TABLE obs.actions (
    workspace_id text        NOT NULL,
    action_id    text        NOT NULL,
    agent_id     text        NOT NULL DEFAULT '',
    kind         text        NOT NULL,
    proposed_at  timestamptz,
    decided_at   timestamptz,
    decision     text        CHECK (decision IN ('approved', 'rejected', 'expired')),
    finished_at  timestamptz,
    outcome      text        CHECK (outcome IN ('executed', 'failed')),
    PRIMARY KEY (workspace_id, action_id)
);

CREATE INDEX actions_proposed_idx ON obs.actions (workspace_id, proposed_at);
