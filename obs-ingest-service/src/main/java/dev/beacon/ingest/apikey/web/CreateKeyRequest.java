package dev.beacon.ingest.apikey.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/obs/keys}.
 *
 * @param name 1–100 characters
 * @param scopes {@code ingest} and/or {@code read}; {@code [ingest]} when left out
 * @param expiresAt optional expiry, in the future
 * @param rateLimitPerSecond optional request rate for this key, 1–100,000
 * @param agentId optional agent the key speaks for, an id as in events; kept as JSON so that a
 *     number or an object is refused instead of being turned into a string
 */
record CreateKeyRequest(
    String name,
    List<String> scopes,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("rate_limit_per_second") Integer rateLimitPerSecond,
    @JsonProperty("agent_id") JsonNode agentId) {

  /** The agent id, or {@code null} when left out or sent as {@code null}. */
  String agentIdText() {
    return agentId == null || agentId.isNull() ? null : agentId.stringValue();
  }
}
