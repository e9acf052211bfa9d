package dev.beacon.integrations.provider;

import dev.beacon.integrations.tool.domain.ToolRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The provider tools' parameters, in the JSON Schema subset the registry checks, and reading their
 * arguments.
 */
final class Schema {

  private Schema() {}

  static Map<String, Object> string(String description, int minLength, int maxLength) {
    return Map.of(
        "type",
        "string",
        "description",
        description,
        "minLength",
        minLength,
        "maxLength",
        maxLength);
  }

  /** A string that must be one of {@code values}. */
  static Map<String, Object> oneOf(String description, List<String> values) {
    return Map.of("type", "string", "description", description, "enum", values);
  }

  static Map<String, Object> integer(String description, int minimum, int maximum) {
    return Map.of(
        "type", "integer", "description", description, "minimum", minimum, "maximum", maximum);
  }

  /**
   * An object of these properties (name, schema, name, schema …), in this order, none other.
   *
   * @param required the names that must be given
   */
  static Map<String, Object> object(List<String> required, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    return Map.of(
        "type", "object", "properties", props, "required", required, "additionalProperties", false);
  }

  static String text(JsonNode arguments, String name) {
    JsonNode value = arguments.get(name);
    return value == null || value.isNull() ? null : value.asString();
  }

  static int integer(JsonNode arguments, String name, int otherwise) {
    JsonNode value = arguments.get(name);
    return value == null || value.isNull() ? otherwise : value.asInt();
  }

  /** The argument, refused (400 {@code invalid_arguments}) unless it matches {@code pattern}. */
  static String matching(JsonNode arguments, String name, Pattern pattern, String what) {
    String value = text(arguments, name);
    if (value != null && !pattern.matcher(value).matches()) {
      throw ToolRegistry.invalidArguments(name, name + " must be " + what + ".");
    }
    return value;
  }

  /** Cuts a provider's text (a body, a snippet) to {@code max} characters. */
  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int keep = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, keep) + "…";
  }
}
