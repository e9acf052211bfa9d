package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Outcome of the operation an {@link ObsEvent} describes. JSON values: {@code ok}, {@code error}.
 */
public enum EventStatus {
  /** The operation succeeded. */
  @JsonProperty("ok")
  OK,

  /** The operation failed; {@link ObsEvent#error()} says how. */
  @JsonProperty("error")
  ERROR
}
