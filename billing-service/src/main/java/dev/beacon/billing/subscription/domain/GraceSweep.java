package dev.beacon.billing.subscription.domain;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs {@link SubscriptionService#sweep} every {@code beacon.billing.sweep-interval}. */
@Component
class GraceSweep {

  private static final Logger log = LoggerFactory.getLogger(GraceSweep.class);

  private final SubscriptionService subscriptions;
  private final Clock clock;

  GraceSweep(SubscriptionService subscriptions, Clock clock) {
    this.subscriptions = subscriptions;
    this.clock = clock;
  }

  @Scheduled(
      initialDelayString = "${beacon.billing.sweep-interval:60s}",
      fixedDelayString = "${beacon.billing.sweep-interval:60s}")
  void sweep() {
    try {
      subscriptions.sweep(clock.instant()).block(Duration.ofMinutes(1));
    } catch (RuntimeException e) {
      log.warn("Billing sweep failed; retried at the next interval: {}", e.toString());
    }
  }
}
