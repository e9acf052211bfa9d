package dev.beacon.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyBucketsTests {

  @Test
  void everyDurationFallsInTheBucketWhoseBoundsContainIt() {
    for (long ms = 0; ms <= 100_000; ms += 7) {
      int bucket = LatencyBuckets.bucketOf(ms);
      assertThat(LatencyBuckets.lowerBoundMs(bucket)).isLessThanOrEqualTo(ms);
      assertThat(LatencyBuckets.upperBoundMs(bucket)).isGreaterThan(ms);
    }
    assertThat(LatencyBuckets.bucketOf(-5)).isZero();
    assertThat(LatencyBuckets.bucketOf(86_400_000)).isEqualTo(LatencyBuckets.COUNT - 1);
    assertThat(LatencyBuckets.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
  }

  @Test
  void boundsAreStrictlyIncreasingAndEndAtOneDayPlusOneMillisecond() {
    long[] bounds = LatencyBuckets.upperBoundsMs();
    assertThat(bounds).hasSize(LatencyBuckets.COUNT).isSorted().doesNotHaveDuplicates();
    assertThat(bounds[bounds.length - 1]).isEqualTo(86_400_001L);
    bounds[0] = 999;
    assertThat(LatencyBuckets.upperBoundMs(0)).isEqualTo(1);
  }

  @Test
  void quantileOfMergedCountsIsWithinOneBucketAndCappedAtTheMax() {
    long[] fast = new long[LatencyBuckets.COUNT];
    long[] slow = new long[LatencyBuckets.COUNT];
    for (int i = 0; i < 90; i++) {
      fast[LatencyBuckets.bucketOf(40)]++;
    }
    for (int i = 0; i < 10; i++) {
      slow[LatencyBuckets.bucketOf(2_400)]++;
    }
    long[] merged = new long[LatencyBuckets.COUNT];
    LatencyBuckets.addInto(merged, fast);
    LatencyBuckets.addInto(merged, slow);
    LatencyBuckets.addInto(merged, null);

    assertThat(LatencyBuckets.quantileMs(merged, 0.50, 2_400)).isEqualTo(49L);
    assertThat(LatencyBuckets.quantileMs(merged, 0.95, 2_400)).isEqualTo(2_400L);
    assertThat(LatencyBuckets.quantileMs(merged, 0.95, 10_000)).isEqualTo(2_999L);
    assertThat(LatencyBuckets.quantileMs(new long[LatencyBuckets.COUNT], 0.95, 0)).isNull();
    assertThat(LatencyBuckets.quantileMs(null, 0.95, 0)).isNull();
  }
}
