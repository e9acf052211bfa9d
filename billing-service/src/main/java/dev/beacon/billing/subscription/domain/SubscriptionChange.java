package dev.beacon.billing.subscription.domain;

import java.time.Instant;

/**
 * One change Stripe reported, reduced to what billing keeps.
 *
 * @param kind what happened
 * @param workspaceId the workspace named by the Stripe object, or {@code null} to find it by
 *     subscription or customer id
 * @param stripeCustomerId the Stripe customer, if the object names one
 * @param stripeSubscriptionId the Stripe subscription, if the object names one
 * @param stripePriceId the price subscribed to, if the object names one
 * @param stripeStatus the subscription's own status ({@code active}, {@code past_due}, …), for
 *     {@link Kind#SUBSCRIPTION_STATE}
 * @param currentPeriodEnd the end of the paid period, if the object names one
 * @param stripeCreated the {@code created} time of the Stripe event: the order of changes
 */
public record SubscriptionChange(
    Kind kind,
    String workspaceId,
    String stripeCustomerId,
    String stripeSubscriptionId,
    String stripePriceId,
    String stripeStatus,
    Instant currentPeriodEnd,
    Instant stripeCreated) {

  /** What happened. */
  public enum Kind {
    /** {@code checkout.session.completed}: the workspace subscribed. */
    CHECKOUT_COMPLETED,
    /** {@code customer.subscription.created|updated|deleted}: the subscription's new state. */
    SUBSCRIPTION_STATE,
    /** {@code customer.subscription.deleted}. */
    SUBSCRIPTION_DELETED,
    /** {@code invoice.payment_failed}. */
    PAYMENT_FAILED,
    /** {@code invoice.paid}. */
    PAYMENT_SUCCEEDED
  }
}
