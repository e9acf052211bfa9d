package dev.beacon.integrations.connection.domain;

import java.time.Instant;
import java.util.List;

/**
 * What a provider's token endpoint granted.
 *
 * @param refreshToken {@code null} when the provider gave none (GitHub OAuth apps, Slack without
 *     token rotation) or, on refresh, kept the old one
 * @param expiresAt {@code null} for a token that does not expire
 * @param scopes the scopes granted, or {@code null} when the answer does not say
 * @param account the account, when the token answer names it (Slack's team)
 */
record GrantedTokens(
    String accessToken,
    String refreshToken,
    Instant expiresAt,
    List<String> scopes,
    String account) {

  /** Keeps the tokens out of logs and error reports. */
  @Override
  public String toString() {
    return "GrantedTokens[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
  }
}
