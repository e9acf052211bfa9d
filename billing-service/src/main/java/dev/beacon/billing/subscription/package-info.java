/**
 * A workspace's subscription, its effective plan, and the entitlements published for it on {@code
 * billing.entitlements.v1}.
 */
package dev.beacon.billing.subscription;
