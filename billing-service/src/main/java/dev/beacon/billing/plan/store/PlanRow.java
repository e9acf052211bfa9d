package dev.beacon.billing.plan.store;

import dev.beacon.billing.plan.domain.Entitlements;

/** A row of {@code plans}. */
public record PlanRow(String id, String name, Long priceCentsMonthly, Entitlements entitlements) {}
