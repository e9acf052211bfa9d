package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.metrics.write.LatencyHistogram;
import io.r2dbc.spi.Row;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measures of a set of metrics rows, as the read API shows them. Cost is exact: an integer of
 * nano-USD and the same amount as a decimal string of USD. Percentiles come from the merged
 * histogram and are exact to within one bucket.
 */
public record MetricValues(
    long calls,
    long errors,
    double errorRate,
    long inputTokens,
    long outputTokens,
    long cachedInputTokens,
    long reasoningTokens,
    long costNanoUsd,
    String costUsd,
    long unpricedCalls,
    Long avgMs,
    Long p50Ms,
    Long p95Ms,
    Long p99Ms,
    Long maxMs) {

  private static final String SUMS =
      "sum(calls) AS calls, sum(errors) AS errors, sum(input_tokens) AS input_tokens,"
          + " sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens,"
          + " sum(reasoning_tokens) AS reasoning_tokens, sum(cost_nano_usd) AS cost_nano_usd,"
          + " sum(unpriced_calls) AS unpriced_calls, sum(duration_count) AS duration_count,"
          + " sum(duration_ms_sum) AS duration_ms_sum, max(duration_ms_max) AS duration_ms_max,";

  /**
   * The aggregate columns every metrics query selects, in this order of names. The histograms are
   * merged with one plain {@code sum} per bucket ({@code ARRAY[sum(latency_buckets[1]), …]}): about
   * four times faster than the element-wise aggregate {@code obs.sum_buckets}, which builds a new
   * array for every row it folds in.
   */
  static final String AGGREGATES = SUMS + " " + mergedHistogram() + " AS latency_buckets";

  /**
   * The same columns without merging histograms, for queries whose answer needs no percentile;
   * {@link Sums#of} reads the empty histogram as all zeros.
   */
  static final String AGGREGATES_WITHOUT_PERCENTILES = SUMS + " NULL::bigint[] AS latency_buckets";

  /** Measures that are computed from the merged histogram. */
  static final java.util.Set<String> PERCENTILE_MEASURES =
      java.util.Set.of("p50_ms", "p95_ms", "p99_ms");

  private static String mergedHistogram() {
    StringBuilder sql = new StringBuilder("ARRAY[");
    for (int bucket = 1; bucket <= LatencyHistogram.BUCKETS; bucket++) {
      sql.append(bucket == 1 ? "" : ", ")
          .append("coalesce(sum(latency_buckets[")
          .append(bucket)
          .append("]), 0)::bigint");
    }
    return sql.append("]").toString();
  }

  /** Exact decimal USD of a nano-USD amount. */
  public static String usd(long nanoUsd) {
    return BigDecimal.valueOf(nanoUsd, 9).toPlainString();
  }

  /** Raw sums of one group, before derived values are computed; mergeable. */
  static final class Sums {
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
    long[] buckets = new long[LatencyHistogram.BUCKETS];

    /** Reads the {@link #AGGREGATES} columns of a row. */
    static Sums of(Row row) {
      Sums sums = new Sums();
      sums.calls = number(row, "calls");
      sums.errors = number(row, "errors");
      sums.inputTokens = number(row, "input_tokens");
      sums.outputTokens = number(row, "output_tokens");
      sums.cachedInputTokens = number(row, "cached_input_tokens");
      sums.reasoningTokens = number(row, "reasoning_tokens");
      sums.costNanoUsd = number(row, "cost_nano_usd");
      sums.unpricedCalls = number(row, "unpriced_calls");
      sums.durationCount = number(row, "duration_count");
      sums.durationMsSum = number(row, "duration_ms_sum");
      sums.durationMsMax = number(row, "duration_ms_max");
      Long[] buckets = row.get("latency_buckets", Long[].class);
      if (buckets != null) {
        for (int i = 0; i < buckets.length && i < sums.buckets.length; i++) {
          sums.buckets[i] = buckets[i] == null ? 0 : buckets[i];
        }
      }
      return sums;
    }

    private static long number(Row row, String column) {
      Object value = row.get(column);
      return value == null ? 0 : ((Number) value).longValue();
    }

    /** Adds another group's sums to this one. */
    Sums add(Sums other) {
      calls += other.calls;
      errors += other.errors;
      inputTokens += other.inputTokens;
      outputTokens += other.outputTokens;
      cachedInputTokens += other.cachedInputTokens;
      reasoningTokens += other.reasoningTokens;
      costNanoUsd += other.costNanoUsd;
      unpricedCalls += other.unpricedCalls;
      durationCount += other.durationCount;
      durationMsSum += other.durationMsSum;
      durationMsMax = Math.max(durationMsMax, other.durationMsMax);
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += other.buckets[i];
      }
      return this;
    }

    long costNanoUsd() {
      return costNanoUsd;
    }

    MetricValues values() {
      return new MetricValues(
          calls,
          errors,
          calls == 0 ? 0 : (double) errors / calls,
          inputTokens,
          outputTokens,
          cachedInputTokens,
          reasoningTokens,
          costNanoUsd,
          usd(costNanoUsd),
          unpricedCalls,
          durationCount == 0 ? null : durationMsSum / durationCount,
          LatencyHistogram.quantileMs(buckets, 0.50, durationMsMax),
          LatencyHistogram.quantileMs(buckets, 0.95, durationMsMax),
          LatencyHistogram.quantileMs(buckets, 0.99, durationMsMax),
          durationCount == 0 ? null : durationMsMax);
    }
  }

  /** One measure by its API name, for time series. */
  Object measure(String metric) {
    Map<String, Object> byName = new LinkedHashMap<>();
    byName.put("calls", calls);
    byName.put("errors", errors);
    byName.put("error_rate", errorRate);
    byName.put("input_tokens", inputTokens);
    byName.put("output_tokens", outputTokens);
    byName.put("cached_input_tokens", cachedInputTokens);
    byName.put("reasoning_tokens", reasoningTokens);
    byName.put("tokens", inputTokens + outputTokens);
    byName.put("cost_nano_usd", costNanoUsd);
    byName.put("unpriced_calls", unpricedCalls);
    byName.put("avg_ms", avgMs);
    byName.put("p50_ms", p50Ms);
    byName.put("p95_ms", p95Ms);
    byName.put("p99_ms", p99Ms);
    byName.put("max_ms", maxMs);
    return byName.get(metric);
  }

  /** Names accepted by {@link #measure(String)}. */
  public static final java.util.Set<String> MEASURES =
      java.util.Set.of(
          "calls",
          "errors",
          "error_rate",
          "input_tokens",
          "output_tokens",
          "cached_input_tokens",
          "reasoning_tokens",
          "tokens",
          "cost_nano_usd",
          "unpriced_calls",
          "avg_ms",
          "p50_ms",
          "p95_ms",
          "p99_ms",
          "max_ms");
}
