package dev.beacon.aggregator.metrics.read;

/**
 * The month-end projection, one definition for the summary, the Overview and the alert metric
 * {@code projected_month_cost_usd} (docs/observability/03-metrics.md#month-end-projection).
 */
final class MonthEndProjection {

  private MonthEndProjection() {}

  /**
   * {@code monthToDate + floor(trailing7 × daysLeft / 7)}: the average of the 7 full days before
   * today is never rounded before it is multiplied, and the one rounding is down, at the end, to a
   * whole nano-USD.
   *
   * @param monthToDateNanoUsd the cost of the month so far, today included
   * @param trailing7NanoUsd the cost of the 7 full UTC days before today
   * @param daysLeft the days of the month after today, 0 to 30
   */
  static long nanoUsd(long monthToDateNanoUsd, long trailing7NanoUsd, long daysLeft) {
    // T × d / 7 = q × d + r × d / 7 with T = 7q + r: exact without computing T × d, which could
    // overflow long for a large spend
    long quotient = Math.floorDiv(trailing7NanoUsd, 7);
    long remainder = Math.floorMod(trailing7NanoUsd, 7);
    return monthToDateNanoUsd + quotient * daysLeft + Math.floorDiv(remainder * daysLeft, 7);
  }
}
