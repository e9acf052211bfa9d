package dev.beacon.alert.evaluation;

/**
 * The state of one (rule, group). {@link #wire()} is the name in {@code obs_alert.rule_states}, in
 * the API and in alert events; an event about a return to {@link #OK} says {@code resolved}.
 */
enum AlertState {
  OK("ok"),
  WARNING("warning"),
  CRITICAL("critical"),
  NO_DATA("no_data"),
  SNOOZED("snoozed");

  private final String wire;

  AlertState(String wire) {
    this.wire = wire;
  }

  String wire() {
    return wire;
  }

  /** Whether the group is alerting: it renotifies, and resolves when its value is back. */
  boolean breached() {
    return this == WARNING || this == CRITICAL || this == NO_DATA;
  }

  /** The {@code to_state} of an alert event entering this state. */
  String eventName() {
    return this == OK ? "resolved" : wire;
  }

  static AlertState fromWire(String wire) {
    for (AlertState state : values()) {
      if (state.wire.equals(wire)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown alert state " + wire);
  }
}
