/**
 * Event intake: {@code POST /api/obs/v1/events} reads a bounded body, validates every event against
 * the v1 schema and limits, stamps the key's workspace, and answers only after Kafka acknowledged
 * the accepted events.
 */
package dev.beacon.ingest.events;
