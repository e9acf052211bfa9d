-- Hourly metrics: the same measures per UTC hour, maintained in the batch transaction together with
-- the minute and day rows, kept for beacon.aggregator.hourly-retention. Serves timeseries step=1h.
-- See docs/adr/0008-hourly-rollup.md.
CREATE TABLE obs.metrics_hourly (
    workspace_id        text        NOT NULL,
    hour_start          timestamptz NOT NULL,
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
    PRIMARY KEY (workspace_id, hour_start, agent_id, type, subject)
);

-- An upgraded install starts with the hours its minute rows still cover (the last 48 h by
-- default). The oldest of those hours is partial when minute retention already trimmed its start.
INSERT INTO obs.metrics_hourly
SELECT workspace_id, date_trunc('hour', minute_start, 'UTC'), agent_id, type, subject,
       sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
       sum(reasoning_tokens), sum(cost_nano_usd), sum(unpriced_calls), sum(duration_count),
       sum(duration_ms_sum), max(duration_ms_max), obs.sum_buckets(latency_buckets)
FROM obs.metrics_minute
GROUP BY workspace_id, date_trunc('hour', minute_start, 'UTC'), agent_id, type, subject;
