package dev.beacon.chat.conversation.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.chat.conversation.store.MessageRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A message as the API shows it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MessageView(
    UUID id,
    int seq,
    String role,
    String content,
    @JsonProperty("run_id") UUID runId,
    @JsonProperty("tool_calls") JsonNode toolCalls,
    @JsonProperty("tool_call_id") String toolCallId,
    @JsonProperty("tool_name") String toolName,
    String status,
    String provider,
    String model,
    Usage usage,
    Problem error,
    @JsonProperty("created_at") Instant createdAt) {

  /** Tokens as the provider reported them. */
  public record Usage(
      @JsonProperty("input_tokens") Long inputTokens,
      @JsonProperty("output_tokens") Long outputTokens,
      @JsonProperty("cached_input_tokens") Long cachedInputTokens,
      @JsonProperty("reasoning_tokens") Long reasoningTokens) {}

  /** Why an answer failed: a stable code and a message for people. */
  public record Problem(String code, String message) {}

  static MessageView of(MessageRow row) {
    boolean assistant = row.role().equals("assistant");
    return new MessageView(
        row.id(),
        row.seq(),
        row.role(),
        row.content(),
        row.runId(),
        JsonMapper.shared().readTree(row.toolCalls()),
        row.toolCallId(),
        row.toolName(),
        row.status(),
        row.provider(),
        row.model(),
        assistant
            ? new Usage(
                row.inputTokens(),
                row.outputTokens(),
                row.cachedInputTokens(),
                row.reasoningTokens())
            : null,
        row.errorCode() == null ? null : new Problem(row.errorCode(), row.errorMessage()),
        row.createdAt());
  }

  static Map<String, Object> wrap(MessageRow row) {
    return Map.of("message", of(row));
  }

  static List<MessageView> of(List<MessageRow> rows) {
    return rows.stream().map(MessageView::of).toList();
  }
}
