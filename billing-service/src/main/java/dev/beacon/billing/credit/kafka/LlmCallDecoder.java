package dev.beacon.billing.credit.kafka;

import dev.beacon.billing.credit.domain.HostedLlmCall;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the hosted {@code llm_call} events from the event envelope on the topic. An event without
 * {@code metadata.billing = "hosted"} is not billing's (the caller's own provider key paid for it);
 * a hosted one that lacks what its debit needs is malformed.
 */
final class LlmCallDecoder {

  private final JsonMapper json;

  LlmCallDecoder(JsonMapper json) {
    this.json = json;
  }

  /**
   * The hosted call, or empty for an event that is not hosted.
   *
   * @throws IllegalArgumentException for a record that is not a well-formed hosted call
   */
  Optional<HostedLlmCall> decode(String value) {
    if (value == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    JsonNode event = json.readTree(value);
    if (!event.isObject()) {
      throw new IllegalArgumentException("the value is not a JSON object");
    }
    JsonNode billing = event.path("metadata").path("billing");
    if (!billing.isString() || !HostedLlmCall.HOSTED_MARKER.equals(billing.asString())) {
      return Optional.empty();
    }
    if (!"llm_call".equals(event.path("type").asString(""))) {
      throw new IllegalArgumentException("a hosted event that is not an llm_call");
    }
    UUID eventId;
    try {
      eventId = UUID.fromString(text(event, "event_id"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("event_id is not a UUID");
    }
    JsonNode llm = event.path("llm");
    return Optional.of(
        new HostedLlmCall(
            eventId,
            text(event, "workspace_id"),
            text(llm, "provider"),
            text(llm, "model"),
            tokens(llm, "input_tokens"),
            tokens(llm, "cached_input_tokens"),
            tokens(llm, "output_tokens")));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isString() || value.asString().isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value.asString();
  }

  /** A token count: absent is 0; otherwise an integer from 0 to 10^9 as the schema allows. */
  private static long tokens(JsonNode llm, String field) {
    JsonNode value = llm.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return 0;
    }
    if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 1_000_000_000L) {
      throw new IllegalArgumentException("llm." + field + " is not a token count");
    }
    return value.asLong();
  }
}
