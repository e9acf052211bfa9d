-- The time index of the event log for the reconciliation's minute checks
-- (docs/adr/0012-incremental-reconciliation.md): each minute, the events of one closed minute are
-- counted against their minute rows. The log is appended almost in time order, so a minute's rows
-- are a few adjacent block ranges of one partition; minmax-multi with small ranges keeps the late
-- events (up to an hour) from widening every range. The check summarizes the ranges appended since
-- its last run itself (brin_summarize_new_values). Created on every partition, present and future.
CREATE INDEX events_occurred_at_brin ON obs.events
    USING brin (occurred_at timestamptz_minmax_multi_ops) WITH (pages_per_range = 16);
