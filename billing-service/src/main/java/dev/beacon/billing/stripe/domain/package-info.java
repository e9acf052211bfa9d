/** Verifying Stripe events and turning them into subscription changes. */
package dev.beacon.billing.stripe.domain;
