package dev.beacon.billing.credit.domain;

/**
 * What a Stripe event did to the ledger.
 *
 * @param result {@code applied}, {@code stale} (a refund already reversed in full or in part by a
 *     later one), {@code unmatched} (no workspace, an unknown pack, no purchase for the payment) or
 *     {@code ignored} (a checkout whose payment is not complete)
 * @param workspaceId the workspace, when known
 * @param hostedAccessChanged whether the workspace's {@code hosted_llm_allowed} flipped, so its
 *     entitlements are to be published after the commit
 */
public record CreditOutcome(String result, String workspaceId, boolean hostedAccessChanged) {

  static CreditOutcome of(String result, String workspaceId) {
    return new CreditOutcome(result, workspaceId, false);
  }
}
