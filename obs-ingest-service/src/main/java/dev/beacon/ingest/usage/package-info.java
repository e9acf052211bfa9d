/**
 * The plan's monthly event quota ({@code events_per_month}, ADR 0024): an exact per-workspace
 * counter in PostgreSQL that event intake reserves from once per batch, and the usage read for the
 * Billing page.
 */
package dev.beacon.ingest.usage;
