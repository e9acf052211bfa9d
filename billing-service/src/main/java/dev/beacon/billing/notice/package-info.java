/**
 * Billing notices: what a workspace is told about its billing (a failed payment and its grace
 * period, the grace ending, the fall back to Free, credits running low or out), kept in an outbox
 * table in the transaction of the change that caused them and published to {@code
 * billing.notices.v1} for obs-alert-service to show and e-mail (ADR 0026).
 */
package dev.beacon.billing.notice;
