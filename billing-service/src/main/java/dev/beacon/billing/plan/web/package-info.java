/** {@code GET /api/billing/plans}. */
package dev.beacon.billing.plan.web;
