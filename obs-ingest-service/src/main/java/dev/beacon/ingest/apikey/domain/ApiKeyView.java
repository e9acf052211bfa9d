package dev.beacon.ingest.apikey.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key as listed: never its secret, except in the response that creates it.
 *
 * @param id key id
 * @param name human name
 * @param prefix the first 12 characters of the secret
 * @param scopes granted scopes
 * @param rateLimitPerSecond the key's own request rate, or {@code null} for the default
 * @param createdAt creation time
 * @param expiresAt expiry, or {@code null}
 * @param lastUsedAt last use (to the minute), or {@code null}
 * @param revokedAt revocation time, or {@code null}
 * @param revoked whether it is revoked
 * @param agentId the one agent the key speaks for; {@code null} (always shown) when unbound
 * @param secret the whole key, only in the creation response
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(
    UUID id,
    String name,
    String prefix,
    List<String> scopes,
    @JsonProperty("rate_limit_per_second") Integer rateLimitPerSecond,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("last_used_at") Instant lastUsedAt,
    @JsonProperty("revoked_at") Instant revokedAt,
    boolean revoked,
    @JsonProperty("agent_id") @JsonInclude(JsonInclude.Include.ALWAYS) String agentId,
    String secret) {}
