package dev.beacon.ingest.apikey.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /api/obs/keys}.
 *
 * @param name 1–100 characters
 * @param scopes {@code ingest} and/or {@code read}; {@code [ingest]} when left out
 * @param expiresAt optional expiry, in the future
 * @param rateLimitPerSecond optional request rate for this key, 1–100,000
 */
record CreateKeyRequest(
    String name,
    List<String> scopes,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("rate_limit_per_second") Integer rateLimitPerSecond) {}
