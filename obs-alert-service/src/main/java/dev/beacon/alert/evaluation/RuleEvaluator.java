package dev.beacon.alert.evaluation;

import dev.beacon.alert.evaluation.MetricStore.Series;
import dev.beacon.alert.evaluation.MetricStore.SeriesKey;
import dev.beacon.alert.evaluation.MetricStore.Sum;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.GroupBy;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.Window;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Computes a rule's value per group from the {@link MetricStore}: filters the workspace's series,
 * groups them, sums each group's buckets over the window and derives the metric.
 */
final class RuleEvaluator {

  /**
   * A group's measurement.
   *
   * @param value the metric, or {@code null} when there is no data (no calls for a ratio, fewer
   *     calls than the rule's minimum sample)
   * @param calls calls in the window
   */
  record Measurement(BigDecimal value, long calls) {

    /** A group with a state but no series any more. */
    static final Measurement NONE = new Measurement(null, 0);
  }

  private RuleEvaluator() {}

  /** The rule's measurement per group ("" for an ungrouped rule, which always has one). */
  static Map<String, Measurement> measure(Rule rule, MetricStore store, Instant now) {
    Map<String, Sum> sums = new HashMap<>();
    for (Map.Entry<SeriesKey, Series> entry : store.workspace(rule.workspaceId()).entrySet()) {
      SeriesKey key = entry.getKey();
      if (!rule.filters().matches(key.agent(), key.type(), key.subject())) {
        continue;
      }
      String group = groupOf(rule.groupBy(), key);
      if (group == null) {
        continue;
      }
      Sum sum =
          rule.metric() == Metric.PROJECTED_MONTH_COST_USD
              ? projected(entry.getValue(), now)
              : window(entry.getValue(), rule.window(), now);
      sums.merge(group, sum, Sum::plus);
    }
    if (rule.groupBy() == null) {
      sums.putIfAbsent("", Sum.ZERO);
    }
    Map<String, Measurement> measurements = new HashMap<>();
    sums.forEach((group, sum) -> measurements.put(group, measurement(rule, sum, now)));
    return measurements;
  }

  /** The group a series belongs to, or {@code null} if it has none under this grouping. */
  static String groupOf(GroupBy groupBy, SeriesKey key) {
    if (groupBy == null) {
      return "";
    }
    return switch (groupBy) {
      case AGENT -> key.agent();
      case MODEL -> "llm_call".equals(key.type()) ? key.subject() : null;
      case PROVIDER -> {
        if (!"llm_call".equals(key.type())) {
          yield null;
        }
        int slash = key.subject().indexOf('/');
        yield slash < 0 ? key.subject() : key.subject().substring(0, slash);
      }
      case TOOL -> "tool_call".equals(key.type()) ? key.subject() : null;
    };
  }

  static Sum window(Series series, Window window, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (window.rolling() != null) {
      return series.rolling(now, window.rolling());
    }
    return window == Window.DAY
        ? series.days(today, today)
        : series.days(today.withDayOfMonth(1), today);
  }

  /**
   * Month-end projection as the aggregator computes it: month to date plus the average daily cost
   * of the 7 full days before today times the days left after today. Carried in {@code
   * costNanoUsd}; calls are the month's.
   */
  static Sum projected(Series series, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Sum monthToDate = series.days(today.withDayOfMonth(1), today);
    Sum trailing = series.days(today.minusDays(7), today.minusDays(1));
    long daysLeft = today.lengthOfMonth() - today.getDayOfMonth();
    return new Sum(
        monthToDate.calls(),
        monthToDate.errors(),
        monthToDate.tokens(),
        monthToDate.costNanoUsd() * 7 + trailing.costNanoUsd() * daysLeft,
        monthToDate.latencyBuckets(),
        monthToDate.durationMsMax());
  }

  private static Measurement measurement(Rule rule, Sum sum, Instant now) {
    if (rule.metric() == Metric.NO_EVENTS) {
      return new Measurement(BigDecimal.valueOf(sum.calls()), sum.calls());
    }
    if (sum.calls() < rule.minSample()) {
      return new Measurement(null, sum.calls());
    }
    BigDecimal value =
        switch (rule.metric()) {
          case COST_USD -> usd(sum.costNanoUsd());
          case PROJECTED_MONTH_COST_USD ->
              // projected() carries 7 × the projection so that the average stays exact
              usd(sum.costNanoUsd())
                  .divide(BigDecimal.valueOf(7), 9, RoundingMode.DOWN)
                  .stripTrailingZeros();
          case TOKENS -> BigDecimal.valueOf(sum.tokens());
          case CALLS -> BigDecimal.valueOf(sum.calls());
          case ERRORS -> BigDecimal.valueOf(sum.errors());
          case ERROR_RATE ->
              sum.calls() == 0
                  ? null
                  : BigDecimal.valueOf(sum.errors())
                      .divide(BigDecimal.valueOf(sum.calls()), 6, RoundingMode.HALF_EVEN)
                      .stripTrailingZeros();
          case LATENCY_P95_MS -> {
            // percentile of the window's merged histogram; null (no data) without durations
            Long p95 = sum.p95Ms();
            yield p95 == null ? null : BigDecimal.valueOf(p95);
          }
          case NO_EVENTS -> null;
        };
    return new Measurement(value, sum.calls());
  }

  static BigDecimal usd(long nanoUsd) {
    return BigDecimal.valueOf(nanoUsd, 9).stripTrailingZeros();
  }
}
