package dev.beacon.ingest.events.domain;

import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import dev.beacon.events.EventType;
import dev.beacon.ingest.config.IngestProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks one event: its size, the v1 JSON Schema (with format assertions), the size of its
 * metadata, and that {@code occurred_at} is neither too far in the future nor older than retention.
 */
class EventValidator {

  private final Schema schema;
  private final ObjectMapper json;
  private final IngestProperties.Limits limits;
  private final Clock clock;

  private static final java.util.Map<String, EventType> TYPES =
      java.util.Arrays.stream(EventType.values())
          .collect(
              java.util.stream.Collectors.toUnmodifiableMap(
                  type -> type.name().toLowerCase(Locale.ROOT), type -> type));

  EventValidator(Schema schema, ObjectMapper json, IngestProperties.Limits limits, Clock clock) {
    this.schema = schema;
    this.json = json;
    this.limits = limits;
    this.clock = clock;
  }

  /** A valid event, ready to be stamped and published. */
  record ValidEvent(
      int index, String eventId, UUID dedupeKey, EventType type, String agentId, ObjectNode node) {}

  /** Either a valid event or the reason it was rejected. */
  record Checked(ValidEvent valid, EventResult rejection) {}

  Checked check(RawEvent raw) {
    JsonNode node = raw.node();
    String eventId = text(node, "event_id");
    if (raw.sizeBytes() > limits.maxEventSize().toBytes()) {
      return reject(
          raw,
          eventId,
          "event_too_large",
          "The event has "
              + raw.sizeBytes()
              + " bytes; at most "
              + limits.maxEventSize().toBytes()
              + " are allowed.");
    }
    // the boolean output fails fast and builds no messages; only a bad event pays for them
    if (!FastEventCheck.isCertainlyValid(node)
        && !Boolean.TRUE.equals(schema.validate(node, OutputFormat.BOOLEAN))) {
      return reject(raw, eventId, "schema_violation", describe(schema.validate(node)));
    }
    JsonNode metadata = node.get("metadata");
    long maxMetadata = limits.maxMetadataSize().toBytes();
    // metadata cannot be larger than the event that holds it: measure only when it could be
    if (metadata != null
        && raw.sizeBytes() > maxMetadata
        && json.writeValueAsBytes(metadata).length > maxMetadata) {
      return reject(
          raw,
          eventId,
          "metadata_too_large",
          "metadata is larger than " + limits.maxMetadataSize().toBytes() + " bytes.");
    }
    Instant occurredAt;
    try {
      occurredAt = Rfc3339.toInstant(text(node, "occurred_at"));
    } catch (DateTimeParseException e) {
      return reject(
          raw, eventId, "schema_violation", "/occurred_at: not an RFC 3339 date-time with offset");
    }
    Instant now = clock.instant();
    if (occurredAt.isAfter(now.plus(limits.maxFutureSkew()))) {
      return reject(
          raw,
          eventId,
          "occurred_at_in_future",
          "occurred_at is more than " + limits.maxFutureSkew().toSeconds() + " s in the future.");
    }
    if (occurredAt.isBefore(now.minus(limits.maxAge()))) {
      return reject(
          raw,
          eventId,
          "occurred_at_too_old",
          "occurred_at is older than " + limits.maxAge().toDays() + " days (the retention).");
    }
    EventType type = TYPES.get(node.get("type").stringValue());
    return new Checked(
        new ValidEvent(
            raw.index(),
            eventId,
            UUID.fromString(eventId.toLowerCase(Locale.ROOT)),
            type,
            text(node, "agent_id"),
            (ObjectNode) node),
        null);
  }

  private static Checked reject(RawEvent raw, String eventId, String code, String message) {
    return new Checked(null, EventResult.rejected(raw.index(), eventId, code, message));
  }

  private static String describe(List<Error> errors) {
    if (errors.isEmpty()) {
      return "The event does not match the v1 schema.";
    }
    String joined = errors.stream().limit(5).map(Error::toString).collect(Collectors.joining("; "));
    return joined.length() > 500 ? joined.substring(0, 500) + "…" : joined;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.isObject() ? node.get(field) : null;
    if (value == null || !value.isString()) {
      return null;
    }
    String text = value.stringValue();
    return text.length() > 128 ? text.substring(0, 128) : text;
  }
}
