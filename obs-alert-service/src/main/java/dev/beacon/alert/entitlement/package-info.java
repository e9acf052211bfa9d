/**
 * The plan's limits as billing publishes them on {@code billing.entitlements.v1}: the highest
 * revision per workspace, Free's for a workspace without a record (docs/billing.md, ADR 0021).
 */
package dev.beacon.alert.entitlement;
