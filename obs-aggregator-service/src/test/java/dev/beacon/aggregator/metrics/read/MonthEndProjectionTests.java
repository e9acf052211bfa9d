package dev.beacon.aggregator.metrics.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class MonthEndProjectionTests {

  @Test
  void roundsDownOnceAtTheEndNotTheAverageBeforeItIsMultiplied() {
    // 13 nano-USD over the last 7 days, 10 days left: 130 / 7 = 18.57…, not (13 / 7) × 10 = 10
    assertThat(MonthEndProjection.nanoUsd(1_000, 13, 10)).isEqualTo(1_018);
  }

  @Test
  void matchesTheDocumentedExample() {
    // 03-metrics.md: M = 0.027 USD, T = 0.005 USD, 5 days left
    assertThat(MonthEndProjection.nanoUsd(27_000_000, 5_000_000, 5)).isEqualTo(30_571_428);
  }

  @Test
  void isTheMonthToDateOnTheLastDayAndWithoutATrailingWeek() {
    assertThat(MonthEndProjection.nanoUsd(42, 5_000_000, 0)).isEqualTo(42);
    assertThat(MonthEndProjection.nanoUsd(42, 0, 30)).isEqualTo(42);
  }

  @Test
  void isExactForWholeAveragesAndForSpendsWhoseProductWouldOverflow() {
    assertThat(MonthEndProjection.nanoUsd(0, 7_000, 30)).isEqualTo(30_000);
    long trailing7 = Long.MAX_VALUE / 30;
    assertThat(MonthEndProjection.nanoUsd(0, trailing7, 30))
        .isEqualTo(
            BigInteger.valueOf(trailing7)
                .multiply(BigInteger.valueOf(30))
                .divide(BigInteger.valueOf(7))
                .longValueExact());
  }
}
