package dev.beacon.ingest.apikey.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One rejected event, or a whole rejected request when {@code index} is {@code null}.
 *
 * @param rejectedAt when
 * @param index position in the batch
 * @param eventId the event's id as sent
 * @param code stable error code
 * @param message reason
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejection(
    @JsonProperty("rejected_at") Instant rejectedAt,
    Integer index,
    @JsonProperty("event_id") String eventId,
    String code,
    String message) {}
