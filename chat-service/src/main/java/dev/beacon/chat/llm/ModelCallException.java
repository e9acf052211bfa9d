package dev.beacon.chat.llm;

import java.time.Duration;

/**
 * A model call that failed, as the conversation shows it: a stable code and a message for people
 * that never holds a key or a stack trace.
 *
 * <p>Codes: {@code provider_key_refused} (401/403), {@code model_not_found} (404), {@code
 * context_length_exceeded}, {@code provider_rate_limited} (429, retries used up), {@code
 * provider_error} (5xx, retries used up), {@code provider_bad_request} (another 4xx), {@code
 * provider_unreachable} (no answer, or none within the timeout), {@code provider_circuit_open} (the
 * provider failed so often that calls pause).
 */
public class ModelCallException extends RuntimeException {

  private final String code;
  private final Integer providerStatus;
  private final transient Duration retryAfter;

  ModelCallException(String code, String message, Integer providerStatus, Duration retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.providerStatus = providerStatus;
    this.retryAfter = retryAfter;
  }

  public String code() {
    return code;
  }

  /** The provider's HTTP status, or {@code null} when it did not answer. */
  public Integer providerStatus() {
    return providerStatus;
  }

  /** What the provider asked to wait before the next try ({@code Retry-After}), or null. */
  Duration retryAfter() {
    return retryAfter;
  }

  /** Whether another try may succeed: a 429, a 5xx or no answer. */
  boolean retryable() {
    return code.equals("provider_rate_limited")
        || code.equals("provider_error")
        || code.equals("provider_unreachable");
  }
}
