package dev.beacon.ingest.otlp.domain;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.beacon.identity.error.ApiException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Decodes a binary {@code ExportTraceServiceRequest}. */
final class ProtobufSpanDecoder {

  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ProtobufSpanDecoder() {}

  static List<OtlpSpan> decode(byte[] body, int maxSpans) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "malformed_protobuf",
          "The body is not a valid protobuf ExportTraceServiceRequest: " + e.getMessage());
    }
    List<OtlpSpan> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, JsonNode> resource = attributes(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          SpanLimits.checkCount(spans.size() + 1, maxSpans);
          spans.add(span(span, resource, scope));
        }
      }
    }
    return spans;
  }

  private static OtlpSpan span(Span span, Map<String, JsonNode> resource, String scope) {
    List<OtlpSpan.SpanEvent> events = new ArrayList<>();
    for (Span.Event event : span.getEventsList()) {
      if (SpanMapper.EXCEPTION_EVENT.equals(event.getName())) {
        events.add(new OtlpSpan.SpanEvent(event.getName(), attributes(event.getAttributesList())));
      }
    }
    ByteString parent = span.getParentSpanId();
    return new OtlpSpan(
        id(span.getTraceId(), 16),
        id(span.getSpanId(), 8),
        parent.isEmpty() ? "" : id(parent, 8),
        span.getName(),
        span.getKindValue(),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        attributes(span.getAttributesList()),
        span.getStatus().getCodeValue(),
        span.getStatus().getMessage(),
        events,
        resource,
        scope);
  }

  private static String id(ByteString bytes, int length) {
    return bytes.size() == length ? HEX.formatHex(bytes.toByteArray()) : null;
  }

  private static Map<String, JsonNode> attributes(List<KeyValue> keyValues) {
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      JsonNode value = value(keyValue.getValue());
      if (value != null) {
        attributes.put(keyValue.getKey(), value);
      }
    }
    return attributes;
  }

  private static JsonNode value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> NODES.stringNode(value.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
      case INT_VALUE -> NODES.numberNode(value.getIntValue());
      case DOUBLE_VALUE -> SpanLimits.doubleNode(value.getDoubleValue());
      case BYTES_VALUE ->
          NODES.stringNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        ArrayNode array = NODES.arrayNode();
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          JsonNode converted = value(element);
          array.add(converted == null ? NODES.nullNode() : converted);
        }
        yield array;
      }
      case KVLIST_VALUE -> {
        ObjectNode object = NODES.objectNode();
        attributes(value.getKvlistValue().getValuesList()).forEach(object::set);
        yield object;
      }
      default -> null;
    };
  }
}
