package dev.beacon.gateway.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * One Resilience4j {@link RateLimiter} per key (an email, an address, a session), held in a
 * Caffeine cache bounded in size and dropped after a quiet period, so that a flood of distinct keys
 * cannot exhaust memory. Limits are per gateway instance.
 */
public final class KeyedRateLimiter {

  private final String name;
  private final RateLimiterConfig config;
  private final Cache<String, RateLimiter> limiters;

  public KeyedRateLimiter(String name, int limitForPeriod, Duration period, long maximumKeys) {
    this.name = name;
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(limitForPeriod)
            .limitRefreshPeriod(period)
            .timeoutDuration(Duration.ZERO)
            .build();
    this.limiters =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
            .expireAfterAccess(period.multipliedBy(2))
            .build();
  }

  /** Takes one permit for {@code key}; false when the key has used up its period's permits. */
  public boolean tryAcquire(String key) {
    return limiters.get(key, k -> RateLimiter.of(name, config)).acquirePermission();
  }

  /** How long a client should wait before trying again, in whole seconds (at least 1). */
  public long retryAfterSeconds() {
    return Math.max(1, config.getLimitRefreshPeriod().toSeconds());
  }
}
