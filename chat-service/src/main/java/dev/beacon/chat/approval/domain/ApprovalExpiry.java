package dev.beacon.chat.approval.domain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Expires due approval requests every {@code beacon.chat.approvals.sweep-interval}. */
@Component
class ApprovalExpiry {

  private static final Logger log = LoggerFactory.getLogger(ApprovalExpiry.class);

  private final ApprovalService approvals;

  ApprovalExpiry(ApprovalService approvals) {
    this.approvals = approvals;
  }

  @Scheduled(
      fixedDelayString = "${beacon.chat.approvals.sweep-interval}",
      initialDelayString = "${beacon.chat.approvals.sweep-interval}")
  void sweep() {
    try {
      Long expired = approvals.expireDue().block();
      if (expired != null && expired > 0) {
        log.info("Expired {} approval request(s) nobody decided in time", expired);
      }
    } catch (RuntimeException e) {
      log.warn("Approval expiry failed, retried at the next sweep: {}", e.toString());
    }
  }
}
