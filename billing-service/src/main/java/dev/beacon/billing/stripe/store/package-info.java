/** The {@code stripe_events} log. */
package dev.beacon.billing.stripe.store;
