package dev.beacon.ingest.events.web;

/**
 * Body of every request-level error of the intake API.
 *
 * @param code stable, machine-readable; documented in {@code
 *     docs/observability/02-ingestion-api.md}
 * @param message for people
 */
record ErrorResponse(String code, String message) {}
