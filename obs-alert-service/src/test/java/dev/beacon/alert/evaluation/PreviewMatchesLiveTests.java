package dev.beacon.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.beacon.alert.evaluation.Backtest.Event;
import dev.beacon.alert.evaluation.Backtest.StepTotals;
import dev.beacon.alert.evaluation.RuleEvaluator.Measurement;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.Comparator;
import dev.beacon.alert.rule.RuleEnums.GroupBy;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleEnums.Window;
import dev.beacon.events.EventType;
import dev.beacon.events.LatencyBuckets;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One history, evaluated twice: live (the metric updates the aggregator publishes, applied to a
 * {@link MetricStore} minute by minute, measured by {@link RuleEvaluator} and stepped by {@link
 * AlertStates} with the clock at the end of every step) and by the preview's backtest (the per-step
 * history the aggregator's read API answers, through {@link Backtest}). Every alert event — time,
 * group, from and to state, value, threshold, renotify — must be the same.
 */
class PreviewMatchesLiveTests {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);
  private static final long CENT = 10_000_000L;
  private static final Instant START = Instant.parse("2026-11-20T08:00:00Z");

  @Test
  void costOverARollingWindowByAgentWithRenotifyAndCooldown() {
    Traffic traffic = new Traffic();
    Random random = new Random(7);
    for (int m = 0; m < 180; m++) {
      Instant minute = START.plus(MINUTE.multipliedBy(m));
      // support-bot ramps up, peaks, goes quiet and comes back hovering around the thresholds
      long centsPerMinute =
          m < 30 ? 1 : m < 60 ? 4 : m < 80 ? 8 : m < 100 ? 0 : 3 + random.nextInt(3);
      traffic.llm(minute, "support-bot", "openai/gpt-4o", 3, 0, centsPerMinute * CENT * 2 / 3);
      traffic.llm(minute, "support-bot", "anthropic/claude", 1, 0, centsPerMinute * CENT / 3);
      traffic.tool(minute, "support-bot", "web_fetch", 2, 0);
      if (m >= 40 && m < 110 && m % 4 == 0) {
        // 15 minutes hold 4 of these (0.52) or 3 (0.39): it flaps
        traffic.llm(minute, "triage-bot", "openai/gpt-4o-mini", 2, 0, 13 * CENT);
      }
    }
    Rule rule =
        Rules.of(Metric.COST_USD, Window.M15)
            .groupBy(GroupBy.AGENT)
            .thresholds("0.50", "1.00")
            .renotify(5)
            .cooldown(3)
            .build();
    Instant from = START.plus(Duration.ofMinutes(14));
    Instant to = START.plus(Duration.ofMinutes(180)).plusSeconds(30);

    List<Event> live = live(rule, traffic, from, MINUTE, to);

    assertThat(backtest(rule, traffic, GroupBy.AGENT, from, MINUTE, to)).isEqualTo(live);
    assertThat(live).extracting(Event::toState).contains("warning", "critical", "resolved");
    assertThat(live).extracting(Event::group).contains("support-bot", "triage-bot");
    assertThat(live).anyMatch(Event::renotify);
    Rule withoutCooldown =
        Rules.of(Metric.COST_USD, Window.M15)
            .groupBy(GroupBy.AGENT)
            .thresholds("0.50", "1.00")
            .renotify(5)
            .build();
    assertThat(live(withoutCooldown, traffic, from, MINUTE, to))
        .as("the cooldown changed something")
        .isNotEqualTo(live);
  }

  @ParameterizedTest
  @EnumSource(NoData.class)
  void errorRateWithAMinimumSampleByTool(NoData noData) {
    Traffic traffic = new Traffic();
    Random random = new Random(11);
    for (int m = 0; m < 150; m++) {
      Instant minute = START.plus(MINUTE.multipliedBy(m));
      boolean quiet = m >= 60 && m < 75;
      double failing = m < 30 ? 0.05 : m < 60 ? 0.6 : m < 100 ? 0.3 : 0.1;
      for (String agent : List.of("support-bot", "triage-bot")) {
        int calls = quiet ? 0 : random.nextInt(4);
        int errors = 0;
        for (int c = 0; c < calls; c++) {
          errors += random.nextDouble() < failing ? 1 : 0;
        }
        if (calls > 0) {
          traffic.tool(minute, agent, "web_fetch", calls, errors);
        }
        if (random.nextInt(4) == 0) {
          traffic.tool(minute, agent, "search", 1, random.nextInt(2));
        }
      }
    }
    Rule rule =
        Rules.of(Metric.ERROR_RATE, Window.M5)
            .groupBy(GroupBy.TOOL)
            .thresholds("0.2", "0.5")
            .minSample(10)
            .noData(noData)
            .cooldown(2)
            .build();
    Instant from = START.plus(Duration.ofMinutes(4));
    Instant to = START.plus(Duration.ofMinutes(150));

    List<Event> live = live(rule, traffic, from, MINUTE, to);

    assertThat(backtest(rule, traffic, GroupBy.TOOL, from, MINUTE, to)).isEqualTo(live);
    assertThat(live).extracting(Event::toState).contains("critical", "resolved");
    assertThat(live).extracting(Event::group).contains("web_fetch");
    if (noData == NoData.ALERT) {
      assertThat(live)
          .as("search never has 10 calls in 5 minutes")
          .extracting(Event::group, Event::toState)
          .contains(tuple("search", "no_data"));
      assertThat(live).extracting(Event::toState).contains("no_data");
    }
  }

  @Test
  void noEventsForASilentAgent() {
    Traffic traffic = new Traffic();
    for (int m = 0; m < 120; m++) {
      Instant minute = START.plus(MINUTE.multipliedBy(m));
      if (m % 20 < 12) {
        traffic.llm(minute, "support-bot", "openai/gpt-4o", 1, 0, CENT);
      }
      if (m >= 30 && m < 70) {
        traffic.tool(minute, "nightly-job", "search", 2, 0);
      }
    }
    Rule rule =
        Rules.of(Metric.NO_EVENTS, Window.M5)
            .groupBy(GroupBy.AGENT)
            .comparator(Comparator.LTE)
            .thresholds(null, "0")
            .renotify(30)
            .build();
    Instant from = START.plus(Duration.ofMinutes(4));
    Instant to = START.plus(Duration.ofMinutes(120));

    List<Event> live = live(rule, traffic, from, MINUTE, to);

    assertThat(backtest(rule, traffic, GroupBy.AGENT, from, MINUTE, to)).isEqualTo(live);
    assertThat(live).extracting(Event::group).contains("support-bot", "nightly-job");
    assertThat(live).extracting(Event::toState).contains("critical", "resolved");
  }

  @Test
  void tokensAndCallsOverHourAndDayWindowsInHourSteps() {
    Traffic traffic = new Traffic();
    Random random = new Random(3);
    Instant historyFrom = START.minus(Duration.ofHours(23));
    for (int m = 0; m < 47 * 60; m++) {
      Instant minute = historyFrom.plus(MINUTE.multipliedBy(m));
      int hourOfDay = minute.atZone(ZoneOffset.UTC).getHour();
      int busy = hourOfDay >= 9 && hourOfDay < 18 ? 4 : 1;
      // a busy evening before the backtest starts, and one in it
      if (minute.isAfter(START.minus(Duration.ofHours(12)))
              && minute.isBefore(START.minus(Duration.ofHours(8)))
          || minute.isAfter(START.plus(Duration.ofHours(10)))
              && minute.isBefore(START.plus(Duration.ofHours(13)))) {
        busy = 8;
      }
      traffic.llm(minute, "support-bot", "openai/gpt-4o", random.nextInt(busy + 1), 0, CENT);
      if (random.nextInt(3) == 0) {
        traffic.llm(minute, "triage-bot", "anthropic/claude", busy, 0, CENT);
      }
    }
    Rule tokens = Rules.of(Metric.TOKENS, Window.H1).thresholds("60000", "100000").build();
    Rule calls =
        Rules.of(Metric.CALLS, Window.H24)
            .groupBy(GroupBy.PROVIDER)
            .thresholds("1800", "2100")
            .renotify(120)
            .build();
    Instant to = START.plus(Duration.ofHours(24));

    List<Event> liveTokens = live(tokens, traffic, START, HOUR, to);
    List<Event> liveCalls = live(calls, traffic, START, HOUR, to);

    assertThat(backtest(tokens, traffic, null, START, HOUR, to)).isEqualTo(liveTokens);
    assertThat(backtest(calls, traffic, GroupBy.PROVIDER, START, HOUR, to)).isEqualTo(liveCalls);
    assertThat(liveTokens).extracting(Event::toState).contains("critical", "resolved");
    assertThat(liveCalls).extracting(Event::group).contains("openai", "anthropic");
    assertThat(liveCalls).extracting(Event::toState).contains("warning", "resolved");
  }

  @Test
  void projectedMonthEndCostAcrossAMonthBoundaryAtDayResolution() {
    Traffic traffic = new Traffic();
    Random random = new Random(5);
    LocalDate first = LocalDate.parse("2026-11-01");
    Instant to = Instant.parse("2026-12-06T09:30:00Z");
    for (LocalDate day = first;
        day.isBefore(LocalDate.parse("2026-12-07"));
        day = day.plusDays(1)) {
      // dollars a day, with odd nano-USD so that the rounding shows
      long cost = (day.getDayOfMonth() % 10 + 3) * 1_000_000_000L + random.nextInt(1_000_000);
      traffic.llm(noon(day), "support-bot", "openai/gpt-4o", 40, 1, cost);
      traffic.llm(
          noon(day).minus(Duration.ofHours(3)), "triage-bot", "openai/gpt-4o", 10, 0, 333_333_333L);
    }
    Rule projection =
        Rules.of(Metric.PROJECTED_MONTH_COST_USD, Window.MONTH)
            .thresholds("240", "265")
            .renotify(60 * 24)
            .build();
    Rule month = Rules.of(Metric.COST_USD, Window.MONTH).thresholds("200", "250").build();
    Rule today =
        Rules.of(Metric.COST_USD, Window.DAY).groupBy(GroupBy.AGENT).thresholds("8", "10").build();
    Instant from = Instant.parse("2026-11-29T00:00:00Z");

    List<Event> liveProjection = live(projection, traffic, from, DAY, to);

    assertThat(backtest(projection, traffic, null, from, DAY, to)).isEqualTo(liveProjection);
    assertThat(backtest(month, traffic, null, from, DAY, to))
        .isEqualTo(live(month, traffic, from, DAY, to));
    assertThat(backtest(today, traffic, GroupBy.AGENT, from, DAY, to))
        .isEqualTo(live(today, traffic, from, DAY, to));
    assertThat(liveProjection).extracting(Event::toState).contains("critical", "resolved");
    assertThat(liveProjection).anyMatch(Event::renotify);
  }

  @Test
  void theProjectionIsRoundedDownOnceAtTheEnd() {
    LocalDate today = LocalDate.parse("2026-11-28");
    // 2 days left: floor(10 × 2 / 7) = 2
    assertThat(RuleEvaluator.projectedMonthEndNanoUsd(100, 10, today)).isEqualTo(102);
    // 25 days left: floor(10 × 25 / 7) = 35, not floor(10 / 7) × 25 = 25
    assertThat(RuleEvaluator.projectedMonthEndNanoUsd(100, 10, LocalDate.parse("2026-11-05")))
        .isEqualTo(135);
    assertThat(RuleEvaluator.projectedMonthEndNanoUsd(100, 10, LocalDate.parse("2026-11-30")))
        .as("nothing left after the last day")
        .isEqualTo(100);
  }

  @Test
  void latencyInTheBacktestIsTheHighestStepP95AnUpperBoundOfLive() {
    Rule rule = Rules.of(Metric.LATENCY_P95_MS, Window.M5).thresholds(null, "1000").build();
    Instant slowMinute = START;
    Instant fastMinute = START.plus(MINUTE);
    MetricStore store = new MetricStore();
    store.apply(latencies(slowMinute, 0, 10));
    store.apply(latencies(fastMinute, 300, 0));
    Map<String, NavigableMap<Instant, StepTotals>> history =
        Map.of(
            "",
            new TreeMap<>(
                Map.of(
                    slowMinute, new StepTotals(10, 0, 0, 0, p95(latencies(slowMinute, 0, 10))),
                    fastMinute, new StepTotals(300, 0, 0, 0, p95(latencies(fastMinute, 300, 0))))));
    Instant now = START.plus(Duration.ofMinutes(2));

    Measurement live = RuleEvaluator.measure(rule, store, now).get("");
    Measurement backtest = Backtest.measure(rule, history, now).get("");

    assertThat(live.value()).as("10 slow calls of 310").isEqualByComparingTo("49");
    assertThat(backtest.value()).as("the slow minute's p95").isEqualByComparingTo("2400");
    MetricStore slowOnly = new MetricStore();
    slowOnly.apply(latencies(slowMinute, 0, 10));
    assertThat(Backtest.measure(rule, history, fastMinute).get("").value())
        .as("a window of one step is exact")
        .isEqualByComparingTo(RuleEvaluator.measure(rule, slowOnly, fastMinute).get("").value());
  }

  private static MetricUpdate latencies(Instant minute, int fast, int slow) {
    long[] buckets = new long[LatencyBuckets.COUNT];
    buckets[LatencyBuckets.bucketOf(40)] += fast;
    buckets[LatencyBuckets.bucketOf(2_400)] += slow;
    MetricTotals totals =
        new MetricTotals(
            fast + slow,
            0,
            0,
            0,
            0,
            0,
            0,
            fast * 40L + slow * 2_400L,
            slow > 0 ? 2_400 : 40,
            buckets);
    return new MetricUpdate(
        "ws_test",
        "support-bot",
        EventType.TOOL_CALL,
        "web_fetch",
        minute.atOffset(ZoneOffset.UTC),
        totals,
        LocalDate.ofInstant(minute, ZoneOffset.UTC),
        totals);
  }

  /** The step's p95 as the aggregator's read API computes it. */
  private static Long p95(MetricUpdate update) {
    MetricTotals t = update.minuteTotals();
    return LatencyBuckets.quantileMs(t.latencyBuckets(), 0.95, t.durationMsMax());
  }

  // --- live: the metric updates, a MetricStore and the clock at each step's end

  private static List<Event> live(
      Rule rule, Traffic traffic, Instant from, Duration step, Instant to) {
    MetricStore store = new MetricStore();
    Map<String, StateRow> states = new HashMap<>();
    List<Event> events = new ArrayList<>();
    List<Map.Entry<Instant, MetricUpdate>> updates = traffic.updates();
    int applied = 0;
    for (Instant stepStart = from; stepStart.isBefore(to); stepStart = stepStart.plus(step)) {
      Instant now = stepStart.plus(step).isAfter(to) ? to : stepStart.plus(step);
      while (applied < updates.size() && updates.get(applied).getKey().isBefore(now)) {
        store.apply(updates.get(applied++).getValue());
      }
      store.prune(now);
      Map<String, Measurement> measured = RuleEvaluator.measure(rule, store, now);
      AlertStates.steps(rule, measured, states, now, MINUTE)
          .forEach(
              (group, s) -> {
                states.put(group, s.next());
                Backtest.event(now, group, s).ifPresent(events::add);
              });
    }
    return events;
  }

  // --- the preview: the read API's per-step history, through the backtest

  private static List<Event> backtest(
      Rule rule, Traffic traffic, GroupBy groupBy, Instant from, Duration step, Instant to) {
    return Backtest.run(rule, traffic.history(groupBy, step, to), from, step, to, MINUTE);
  }

  private static Instant noon(LocalDate day) {
    return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
  }

  /** What the agents did, minute by minute: the aggregator's minute rows. */
  private static final class Traffic {

    private record Row(String agent, EventType type, String subject, MetricTotals totals) {}

    private final NavigableMap<Instant, List<Row>> minutes = new TreeMap<>();

    void llm(
        Instant minute, String agent, String model, long calls, long errors, long costNanoUsd) {
      add(
          minute,
          new Row(
              agent, EventType.LLM_CALL, model, totals(calls, errors, calls * 700, costNanoUsd)));
    }

    void tool(Instant minute, String agent, String tool, long calls, long errors) {
      add(minute, new Row(agent, EventType.TOOL_CALL, tool, totals(calls, errors, 0, 0)));
    }

    private void add(Instant minute, Row row) {
      minutes
          .computeIfAbsent(minute.truncatedTo(ChronoUnit.MINUTES), m -> new ArrayList<>())
          .add(row);
    }

    private static MetricTotals totals(long calls, long errors, long tokens, long costNanoUsd) {
      return new MetricTotals(
          calls, errors, tokens * 4 / 5, tokens / 5, 0, 0, costNanoUsd, calls * 250, 900);
    }

    /**
     * The metric updates the aggregator publishes, by minute: each carries the absolute totals of
     * its minute and of its day so far.
     */
    List<Map.Entry<Instant, MetricUpdate>> updates() {
      Map<String, MetricTotals> daySoFar = new HashMap<>();
      List<Map.Entry<Instant, MetricUpdate>> updates = new ArrayList<>();
      minutes.forEach(
          (minute, rows) -> {
            LocalDate day = LocalDate.ofInstant(minute, ZoneOffset.UTC);
            for (Row row : rows) {
              MetricTotals dayTotals =
                  daySoFar.merge(
                      row.agent() + "|" + row.type() + "|" + row.subject() + "|" + day,
                      row.totals(),
                      Traffic::plus);
              updates.add(
                  Map.entry(
                      minute,
                      new MetricUpdate(
                          "ws_test",
                          row.agent(),
                          row.type(),
                          row.subject(),
                          minute.atOffset(ZoneOffset.UTC),
                          row.totals(),
                          day,
                          dayTotals)));
            }
          });
      return updates;
    }

    /**
     * What {@code GET /api/obs/metrics/timeseries} answers at {@code to}, merged per group and
     * step: the minutes before {@code to} summed into steps of {@code step} (calendar days for
     * {@code 1d}).
     */
    Map<String, NavigableMap<Instant, StepTotals>> history(
        GroupBy groupBy, Duration step, Instant to) {
      Map<String, NavigableMap<Instant, StepTotals>> history = new HashMap<>();
      minutes
          .headMap(to, false)
          .forEach(
              (minute, rows) -> {
                Instant stepStart =
                    step.equals(DAY)
                        ? minute.truncatedTo(ChronoUnit.DAYS)
                        : step.equals(HOUR) ? minute.truncatedTo(ChronoUnit.HOURS) : minute;
                for (Row row : rows) {
                  String group =
                      RuleEvaluator.groupOf(
                          groupBy,
                          new MetricStore.SeriesKey(
                              row.agent(),
                              row.type().name().toLowerCase(Locale.ROOT),
                              row.subject()));
                  if (group == null) {
                    continue;
                  }
                  MetricTotals t = row.totals();
                  StepTotals totals =
                      new StepTotals(
                          t.calls(),
                          t.errors(),
                          t.inputTokens() + t.outputTokens(),
                          t.costNanoUsd(),
                          null);
                  history
                      .computeIfAbsent(group, g -> new TreeMap<>())
                      .merge(stepStart, totals, Traffic::plus);
                }
              });
      return history;
    }

    private static MetricTotals plus(MetricTotals a, MetricTotals b) {
      return new MetricTotals(
          a.calls() + b.calls(),
          a.errors() + b.errors(),
          a.inputTokens() + b.inputTokens(),
          a.outputTokens() + b.outputTokens(),
          0,
          0,
          a.costNanoUsd() + b.costNanoUsd(),
          a.durationMsSum() + b.durationMsSum(),
          Math.max(a.durationMsMax(), b.durationMsMax()));
    }

    private static StepTotals plus(StepTotals a, StepTotals b) {
      return new StepTotals(
          a.calls() + b.calls(),
          a.errors() + b.errors(),
          a.tokens() + b.tokens(),
          a.costNanoUsd() + b.costNanoUsd(),
          null);
    }
  }
}
