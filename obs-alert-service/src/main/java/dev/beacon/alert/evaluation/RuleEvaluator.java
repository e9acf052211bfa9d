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
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * A rule's value per group, the one definition live evaluation and the backtest share: which
 * buckets a window covers at an instant ({@link #span}), the month-end projection ({@link
 * #projectedMonthEndNanoUsd}) and the metric computed from a group's totals ({@link #measurement}).
 * Live, the totals are summed from the {@link MetricStore} ({@link #measure}); in the backtest from
 * the aggregator's history ({@link Backtest}).
 *
 * <p>An evaluation at instant {@code t} belongs to the minute and the UTC day of the instant just
 * before {@code t}: the end of a minute or a day is still part of it. So a rule evaluated as a
 * minute (or day) ends sees that minute (or day) complete, which is where the backtest evaluates;
 * at any other instant this is the minute and day {@code t} falls in.
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

  /**
   * What a rule's metric is computed from: one group's totals over the rule's window.
   *
   * @param calls events
   * @param errors error events
   * @param tokens input plus output tokens
   * @param costNanoUsd exact cost; for {@code projected_month_cost_usd} the projection
   * @param p95Ms the window's 95th percentile latency, or {@code null} without durations
   */
  record Totals(long calls, long errors, long tokens, long costNanoUsd, Long p95Ms) {

    static final Totals ZERO = new Totals(0, 0, 0, 0, null);
  }

  /**
   * The buckets a window covers at an evaluation instant: for a rolling window the minutes from
   * {@code fromMinute} on, for a calendar window the UTC days {@code fromDay..toDay}.
   */
  record Span(Instant fromMinute, LocalDate fromDay, LocalDate toDay) {

    boolean rolling() {
      return fromMinute != null;
    }
  }

  private RuleEvaluator() {}

  /** The UTC day an evaluation at {@code now} belongs to. */
  static LocalDate today(Instant now) {
    return LocalDate.ofInstant(now.minusNanos(1), ZoneOffset.UTC);
  }

  /**
   * The buckets {@code window} covers at {@code now}: a rolling window is the current minute and
   * the whole minutes before it, {@code day} today, {@code month} the month up to today.
   */
  static Span span(Window window, Instant now) {
    if (window.rolling() != null) {
      Instant currentMinute = now.minusNanos(1).truncatedTo(ChronoUnit.MINUTES);
      return new Span(
          currentMinute.minus(window.rolling()).plus(1, ChronoUnit.MINUTES), null, null);
    }
    LocalDate today = today(now);
    return new Span(null, window == Window.DAY ? today : today.withDayOfMonth(1), today);
  }

  /** The 7 full days before today, whose cost the month-end projection extrapolates. */
  static Span trailingWeek(Instant now) {
    LocalDate today = today(now);
    return new Span(null, today.minusDays(7), today.minusDays(1));
  }

  /**
   * The month-end projection in nano-USD, the one definition of docs/observability/03-metrics.md:
   * month to date plus the cost of the 7 full days before today times the days left after today,
   * divided by 7, rounded down once at the end: {@code floor((7 × monthToDate + trailing × d) /
   * 7)}.
   *
   * @param monthToDate cost of the month so far, today included
   * @param trailing7Days cost of the 7 full days before today
   * @param today the day the projection is made on
   */
  static long projectedMonthEndNanoUsd(long monthToDate, long trailing7Days, LocalDate today) {
    long daysLeft = today.lengthOfMonth() - today.getDayOfMonth();
    return monthToDate + Math.floorDiv(Math.multiplyExact(trailing7Days, daysLeft), 7);
  }

  /** The rule's measurement per group at {@code now} ("" for an ungrouped rule, always there). */
  static Map<String, Measurement> measure(Rule rule, MetricStore store, Instant now) {
    boolean projection = rule.metric() == Metric.PROJECTED_MONTH_COST_USD;
    Span window = span(rule.window(), now);
    Span trailingWeek = trailingWeek(now);
    Map<String, Sum> inWindow = new HashMap<>();
    Map<String, Sum> inTrailingWeek = new HashMap<>();
    for (Map.Entry<SeriesKey, Series> entry : store.workspace(rule.workspaceId()).entrySet()) {
      SeriesKey key = entry.getKey();
      if (!rule.filters().matches(key.agent(), key.type(), key.subject())) {
        continue;
      }
      String group = groupOf(rule.groupBy(), key);
      if (group == null) {
        continue;
      }
      inWindow.merge(group, sum(entry.getValue(), window), Sum::plus);
      if (projection) {
        inTrailingWeek.merge(group, sum(entry.getValue(), trailingWeek), Sum::plus);
      }
    }
    if (rule.groupBy() == null) {
      inWindow.putIfAbsent("", Sum.ZERO);
    }
    LocalDate today = today(now);
    Map<String, Measurement> measurements = new HashMap<>();
    inWindow.forEach(
        (group, sum) -> {
          long cost =
              projection
                  ? projectedMonthEndNanoUsd(
                      sum.costNanoUsd(),
                      inTrailingWeek.getOrDefault(group, Sum.ZERO).costNanoUsd(),
                      today)
                  : sum.costNanoUsd();
          Long p95 = rule.metric() == Metric.LATENCY_P95_MS ? sum.p95Ms() : null;
          Totals totals = new Totals(sum.calls(), sum.errors(), sum.tokens(), cost, p95);
          measurements.put(group, measurement(rule, totals));
        });
    return measurements;
  }

  private static Sum sum(Series series, Span span) {
    return span.rolling()
        ? series.minutesFrom(span.fromMinute())
        : series.days(span.fromDay(), span.toDay());
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
      case SERVICE -> {
        if (!"service_call".equals(key.type())) {
          yield null;
        }
        int slash = key.subject().indexOf('/');
        yield slash < 0 ? key.subject() : key.subject().substring(0, slash);
      }
    };
  }

  /** The rule's metric from one group's totals over its window. */
  static Measurement measurement(Rule rule, Totals totals) {
    if (rule.metric() == Metric.NO_EVENTS) {
      return new Measurement(BigDecimal.valueOf(totals.calls()), totals.calls());
    }
    if (totals.calls() < rule.minSample()) {
      return new Measurement(null, totals.calls());
    }
    BigDecimal value =
        switch (rule.metric()) {
          case COST_USD, PROJECTED_MONTH_COST_USD -> usd(totals.costNanoUsd());
          case TOKENS -> BigDecimal.valueOf(totals.tokens());
          case CALLS -> BigDecimal.valueOf(totals.calls());
          case ERRORS -> BigDecimal.valueOf(totals.errors());
          case ERROR_RATE ->
              totals.calls() == 0
                  ? null
                  : BigDecimal.valueOf(totals.errors())
                      .divide(BigDecimal.valueOf(totals.calls()), 6, RoundingMode.HALF_EVEN)
                      .stripTrailingZeros();
          case LATENCY_P95_MS -> totals.p95Ms() == null ? null : BigDecimal.valueOf(totals.p95Ms());
          case NO_EVENTS -> null;
        };
    return new Measurement(value, totals.calls());
  }

  static BigDecimal usd(long nanoUsd) {
    return BigDecimal.valueOf(nanoUsd, 9).stripTrailingZeros();
  }
}
