package dev.beacon.alert.preview;

import dev.beacon.alert.evaluation.Backtest;
import dev.beacon.alert.evaluation.Backtest.StepTotals;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * The backtest of a draft rule: reads the aggregator's history of what the rule counts, feeds it
 * through live evaluation's code path ({@link Backtest}) and reports the transitions.
 *
 * <p>Rolling windows are replayed at the aggregator's minute resolution ({@code 1m} steps for 5m
 * and 15m, {@code 1h} steps for 1h and 24h) over the last 47 hours, which is about as far back as
 * minute rows are kept; calendar windows and the projection at day resolution over the last 7 days.
 * History is read from a window's length before the first step evaluated (for {@code month} and the
 * projection from the start of that step's month and the 7 days before it), so every evaluated
 * window is complete, as live.
 */
class PreviewService {

  /** One would-be transition; {@code value} is null for no data. */
  record Firing(Instant at, String group, String state, String value, String threshold) {}

  /** The backtest: transitions of the steps from {@code from} to {@code to}. */
  record Preview(Instant from, Instant to, List<Firing> firings) {}

  /**
   * What a backtest reads and evaluates.
   *
   * @param stepName the aggregator's step
   * @param step its length
   * @param historyFrom the first step read
   * @param from the first step evaluated
   * @param to now, the last evaluation
   */
  record Range(String stepName, Duration step, Instant historyFrom, Instant from, Instant to) {

    private static final Duration MINUTE_HISTORY = Duration.ofHours(47);
    private static final int DAY_HISTORY = 7;

    static Range of(Window window, Instant now) {
      if (window.rolling() == null) {
        LocalDate first = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(DAY_HISTORY);
        LocalDate read =
            window == Window.DAY
                ? first
                : first.withDayOfMonth(1).isBefore(first.minusDays(7))
                    ? first.withDayOfMonth(1)
                    : first.minusDays(7);
        return new Range("1d", Duration.ofDays(1), startOf(read), startOf(first), now);
      }
      Duration length = window.rolling();
      Instant earliest = now.minus(MINUTE_HISTORY).truncatedTo(ChronoUnit.HOURS);
      if (length.compareTo(Duration.ofHours(1)) < 0) {
        Duration step = Duration.ofMinutes(1);
        return new Range("1m", step, earliest, earliest.plus(length).minus(step), now);
      }
      Duration step = Duration.ofHours(1);
      return new Range("1h", step, earliest.plus(step).minus(length), earliest, now);
    }

    private static Instant startOf(LocalDate day) {
      return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  private final AggregatorClient aggregator;
  private final Duration minuteLength;

  PreviewService(AggregatorClient aggregator, Duration minuteLength) {
    this.aggregator = aggregator;
    this.minuteLength = minuteLength;
  }

  /** Backtests a validated rule up to {@code now} on the caller's history. */
  Mono<Preview> preview(Rule rule, String identityToken, Instant now) {
    Range range = Range.of(rule.window(), now);
    Mono<Map<String, NavigableMap<Instant, BigDecimal>>> calls =
        fetch(identityToken, rule, "calls", range);
    String measure = measureOf(rule.metric());
    Mono<Map<String, NavigableMap<Instant, BigDecimal>>> measured =
        measure == null ? Mono.just(Map.of()) : fetch(identityToken, rule, measure, range);
    return Mono.zip(calls, measured)
        .map(
            t ->
                new Preview(
                    range.from(),
                    range.to(),
                    simulate(
                        rule, history(rule.metric(), t.getT1(), t.getT2()), range, minuteLength)));
  }

  private Mono<Map<String, NavigableMap<Instant, BigDecimal>>> fetch(
      String identityToken, Rule rule, String metric, Range range) {
    return aggregator.series(
        identityToken, rule, metric, range.stepName(), range.historyFrom(), range.to());
  }

  /** The aggregator measure a metric needs besides {@code calls}, or {@code null}. */
  static String measureOf(Metric metric) {
    return switch (metric) {
      case COST_USD, PROJECTED_MONTH_COST_USD -> "cost_nano_usd";
      case TOKENS -> "tokens";
      case ERRORS, ERROR_RATE -> "errors";
      case LATENCY_P95_MS -> "p95_ms";
      case CALLS, NO_EVENTS -> null;
    };
  }

  /** Per group and step, the calls and the rule's measure as one step's totals. */
  static Map<String, NavigableMap<Instant, StepTotals>> history(
      Metric metric,
      Map<String, NavigableMap<Instant, BigDecimal>> calls,
      Map<String, NavigableMap<Instant, BigDecimal>> measure) {
    String measureName = measureOf(metric);
    Set<String> groups = new HashSet<>(calls.keySet());
    groups.addAll(measure.keySet());
    Map<String, NavigableMap<Instant, StepTotals>> history = new HashMap<>();
    for (String group : groups) {
      NavigableMap<Instant, BigDecimal> groupCalls = calls.getOrDefault(group, new TreeMap<>());
      NavigableMap<Instant, BigDecimal> groupMeasure = measure.getOrDefault(group, new TreeMap<>());
      NavigableMap<Instant, StepTotals> steps = new TreeMap<>();
      Set<Instant> times = new HashSet<>(groupCalls.keySet());
      times.addAll(groupMeasure.keySet());
      for (Instant time : times) {
        long n = longOf(groupCalls.get(time));
        BigDecimal m = groupMeasure.get(time);
        steps.put(
            time,
            new StepTotals(
                n,
                "errors".equals(measureName) ? longOf(m) : 0,
                "tokens".equals(measureName) ? longOf(m) : 0,
                "cost_nano_usd".equals(measureName) ? longOf(m) : 0,
                "p95_ms".equals(measureName) && m != null ? m.longValue() : null));
      }
      history.put(group, steps);
    }
    return history;
  }

  /** The backtest's transitions over the history (renotifies are not reported). */
  static List<Firing> simulate(
      Rule rule,
      Map<String, NavigableMap<Instant, StepTotals>> history,
      Range range,
      Duration minuteLength) {
    return Backtest.run(rule, history, range.from(), range.step(), range.to(), minuteLength)
        .stream()
        .filter(event -> !event.renotify())
        .map(
            event ->
                new Firing(
                    event.at(),
                    event.group(),
                    event.toState(),
                    event.value() == null
                        ? null
                        : event.value().stripTrailingZeros().toPlainString(),
                    event.threshold().toPlainString()))
        .toList();
  }

  private static long longOf(BigDecimal value) {
    return value == null ? 0 : value.longValue();
  }
}
