package dev.beacon.alert.evaluation;

import dev.beacon.alert.evaluation.RuleEvaluator.Measurement;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.NoData;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state machine of a (rule, group), as pure functions: no clock, no I/O, the same for live
 * evaluation ({@link AlertEngine}) and the backtest ({@link Backtest}).
 *
 * <p>The measurement decides the level (critical before warning); then: a <b>transition</b> ({@code
 * ok → warning → critical}, back, {@code → no_data}, or back to ok = resolved) notifies; while
 * still breached the group is notified again every {@code renotify_minutes} (0 = never); after a
 * resolve it does not fire again for {@code cooldown_minutes}, escalations and resolves are never
 * delayed; no data ({@code null} value) keeps the state ({@code no_data: ignore}), resolves ({@code
 * ok}) or goes to {@code no_data} ({@code alert}); while the rule is snoozed its groups are {@code
 * snoozed} and nothing is sent, and when the snooze ends they start from ok, so a still-breached
 * group fires once.
 */
final class AlertStates {

  private AlertStates() {}

  /**
   * The level a measurement puts a group in, or empty when it has no data and the rule ignores that
   * (the state stays as it is).
   */
  static Optional<AlertState> level(Rule rule, Measurement m) {
    if (m.value() == null) {
      return switch (rule.noData() == null ? NoData.IGNORE : rule.noData()) {
        case IGNORE -> Optional.empty();
        case OK -> Optional.of(AlertState.OK);
        case ALERT -> Optional.of(AlertState.NO_DATA);
      };
    }
    if (rule.criticalThreshold() != null
        && rule.comparator().breaches(m.value(), rule.criticalThreshold())) {
      return Optional.of(AlertState.CRITICAL);
    }
    if (rule.warningThreshold() != null
        && rule.comparator().breaches(m.value(), rule.warningThreshold())) {
      return Optional.of(AlertState.WARNING);
    }
    return Optional.of(AlertState.OK);
  }

  /**
   * What one evaluation does to one group.
   *
   * @param rule the rule
   * @param persisted the group's state, or {@code null} if it has none yet
   * @param m the group's measurement now
   * @param now the evaluation instant
   * @param minuteLength how long one of the rule's renotify and cooldown minutes lasts
   * @return the step, or empty when nothing changes
   */
  static Optional<Step> next(
      Rule rule, StateRow persisted, Measurement m, Instant now, Duration minuteLength) {
    StateRow current = persisted == null ? StateRow.NEVER_EVALUATED : persisted;
    if (rule.snoozedAt(now)) {
      return current.state() == AlertState.SNOOZED
          ? Optional.empty()
          : Optional.of(new Step.Silent(current.silently(AlertState.SNOOZED, m.value(), now)));
    }
    boolean snoozeEnded = current.state() == AlertState.SNOOZED;
    AlertState state = snoozeEnded ? AlertState.OK : current.state();
    AlertState target = level(rule, m).orElse(state);
    if (target == state) {
      if (snoozeEnded) {
        return Optional.of(new Step.Silent(current.silently(AlertState.OK, m.value(), now)));
      }
      if (state.breached() && rule.renotifyMinutes() > 0) {
        Instant last =
            current.lastNotifiedAt() == null ? current.since() : current.lastNotifiedAt();
        if (!now.isBefore(last.plus(minuteLength.multipliedBy(rule.renotifyMinutes())))) {
          return Optional.of(
              new Step.Renotify(current.renotified(m.value(), now), threshold(rule, state)));
        }
      }
      return Optional.empty();
    }
    boolean firing = target != AlertState.OK;
    if (firing
        && !state.breached()
        && current.resolvedAt() != null
        && now.isBefore(
            current.resolvedAt().plus(minuteLength.multipliedBy(rule.cooldownMinutes())))) {
      return Optional.empty();
    }
    StateRow next =
        firing ? current.fired(target, m.value(), now) : current.resolved(m.value(), now);
    return Optional.of(
        new Step.Transition(state, next, threshold(rule, firing ? target : AlertState.WARNING)));
  }

  /**
   * One evaluation of a rule: the step of every group that is measured or has a state (a group with
   * a state but no series any more has no data), by group.
   */
  static SortedMap<String, Step> steps(
      Rule rule,
      Map<String, Measurement> measured,
      Map<String, StateRow> states,
      Instant now,
      Duration minuteLength) {
    SortedSet<String> groups = new TreeSet<>(measured.keySet());
    groups.addAll(states.keySet());
    SortedMap<String, Step> steps = new TreeMap<>();
    for (String group : groups) {
      next(
              rule,
              states.get(group),
              measured.getOrDefault(group, Measurement.NONE),
              now,
              minuteLength)
          .ifPresent(step -> steps.put(group, step));
    }
    return steps;
  }

  /** The threshold an event about {@code state} names. */
  private static BigDecimal threshold(Rule rule, AlertState state) {
    if (state == AlertState.CRITICAL) {
      return rule.criticalThreshold();
    }
    return rule.warningThreshold() != null ? rule.warningThreshold() : rule.criticalThreshold();
  }
}
