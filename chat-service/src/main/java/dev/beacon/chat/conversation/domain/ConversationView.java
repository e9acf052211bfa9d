package dev.beacon.chat.conversation.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.chat.conversation.store.ConversationRow;
import java.time.Instant;
import java.util.UUID;

/** A conversation as the API shows it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConversationView(
    UUID id,
    @JsonProperty("agent_id") UUID agentId,
    @JsonProperty("agent_name") String agentName,
    String title,
    String state,
    @JsonProperty("last_run_id") UUID lastRunId,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {

  static ConversationView of(ConversationRow row, String agentName) {
    return new ConversationView(
        row.id(),
        row.agentId(),
        agentName,
        row.title(),
        row.state(),
        row.lastRunId(),
        row.createdBy(),
        row.createdAt(),
        row.updatedAt());
  }
}
