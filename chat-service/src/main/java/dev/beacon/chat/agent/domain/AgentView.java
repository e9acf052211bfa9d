package dev.beacon.chat.agent.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.chat.agent.store.AgentRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agent as the API shows it.
 *
 * @param id agent id (UUID), the {@code agent_id} of its events
 * @param name display name
 * @param description for people
 * @param systemPrompt system message of its conversations
 * @param provider provider id
 * @param model model, or {@code null} for the workspace's default model of the provider
 * @param temperature 0–2, or {@code null}
 * @param maxTokens answer length bound, or {@code null}
 * @param tools tools it may use and whether each call needs approval
 * @param archived whether it is archived
 * @param archivedAt when it was archived, or {@code null}
 * @param createdBy user that created it
 * @param createdAt creation time
 * @param updatedAt last change
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AgentView(
    UUID id,
    String name,
    String description,
    @JsonProperty("system_prompt") String systemPrompt,
    String provider,
    String model,
    BigDecimal temperature,
    @JsonProperty("max_tokens") Integer maxTokens,
    List<Tool> tools,
    boolean archived,
    @JsonProperty("archived_at") Instant archivedAt,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {

  /**
   * @param name tool name
   * @param requiresApproval whether a call waits for approval
   */
  public record Tool(String name, @JsonProperty("requires_approval") boolean requiresApproval) {}

  static AgentView of(AgentRow row) {
    return new AgentView(
        row.id(),
        row.name(),
        row.description(),
        row.systemPrompt(),
        row.provider(),
        row.model(),
        row.temperature(),
        row.maxTokens(),
        row.tools().stream().map(t -> new Tool(t.name(), t.requiresApproval())).toList(),
        row.archivedAt() != null,
        row.archivedAt(),
        row.createdBy(),
        row.createdAt(),
        row.updatedAt());
  }
}
