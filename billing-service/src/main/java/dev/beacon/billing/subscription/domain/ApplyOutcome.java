package dev.beacon.billing.subscription.domain;

/**
 * What applying a change did, as recorded in the Stripe event log.
 *
 * @param result {@code applied}, {@code stale} (older than the change applied last), {@code
 *     unmatched} (no workspace, no known price, or not the workspace's current subscription)
 * @param workspaceId the workspace concerned, when known
 */
public record ApplyOutcome(String result, String workspaceId) {

  static ApplyOutcome applied(String workspaceId) {
    return new ApplyOutcome("applied", workspaceId);
  }

  static ApplyOutcome stale(String workspaceId) {
    return new ApplyOutcome("stale", workspaceId);
  }

  static ApplyOutcome unmatched(String workspaceId) {
    return new ApplyOutcome("unmatched", workspaceId);
  }

  /** Whether the workspace's state changed, so its entitlements are to be published. */
  public boolean changed() {
    return "applied".equals(result);
  }
}
