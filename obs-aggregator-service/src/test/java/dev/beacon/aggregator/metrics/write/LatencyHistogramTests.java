package dev.beacon.aggregator.metrics.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTests {

  @Test
  void everyValidDurationHasABucketWithinItsBounds() {
    for (long ms : new long[] {0, 1, 2, 99, 100, 101, 86_400_000}) {
      int bucket = LatencyHistogram.bucketOf(ms);
      assertThat(LatencyHistogram.lowerBoundMs(bucket)).isLessThanOrEqualTo(ms);
      assertThat(LatencyHistogram.UPPER_BOUNDS_MS[bucket]).isGreaterThan(ms);
    }
  }

  @Test
  void mergedHistogramsGiveQuantilesWithinOneBucket() {
    long[] first = new long[LatencyHistogram.BUCKETS];
    long[] second = new long[LatencyHistogram.BUCKETS];
    for (int ms = 1; ms <= 1000; ms++) {
      (ms % 2 == 0 ? first : second)[LatencyHistogram.bucketOf(ms)]++;
    }
    long[] merged = new long[LatencyHistogram.BUCKETS];
    for (int i = 0; i < merged.length; i++) {
      merged[i] = first[i] + second[i];
    }
    assertThat(LatencyHistogram.bucketOf(LatencyHistogram.quantileMs(merged, 0.5, 1000)))
        .isEqualTo(LatencyHistogram.bucketOf(500));
    assertThat(LatencyHistogram.bucketOf(LatencyHistogram.quantileMs(merged, 0.99, 1000)))
        .isEqualTo(LatencyHistogram.bucketOf(990));
    assertThat(LatencyHistogram.quantileMs(new long[LatencyHistogram.BUCKETS], 0.5, 0)).isNull();
  }
}
