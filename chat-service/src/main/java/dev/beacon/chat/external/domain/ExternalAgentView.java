package dev.beacon.chat.external.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.chat.external.store.ExternalAgentRow;
import java.time.Instant;
import java.util.UUID;

/**
 * An external agent as the API shows it.
 *
 * @param id registration id
 * @param name display name
 * @param agentId the {@code agent_id} of its events
 * @param description for people
 * @param apiKeyId id of the ingest API key it sends with, or {@code null}
 * @param archived whether it is archived
 * @param archivedAt when it was archived, or {@code null}
 * @param createdBy user that registered it
 * @param createdAt creation time
 * @param updatedAt last change
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExternalAgentView(
    UUID id,
    String name,
    @JsonProperty("agent_id") String agentId,
    String description,
    @JsonProperty("api_key_id") UUID apiKeyId,
    boolean archived,
    @JsonProperty("archived_at") Instant archivedAt,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {

  static ExternalAgentView of(ExternalAgentRow row) {
    return new ExternalAgentView(
        row.id(),
        row.name(),
        row.agentId(),
        row.description(),
        row.apiKeyId(),
        row.archivedAt() != null,
        row.archivedAt(),
        row.createdBy(),
        row.createdAt(),
        row.updatedAt());
  }
}
