package dev.beacon.ingest.events.domain;

import java.time.Duration;

/**
 * What to answer for a batch.
 *
 * @param status 200, 207, 400/413 when nothing was accepted, or 429 when nothing was accepted
 *     because the monthly quota is used up
 * @param body the response body
 * @param retryAfter the {@code Retry-After} to send, with 429; {@code null} otherwise
 */
public record BatchOutcome(int status, IngestResponse body, Duration retryAfter) {

  BatchOutcome(int status, IngestResponse body) {
    this(status, body, null);
  }
}
