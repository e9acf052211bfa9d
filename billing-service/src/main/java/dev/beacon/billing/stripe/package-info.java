/** Stripe's webhook: signature check, the idempotent event log, and the events billing handles. */
package dev.beacon.billing.stripe;
