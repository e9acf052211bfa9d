package dev.beacon.alert.evaluation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The persisted state of one (rule, group), a row of {@code obs_alert.rule_states}.
 *
 * @param state the state
 * @param value the value at the last change
 * @param since when the state began
 * @param lastNotifiedAt the last notification about this group, or {@code null}
 * @param resolvedAt the last resolve (the cooldown counts from it), or {@code null}
 */
record StateRow(
    AlertState state, BigDecimal value, Instant since, Instant lastNotifiedAt, Instant resolvedAt) {

  /** A group never evaluated: ok, never notified, never resolved. */
  static final StateRow NEVER_EVALUATED = new StateRow(AlertState.OK, null, null, null, null);

  /** Enters {@code next} without a notification (a snooze begins or ends). */
  StateRow silently(AlertState next, BigDecimal newValue, Instant now) {
    return new StateRow(next, newValue, now, lastNotifiedAt, resolvedAt);
  }

  /** Enters the breached state {@code next}, notified now. */
  StateRow fired(AlertState next, BigDecimal newValue, Instant now) {
    return new StateRow(next, newValue, now, now, resolvedAt);
  }

  /** Back to ok, notified now; the cooldown starts. */
  StateRow resolved(BigDecimal newValue, Instant now) {
    return new StateRow(AlertState.OK, newValue, now, now, now);
  }

  /** The same state, notified again now. */
  StateRow renotified(BigDecimal newValue, Instant now) {
    return new StateRow(state, newValue, since, now, resolvedAt);
  }
}
