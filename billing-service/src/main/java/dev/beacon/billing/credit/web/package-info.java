/** {@code GET /api/billing/credits} and {@code GET /api/billing/credits/ledger}. */
package dev.beacon.billing.credit.web;
