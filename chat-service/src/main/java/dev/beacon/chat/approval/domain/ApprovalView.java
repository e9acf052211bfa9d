package dev.beacon.chat.approval.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.chat.approval.store.ApprovalRow;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An approval request as the API shows it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApprovalView(
    UUID id,
    @JsonProperty("conversation_id") UUID conversationId,
    @JsonProperty("agent_id") UUID agentId,
    @JsonProperty("agent_name") String agentName,
    @JsonProperty("run_id") UUID runId,
    @JsonProperty("tool_call_id") String toolCallId,
    String tool,
    JsonNode arguments,
    String state,
    @JsonProperty("requested_at") Instant requestedAt,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("decided_by") String decidedBy,
    @JsonProperty("decided_at") Instant decidedAt,
    String reason,
    String result) {

  public static ApprovalView of(ApprovalRow row, String agentName) {
    return new ApprovalView(
        row.id(),
        row.conversationId(),
        row.agentId(),
        agentName,
        row.runId(),
        row.toolCallId(),
        row.tool(),
        JsonMapper.shared().readTree(row.arguments()),
        row.state(),
        row.requestedAt(),
        row.expiresAt(),
        row.decidedBy(),
        row.decidedAt(),
        row.reason(),
        row.result());
  }
}
