package dev.beacon.billing.stripe.domain;

/**
 * The answer to one delivery.
 *
 * @param eventId the Stripe event id
 * @param outcome {@code applied}, {@code stale}, {@code unmatched}, {@code ignored} (a type billing
 *     does not handle) or {@code duplicate} (the event was received before; nothing changed)
 */
public record WebhookResult(String eventId, String outcome) {}
