package dev.beacon.integrations.connection.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's connection, without its tokens.
 *
 * @param account who was connected: the Google email, the Slack team, the GitHub login
 * @param connectedBy the member who connected it
 */
public record Connection(
    UUID id,
    String workspaceId,
    ProviderId provider,
    String account,
    List<String> scopes,
    String connectedBy,
    Instant connectedAt,
    Instant lastUsedAt,
    ConnectionStatus status) {}
