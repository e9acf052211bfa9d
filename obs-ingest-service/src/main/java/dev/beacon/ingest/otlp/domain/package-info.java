/**
 * Decoding OTLP trace exports (protobuf and JSON) and mapping spans to Beacon events per the
 * OpenTelemetry GenAI semantic conventions.
 */
package dev.beacon.ingest.otlp.domain;
