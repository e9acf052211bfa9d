package dev.beacon.ingest.otlp.domain;

import dev.beacon.identity.error.ApiException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes OTLP's JSON encoding of {@code ExportTraceServiceRequest}: lowerCamelCase field names
 * (snake_case accepted too, as proto3 JSON parsers do), trace and span ids as hex strings, 64-bit
 * integers as strings or numbers, enums as integers (or their names). Unknown fields are ignored.
 *
 * <p>The body is already bounded in bytes; Jackson's nesting and number limits still apply, while
 * single strings may be as long as the body, since long attribute values are truncated later rather
 * than failing the whole export.
 */
final class JsonSpanDecoder {

  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper json;
  private final int maxSpans;

  JsonSpanDecoder(int maxNestingDepth, int maxNumberLength, int maxBodyBytes, int maxSpans) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxNestingDepth)
                    .maxNumberLength(maxNumberLength)
                    .maxStringLength(maxBodyBytes)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.json = JsonMapper.builder(factory).build();
    this.maxSpans = maxSpans;
  }

  List<OtlpSpan> decode(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "json_limits_exceeded",
          "The JSON exceeds a limit (nesting depth or number length): " + e.getOriginalMessage());
    } catch (JacksonException e) {
      throw malformed("Malformed JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw malformed("The body must be a JSON ExportTraceServiceRequest object.");
    }
    List<OtlpSpan> spans = new ArrayList<>();
    for (JsonNode resourceSpans : array(root, "resourceSpans", "resource_spans")) {
      Map<String, JsonNode> resource =
          attributes(object(resourceSpans, "resource", "resource"), "resource");
      for (JsonNode scopeSpans : array(resourceSpans, "scopeSpans", "scope_spans")) {
        JsonNode scope = object(scopeSpans, "scope", "scope");
        String scopeName = text(scope, "name", "name", "scope.name");
        for (JsonNode span : array(scopeSpans, "spans", "spans")) {
          SpanLimits.checkCount(spans.size() + 1, maxSpans);
          spans.add(span(span, resource, scopeName));
        }
      }
    }
    return spans;
  }

  private OtlpSpan span(JsonNode span, Map<String, JsonNode> resource, String scope) {
    if (!span.isObject()) {
      throw malformed("Each span must be a JSON object.");
    }
    List<OtlpSpan.SpanEvent> events = new ArrayList<>();
    for (JsonNode event : array(span, "events", "events")) {
      String name = text(event, "name", "name", "span event name");
      if (SpanMapper.EXCEPTION_EVENT.equals(name)) {
        events.add(new OtlpSpan.SpanEvent(name, attributes(event, "span event")));
      }
    }
    JsonNode status = object(span, "status", "status");
    String parent = text(span, "parentSpanId", "parent_span_id", "parentSpanId");
    return new OtlpSpan(
        id(text(span, "traceId", "trace_id", "traceId"), 16),
        id(text(span, "spanId", "span_id", "spanId"), 8),
        parent == null || parent.isEmpty() ? "" : id(parent, 8),
        text(span, "name", "name", "span name"),
        enumValue(span, "kind", "kind", "SPAN_KIND_"),
        uint64(span, "startTimeUnixNano", "start_time_unix_nano"),
        uint64(span, "endTimeUnixNano", "end_time_unix_nano"),
        attributes(span, "span"),
        enumValue(status, "code", "code", "STATUS_CODE_"),
        text(status, "message", "message", "status message"),
        events,
        resource,
        scope);
  }

  private static String id(String hex, int bytes) {
    if (hex == null || hex.length() != bytes * 2) {
      return null;
    }
    try {
      return HEX.formatHex(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Map<String, JsonNode> attributes(JsonNode owner, String where) {
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    for (JsonNode keyValue : array(owner, "attributes", "attributes")) {
      addKeyValue(attributes, keyValue, where);
    }
    return attributes;
  }

  private void addKeyValue(Map<String, JsonNode> into, JsonNode keyValue, String where) {
    String key = text(keyValue, "key", "key", where + " attribute key");
    JsonNode value = keyValue.isObject() ? keyValue.get("value") : null;
    if (key == null) {
      throw malformed("Every " + where + " attribute needs a string \"key\".");
    }
    JsonNode converted = value == null || value.isNull() ? null : anyValue(value, key);
    if (converted != null) {
      into.put(key, converted);
    }
  }

  private JsonNode anyValue(JsonNode value, String key) {
    if (!value.isObject()) {
      throw malformed("The value of attribute \"" + key + "\" must be an AnyValue object.");
    }
    if (value.has("stringValue") || value.has("string_value")) {
      return NODES.stringNode(text(value, "stringValue", "string_value", key));
    }
    if (value.has("boolValue") || value.has("bool_value")) {
      JsonNode bool = field(value, "boolValue", "bool_value");
      if (!bool.isBoolean()) {
        throw malformed("boolValue of attribute \"" + key + "\" must be true or false.");
      }
      return bool;
    }
    if (value.has("intValue") || value.has("int_value")) {
      return NODES.numberNode(int64(field(value, "intValue", "int_value"), key));
    }
    if (value.has("doubleValue") || value.has("double_value")) {
      return SpanLimits.doubleNode(float64(field(value, "doubleValue", "double_value"), key));
    }
    if (value.has("bytesValue") || value.has("bytes_value")) {
      return NODES.stringNode(text(value, "bytesValue", "bytes_value", key));
    }
    if (value.has("arrayValue") || value.has("array_value")) {
      ArrayNode array = NODES.arrayNode();
      for (JsonNode element :
          array(object(value, "arrayValue", "array_value"), "values", "values")) {
        JsonNode converted = element.isNull() ? null : anyValue(element, key);
        array.add(converted == null ? NODES.nullNode() : converted);
      }
      return array;
    }
    if (value.has("kvlistValue") || value.has("kvlist_value")) {
      Map<String, JsonNode> entries = new LinkedHashMap<>();
      for (JsonNode entry :
          array(object(value, "kvlistValue", "kvlist_value"), "values", "values")) {
        addKeyValue(entries, entry, "kvlist");
      }
      ObjectNode object = NODES.objectNode();
      entries.forEach(object::set);
      return object;
    }
    return null;
  }

  private static JsonNode field(JsonNode owner, String camel, String snake) {
    if (owner == null || !owner.isObject()) {
      return null;
    }
    JsonNode value = owner.get(camel);
    return value != null ? value : owner.get(snake);
  }

  private static Iterable<JsonNode> array(JsonNode owner, String camel, String snake) {
    JsonNode value = field(owner, camel, snake);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw malformed("\"" + camel + "\" must be an array.");
    }
    return value;
  }

  private static JsonNode object(JsonNode owner, String camel, String snake) {
    JsonNode value = field(owner, camel, snake);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw malformed("\"" + camel + "\" must be an object.");
    }
    return value;
  }

  private static String text(JsonNode owner, String camel, String snake, String what) {
    JsonNode value = field(owner, camel, snake);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw malformed(what + " must be a string.");
    }
    return value.stringValue();
  }

  private static long uint64(JsonNode owner, String camel, String snake) {
    JsonNode value = field(owner, camel, snake);
    if (value == null || value.isNull()) {
      return 0;
    }
    try {
      long parsed =
          value.isString()
              ? Long.parseUnsignedLong(value.stringValue())
              : value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : -1;
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw malformed("\"" + camel + "\" must be an unsigned 64-bit integer (string or number).");
    }
  }

  private static long int64(JsonNode value, String key) {
    try {
      if (value.isString()) {
        return Long.parseLong(value.stringValue());
      }
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return value.longValue();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed("intValue of attribute \"" + key + "\" must be a 64-bit integer.");
  }

  private static double float64(JsonNode value, String key) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isString()) {
      switch (value.stringValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(value.stringValue());
          } catch (NumberFormatException e) {
            break;
          }
      }
    }
    throw malformed("doubleValue of attribute \"" + key + "\" must be a number.");
  }

  private static int enumValue(JsonNode owner, String camel, String snake, String prefix) {
    JsonNode value = field(owner, camel, snake);
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isString()) {
      String name = value.stringValue().toUpperCase(Locale.ROOT);
      String[] names =
          prefix.equals("SPAN_KIND_")
              ? new String[] {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"}
              : new String[] {"UNSET", "OK", "ERROR"};
      for (int i = 0; i < names.length; i++) {
        if (name.equals(prefix + names[i])) {
          return i;
        }
      }
    }
    throw malformed("\"" + camel + "\" must be an enum number.");
  }

  private static ApiException malformed(String message) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "malformed_json",
        message.length() > 300 ? message.substring(0, 300) + "…" : message);
  }
}
