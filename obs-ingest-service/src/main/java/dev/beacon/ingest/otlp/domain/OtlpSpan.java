package dev.beacon.ingest.otlp.domain;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One span as decoded from either encoding, with its resource and scope. Attribute values are
 * already JSON: strings, booleans, integers, doubles, arrays and objects (key-value lists).
 *
 * @param traceId lowercase hex, or {@code null} when the request's id was not 16 bytes
 * @param spanId lowercase hex, or {@code null} when the request's id was not 8 bytes
 * @param parentSpanId lowercase hex; empty when the span is a root; {@code null} when malformed
 * @param kind OTLP {@code SpanKind} number
 * @param statusCode OTLP {@code Status.StatusCode} number: 0 unset, 1 ok, 2 error
 */
record OtlpSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    int kind,
    long startTimeUnixNano,
    long endTimeUnixNano,
    Map<String, JsonNode> attributes,
    int statusCode,
    String statusMessage,
    List<SpanEvent> events,
    Map<String, JsonNode> resource,
    String scopeName) {

  static final int STATUS_ERROR = 2;

  /** A span event; only {@code exception} events are read. */
  record SpanEvent(String name, Map<String, JsonNode> attributes) {}
}
