package dev.beacon.chat.external.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One agent id of a workspace with its display name.
 *
 * @param agentId the {@code agent_id} of its events: a workspace agent's UUID, or the id an
 *     external agent sends
 * @param name display name
 * @param kind {@code workspace} (an agent of chat-service) or {@code external}
 * @param archived whether it is archived (its old events keep the name)
 */
public record DirectoryEntry(
    @JsonProperty("agent_id") String agentId, String name, String kind, boolean archived) {

  static final String WORKSPACE = "workspace";
  static final String EXTERNAL = "external";
}
