-- Append-only event log, dedupe keys, minute and daily metrics, runs. See docs/adr/0005-event-log-and-metrics-tables.md.

-- Dedupe: one row per (workspace_id, event_id), whatever the event's time. obs.events cannot carry a
-- unique key without its partition key (occurred_at), so the idempotency key lives here.
CREATE TABLE obs.event_ids (
    workspace_id text        NOT NULL,
    event_id     uuid        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, event_id)
);
CREATE INDEX event_ids_occurred_at_idx ON obs.event_ids (occurred_at);

-- The log, partitioned by day of occurred_at (UTC) so retention is a partition drop.
-- Partitions are created on demand by the aggregator (obs.events_pYYYYMMDD).
CREATE TABLE obs.events (
    workspace_id          text        NOT NULL,
    event_id              uuid        NOT NULL,
    occurred_at           timestamptz NOT NULL,
    type                  text        NOT NULL,
    agent_id              text        NOT NULL DEFAULT '',
    subject               text        NOT NULL DEFAULT '',
    run_id                text,
    trace_id              text,
    span_id               text,
    parent_span_id        text,
    status                text,
    error_type            text,
    error_message         text,
    duration_ms           bigint,
    provider              text,
    model                 text,
    input_tokens          bigint,
    output_tokens         bigint,
    cached_input_tokens   bigint,
    reasoning_tokens      bigint,
    usage_flags           text[],
    reported_cost_nano_usd bigint,
    cost_nano_usd         bigint      NOT NULL DEFAULT 0,
    pricing_status        text,
    pricing_id            bigint,
    tool_name             text,
    tool_integration      text,
    action_kind           text,
    action_state          text,
    service_name          text,
    service_operation     text,
    metadata              jsonb,
    tags                  text[],
    ingested_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, event_id, occurred_at),
    CONSTRAINT events_pricing_status_chk CHECK (pricing_status IN ('priced', 'reported', 'unpriced'))
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_newest_idx ON obs.events (workspace_id, occurred_at DESC, event_id DESC);
CREATE INDEX events_run_idx ON obs.events (workspace_id, run_id, occurred_at) WHERE run_id IS NOT NULL;

-- Element-wise sum of two latency histograms (fixed log-scale buckets, same length).
CREATE FUNCTION obs.add_buckets(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE
           WHEN a IS NULL THEN b
           WHEN b IS NULL THEN a
           ELSE ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0)
                      FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
                      ORDER BY i)
       END
$$;

CREATE AGGREGATE obs.sum_buckets(bigint[]) (
    SFUNC = obs.add_buckets,
    STYPE = bigint[],
    PARALLEL = SAFE
);

-- One row per (workspace, agent, type, subject, minute); additive upserts only.
CREATE TABLE obs.metrics_minute (
    workspace_id        text        NOT NULL,
    minute_start        timestamptz NOT NULL,
    agent_id            text        NOT NULL,
    type                text        NOT NULL,
    subject             text        NOT NULL,
    calls               bigint      NOT NULL,
    errors              bigint      NOT NULL,
    input_tokens        bigint      NOT NULL,
    output_tokens       bigint      NOT NULL,
    cached_input_tokens bigint      NOT NULL,
    reasoning_tokens    bigint      NOT NULL,
    cost_nano_usd       bigint      NOT NULL,
    unpriced_calls      bigint      NOT NULL,
    duration_count      bigint      NOT NULL,
    duration_ms_sum     bigint      NOT NULL,
    duration_ms_max     bigint      NOT NULL,
    latency_buckets     bigint[]    NOT NULL,
    PRIMARY KEY (workspace_id, minute_start, agent_id, type, subject)
);

-- Same measures per UTC day; kept beyond the event log's retention.
CREATE TABLE obs.metrics_daily (
    workspace_id        text     NOT NULL,
    day                 date     NOT NULL,
    agent_id            text     NOT NULL,
    type                text     NOT NULL,
    subject             text     NOT NULL,
    calls               bigint   NOT NULL,
    errors              bigint   NOT NULL,
    input_tokens        bigint   NOT NULL,
    output_tokens       bigint   NOT NULL,
    cached_input_tokens bigint   NOT NULL,
    reasoning_tokens    bigint   NOT NULL,
    cost_nano_usd       bigint   NOT NULL,
    unpriced_calls      bigint   NOT NULL,
    duration_count      bigint   NOT NULL,
    duration_ms_sum     bigint   NOT NULL,
    duration_ms_max     bigint   NOT NULL,
    latency_buckets     bigint[] NOT NULL,
    PRIMARY KEY (workspace_id, day, agent_id, type, subject)
);

-- One row per run; every event with a run_id adds to it, run_start / run_end set its bounds.
CREATE TABLE obs.runs (
    workspace_id    text        NOT NULL,
    run_id          text        NOT NULL,
    agent_id        text,
    started_at      timestamptz,
    ended_at        timestamptz,
    end_status      text,
    end_duration_ms bigint,
    first_event_at  timestamptz NOT NULL,
    last_event_at   timestamptz NOT NULL,
    events          bigint      NOT NULL,
    errors          bigint      NOT NULL,
    input_tokens    bigint      NOT NULL,
    output_tokens   bigint      NOT NULL,
    cost_nano_usd   bigint      NOT NULL,
    PRIMARY KEY (workspace_id, run_id)
);
CREATE INDEX runs_recent_idx ON obs.runs (workspace_id, first_event_at DESC, run_id DESC);
