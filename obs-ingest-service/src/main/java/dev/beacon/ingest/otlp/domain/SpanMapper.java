package dev.beacon.ingest.otlp.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps one span to Beacon events per the OpenTelemetry GenAI semantic conventions; the table is in
 * {@code docs/observability/05-sdk.md}.
 *
 * <ul>
 *   <li>{@code gen_ai.operation.name} {@code chat}, {@code text_completion}, {@code
 *       generate_content}, {@code embeddings} → {@code llm_call}; {@code execute_tool} → {@code
 *       tool_call}; {@code invoke_agent} → {@code run_start} at its start and {@code run_end} at
 *       its end; anything else → {@code custom}. A span without an operation name but with a model
 *       or token usage (older instrumentations) is an {@code llm_call}.
 *   <li>Every event of a trace gets {@code run_id} = the trace id, and keeps {@code trace_id},
 *       {@code span_id} and {@code parent_span_id}, so a run's timeline is the span tree. This
 *       needs no state across requests: exporters send children before their parents, often in
 *       separate requests.
 *   <li>{@code event_id} is a name-based UUID of (trace id, span id, role), so a re-exported span
 *       is the same event and the aggregator stores and counts it once.
 * </ul>
 *
 * <p>Everything not mapped to a typed field goes into {@code metadata}, bounded in entries, value
 * length and total size so that the event stays within the contract's limits.
 */
final class SpanMapper {

  static final String EXCEPTION_EVENT = "exception";

  private static final int MAX_ID = 128;
  private static final int MAX_NAME = 256;
  private static final int MAX_ERROR_MESSAGE = 4096;
  private static final int MAX_METADATA_ENTRIES = 60;
  private static final int MAX_METADATA_KEY = 128;
  private static final int MAX_VALUE_CHARS = 4096;
  private static final int MAX_ARRAY_ITEMS = 32;
  private static final int MAX_VALUE_DEPTH = 3;
  private static final long MAX_TOKENS = 1_000_000_000L;
  private static final String[] SPAN_KINDS = {
    "unspecified", "internal", "server", "client", "producer", "consumer"
  };
  private static final Set<String> LLM_OPERATIONS =
      Set.of("chat", "text_completion", "generate_content", "embeddings");
  private static final List<String> RESOURCE_METADATA =
      List.of("service.name", "service.version", "deployment.environment.name");
  private static final Map<String, String> PROVIDERS =
      Map.of(
          "gcp.gemini", "google",
          "gcp.vertex_ai", "google",
          "gcp.gen_ai", "google",
          "vertex_ai", "google",
          "gemini", "google",
          "mistral_ai", "mistral",
          "x_ai", "xai");

  private final ObjectMapper json;
  private final int metadataBudgetBytes;

  /**
   * @param maxMetadataBytes the contract's {@code max-metadata-size}; metadata stays below it
   */
  SpanMapper(ObjectMapper json, long maxMetadataBytes) {
    this.json = json;
    this.metadataBudgetBytes = (int) Math.max(1024, maxMetadataBytes - 512);
  }

  /** The events of one span, or why it cannot be mapped. */
  record Mapped(List<ObjectNode> events, String rejectionCode, String rejectionMessage) {

    static Mapped rejected(String code, String message) {
      return new Mapped(List.of(), code, message);
    }
  }

  Mapped map(OtlpSpan span) {
    if (!isId(span.traceId(), 32)) {
      return Mapped.rejected("invalid_span_id", "traceId must be 16 bytes (32 hex), not all zero.");
    }
    if (!isId(span.spanId(), 16)) {
      return Mapped.rejected("invalid_span_id", "spanId must be 8 bytes (16 hex), not all zero.");
    }
    if (span.parentSpanId() == null) {
      return Mapped.rejected("invalid_span_id", "parentSpanId must be empty or 8 bytes (16 hex).");
    }
    Attributes attributes = new Attributes(span.attributes());
    String operation = attributes.text("gen_ai.operation.name");
    if (operation != null) {
      operation = operation.toLowerCase(Locale.ROOT);
    }
    if ("invoke_agent".equals(operation)) {
      return new Mapped(List.of(runStart(span, attributes), runEnd(span, attributes)), null, null);
    }
    if ("execute_tool".equals(operation)) {
      return new Mapped(List.of(toolCall(span, attributes)), null, null);
    }
    if (operation == null ? looksLikeLlmCall(attributes) : LLM_OPERATIONS.contains(operation)) {
      return new Mapped(List.of(llmCall(span, attributes)), null, null);
    }
    attributes.unconsume("gen_ai.operation.name");
    return new Mapped(List.of(custom(span, attributes)), null, null);
  }

  private ObjectNode llmCall(OtlpSpan span, Attributes attributes) {
    ObjectNode event = envelope(span, "llm_call", "span", span.startTimeUnixNano(), attributes);
    outcome(event, span, attributes);
    ObjectNode llm = event.putObject("llm");
    String provider = attributes.first("gen_ai.provider.name", "gen_ai.system");
    llm.put("provider", provider == null ? "unknown" : normaliseProvider(provider));
    String model = attributes.first("gen_ai.response.model", "gen_ai.request.model");
    llm.put("model", model == null ? "unknown" : truncate(model, MAX_NAME));
    tokens(
        llm, "input_tokens", attributes, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens");
    tokens(
        llm,
        "output_tokens",
        attributes,
        "gen_ai.usage.output_tokens",
        "gen_ai.usage.completion_tokens");
    tokens(
        llm,
        "cached_input_tokens",
        attributes,
        "gen_ai.usage.cache_read.input_tokens",
        "gen_ai.usage.cache_read_input_tokens",
        "gen_ai.usage.input_tokens.cached");
    tokens(
        llm,
        "reasoning_tokens",
        attributes,
        "gen_ai.usage.reasoning.output_tokens",
        "gen_ai.usage.reasoning_tokens",
        "gen_ai.usage.output_tokens.reasoning");
    // the raw names stay visible: gen_ai.provider.name may have been normalised, and the request
    // model may differ from the response model that prices the call
    attributes.unconsume("gen_ai.provider.name", "gen_ai.system", "gen_ai.request.model");
    metadata(event, span, attributes);
    return event;
  }

  private ObjectNode toolCall(OtlpSpan span, Attributes attributes) {
    ObjectNode event = envelope(span, "tool_call", "span", span.startTimeUnixNano(), attributes);
    outcome(event, span, attributes);
    String tool = attributes.text("gen_ai.tool.name");
    event.putObject("tool").put("name", truncate(tool != null ? tool : nameOf(span), MAX_NAME));
    metadata(event, span, attributes);
    return event;
  }

  private ObjectNode runStart(OtlpSpan span, Attributes attributes) {
    ObjectNode event =
        envelope(span, "run_start", "run_start", span.startTimeUnixNano(), attributes);
    metadata(event, span, attributes.copy());
    return event;
  }

  private ObjectNode runEnd(OtlpSpan span, Attributes attributes) {
    long at = span.endTimeUnixNano() > 0 ? span.endTimeUnixNano() : span.startTimeUnixNano();
    ObjectNode event = envelope(span, "run_end", "run_end", at, attributes);
    outcome(event, span, attributes);
    // the run's attributes are on run_start already
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("name", truncate(nameOf(span), MAX_VALUE_CHARS));
    event.putArray("tags").add("otlp");
    return event;
  }

  private ObjectNode custom(OtlpSpan span, Attributes attributes) {
    ObjectNode event = envelope(span, "custom", "span", span.startTimeUnixNano(), attributes);
    outcome(event, span, attributes);
    metadata(event, span, attributes);
    return event;
  }

  /**
   * A resource's {@code service.name} as an agent id, or {@code null} for the SDKs' fallback {@code
   * unknown_service} / {@code unknown_service:<process>}, which by the OpenTelemetry resource
   * conventions means no name was configured.
   */
  static String serviceName(String name) {
    return name == null || name.equals("unknown_service") || name.startsWith("unknown_service:")
        ? null
        : name;
  }

  private ObjectNode envelope(
      OtlpSpan span, String type, String role, long atNanos, Attributes attributes) {
    ObjectNode event = json.createObjectNode();
    event.put("event_id", eventId(span, role).toString());
    event.put("type", type);
    event.put("occurred_at", timestamp(atNanos));
    String agent = attributes.peekFirst("gen_ai.agent.id", "gen_ai.agent.name");
    if (agent == null) {
      agent = serviceName(text(span.resource().get("service.name")));
    }
    if (agent != null && !agent.isEmpty()) {
      event.put("agent_id", truncate(agent, MAX_ID));
    }
    event.put("run_id", span.traceId());
    event.put("trace_id", span.traceId());
    event.put("span_id", span.spanId());
    if (!span.parentSpanId().isEmpty()) {
      event.put("parent_span_id", span.parentSpanId());
    }
    return event;
  }

  /** Status, error and duration. */
  private void outcome(ObjectNode event, OtlpSpan span, Attributes attributes) {
    String errorType = attributes.text("error.type");
    boolean failed = span.statusCode() == OtlpSpan.STATUS_ERROR || errorType != null;
    event.put("status", failed ? "error" : "ok");
    if (failed) {
      Map<String, JsonNode> exception =
          span.events().stream()
              .filter(e -> EXCEPTION_EVENT.equals(e.name()))
              .findFirst()
              .map(OtlpSpan.SpanEvent::attributes)
              .orElse(Map.of());
      if (errorType == null) {
        errorType = text(exception.get("exception.type"));
      }
      String message =
          span.statusMessage() != null && !span.statusMessage().isBlank()
              ? span.statusMessage()
              : text(exception.get("exception.message"));
      ObjectNode error = event.putObject("error");
      error.put(
          "type", errorType == null || errorType.isEmpty() ? "error" : truncate(errorType, 256));
      if (message != null && !message.isEmpty()) {
        error.put("message", truncate(message, MAX_ERROR_MESSAGE));
      }
    }
    long start = span.startTimeUnixNano();
    long end = span.endTimeUnixNano();
    if (start > 0 && end >= start) {
      event.put("duration_ms", (end - start) / 1_000_000L);
    }
  }

  private void metadata(ObjectNode event, OtlpSpan span, Attributes attributes) {
    ObjectNode metadata = event.putObject("metadata");
    int[] budget = {metadataBudgetBytes};
    int dropped = 0;
    put(metadata, "name", JsonNodeFactory.instance.stringNode(nameOf(span)), budget);
    put(
        metadata,
        "otel.span.kind",
        JsonNodeFactory.instance.stringNode(
            span.kind() >= 0 && span.kind() < SPAN_KINDS.length
                ? SPAN_KINDS[span.kind()]
                : "unspecified"),
        budget);
    if (span.scopeName() != null && !span.scopeName().isEmpty()) {
      put(
          metadata,
          "otel.scope.name",
          JsonNodeFactory.instance.stringNode(span.scopeName()),
          budget);
    }
    for (String key : RESOURCE_METADATA) {
      JsonNode value = span.resource().get(key);
      if (value != null && !put(metadata, key, value, budget)) {
        dropped++;
      }
    }
    for (Map.Entry<String, JsonNode> attribute : attributes.unconsumed()) {
      if (!put(metadata, attribute.getKey(), attribute.getValue(), budget)) {
        dropped++;
      }
    }
    if (dropped > 0) {
      metadata.put("otel.dropped_attributes", dropped);
    }
    event.putArray("tags").add("otlp");
  }

  /** Adds one bounded entry if it fits; keeps room for the dropped-attributes counter. */
  private boolean put(ObjectNode metadata, String key, JsonNode value, int[] budget) {
    if (key.isEmpty()
        || key.length() > MAX_METADATA_KEY
        || metadata.size() >= MAX_METADATA_ENTRIES
        || metadata.has(key)) {
      return false;
    }
    JsonNode bounded = bound(value, 0);
    int size = key.length() + json.writeValueAsBytes(bounded).length + 4;
    if (size > budget[0]) {
      return false;
    }
    budget[0] -= size;
    metadata.set(key, bounded);
    return true;
  }

  private JsonNode bound(JsonNode value, int depth) {
    if (value.isString()) {
      String text = value.stringValue();
      return text.length() > MAX_VALUE_CHARS
          ? JsonNodeFactory.instance.stringNode(truncate(text, MAX_VALUE_CHARS))
          : value;
    }
    if (!value.isContainer()) {
      return value;
    }
    if (depth >= MAX_VALUE_DEPTH) {
      return JsonNodeFactory.instance.stringNode(
          truncate(json.writeValueAsString(value), MAX_VALUE_CHARS));
    }
    if (value.isArray()) {
      ArrayNode array = json.createArrayNode();
      for (int i = 0; i < Math.min(value.size(), MAX_ARRAY_ITEMS); i++) {
        array.add(bound(value.get(i), depth + 1));
      }
      return array;
    }
    ObjectNode object = json.createObjectNode();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (object.size() == MAX_ARRAY_ITEMS) {
        break;
      }
      object.set(truncate(entry.getKey(), MAX_METADATA_KEY), bound(entry.getValue(), depth + 1));
    }
    return object;
  }

  private static void tokens(ObjectNode llm, String field, Attributes attributes, String... keys) {
    for (String key : keys) {
      JsonNode value = attributes.take(key);
      Long count = integer(value);
      if (count != null) {
        // out-of-range counts go through as sent: the schema rejects them with a clear message
        llm.put(field, count);
        return;
      }
    }
  }

  private static Long integer(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
      double number = value.doubleValue();
      return Math.abs(number) <= MAX_TOKENS * 10 ? (long) number : null;
    }
    if (value.isString()) {
      try {
        return Long.parseLong(value.stringValue().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean looksLikeLlmCall(Attributes attributes) {
    return attributes.has("gen_ai.request.model")
        || attributes.has("gen_ai.response.model")
        || attributes.has("gen_ai.usage.input_tokens")
        || attributes.has("gen_ai.usage.prompt_tokens");
  }

  static String normaliseProvider(String provider) {
    String lower = provider.strip().toLowerCase(Locale.ROOT);
    return truncate(PROVIDERS.getOrDefault(lower, lower), MAX_NAME);
  }

  static UUID eventId(OtlpSpan span, String role) {
    return UUID.nameUUIDFromBytes(
        ("otlp:" + span.traceId() + ":" + span.spanId() + ":" + role)
            .getBytes(StandardCharsets.UTF_8));
  }

  private static String timestamp(long nanos) {
    // Instant prints seconds always (RFC 3339 needs them); OffsetDateTime drops ":00"
    return Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  private static String nameOf(OtlpSpan span) {
    return span.name() == null || span.name().isEmpty() ? "unnamed" : span.name();
  }

  private static boolean isId(String hex, int length) {
    return hex != null && hex.length() == length && hex.chars().anyMatch(c -> c != '0');
  }

  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isString() ? value.stringValue() : value.toString();
  }

  private static String truncate(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    int end = max;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end);
  }

  /** A span's attributes; those mapped to typed fields are consumed and left out of metadata. */
  private static final class Attributes {

    private final Map<String, JsonNode> values;
    private final Set<String> consumed;

    Attributes(Map<String, JsonNode> values) {
      this(values, new HashSet<>());
    }

    private Attributes(Map<String, JsonNode> values, Set<String> consumed) {
      this.values = values;
      this.consumed = consumed;
    }

    Attributes copy() {
      return new Attributes(values, new HashSet<>(consumed));
    }

    boolean has(String key) {
      return values.containsKey(key);
    }

    JsonNode take(String key) {
      JsonNode value = values.get(key);
      if (value != null) {
        consumed.add(key);
      }
      return value;
    }

    /** A string attribute, consumed. */
    String text(String key) {
      String value = SpanMapper.text(take(key));
      return value == null || value.isEmpty() ? null : value;
    }

    /** The first present string attribute, consuming all of the keys that are present. */
    String first(String... keys) {
      String found = null;
      for (String key : keys) {
        String value = text(key);
        if (found == null) {
          found = value;
        }
      }
      return found;
    }

    /** Like {@link #first}, but leaves the attributes in metadata. */
    String peekFirst(String... keys) {
      for (String key : keys) {
        String value = SpanMapper.text(values.get(key));
        if (value != null && !value.isEmpty()) {
          return value;
        }
      }
      return null;
    }

    void unconsume(String... keys) {
      for (String key : keys) {
        consumed.remove(key);
      }
    }

    Iterable<Map.Entry<String, JsonNode>> unconsumed() {
      return values.entrySet().stream().filter(e -> !consumed.contains(e.getKey())).toList();
    }
  }
}
