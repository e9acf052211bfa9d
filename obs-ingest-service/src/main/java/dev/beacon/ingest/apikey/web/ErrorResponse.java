package dev.beacon.ingest.apikey.web;

/**
 * Body of every error of the key endpoints.
 *
 * @param code stable, machine-readable
 * @param message for people
 */
record ErrorResponse(String code, String message) {}
