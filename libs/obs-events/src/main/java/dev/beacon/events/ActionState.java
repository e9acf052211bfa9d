package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an agent action stands in its approval lifecycle: {@code proposed → approved | rejected},
 * then {@code approved → executed | failed}. JSON values are the lowercase names.
 */
public enum ActionState {
  /** The agent asked to perform the action; it waits for a person's decision. */
  @JsonProperty("proposed")
  PROPOSED,

  /** A person approved the action. */
  @JsonProperty("approved")
  APPROVED,

  /** A person rejected the action; it will not run. */
  @JsonProperty("rejected")
  REJECTED,

  /** The approved action ran successfully. */
  @JsonProperty("executed")
  EXECUTED,

  /** The approved action ran and failed. */
  @JsonProperty("failed")
  FAILED
}
