package dev.beacon.ingest.apikey.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code api_keys}.
 *
 * @param id key id
 * @param workspaceId owning workspace
 * @param name human name
 * @param displayPrefix the first characters of the secret, safe to show
 * @param secretSha256 SHA-256 of the whole secret
 * @param scopes granted scopes, lower case
 * @param rateLimitPerSecond the key's own request rate, or {@code null} for the default
 * @param createdBy user that created it, {@code null} when provisioned at start
 * @param createdAt creation time
 * @param expiresAt expiry, or {@code null}
 * @param lastUsedAt last successful use (updated at most once a minute), or {@code null}
 * @param revokedAt revocation time, or {@code null}
 * @param agentId the one agent the key speaks for, or {@code null} for any
 */
public record ApiKeyRow(
    UUID id,
    String workspaceId,
    String name,
    String displayPrefix,
    byte[] secretSha256,
    List<String> scopes,
    Integer rateLimitPerSecond,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt,
    String agentId) {}
