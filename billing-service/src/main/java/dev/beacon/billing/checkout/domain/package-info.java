/** Who may start a Checkout or Portal session, for what, and the Stripe calls that create them. */
package dev.beacon.billing.checkout.domain;
