package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

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
 * @param latencyBuckets optional: the bucket's {@code duration_ms} histogram in the {@link
 *     LatencyBuckets} layout ({@link LatencyBuckets#COUNT} absolute counts); {@code null} (absent
 *     in JSON) from producers that predate it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricTotals(
    @JsonProperty("calls") long calls,
    @JsonProperty("errors") long errors,
    @JsonProperty("input_tokens") long inputTokens,
    @JsonProperty("output_tokens") long outputTokens,
    @JsonProperty("cached_input_tokens") long cachedInputTokens,
    @JsonProperty("reasoning_tokens") long reasoningTokens,
    @JsonProperty("cost_nano_usd") long costNanoUsd,
    @JsonProperty("duration_ms_sum") long durationMsSum,
    @JsonProperty("duration_ms_max") long durationMsMax,
    @JsonProperty("latency_buckets") long[] latencyBuckets) {

  /** Totals without a latency histogram, as producers before {@code latency_buckets} wrote them. */
  public MetricTotals(
      long calls,
      long errors,
      long inputTokens,
      long outputTokens,
      long cachedInputTokens,
      long reasoningTokens,
      long costNanoUsd,
      long durationMsSum,
      long durationMsMax) {
    this(
        calls,
        errors,
        inputTokens,
        outputTokens,
        cachedInputTokens,
        reasoningTokens,
        costNanoUsd,
        durationMsSum,
        durationMsMax,
        null);
  }

  // The histogram is an array: compare and print it by content, not identity.

  @Override
  public boolean equals(Object other) {
    return other instanceof MetricTotals t
        && calls == t.calls
        && errors == t.errors
        && inputTokens == t.inputTokens
        && outputTokens == t.outputTokens
        && cachedInputTokens == t.cachedInputTokens
        && reasoningTokens == t.reasoningTokens
        && costNanoUsd == t.costNanoUsd
        && durationMsSum == t.durationMsSum
        && durationMsMax == t.durationMsMax
        && Arrays.equals(latencyBuckets, t.latencyBuckets);
  }

  @Override
  public int hashCode() {
    int hash =
        java.util.Objects.hash(
            calls,
            errors,
            inputTokens,
            outputTokens,
            cachedInputTokens,
            reasoningTokens,
            costNanoUsd,
            durationMsSum,
            durationMsMax);
    return 31 * hash + Arrays.hashCode(latencyBuckets);
  }

  @Override
  public String toString() {
    return "MetricTotals[calls=%d, errors=%d, inputTokens=%d, outputTokens=%d, cachedInputTokens=%d, reasoningTokens=%d, costNanoUsd=%d, durationMsSum=%d, durationMsMax=%d, latencyBuckets=%s]"
        .formatted(
            calls,
            errors,
            inputTokens,
            outputTokens,
            cachedInputTokens,
            reasoningTokens,
            costNanoUsd,
            durationMsSum,
            durationMsMax,
            Arrays.toString(latencyBuckets));
  }
}
