package dev.beacon.ingest.apikey.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code api_key_rejections}.
 *
 * @param keyId the key that sent it
 * @param rejectedAt when it was rejected
 * @param eventIndex position in the batch, or {@code null} for a whole request
 * @param eventId the event's id as sent, or {@code null}
 * @param code the stable error code
 * @param message the reason
 */
public record RejectionRow(
    UUID keyId,
    Instant rejectedAt,
    Integer eventIndex,
    String eventId,
    String code,
    String message) {}
