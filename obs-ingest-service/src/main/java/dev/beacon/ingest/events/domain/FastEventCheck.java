package dev.beacon.ingest.events.domain;

import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A conservative, allocation-light check of the v1 schema for the common case. It answers {@code
 * true} only for events that certainly satisfy {@code obs-event-v1.schema.json} (with format
 * assertions); anything unusual — a float where an integer is expected, a leap second, a length it
 * cannot decide from UTF-16 units — answers {@code false}, and the full JSON Schema validator
 * decides. It never accepts what the schema rejects: {@code FastEventCheckJsonTests} checks that
 * against the schema validator on thousands of generated and mutated events.
 *
 * <p>It exists because schema validation was the largest single cost of intake (about a third of
 * the CPU under load).
 */
final class FastEventCheck {

  private static final Set<String> TYPES =
      Set.of("llm_call", "tool_call", "action", "service_call", "run_start", "run_end", "custom");
  private static final Set<String> STATUSES = Set.of("ok", "error");
  private static final Set<String> ACTION_STATES =
      Set.of("proposed", "approved", "rejected", "executed", "failed");
  private static final Map<String, String> REQUIRED_BODY =
      Map.of("llm_call", "llm", "tool_call", "tool", "action", "action", "service_call", "service");
  private static final String[] IDS = {
    "workspace_id", "agent_id", "run_id", "trace_id", "span_id", "parent_span_id"
  };
  private static final String[] TOKEN_COUNTS = {
    "input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens"
  };

  private FastEventCheck() {}

  static boolean isCertainlyValid(JsonNode event) {
    if (!event.isObject()) {
      return false;
    }
    JsonNode type = event.get("type");
    if (type == null || !type.isString() || !TYPES.contains(type.stringValue())) {
      return false;
    }
    if (!isUuid(event.get("event_id")) || !isDateTime(event.get("occurred_at"))) {
      return false;
    }
    for (String id : IDS) {
      if (!absentOr(event.get(id), 1, 128)) {
        return false;
      }
    }
    JsonNode status = event.get("status");
    if (status != null && !(status.isString() && STATUSES.contains(status.stringValue()))) {
      return false;
    }
    JsonNode duration = event.get("duration_ms");
    if (duration != null && !integerIn(duration, 0, 86_400_000L)) {
      return false;
    }
    String requiredBody = REQUIRED_BODY.get(type.stringValue());
    if (requiredBody != null && event.get(requiredBody) == null) {
      return false;
    }
    return error(event.get("error"))
        && llm(event.get("llm"))
        && tool(event.get("tool"))
        && action(event.get("action"))
        && service(event.get("service"))
        && metadata(event.get("metadata"))
        && tags(event.get("tags"));
  }

  private static boolean error(JsonNode error) {
    if (error == null) {
      return true;
    }
    return error.isObject()
        && absentOr(error.get("type"), 1, 256)
        && absentOr(error.get("message"), 0, 4096);
  }

  private static boolean llm(JsonNode llm) {
    if (llm == null) {
      return true;
    }
    if (!llm.isObject()
        || !string(llm.get("provider"), 1, 256)
        || !string(llm.get("model"), 1, 256)) {
      return false;
    }
    for (String count : TOKEN_COUNTS) {
      JsonNode value = llm.get(count);
      if (value != null && !integerIn(value, 0, 1_000_000_000L)) {
        return false;
      }
    }
    JsonNode cost = llm.get("cost_usd");
    if (cost == null) {
      return true;
    }
    if (!cost.isNumber()) {
      return false;
    }
    double value = cost.doubleValue();
    return value >= 0 && value <= 10_000;
  }

  private static boolean tool(JsonNode tool) {
    return tool == null
        || tool.isObject()
            && string(tool.get("name"), 1, 256)
            && absentOr(tool.get("integration"), 1, 256);
  }

  private static boolean action(JsonNode action) {
    if (action == null) {
      return true;
    }
    JsonNode state = action.get("state");
    return action.isObject()
        && string(action.get("kind"), 1, 256)
        && state != null
        && state.isString()
        && ACTION_STATES.contains(state.stringValue());
  }

  private static boolean service(JsonNode service) {
    return service == null
        || service.isObject()
            && string(service.get("name"), 1, 256)
            && string(service.get("operation"), 1, 256);
  }

  private static boolean metadata(JsonNode metadata) {
    if (metadata == null) {
      return true;
    }
    if (!metadata.isObject() || metadata.size() > 64) {
      return false;
    }
    for (String name : metadata.propertyNames()) {
      if (name.length() > 128) {
        return false;
      }
    }
    return true;
  }

  private static boolean tags(JsonNode tags) {
    if (tags == null) {
      return true;
    }
    if (!tags.isArray() || tags.size() > 32) {
      return false;
    }
    for (JsonNode tag : tags) {
      if (!string(tag, 1, 64)) {
        return false;
      }
    }
    return true;
  }

  private static boolean absentOr(JsonNode value, int min, int max) {
    return value == null || string(value, min, max);
  }

  /**
   * A string whose length in code points is certainly within bounds: UTF-16 units are at least as
   * many as code points, so a length within {@code max} units is within {@code max} code points;
   * the minimum (0 or 1) holds for any non-empty string.
   */
  private static boolean string(JsonNode value, int min, int max) {
    if (value == null || !value.isString()) {
      return false;
    }
    int length = value.stringValue().length();
    return length >= min && length <= max;
  }

  private static boolean integerIn(JsonNode value, long min, long max) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      return false;
    }
    long number = value.longValue();
    return number >= min && number <= max;
  }

  private static boolean isUuid(JsonNode value) {
    if (value == null || !value.isString()) {
      return false;
    }
    String text = value.stringValue();
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±hh:mm)}, upper-case, a real date in 1900–2999, no leap
   * second, no unknown-offset {@code -00:00}.
   */
  private static boolean isDateTime(JsonNode value) {
    if (value == null || !value.isString()) {
      return false;
    }
    String text = value.stringValue();
    if (text.endsWith("-00:00") || Rfc3339.usualShape(text) == null) {
      return false;
    }
    int year = Integer.parseInt(text, 0, 4, 10);
    return year >= 1900 && year <= 2999;
  }
}
