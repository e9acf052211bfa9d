package dev.beacon.billing.credit.store;

/** A row of {@code credit_purchases}. */
public record CreditPurchaseRow(
    String sessionId,
    String paymentIntentId,
    String workspaceId,
    String packId,
    long credits,
    long amountCents,
    long grantTransactionId) {}
