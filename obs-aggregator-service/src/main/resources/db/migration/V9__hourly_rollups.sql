-- Per-hour rollups for the step=1h time series (docs/adr/0011-hourly-rollups.md), the hourly
-- counterparts of V8's per-day rollups: written in the batch transaction from the same deltas as
-- obs.metrics_hourly, kept and deleted with it (beacon.aggregator.hourly-retention).
--
-- By subject, without the agent, one row per Kafka partition ("shard") of the events counted in it
-- so every row has one writer; shard -1 holds this migration's backfill and re-costing's
-- corrections. A reader always sums over shards.
CREATE TABLE obs.metrics_hourly_subject (
    workspace_id        text        NOT NULL,
    hour_start          timestamptz NOT NULL,
    type                text        NOT NULL,
    subject             text        NOT NULL,
    shard               integer     NOT NULL,
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
    PRIMARY KEY (workspace_id, hour_start, type, subject, shard)
);

-- By agent, without the subject: one row per (workspace, hour, agent, type), one writer each.
CREATE TABLE obs.metrics_hourly_agent (
    workspace_id        text        NOT NULL,
    hour_start          timestamptz NOT NULL,
    agent_id            text        NOT NULL,
    type                text        NOT NULL,
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
    PRIMARY KEY (workspace_id, hour_start, agent_id, type)
);

-- An upgraded install starts with rollups of every hourly row it has.
INSERT INTO obs.metrics_hourly_subject
SELECT workspace_id, hour_start, type, subject, -1,
       sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
       sum(reasoning_tokens), sum(cost_nano_usd), sum(unpriced_calls), sum(duration_count),
       sum(duration_ms_sum), max(duration_ms_max), obs.sum_buckets(latency_buckets)
FROM obs.metrics_hourly
GROUP BY workspace_id, hour_start, type, subject;

INSERT INTO obs.metrics_hourly_agent
SELECT workspace_id, hour_start, agent_id, type,
       sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
       sum(reasoning_tokens), sum(cost_nano_usd), sum(unpriced_calls), sum(duration_count),
       sum(duration_ms_sum), max(duration_ms_max), obs.sum_buckets(latency_buckets)
FROM obs.metrics_hourly
GROUP BY workspace_id, hour_start, agent_id, type;
