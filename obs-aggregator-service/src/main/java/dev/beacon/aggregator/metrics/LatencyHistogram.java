package dev.beacon.aggregator.metrics;

import java.util.Arrays;

/**
 * Fixed log-scale latency buckets (a 1-1.5-2-3-5-7 series per decade, from 1 ms to one day), stored
 * as a {@code bigint[]} per metrics row and merged by element-wise addition. Because every row uses
 * the same bounds, histograms of any set of rows add up exactly, and p50/p95/p99 over any range
 * come from pre-aggregates, never from raw events.
 *
 * <p>Bucket {@code i} counts durations {@code d} with {@code UPPER_BOUNDS_MS[i-1] <= d <
 * UPPER_BOUNDS_MS[i]} (bucket 0 starts at 0). The last bound is one day plus one millisecond, the
 * largest {@code duration_ms} the schema allows, so every valid duration has a bucket.
 */
public final class LatencyHistogram {

  /** Exclusive upper bounds of the buckets, in milliseconds. */
  static final long[] UPPER_BOUNDS_MS = {
    1,
    2,
    3,
    5,
    7,
    10,
    15,
    20,
    30,
    50,
    70,
    100,
    150,
    200,
    300,
    500,
    700,
    1_000,
    1_500,
    2_000,
    3_000,
    5_000,
    7_000,
    10_000,
    15_000,
    20_000,
    30_000,
    50_000,
    70_000,
    100_000,
    150_000,
    200_000,
    300_000,
    500_000,
    700_000,
    1_000_000,
    1_500_000,
    2_000_000,
    3_000_000,
    5_000_000,
    10_000_000,
    20_000_000,
    50_000_000,
    86_400_001
  };

  /** Number of buckets in every stored histogram. */
  public static final int BUCKETS = UPPER_BOUNDS_MS.length;

  private LatencyHistogram() {}

  /** The bucket a duration falls in; negative durations count as 0, oversized as the last. */
  public static int bucketOf(long durationMs) {
    int index = Arrays.binarySearch(UPPER_BOUNDS_MS, Math.max(0, durationMs));
    int bucket = index >= 0 ? index + 1 : -index - 1;
    return Math.min(bucket, BUCKETS - 1);
  }

  /** Inclusive lower bound of a bucket, in milliseconds. */
  public static long lowerBoundMs(int bucket) {
    return bucket == 0 ? 0 : UPPER_BOUNDS_MS[bucket - 1];
  }

  /**
   * The {@code quantile} (0 < q <= 1) of a merged histogram: the upper bound of the bucket holding
   * the ceil(q·n)-th smallest duration, capped at the largest duration seen. Exact to within one
   * bucket.
   *
   * @return the estimate in milliseconds, or {@code null} when the histogram is empty
   */
  public static Long quantileMs(long[] buckets, double quantile, long maxMs) {
    if (buckets == null) {
      return null;
    }
    long total = 0;
    for (long count : buckets) {
      total += count;
    }
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        long upper = i < UPPER_BOUNDS_MS.length ? UPPER_BOUNDS_MS[i] - 1 : maxMs;
        return Math.max(lowerBoundMs(Math.min(i, BUCKETS - 1)), Math.min(upper, maxMs));
      }
    }
    return maxMs;
  }

  /** PostgreSQL array literal of a histogram, e.g. {@code {0,3,1,...}}. */
  public static String toSqlLiteral(long[] buckets) {
    StringBuilder literal = new StringBuilder(buckets.length * 2 + 2).append('{');
    for (int i = 0; i < buckets.length; i++) {
      if (i > 0) {
        literal.append(',');
      }
      literal.append(buckets[i]);
    }
    return literal.append('}').toString();
  }
}
