package dev.beacon.ingest.events.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result for one event of a batch.
 *
 * @param index position in the batch, from 0
 * @param eventId the {@code event_id} as sent, when there was one
 * @param status {@code accepted} or {@code rejected}
 * @param code the rejection's stable code
 * @param message the rejection's reason
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResult(
    int index,
    @JsonProperty("event_id") String eventId,
    String status,
    String code,
    String message) {

  static EventResult accepted(int index, String eventId) {
    return new EventResult(index, eventId, "accepted", null, null);
  }

  static EventResult rejected(int index, String eventId, String code, String message) {
    return new EventResult(index, eventId, "rejected", code, message);
  }

  /** Whether the event was accepted. */
  public boolean isAccepted() {
    return "accepted".equals(status);
  }
}
