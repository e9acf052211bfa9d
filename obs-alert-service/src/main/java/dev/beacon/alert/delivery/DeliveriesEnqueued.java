package dev.beacon.alert.delivery;

/** Published after new outbox rows were committed, so the dispatcher sends them at once. */
public record DeliveriesEnqueued() {}
