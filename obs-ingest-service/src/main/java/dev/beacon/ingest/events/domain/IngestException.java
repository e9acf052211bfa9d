package dev.beacon.ingest.events.domain;

import java.time.Duration;

/**
 * A whole request refused with a documented status and code.
 *
 * <p>No stack trace: these are expected outcomes, not bugs.
 */
public class IngestException extends RuntimeException {

  private final int status;
  private final String code;
  private final Duration retryAfter;

  /** A refusal without {@code Retry-After}. */
  public IngestException(int status, String code, String message) {
    this(status, code, message, null);
  }

  /** A refusal, with {@code Retry-After} when {@code retryAfter} is not {@code null}. */
  public IngestException(int status, String code, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
