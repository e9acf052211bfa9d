package dev.beacon.billing.credit.domain;

/**
 * A completed Checkout Session for a credit pack ({@code mode = payment}, {@code
 * metadata.credit_pack}).
 *
 * @param workspaceId {@code client_reference_id}, else {@code metadata.workspace_id}
 * @param packId {@code metadata.credit_pack}
 * @param sessionId the session: the grant's reference, so the pack is granted once per session
 * @param paymentIntentId the payment, which a later refund names
 * @param amountCents {@code amount_total}
 * @param paid whether {@code payment_status} is {@code paid}
 */
public record CreditPurchase(
    String workspaceId,
    String packId,
    String sessionId,
    String paymentIntentId,
    long amountCents,
    boolean paid) {}
