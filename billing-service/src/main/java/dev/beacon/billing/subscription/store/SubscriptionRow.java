package dev.beacon.billing.subscription.store;

import java.time.Instant;

/** A row of {@code subscriptions}. */
public record SubscriptionRow(
    String workspaceId,
    String planId,
    String status,
    String stripeCustomerId,
    String stripeSubscriptionId,
    Instant currentPeriodEnd,
    Instant graceUntil,
    Instant stripeChangedAt,
    long revision,
    long publishedRevision) {}
