package dev.beacon.chat.external.domain;

import dev.beacon.chat.external.store.ExternalAgentRow;
import dev.beacon.chat.web.FieldErrors;
import dev.beacon.identity.error.ApiException;
import java.text.Normalizer;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads an external agent's fields from a request body onto a base (empty for a registration, the
 * stored one for a PATCH). A field left out keeps the base's value; {@code null} clears the
 * optional ones. Every problem is reported per field, as 400 {@code invalid_external_agent}.
 */
final class ExternalAgentInput {

  /** Name length in characters (Unicode code points), after trimming. */
  static final int MAX_NAME = 100;

  static final int MAX_DESCRIPTION = 2000;

  /** The {@code agent_id} of the agent's events: the characters ids are written with. */
  static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  /** An API key id as obs-ingest shows it: a UUID in its canonical form, either case. */
  static final Pattern KEY_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  static final String INVALID = "invalid_external_agent";

  private static final Set<String> EDITABLE =
      Set.of("name", "agent_id", "description", "api_key_id");

  /** Read-only fields an editor may send back unchanged; they are ignored. */
  private static final Set<String> READ_ONLY =
      Set.of("id", "archived", "archived_at", "created_by", "created_at", "updated_at");

  private ExternalAgentInput() {}

  /** The fields of {@code body} over {@code base}; a 400 names every field that is wrong. */
  static ExternalAgentRow apply(JsonNode body, ExternalAgentRow base) {
    if (body == null || !body.isObject()) {
      throw new FieldErrors().add("body", "must be a JSON object").toException(INVALID);
    }
    FieldErrors errors = new FieldErrors();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext(); ) {
      String field = it.next().getKey();
      if (!EDITABLE.contains(field) && !READ_ONLY.contains(field)) {
        errors.add(truncate(field), "is not a field of an external agent");
      }
    }
    String name = body.has("name") ? name(body.get("name"), errors) : base.name();
    String agentId = body.has("agent_id") ? agentId(body.get("agent_id"), errors) : base.agentId();
    String description =
        body.has("description") ? description(body.get("description"), errors) : base.description();
    UUID apiKeyId =
        body.has("api_key_id") ? apiKeyId(body.get("api_key_id"), errors) : base.apiKeyId();
    if (name == null && !errors.has("name")) {
      errors.add("name", "is required");
    }
    if (agentId == null && !errors.has("agent_id")) {
      errors.add("agent_id", "is required: the agent_id the agent sends in its events");
    }
    if (!errors.isEmpty()) {
      throw errors.toException(INVALID);
    }
    return new ExternalAgentRow(
        base.id(),
        base.workspaceId(),
        name,
        agentId,
        description,
        apiKeyId,
        base.archivedAt(),
        base.createdBy(),
        base.createdAt(),
        base.updatedAt());
  }

  /** 400 {@code invalid_external_agent} with one field's error. */
  static ApiException fieldError(String field, String message) {
    return new FieldErrors().add(field, message).toException(INVALID);
  }

  private static String name(JsonNode value, FieldErrors errors) {
    if (!value.isString()) {
      errors.add("name", "must be a string");
      return null;
    }
    String name = Normalizer.normalize(value.asString(), Normalizer.Form.NFC).strip();
    if (name.isEmpty()) {
      errors.add("name", "must not be blank");
    } else if (name.codePointCount(0, name.length()) > MAX_NAME) {
      errors.add("name", "must be at most " + MAX_NAME + " characters");
    } else if (name.codePoints().anyMatch(Character::isISOControl)) {
      errors.add("name", "must not contain control characters");
    }
    return name;
  }

  private static String agentId(JsonNode value, FieldErrors errors) {
    if (!value.isString()) {
      errors.add("agent_id", "must be a string");
      return null;
    }
    String agentId = value.asString().strip();
    if (!AGENT_ID.matcher(agentId).matches()) {
      errors.add("agent_id", "must be 1-128 letters, digits, '.', '_', ':' or '-'");
      return null;
    }
    return agentId;
  }

  private static String description(JsonNode value, FieldErrors errors) {
    if (value.isNull()) {
      return "";
    }
    if (!value.isString()) {
      errors.add("description", "must be a string");
      return "";
    }
    String text = value.asString();
    if (text.codePointCount(0, text.length()) > MAX_DESCRIPTION) {
      errors.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    return text;
  }

  private static UUID apiKeyId(JsonNode value, FieldErrors errors) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      errors.add("api_key_id", "must be a string or null");
      return null;
    }
    String id = value.asString().strip();
    if (id.isEmpty()) {
      return null;
    }
    if (!KEY_ID.matcher(id).matches()) {
      errors.add(
          "api_key_id", "must be the id of an API key (a UUID), as the API keys page shows it");
      return null;
    }
    return UUID.fromString(id);
  }

  private static String truncate(String field) {
    return field.length() > 64 ? field.substring(0, 64) + "…" : field;
  }
}
