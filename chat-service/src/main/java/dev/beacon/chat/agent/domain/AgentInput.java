package dev.beacon.chat.agent.domain;

import dev.beacon.chat.agent.store.AgentRow;
import dev.beacon.chat.provider.domain.Provider;
import dev.beacon.chat.web.FieldErrors;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Reads an agent's fields from a request body onto a base (defaults for a new agent, the stored
 * agent for a PATCH) and checks the result against {@link AgentLimits}. A field left out keeps the
 * base's value; {@code null} clears the optional ones. Every problem is reported per field.
 */
final class AgentInput {

  private static final Set<String> EDITABLE =
      Set.of(
          "name",
          "description",
          "system_prompt",
          "provider",
          "model",
          "temperature",
          "max_tokens",
          "tools");

  /** Read-only fields an editor may send back unchanged; they are ignored. */
  private static final Set<String> READ_ONLY =
      Set.of("id", "archived", "archived_at", "created_by", "created_at", "updated_at");

  private AgentInput() {}

  /** The fields of {@code body} over {@code base}; a 400 names every field that is wrong. */
  static AgentRow apply(JsonNode body, AgentRow base, Predicate<Provider> selectable) {
    FieldErrors errors = new FieldErrors();
    if (body == null || !body.isObject()) {
      throw new FieldErrors().add("body", "must be a JSON object").toException("invalid_agent");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext(); ) {
      String field = it.next().getKey();
      if (!EDITABLE.contains(field) && !READ_ONLY.contains(field)) {
        errors.add(truncate(field), "is not a field of an agent");
      }
    }
    String name = body.has("name") ? name(body.get("name"), errors) : base.name();
    String description =
        body.has("description")
            ? text(body.get("description"), "description", AgentLimits.MAX_DESCRIPTION, errors)
            : base.description();
    String systemPrompt =
        body.has("system_prompt")
            ? text(
                body.get("system_prompt"), "system_prompt", AgentLimits.MAX_SYSTEM_PROMPT, errors)
            : base.systemPrompt();
    boolean unknownProvider = false;
    String provider = base.provider();
    if (body.has("provider")) {
      JsonNode value = body.get("provider");
      if (!value.isString() || value.asString().isBlank()) {
        errors.add("provider", "is required: one of " + providerIds(selectable));
      } else if (Provider.byId(value.asString()).filter(selectable).isEmpty()) {
        errors.add("provider", "must be one of " + providerIds(selectable));
        unknownProvider = true;
      } else {
        provider = value.asString();
      }
    } else if (provider == null) {
      errors.add("provider", "is required: one of " + providerIds(selectable));
    }
    String model = body.has("model") ? model(body.get("model"), errors) : base.model();
    BigDecimal temperature =
        body.has("temperature") ? temperature(body.get("temperature"), errors) : base.temperature();
    Integer maxTokens =
        body.has("max_tokens") ? maxTokens(body.get("max_tokens"), errors) : base.maxTokens();
    List<AgentRow.Tool> tools = body.has("tools") ? tools(body.get("tools"), errors) : base.tools();
    if (name == null && !errors.has("name")) {
      errors.add("name", "is required");
    }
    if (!errors.isEmpty()) {
      throw errors.toException(unknownProvider ? "unknown_provider" : "invalid_agent");
    }
    return new AgentRow(
        base.id(),
        base.workspaceId(),
        name,
        description,
        systemPrompt,
        provider,
        model,
        temperature,
        maxTokens,
        tools,
        base.archivedAt(),
        base.createdBy(),
        base.createdAt(),
        base.updatedAt());
  }

  private static String name(JsonNode value, FieldErrors errors) {
    if (!value.isString()) {
      errors.add("name", "must be a string");
      return null;
    }
    String name = Normalizer.normalize(value.asString(), Normalizer.Form.NFC).strip();
    if (name.isEmpty()) {
      errors.add("name", "must not be blank");
    } else if (name.codePointCount(0, name.length()) > AgentLimits.MAX_NAME) {
      errors.add("name", "must be at most " + AgentLimits.MAX_NAME + " characters");
    } else if (name.codePoints().anyMatch(Character::isISOControl)) {
      errors.add("name", "must not contain control characters");
    }
    return name;
  }

  private static String text(JsonNode value, String field, int max, FieldErrors errors) {
    if (value.isNull()) {
      return "";
    }
    if (!value.isString()) {
      errors.add(field, "must be a string");
      return "";
    }
    String text = value.asString();
    if (text.codePointCount(0, text.length()) > max) {
      errors.add(field, "must be at most " + max + " characters");
    }
    return text;
  }

  private static String model(JsonNode value, FieldErrors errors) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      errors.add("model", "must be a string");
      return null;
    }
    String model = value.asString().strip();
    if (model.isEmpty()) {
      return null;
    }
    if (model.length() > AgentLimits.MAX_MODEL || model.chars().anyMatch(Character::isISOControl)) {
      errors.add(
          "model",
          "must be at most " + AgentLimits.MAX_MODEL + " characters, without control characters");
    }
    return model;
  }

  private static BigDecimal temperature(JsonNode value, FieldErrors errors) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      errors.add("temperature", "must be a number from 0 to 2");
      return null;
    }
    BigDecimal temperature = value.decimalValue();
    if (temperature.signum() < 0 || temperature.compareTo(AgentLimits.MAX_TEMPERATURE) > 0) {
      errors.add("temperature", "must be from 0 to 2");
      return null;
    }
    if (temperature.stripTrailingZeros().scale() > 2) {
      errors.add("temperature", "must have at most two decimals");
      return null;
    }
    return temperature.setScale(2);
  }

  private static Integer maxTokens(JsonNode value, FieldErrors errors) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < 1
        || value.intValue() > AgentLimits.MAX_TOKENS) {
      errors.add("max_tokens", "must be a whole number from 1 to " + AgentLimits.MAX_TOKENS);
      return null;
    }
    return value.intValue();
  }

  private static List<AgentRow.Tool> tools(JsonNode value, FieldErrors errors) {
    if (value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      errors.add("tools", "must be an array of {name, requires_approval}");
      return List.of();
    }
    if (value.size() > AgentLimits.MAX_TOOLS) {
      errors.add("tools", "must list at most " + AgentLimits.MAX_TOOLS + " tools");
      return List.of();
    }
    List<AgentRow.Tool> tools = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode tool = value.get(i);
      String field = "tools[" + i + "]";
      if (!tool.isObject()) {
        errors.add(field, "must be an object {name, requires_approval}");
        continue;
      }
      JsonNode name = tool.get("name");
      if (name == null
          || !name.isString()
          || !AgentLimits.TOOL_NAME.matcher(name.asString()).matches()) {
        errors.add(field + ".name", "must be 1-64 letters, digits, '_', '.' or '-'");
        continue;
      }
      JsonNode approval = tool.get("requires_approval");
      if (approval != null && !approval.isBoolean() && !approval.isNull()) {
        errors.add(field + ".requires_approval", "must be true or false");
        continue;
      }
      if (!seen.add(name.asString())) {
        errors.add(field + ".name", "is listed twice");
        continue;
      }
      tools.add(new AgentRow.Tool(name.asString(), approval != null && approval.asBoolean(false)));
    }
    return List.copyOf(tools);
  }

  private static String providerIds(Predicate<Provider> selectable) {
    return String.join(
        ", ",
        java.util.Arrays.stream(Provider.values()).filter(selectable).map(Provider::id).toList());
  }

  private static String truncate(String field) {
    return field.length() > 64 ? field.substring(0, 64) + "…" : field;
  }
}
