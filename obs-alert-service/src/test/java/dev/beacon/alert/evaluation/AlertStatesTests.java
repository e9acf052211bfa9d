package dev.beacon.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.alert.evaluation.RuleEvaluator.Measurement;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleEnums.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The (rule, group) state machine as a pure function, without Spring, a clock or a database. */
class AlertStatesTests {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static Instant minute(int n) {
    return T0.plus(MINUTE.multipliedBy(n));
  }

  private static Measurement value(String value) {
    return new Measurement(new BigDecimal(value), 100);
  }

  private static final Measurement NO_DATA = new Measurement(null, 0);

  /** Steps a group through the measurements, one a minute from T0, collecting every step. */
  private static final class Group {
    private final Rule rule;
    private StateRow state;

    Group(Rule rule) {
      this.rule = rule;
    }

    Optional<Step> at(int minute, Measurement m) {
      Optional<Step> step = AlertStates.next(rule, state, m, minute(minute), MINUTE);
      step.ifPresent(s -> state = s.next());
      return step;
    }
  }

  private static Step.Transition transition(Optional<Step> step) {
    assertThat(step).containsInstanceOf(Step.Transition.class);
    return (Step.Transition) step.orElseThrow();
  }

  @Test
  void goesFromOkToWarningToCriticalAndResolves() {
    Group group = new Group(Rules.of(Metric.COST_USD, Window.DAY).build());

    assertThat(group.at(0, value("5"))).isEmpty();

    Step.Transition warning = transition(group.at(1, value("15")));
    assertThat(warning.from()).isEqualTo(AlertState.OK);
    assertThat(warning.next())
        .isEqualTo(
            new StateRow(AlertState.WARNING, new BigDecimal("15"), minute(1), minute(1), null));
    assertThat(warning.threshold()).isEqualByComparingTo("10");

    Step.Transition critical = transition(group.at(2, value("25")));
    assertThat(critical.from()).isEqualTo(AlertState.WARNING);
    assertThat(critical.next().state()).isEqualTo(AlertState.CRITICAL);
    assertThat(critical.threshold()).isEqualByComparingTo("20");

    assertThat(group.at(3, value("30"))).as("still critical, no renotify").isEmpty();

    Step.Transition resolved = transition(group.at(4, value("3")));
    assertThat(resolved.from()).isEqualTo(AlertState.CRITICAL);
    assertThat(resolved.next())
        .isEqualTo(
            new StateRow(AlertState.OK, new BigDecimal("3"), minute(4), minute(4), minute(4)));
    assertThat(resolved.next().state().eventName()).isEqualTo("resolved");
    assertThat(resolved.threshold())
        .as("a resolve names the warning threshold")
        .isEqualByComparingTo("10");
  }

  @Test
  void criticalFallsBackToWarningWithoutResolving() {
    Group group = new Group(Rules.of(Metric.COST_USD, Window.DAY).build());
    group.at(0, value("25"));

    Step.Transition down = transition(group.at(1, value("15")));

    assertThat(down.from()).isEqualTo(AlertState.CRITICAL);
    assertThat(down.next().state()).isEqualTo(AlertState.WARNING);
    assertThat(down.next().resolvedAt()).isNull();
  }

  @Test
  void noDataIgnoredKeepsTheState() {
    Group group = new Group(Rules.of(Metric.ERROR_RATE, Window.M5).thresholds(null, "0.5").build());
    assertThat(group.at(0, NO_DATA)).as("ok stays ok").isEmpty();
    transition(group.at(1, value("0.75")));

    assertThat(group.at(2, NO_DATA)).as("critical stays critical").isEmpty();
    assertThat(group.state.state()).isEqualTo(AlertState.CRITICAL);
  }

  @Test
  void noDataAsOkResolves() {
    Group group =
        new Group(
            Rules.of(Metric.ERROR_RATE, Window.M5)
                .thresholds(null, "0.5")
                .noData(NoData.OK)
                .build());
    transition(group.at(0, value("0.75")));

    Step.Transition resolved = transition(group.at(1, NO_DATA));

    assertThat(resolved.next().state()).isEqualTo(AlertState.OK);
    assertThat(resolved.next().value()).isNull();
    assertThat(resolved.threshold()).isEqualByComparingTo("0.5");
  }

  @Test
  void noDataAsAlertGoesToNoDataOnceAndBack() {
    Group group = new Group(Rules.of(Metric.ERROR_RATE, Window.M5).noData(NoData.ALERT).build());

    Step.Transition noData = transition(group.at(0, NO_DATA));
    assertThat(noData.from()).isEqualTo(AlertState.OK);
    assertThat(noData.next().state()).isEqualTo(AlertState.NO_DATA);
    assertThat(noData.next().state().eventName()).isEqualTo("no_data");
    assertThat(noData.threshold()).isEqualByComparingTo("10");
    assertThat(group.at(1, NO_DATA)).isEmpty();

    Step.Transition back = transition(group.at(2, value("1")));
    assertThat(back.from()).isEqualTo(AlertState.NO_DATA);
    assertThat(back.next().state()).isEqualTo(AlertState.OK);
  }

  @Test
  void snoozedGroupsAreSilentAndAStillBreachedGroupFiresOnceWhenTheSnoozeEnds() {
    Group group = new Group(Rules.of(Metric.COST_USD, Window.DAY).snoozedUntil(minute(10)).build());

    Optional<Step> snoozed = group.at(0, value("25"));
    assertThat(snoozed)
        .contains(
            new Step.Silent(
                new StateRow(AlertState.SNOOZED, new BigDecimal("25"), minute(0), null, null)));
    assertThat(group.at(5, value("30"))).isEmpty();
    assertThat(group.at(9, value("3"))).as("no resolve either while snoozed").isEmpty();

    Step.Transition fired = transition(group.at(10, value("25")));
    assertThat(fired.from()).isEqualTo(AlertState.OK);
    assertThat(fired.next().state()).isEqualTo(AlertState.CRITICAL);
  }

  @Test
  void aSnoozeEndingOnAnOkGroupIsASilentReturnToOk() {
    Group group = new Group(Rules.of(Metric.COST_USD, Window.DAY).snoozedUntil(minute(10)).build());
    group.at(0, value("25"));

    assertThat(group.at(10, value("3")))
        .contains(
            new Step.Silent(
                new StateRow(AlertState.OK, new BigDecimal("3"), minute(10), null, null)));
    assertThat(group.at(11, value("3"))).isEmpty();
  }

  @Test
  void aSnoozeEndingWithoutDataIgnoredIsASilentReturnToOk() {
    Group group =
        new Group(Rules.of(Metric.ERROR_RATE, Window.M5).snoozedUntil(minute(10)).build());
    group.at(0, value("25"));

    assertThat(group.at(10, NO_DATA))
        .contains(new Step.Silent(new StateRow(AlertState.OK, null, minute(10), null, null)));
  }

  @Test
  void renotifiesAtTheIntervalWhileStillBreached() {
    Group group = new Group(Rules.of(Metric.CALLS, Window.H1).renotify(3).build());
    transition(group.at(0, value("25")));

    assertThat(group.at(2, value("25"))).isEmpty();
    Optional<Step> again = group.at(3, value("26"));
    assertThat(again)
        .contains(
            new Step.Renotify(
                new StateRow(AlertState.CRITICAL, new BigDecimal("26"), minute(0), minute(3), null),
                new BigDecimal("20")));
    assertThat(group.at(5, value("25"))).isEmpty();
    assertThat(group.at(6, value("25"))).containsInstanceOf(Step.Renotify.class);
    assertThat(group.state.since()).as("a renotify keeps the state's start").isEqualTo(minute(0));
  }

  @Test
  void aBreachedGroupWithoutDataIgnoredStillRenotifies() {
    Group group = new Group(Rules.of(Metric.ERROR_RATE, Window.M5).renotify(2).build());
    transition(group.at(0, value("25")));

    assertThat(group.at(2, NO_DATA)).containsInstanceOf(Step.Renotify.class);
    assertThat(group.state.value()).isNull();
  }

  @Test
  void aResolvedGroupDoesNotFireAgainWithinTheCooldown() {
    Group group = new Group(Rules.of(Metric.COST_USD, Window.DAY).cooldown(5).build());
    transition(group.at(0, value("25")));
    transition(group.at(1, value("3")));

    assertThat(group.at(2, value("25"))).isEmpty();
    assertThat(group.at(5, value("15"))).isEmpty();
    assertThat(group.state.state()).isEqualTo(AlertState.OK);

    Step.Transition refired = transition(group.at(6, value("25")));
    assertThat(refired.next().state()).isEqualTo(AlertState.CRITICAL);
    assertThat(refired.next().resolvedAt()).as("the last resolve is kept").isEqualTo(minute(1));
  }

  @Test
  void fewerCallsThanTheMinimumSampleAreNoData() {
    Rule rule =
        Rules.of(Metric.ERROR_RATE, Window.M5).thresholds(null, "0.5").minSample(10).build();
    Group group = new Group(rule);
    RuleEvaluator.Totals fourFailures = new RuleEvaluator.Totals(4, 4, 0, 0, null);
    RuleEvaluator.Totals twentyCalls = new RuleEvaluator.Totals(20, 15, 0, 0, null);

    Measurement belowSample = RuleEvaluator.measurement(rule, fourFailures);
    assertThat(belowSample).isEqualTo(new Measurement(null, 4));
    assertThat(group.at(0, belowSample)).as("4 calls, all failed, are below 10").isEmpty();

    Measurement sampled = RuleEvaluator.measurement(rule, twentyCalls);
    assertThat(sampled.value()).isEqualByComparingTo("0.75");
    assertThat(transition(group.at(1, sampled)).next().state()).isEqualTo(AlertState.CRITICAL);

    assertThat(group.at(2, RuleEvaluator.measurement(rule, fourFailures)))
        .as("below the sample again: no data, ignored, still critical")
        .isEmpty();
  }

  @Test
  void noEventsIsNeverBelowTheMinimumSample() {
    Rule rule = Rules.of(Metric.NO_EVENTS, Window.M5).minSample(10).build();

    assertThat(RuleEvaluator.measurement(rule, RuleEvaluator.Totals.ZERO).value())
        .isEqualByComparingTo("0");
  }
}
