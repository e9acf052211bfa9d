/** Applying Stripe's changes in order, grace periods, and publishing absolute entitlements. */
package dev.beacon.billing.subscription.domain;
