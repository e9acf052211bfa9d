package dev.beacon.ingest.apikey.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A key that passed authentication.
 *
 * @param id the key's id
 * @param workspaceId the only workspace the key writes into
 * @param scopes what it may do
 * @param rateLimitPerSecond its own request rate, or {@code null} for the default
 * @param expiresAt expiry, or {@code null}
 * @param agentId the one agent it speaks for, or {@code null} when it may send for any
 */
public record AuthenticatedKey(
    UUID id,
    String workspaceId,
    Set<ApiKeyScope> scopes,
    Integer rateLimitPerSecond,
    Instant expiresAt,
    String agentId) {}
