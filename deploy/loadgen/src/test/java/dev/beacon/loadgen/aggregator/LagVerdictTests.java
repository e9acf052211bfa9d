package dev.beacon.loadgen.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the throughput benchmark reads its lag samples. */
class LagVerdictTests {

  @Test
  void theSlopeIsTheLeastSquaresFitOfTheSamples() {
    assertThat(slope(0, 100, 5_000, 600, 10_000, 1_100)).isCloseTo(100.0, within(1e-9));
    assertThat(slope(0, 1_000, 5_000, 1_000)).isZero();
    assertThat(slope(0, 1_000)).as("one sample has no slope").isZero();
  }

  @Test
  void aLagThatGrowsOrEndsAboveASecondOfInputFellBehind() {
    assertThat(AggregatorThroughputBenchmark.verdict(100, 500, 10_000)).startsWith("GROWING");
    assertThat(AggregatorThroughputBenchmark.verdict(0, 10_000, 10_000)).startsWith("GROWING");
  }

  @Test
  void aSteadyLagKeptUp() {
    assertThat(AggregatorThroughputBenchmark.verdict(99, 9_999, 10_000)).startsWith("FLAT");
    assertThat(AggregatorThroughputBenchmark.verdict(-99, 500, 10_000)).startsWith("FLAT");
  }

  @Test
  void aLagShrinkingFastKeptUpAfterABacklog() {
    assertThat(AggregatorThroughputBenchmark.verdict(-126, 1_579, 10_000))
        .isEqualTo("SHRINKING (kept up after a backlog)");
  }

  /** Samples as (milliseconds, lag) pairs. */
  private static double slope(long... pairs) {
    List<long[]> samples = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      samples.add(new long[] {pairs[i], pairs[i + 1]});
    }
    return AggregatorThroughputBenchmark.slope(samples);
  }
}
