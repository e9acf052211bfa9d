package dev.beacon.chat.external.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code external_agents}.
 *
 * @param id registration id
 * @param workspaceId owning workspace
 * @param name display name, unique per workspace among those not archived, case-insensitively
 * @param agentId the {@code agent_id} the agent sends in its events, unique per workspace
 * @param description for people, may be empty
 * @param apiKeyId id of the ingest API key the agent sends with, or {@code null}
 * @param archivedAt when it was archived, or {@code null}
 * @param createdBy user that registered it
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record ExternalAgentRow(
    UUID id,
    String workspaceId,
    String name,
    String agentId,
    String description,
    UUID apiKeyId,
    Instant archivedAt,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {}
