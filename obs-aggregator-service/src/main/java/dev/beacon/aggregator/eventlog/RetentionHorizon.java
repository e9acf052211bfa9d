package dev.beacon.aggregator.eventlog;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The longest event log retention any workspace's plan allows: late events older than it are
 * dead-lettered as {@code expired}, because their day's partition is (or is about to be) dropped.
 * Events of a workspace with a shorter retention that are younger than this are stored and then
 * removed by the next retention run. Refreshed from the plans every ten seconds, so an upgrade
 * raises it within that; until billing's entitlements have been read to their end nothing is judged
 * expired below {@link RetentionSettingsController#MAX_DAYS}.
 */
@Component
public final class RetentionHorizon {

  private static final Duration UNKNOWN = Duration.ofDays(RetentionSettingsController.MAX_DAYS);

  private final PlanRetention plans;
  private final AtomicReference<Duration> longest = new AtomicReference<>(UNKNOWN);

  RetentionHorizon(PlanRetention plans) {
    this.plans = plans;
  }

  public Duration longest() {
    return plans.known() ? longest.get() : UNKNOWN;
  }

  @Scheduled(fixedDelay = 10, timeUnit = TimeUnit.SECONDS)
  void refresh() {
    if (plans.known()) {
      longest.set(Duration.ofDays(plans.longestDays()));
    }
  }
}
