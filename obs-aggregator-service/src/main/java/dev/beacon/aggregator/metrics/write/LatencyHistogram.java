package dev.beacon.aggregator.metrics.write;

import dev.beacon.events.LatencyBuckets;
import java.sql.Array;
import java.sql.SQLException;

/**
 * Fixed log-scale latency buckets, stored as a {@code bigint[]} per metrics row and merged by
 * element-wise addition. The layout is the shared contract {@link LatencyBuckets} (the same one the
 * metric updates' {@code latency_buckets} use); this class delegates to it and adds the SQL
 * encoding. Because every row uses the same bounds, histograms of any set of rows add up exactly,
 * and p50/p95/p99 over any range come from pre-aggregates, never from raw events.
 */
public final class LatencyHistogram {

  /** Exclusive upper bounds of the buckets, in milliseconds. */
  static final long[] UPPER_BOUNDS_MS = LatencyBuckets.upperBoundsMs();

  /** Number of buckets in every stored histogram. */
  public static final int BUCKETS = LatencyBuckets.COUNT;

  private LatencyHistogram() {}

  /** The bucket a duration falls in; negative durations count as 0, oversized as the last. */
  public static int bucketOf(long durationMs) {
    return LatencyBuckets.bucketOf(durationMs);
  }

  /** Inclusive lower bound of a bucket, in milliseconds. */
  public static long lowerBoundMs(int bucket) {
    return LatencyBuckets.lowerBoundMs(bucket);
  }

  /**
   * The {@code quantile} of a merged histogram, see {@link LatencyBuckets#quantileMs}.
   *
   * @return the estimate in milliseconds, or {@code null} when the histogram is empty
   */
  public static Long quantileMs(long[] buckets, double quantile, long maxMs) {
    return LatencyBuckets.quantileMs(buckets, quantile, maxMs);
  }

  /** Histogram of a PostgreSQL {@code bigint[]} value, {@code null} stays {@code null}. */
  static long[] fromSqlArray(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    Object[] values = (Object[]) array.getArray();
    long[] buckets = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      buckets[i] = values[i] == null ? 0 : ((Number) values[i]).longValue();
    }
    return buckets;
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
