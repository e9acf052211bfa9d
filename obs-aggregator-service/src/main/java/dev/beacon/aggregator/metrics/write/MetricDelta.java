package dev.beacon.aggregator.metrics.write;

/**
 * What a set of events adds to one metrics row. Every field is additive except {@link
 * #durationMsMax}, which merges by maximum, and {@link #latencyBuckets}, which merge element-wise.
 */
public final class MetricDelta {

  long calls;
  long errors;
  long inputTokens;
  long outputTokens;
  long cachedInputTokens;
  long reasoningTokens;
  long costNanoUsd;
  long unpricedCalls;
  long durationCount;
  long durationMsSum;
  long durationMsMax;
  final long[] latencyBuckets = new long[LatencyHistogram.BUCKETS];

  /** Counts one event. */
  public void addEvent(
      boolean error,
      long inputTokens,
      long outputTokens,
      long cachedInputTokens,
      long reasoningTokens,
      long costNanoUsd,
      boolean unpriced,
      Long durationMs) {
    calls++;
    errors += error ? 1 : 0;
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
    this.cachedInputTokens += cachedInputTokens;
    this.reasoningTokens += reasoningTokens;
    this.costNanoUsd += costNanoUsd;
    unpricedCalls += unpriced ? 1 : 0;
    if (durationMs != null) {
      durationCount++;
      durationMsSum += durationMs;
      durationMsMax = Math.max(durationMsMax, durationMs);
      latencyBuckets[LatencyHistogram.bucketOf(durationMs)]++;
    }
  }

  /** Adds a correction of an already counted event's cost (re-costing); may be negative. */
  public void addCostCorrection(long costDeltaNanoUsd, long unpricedDelta) {
    costNanoUsd += costDeltaNanoUsd;
    unpricedCalls += unpricedDelta;
  }
}
