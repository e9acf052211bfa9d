/** {@code POST /api/billing/stripe/webhook}. */
package dev.beacon.billing.stripe.web;
