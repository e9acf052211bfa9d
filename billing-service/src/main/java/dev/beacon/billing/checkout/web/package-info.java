/** {@code POST /api/billing/checkout} and {@code POST /api/billing/portal}. */
package dev.beacon.billing.checkout.web;
