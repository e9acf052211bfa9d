/**
 * OTLP/HTTP intake of traces ({@code POST /api/obs/otlp/v1/traces}): spans that follow the
 * OpenTelemetry GenAI semantic conventions become Beacon events, validated and published through
 * the same path as the JSON intake.
 */
package dev.beacon.ingest.otlp;
