-- Per-day rollups for the 30-day dashboard reads (docs/adr/0010-subject-day-rollup.md), written in
-- the batch transaction from the same deltas as obs.metrics_daily, kept as long as it is.
--
-- By subject, without the agent: one row per (workspace, day, type, subject) and Kafka partition
-- ("shard") of the events counted in it, so every row has one writer (an agent's events all go to
-- partition workspace_id:agent_id of their type's topic). Shard -1 holds what no consumer wrote:
-- this migration's backfill and re-costing's corrections, whose cost may be negative. A reader
-- always sums over shards.
CREATE TABLE obs.metrics_daily_subject (
    workspace_id        text     NOT NULL,
    day                 date     NOT NULL,
    type                text     NOT NULL,
    subject             text     NOT NULL,
    shard               integer  NOT NULL,
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
    PRIMARY KEY (workspace_id, day, type, subject, shard)
);

-- By agent, without the subject: one row per (workspace, day, agent, type), one writer each.
CREATE TABLE obs.metrics_daily_agent (
    workspace_id        text     NOT NULL,
    day                 date     NOT NULL,
    agent_id            text     NOT NULL,
    type                text     NOT NULL,
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
    PRIMARY KEY (workspace_id, day, agent_id, type)
);

-- An upgraded install starts with rollups of every daily row it has.
INSERT INTO obs.metrics_daily_subject
SELECT workspace_id, day, type, subject, -1,
       sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
       sum(reasoning_tokens), sum(cost_nano_usd), sum(unpriced_calls), sum(duration_count),
       sum(duration_ms_sum), max(duration_ms_max), obs.sum_buckets(latency_buckets)
FROM obs.metrics_daily
GROUP BY workspace_id, day, type, subject;

INSERT INTO obs.metrics_daily_agent
SELECT workspace_id, day, agent_id, type,
       sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
       sum(reasoning_tokens), sum(cost_nano_usd), sum(unpriced_calls), sum(duration_count),
       sum(duration_ms_sum), max(duration_ms_max), obs.sum_buckets(latency_buckets)
FROM obs.metrics_daily
GROUP BY workspace_id, day, agent_id, type;
