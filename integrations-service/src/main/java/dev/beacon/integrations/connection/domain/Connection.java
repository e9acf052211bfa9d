package dev.beacon.integrations.connection.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's connection, without its tokens.
 *
 * @param account who was connected: the Google email, the Slack team, the GitHub login, the
 *     Telegram bot; {@code null} when the provider names none
 * @param scopes the OAuth scopes granted; none for a credential connection
 * @param connectedBy the member who connected it
 * @param lastError the last error a tool met calling the provider with it, or {@code null}
 * @param availabilityTarget the availability (a percentage) the workspace expects of it, or {@code
 *     null}
 */
public record Connection(
    UUID id,
    String workspaceId,
    Provider provider,
    String account,
    List<String> scopes,
    String connectedBy,
    Instant connectedAt,
    Instant lastUsedAt,
    ConnectionStatus status,
    LastError lastError,
    BigDecimal availabilityTarget) {

  /**
   * An error a tool met calling the provider.
   *
   * @param code the tool result's code, e.g. {@code needs_reauth}, {@code rate_limited}
   * @param message the tool result's message (never a token)
   */
  public record LastError(String code, String message, Instant at) {}

  /** Whether the connection granted every one of these scopes. */
  public boolean grants(List<String> requiredScopes) {
    return scopes.containsAll(requiredScopes);
  }
}
