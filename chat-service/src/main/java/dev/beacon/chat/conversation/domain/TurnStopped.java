package dev.beacon.chat.conversation.domain;

/**
 * A turn stopped and its stop is in the outbox: published as a Spring application event after the
 * statement that stored it, so the outbox is sent at once rather than at the next sweep.
 *
 * @param stopId the stop's {@code <run id>:<stop>}
 */
public record TurnStopped(String stopId) {}
