package dev.beacon.billing.credit.store;

/** A row of {@code credit_packs}. */
public record CreditPackRow(String id, String name, long priceCents, long credits) {}
