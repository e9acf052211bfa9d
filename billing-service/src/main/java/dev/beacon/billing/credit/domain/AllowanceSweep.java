package dev.beacon.billing.credit.domain;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link LedgerService#refreshBlocked} every {@code beacon.billing.sweep-interval}, so a
 * blocked workspace is unblocked by its next month's allowance without having to use hosted calls
 * (which it cannot) or to read its credits first.
 */
@Component
class AllowanceSweep {

  private static final Logger log = LoggerFactory.getLogger(AllowanceSweep.class);

  private final LedgerService ledger;
  private final Clock clock;

  AllowanceSweep(LedgerService ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  @Scheduled(
      initialDelayString = "${beacon.billing.sweep-interval:60s}",
      fixedDelayString = "${beacon.billing.sweep-interval:60s}")
  void sweep() {
    try {
      ledger.refreshBlocked(clock.instant()).block(Duration.ofMinutes(1));
    } catch (RuntimeException e) {
      log.warn("Allowance sweep failed; retried at the next interval: {}", e.toString());
    }
  }
}
