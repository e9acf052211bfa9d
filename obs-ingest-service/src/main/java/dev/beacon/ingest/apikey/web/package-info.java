/**
 * HTTP endpoints for keys: management under {@code /api/obs/keys} (forwarded identity) and {@code
 * POST /internal/keys/verify} for the gateway.
 */
package dev.beacon.ingest.apikey.web;
