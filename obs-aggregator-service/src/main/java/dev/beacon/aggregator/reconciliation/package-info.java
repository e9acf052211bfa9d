/**
 * Reconciliation (ADR 0012): whether the event log and every metrics table tell the same story, on
 * demand per day ({@code GET /api/obs/reconciliation}) and on schedules that feed the drift gauges.
 */
package dev.beacon.aggregator.reconciliation;
