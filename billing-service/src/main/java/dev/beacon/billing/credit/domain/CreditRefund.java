package dev.beacon.billing.credit.domain;

/**
 * A {@code charge.refunded} event.
 *
 * @param stripeEventId the event: the reversal's reference
 * @param paymentIntentId the charge's payment, which names the purchase
 * @param amountCents the charge's amount
 * @param amountRefundedCents everything refunded of the charge so far (Stripe's is cumulative)
 */
public record CreditRefund(
    String stripeEventId, String paymentIntentId, long amountCents, long amountRefundedCents) {}
