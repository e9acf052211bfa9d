package dev.beacon.events;

import java.util.Arrays;

/**
 * The fixed log-scale latency histogram layout shared by the aggregator (which stores one histogram
 * per metrics row) and every consumer of {@link MetricTotals#latencyBuckets()}: a 1-1.5-2-3-5-7
 * series per decade, from 1 ms to one day. Because every producer uses the same bounds, histograms
 * add up exactly element by element, and a quantile over any set of buckets comes from their merged
 * counts.
 *
 * <p>Bucket {@code i} counts durations {@code d} with {@code upperBoundMs(i-1) <= d <
 * upperBoundMs(i)} (bucket 0 starts at 0). The last bound is one day plus one millisecond, the
 * largest {@code duration_ms} the schema allows, so every valid duration has a bucket. Changing the
 * bounds is a breaking change of the contract (a new major topic).
 */
public final class LatencyBuckets {

  private static final long[] UPPER_BOUNDS_MS = {
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

  /** Number of buckets in every histogram. */
  public static final int COUNT = UPPER_BOUNDS_MS.length;

  private LatencyBuckets() {}

  /** The exclusive upper bounds of the buckets, in milliseconds (a copy). */
  public static long[] upperBoundsMs() {
    return UPPER_BOUNDS_MS.clone();
  }

  /** Exclusive upper bound of a bucket, in milliseconds. */
  public static long upperBoundMs(int bucket) {
    return UPPER_BOUNDS_MS[bucket];
  }

  /** Inclusive lower bound of a bucket, in milliseconds. */
  public static long lowerBoundMs(int bucket) {
    return bucket == 0 ? 0 : UPPER_BOUNDS_MS[bucket - 1];
  }

  /** The bucket a duration falls in; negative durations count as 0, oversized as the last. */
  public static int bucketOf(long durationMs) {
    int index = Arrays.binarySearch(UPPER_BOUNDS_MS, Math.max(0, durationMs));
    int bucket = index >= 0 ? index + 1 : -index - 1;
    return Math.min(bucket, COUNT - 1);
  }

  /**
   * Adds {@code counts} into {@code into} element by element (the merge of two histograms); a
   * {@code null} or shorter {@code counts} adds what it has.
   */
  public static void addInto(long[] into, long[] counts) {
    if (counts == null) {
      return;
    }
    for (int i = 0; i < Math.min(into.length, counts.length); i++) {
      into[i] += counts[i];
    }
  }

  /**
   * The {@code quantile} (0 < q <= 1) of a merged histogram: the upper bound of the bucket holding
   * the ceil(q·n)-th smallest duration, capped at the largest duration seen. Exact to within one
   * bucket.
   *
   * @param counts the merged bucket counts
   * @param quantile e.g. {@code 0.95}
   * @param maxMs the largest duration seen, the cap of the estimate
   * @return the estimate in milliseconds, or {@code null} when the histogram is null or empty
   */
  public static Long quantileMs(long[] counts, double quantile, long maxMs) {
    if (counts == null) {
      return null;
    }
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        long upper = i < COUNT ? UPPER_BOUNDS_MS[i] - 1 : maxMs;
        return Math.max(lowerBoundMs(Math.min(i, COUNT - 1)), Math.min(upper, maxMs));
      }
    }
    return maxMs;
  }
}
