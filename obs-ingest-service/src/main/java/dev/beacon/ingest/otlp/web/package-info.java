/**
 * The OTLP/HTTP side: API-key authentication and rate limits shared with the JSON intake, content
 * types, OTLP responses and {@code google.rpc.Status} errors.
 */
package dev.beacon.ingest.otlp.web;
