package dev.beacon.chat.agent.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code agents}.
 *
 * @param id agent id, the {@code agent_id} of its events
 * @param workspaceId owning workspace
 * @param name unique per workspace among agents not archived, case-insensitively
 * @param description for people, may be empty
 * @param systemPrompt the system message of every conversation, may be empty
 * @param provider provider id
 * @param model model, or {@code null} for the workspace's default model of the provider
 * @param temperature sampling temperature 0–2, or {@code null} for the provider's default
 * @param maxTokens answer length bound, or {@code null} for the provider's default
 * @param tools the tools it may use
 * @param archivedAt when it was archived, or {@code null}
 * @param createdBy user that created it
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record AgentRow(
    UUID id,
    String workspaceId,
    String name,
    String description,
    String systemPrompt,
    String provider,
    String model,
    BigDecimal temperature,
    Integer maxTokens,
    List<Tool> tools,
    Instant archivedAt,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * A tool an agent may use.
   *
   * @param name tool name in the tool registry
   * @param requiresApproval whether each call waits for a member's approval
   */
  public record Tool(String name, boolean requiresApproval) {}
}
