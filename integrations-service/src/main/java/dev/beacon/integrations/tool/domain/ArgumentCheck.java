package dev.beacon.integrations.tool.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Checks a call's arguments against its tool's parameters, in the subset of JSON Schema Beacon's
 * tools use: an object with {@code properties} of type {@code string}, {@code integer}, {@code
 * number} or {@code boolean} (with {@code minLength}/{@code maxLength}, {@code minimum}/{@code
 * maximum}, and {@code enum} for strings), {@code required}, and {@code additionalProperties:
 * false}.
 */
final class ArgumentCheck {

  /**
   * What is wrong with the arguments, if anything.
   *
   * @param field the argument at fault
   * @param message for the caller
   */
  record Problem(String field, String message) {}

  private ArgumentCheck() {}

  @SuppressWarnings("unchecked")
  static Optional<Problem> problem(Map<String, Object> schema, JsonNode arguments) {
    Map<String, Object> properties =
        (Map<String, Object>) schema.getOrDefault("properties", Map.of());
    for (Object name : (List<Object>) schema.getOrDefault("required", List.of())) {
      JsonNode value = arguments.get((String) name);
      if (value == null || value.isNull()) {
        return Optional.of(new Problem((String) name, name + " is required."));
      }
    }
    for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
      String name = argument.getKey();
      Map<String, Object> property = (Map<String, Object>) properties.get(name);
      if (property == null) {
        if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
          return Optional.of(new Problem(name, name + " is not an argument of this tool."));
        }
        continue;
      }
      JsonNode value = argument.getValue();
      if (value.isNull()
          && !((List<Object>) schema.getOrDefault("required", List.of())).contains(name)) {
        continue;
      }
      Optional<String> wrong = wrongValue(property, value);
      if (wrong.isPresent()) {
        return Optional.of(new Problem(name, name + " " + wrong.get()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> wrongValue(Map<String, Object> property, JsonNode value) {
    String type = (String) property.get("type");
    switch (type) {
      case "string" -> {
        if (!value.isString()) {
          return Optional.of("must be a string.");
        }
        if (property.get("enum") instanceof List<?> allowed
            && !allowed.contains(value.asString())) {
          return Optional.of(
              "must be one of "
                  + String.join(", ", allowed.stream().map(String::valueOf).toList())
                  + ".");
        }
        int length = value.asString().length();
        if (property.get("minLength") instanceof Number min && length < min.intValue()) {
          return Optional.of("must be at least " + min + " characters.");
        }
        if (property.get("maxLength") instanceof Number max && length > max.intValue()) {
          return Optional.of("must be at most " + max + " characters.");
        }
      }
      case "integer", "number" -> {
        if (type.equals("integer") ? !value.isIntegralNumber() : !value.isNumber()) {
          return Optional.of("must be " + (type.equals("integer") ? "an integer." : "a number."));
        }
        double number = value.asDouble();
        if (property.get("minimum") instanceof Number min && number < min.doubleValue()) {
          return Optional.of("must be at least " + min + ".");
        }
        if (property.get("maximum") instanceof Number max && number > max.doubleValue()) {
          return Optional.of("must be at most " + max + ".");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          return Optional.of("must be true or false.");
        }
      }
      default -> throw new IllegalStateException("unsupported parameter type " + type);
    }
    return Optional.empty();
  }
}
