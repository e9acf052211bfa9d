-- Per-workspace settings of the aggregator. A workspace without a row uses the defaults
-- (beacon.aggregator.retention). retention_days applies to the event log (obs.events and its
-- dedupe keys); daily metrics and runs are kept, minute rows follow beacon.aggregator.minute-retention.
CREATE TABLE obs.workspace_settings (
    workspace_id   text        PRIMARY KEY,
    retention_days integer     NOT NULL CHECK (retention_days BETWEEN 1 AND 400),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     text        NOT NULL
);
