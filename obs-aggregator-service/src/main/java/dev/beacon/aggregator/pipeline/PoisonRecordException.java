package dev.beacon.aggregator.pipeline;

/**
 * A record that can never be stored, whatever the retries: undecodable, schema-invalid, or outside
 * the window the log keeps. It goes to the topic's dead-letter topic with {@link #reason()} in a
 * header, and the batch goes on without it.
 */
class PoisonRecordException extends RuntimeException {

  private final String reason;

  PoisonRecordException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  PoisonRecordException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Stable machine-readable reason: {@code undecodable}, {@code invalid}, {@code expired}. */
  public String reason() {
    return reason;
  }
}
