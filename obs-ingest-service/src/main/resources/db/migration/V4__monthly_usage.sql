-- Events accepted per workspace and calendar month (UTC), against the plan's events_per_month
-- (ADR 0024). One row per workspace and month, changed by one statement per batch: the
-- reservation adds min(requested, remaining) and returns it in last_granted; a batch Kafka did not
-- acknowledge gives its grant back. A low fillfactor leaves room on each page for HOT updates of
-- these hot rows.
CREATE TABLE monthly_usage (
    workspace_id text   NOT NULL,
    month        date   NOT NULL CHECK (extract(day FROM month) = 1),
    events       bigint NOT NULL CHECK (events >= 0),
    last_granted bigint NOT NULL CHECK (last_granted >= 0),
    PRIMARY KEY (workspace_id, month)
) WITH (fillfactor = 50);
