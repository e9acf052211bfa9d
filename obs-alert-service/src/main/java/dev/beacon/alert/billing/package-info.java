/**
 * Billing notices: billing-service's notices on {@code billing.notices.v1} (payment failed, grace
 * ending, moved to Free, credits low or used up) become in-app notifications of their workspace,
 * once each by notice id, in the same list and live stream as alerts (ADR 0026).
 */
package dev.beacon.alert.billing;
