package dev.beacon.alert.evaluation;

import java.math.BigDecimal;

/**
 * What one evaluation does to a (rule, group) whose state changes or that is notified again; "no
 * change" is the absence of a step. Every step writes {@link #next()}; a {@link Transition} and a
 * {@link Renotify} also write an alert event and notify the rule's channels.
 */
sealed interface Step {

  /** The state row to write. */
  StateRow next();

  /** A state change nobody is told about: a snooze begins, or it ends on a group that is ok. */
  record Silent(StateRow next) implements Step {}

  /**
   * A notifying change from {@code from} to {@code next.state()} (a return to ok is "resolved").
   *
   * @param threshold the threshold the event is about: the critical one for critical, else the
   *     warning one (or the critical one when the rule has no warning threshold)
   */
  record Transition(AlertState from, StateRow next, BigDecimal threshold) implements Step {}

  /** Still breached after {@code renotify_minutes}: the same state, notified again. */
  record Renotify(StateRow next, BigDecimal threshold) implements Step {}
}
