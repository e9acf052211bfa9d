package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Absolute totals of one metric bucket (a minute or a day) of a {@link MetricUpdate}. Every value
 * is the bucket's full total after the aggregator's last committed batch, never a delta.
 *
 * @param calls events counted in the bucket
 * @param errors of those, events with {@code status} {@code error}
 * @param inputTokens sum of {@code llm.input_tokens}
 * @param outputTokens sum of {@code llm.output_tokens}
 * @param cachedInputTokens sum of {@code llm.cached_input_tokens}
 * @param reasoningTokens sum of {@code llm.reasoning_tokens}
 * @param costNanoUsd exact cost in nano-USD (10^-9 US dollars), from the aggregator's price table
 * @param durationMsSum sum of {@code duration_ms} over the events that carried one
 * @param durationMsMax largest {@code duration_ms} in the bucket
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricTotals(
    @JsonProperty("calls") long calls,
    @JsonProperty("errors") long errors,
    @JsonProperty("input_tokens") long inputTokens,
    @JsonProperty("output_tokens") long outputTokens,
    @JsonProperty("cached_input_tokens") long cachedInputTokens,
    @JsonProperty("reasoning_tokens") long reasoningTokens,
    @JsonProperty("cost_nano_usd") long costNanoUsd,
    @JsonProperty("duration_ms_sum") long durationMsSum,
    @JsonProperty("duration_ms_max") long durationMsMax) {}
