package dev.beacon.alert.evaluation;

import dev.beacon.alert.evaluation.RuleEvaluator.Measurement;
import dev.beacon.alert.evaluation.RuleEvaluator.Span;
import dev.beacon.alert.evaluation.RuleEvaluator.Totals;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.Metric;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * A rule evaluated over history instead of the live stream (the rule preview): at the end of every
 * step, with the window {@link RuleEvaluator#span} gives at that instant, the metric from {@link
 * RuleEvaluator#measurement} and the step from {@link AlertStates#steps}, exactly as live. So on
 * the same data it writes the same events as live evaluation at those instants, with two
 * differences the history forces, both only for what it cannot see:
 *
 * <ul>
 *   <li>{@code latency_p95_ms}: a step carries its p95, not its histogram, so a window of several
 *       steps is the highest p95 of its steps, an upper bound of live's percentile of the merged
 *       histogram (exact when the window is one step);
 *   <li>resolution: a window holds the steps that start in it, so with hour steps at an instant
 *       that is not on the hour (the last, partial step) the window is whole hours, and a group
 *       counts from its first step (live keeps a series for 40 days; older history is not read).
 * </ul>
 */
public final class Backtest {

  /**
   * One step of a group's history, as the aggregator's read API reports it; missing steps are
   * empty.
   *
   * @param calls events
   * @param errors error events
   * @param tokens input plus output tokens
   * @param costNanoUsd exact cost
   * @param p95Ms the step's 95th percentile latency, or {@code null}
   */
  public record StepTotals(long calls, long errors, long tokens, long costNanoUsd, Long p95Ms) {}

  /**
   * An alert event evaluation writes.
   *
   * @param at the evaluation instant (the end of a step, or {@code to})
   * @param group the group ({@code ""} for an ungrouped rule)
   * @param fromState the state before
   * @param toState the new state, {@code resolved} for a return to ok (the same as {@code
   *     fromState} for a renotify)
   * @param value the measured value, or {@code null} for no data
   * @param threshold the threshold the event is about
   * @param renotify whether this is a renotify of a group still breached
   */
  public record Event(
      Instant at,
      String group,
      String fromState,
      String toState,
      BigDecimal value,
      BigDecimal threshold,
      boolean renotify) {}

  private Backtest() {}

  /**
   * Evaluates the rule at the end of every step from {@code from} on, and at {@code to} if that is
   * inside a step, starting with every group ok (the rule's {@code enabled} is ignored).
   *
   * @param rule the rule
   * @param history per group ({@code ""} when ungrouped), step start to the step's totals; for full
   *     windows it starts a window's length (the projection: 7 days and the month) before {@code
   *     from}
   * @param from the start of the first step evaluated
   * @param step the step length
   * @param to the last evaluation instant
   * @param minuteLength how long one of the rule's renotify and cooldown minutes lasts
   * @return the events in time order, then by group
   */
  public static List<Event> run(
      Rule rule,
      Map<String, NavigableMap<Instant, StepTotals>> history,
      Instant from,
      Duration step,
      Instant to,
      Duration minuteLength) {
    Map<String, StateRow> states = new HashMap<>();
    List<Event> events = new ArrayList<>();
    for (Instant stepStart = from; stepStart.isBefore(to); stepStart = stepStart.plus(step)) {
      Instant at = stepStart.plus(step).isAfter(to) ? to : stepStart.plus(step);
      AlertStates.steps(rule, measure(rule, history, at), states, at, minuteLength)
          .forEach(
              (group, s) -> {
                states.put(group, s.next());
                event(at, group, s).ifPresent(events::add);
              });
    }
    return events;
  }

  /** The measurement of every group seen before {@code at}, as live would have it then. */
  static Map<String, Measurement> measure(
      Rule rule, Map<String, NavigableMap<Instant, StepTotals>> history, Instant at) {
    boolean projection = rule.metric() == Metric.PROJECTED_MONTH_COST_USD;
    Span window = RuleEvaluator.span(rule.window(), at);
    Span trailingWeek = RuleEvaluator.trailingWeek(at);
    LocalDate today = RuleEvaluator.today(at);
    Map<String, Measurement> measured = new HashMap<>();
    history.forEach(
        (group, steps) -> {
          if (steps.headMap(at, false).isEmpty()) {
            return;
          }
          Totals totals = sum(steps, window, at);
          if (projection) {
            long trailing = sum(steps, trailingWeek, at).costNanoUsd();
            totals =
                new Totals(
                    totals.calls(),
                    totals.errors(),
                    totals.tokens(),
                    RuleEvaluator.projectedMonthEndNanoUsd(totals.costNanoUsd(), trailing, today),
                    totals.p95Ms());
          }
          measured.put(group, RuleEvaluator.measurement(rule, totals));
        });
    if (rule.groupBy() == null) {
      measured.computeIfAbsent("", g -> RuleEvaluator.measurement(rule, Totals.ZERO));
    }
    return measured;
  }

  /** The steps that start in the span and before {@code at}, added up. */
  private static Totals sum(NavigableMap<Instant, StepTotals> steps, Span span, Instant at) {
    Instant from = span.rolling() ? span.fromMinute() : startOf(span.fromDay());
    Instant until = span.rolling() ? at : min(startOf(span.toDay().plusDays(1)), at);
    if (!from.isBefore(until)) {
      return Totals.ZERO;
    }
    long calls = 0;
    long errors = 0;
    long tokens = 0;
    long cost = 0;
    Long p95 = null;
    for (StepTotals s : steps.subMap(from, true, until, false).values()) {
      calls += s.calls();
      errors += s.errors();
      tokens += s.tokens();
      cost += s.costNanoUsd();
      if (s.p95Ms() != null && (p95 == null || s.p95Ms() > p95)) {
        p95 = s.p95Ms();
      }
    }
    return new Totals(calls, errors, tokens, cost, p95);
  }

  /** The alert event of a step, or empty for a silent one. */
  static Optional<Event> event(Instant at, String group, Step step) {
    if (step instanceof Step.Transition t) {
      return Optional.of(
          new Event(
              at,
              group,
              t.from().wire(),
              t.next().state().eventName(),
              t.next().value(),
              t.threshold(),
              false));
    }
    if (step instanceof Step.Renotify r) {
      String state = r.next().state().wire();
      return Optional.of(new Event(at, group, state, state, r.next().value(), r.threshold(), true));
    }
    return Optional.empty();
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
