package dev.beacon.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter, and the cap on a server's {@code Retry-After}.
 *
 * @param maxAttempts attempts per batch, the first one included
 * @param initialBackoff the backoff before the second attempt, before jitter
 * @param maxBackoff the largest backoff between attempts
 */
record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  static final long MAX_RETRY_AFTER_SECONDS = 300;

  /** Delay before attempt {@code attempt + 1} after a failure without {@code Retry-After}. */
  long backoffMillis(int attempt) {
    long base = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    long exponential = base << Math.min(attempt - 1, 20);
    long capped = Math.min(max, exponential <= 0 ? max : exponential);
    // half fixed, half random: spreads clients out without ever retrying immediately
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  /**
   * Delay honouring the server's {@code Retry-After} (capped at five minutes, so a broken header
   * cannot park the client for hours), plus up to 10% jitter so clients do not return in step.
   */
  long retryAfterMillis(long retryAfterSeconds) {
    long wanted = Math.min(Math.max(0, retryAfterSeconds), MAX_RETRY_AFTER_SECONDS) * 1000L;
    return wanted + ThreadLocalRandom.current().nextLong(wanted / 10 + 1);
  }
}
