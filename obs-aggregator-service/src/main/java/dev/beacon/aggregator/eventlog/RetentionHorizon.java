package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.config.AggregatorProperties;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The longest event log retention of any workspace: late events older than it are dead-lettered as
 * {@code expired}, because their day's partition is (or is about to be) dropped. Events of a
 * workspace with a shorter retention that are younger than this are stored and then removed by the
 * next retention run. The retention job refreshes it; a workspace raising its retention raises it
 * at once.
 */
@Component
public final class RetentionHorizon {

  private final Duration defaultRetention;
  private final AtomicReference<Duration> longest;

  RetentionHorizon(AggregatorProperties properties) {
    this.defaultRetention = Duration.ofDays(properties.retentionDays());
    this.longest = new AtomicReference<>(defaultRetention);
  }

  public Duration longest() {
    return longest.get();
  }

  /** Sets the longest retention found in the settings (never below the default). */
  void refresh(Duration longestSetting) {
    longest.set(longestSetting.compareTo(defaultRetention) > 0 ? longestSetting : defaultRetention);
  }

  /** Raises the horizon after one workspace lengthened its retention. */
  void raiseTo(Duration retention) {
    longest.accumulateAndGet(retention, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }
}
