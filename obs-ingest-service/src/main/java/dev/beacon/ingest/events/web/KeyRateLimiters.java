package dev.beacon.ingest.events.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.beacon.ingest.apikey.domain.AuthenticatedKey;
import dev.beacon.ingest.config.IngestProperties;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * One Resilience4j rate limiter per key, in requests per second: the key's own rate when it has
 * one, {@code beacon.ingest.rate-limit.requests-per-second} otherwise. Limiters live in a bounded
 * Caffeine cache, so many keys cannot exhaust memory. Never waits: a request over the limit is
 * answered 429 at once.
 */
@Component
public class KeyRateLimiters {

  /**
   * The outcome of asking for a permit.
   *
   * @param permitted whether the request may proceed
   * @param limit permits per second
   * @param remaining permits left in the current second
   * @param retryAfterSeconds when to retry, when not permitted
   */
  public record Decision(boolean permitted, int limit, int remaining, long retryAfterSeconds) {

    /** {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}, sent with every answer. */
    public HttpHeaders headers() {
      HttpHeaders headers = new HttpHeaders();
      headers.set("X-RateLimit-Limit", Integer.toString(limit));
      headers.set("X-RateLimit-Remaining", Integer.toString(remaining));
      return headers;
    }
  }

  private final int defaultRate;
  private final Cache<UUID, AtomicRateLimiter> limiters;

  KeyRateLimiters(IngestProperties properties) {
    this.defaultRate = properties.rateLimit().requestsPerSecond();
    this.limiters =
        Caffeine.newBuilder()
            .maximumSize(properties.rateLimit().maxTrackedKeys())
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
  }

  /** Takes a permit for one request of the key, or says when to retry; never waits. */
  public Decision acquire(AuthenticatedKey key) {
    int rate = key.rateLimitPerSecond() == null ? defaultRate : key.rateLimitPerSecond();
    AtomicRateLimiter limiter =
        limiters.get(
            key.id(),
            id ->
                new AtomicRateLimiter(
                    "key-" + id,
                    RateLimiterConfig.custom()
                        .limitForPeriod(rate)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build()));
    boolean permitted = limiter.acquirePermission();
    AtomicRateLimiter.AtomicRateLimiterMetrics metrics = limiter.getDetailedMetrics();
    long retryAfter =
        permitted ? 0 : Math.max(1, (metrics.getNanosToWait() + 999_999_999L) / 1_000_000_000L);
    return new Decision(
        permitted, rate, Math.max(0, metrics.getAvailablePermissions()), retryAfter);
  }
}
