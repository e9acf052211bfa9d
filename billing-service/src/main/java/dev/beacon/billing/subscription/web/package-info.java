/** {@code GET /api/billing/subscription}. */
package dev.beacon.billing.subscription.web;
