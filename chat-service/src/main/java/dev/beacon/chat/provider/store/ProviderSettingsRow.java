package dev.beacon.chat.provider.store;

import java.time.Instant;

/**
 * One row of {@code provider_settings}.
 *
 * @param workspaceId owning workspace
 * @param provider provider id ({@code openai}, …)
 * @param apiKeyCiphertext the API key, Tink AEAD ciphertext; {@code null} for a keyless provider
 * @param apiKeyLast4 the key's last four characters, safe to show; {@code null} when not kept
 * @param baseUrl the workspace's base URL, {@code null} for the provider's default
 * @param defaultModel the model agents use when they name none, or {@code null}
 * @param updatedBy user that wrote the settings last
 * @param updatedAt when they were written last
 */
public record ProviderSettingsRow(
    String workspaceId,
    String provider,
    byte[] apiKeyCiphertext,
    String apiKeyLast4,
    String baseUrl,
    String defaultModel,
    String updatedBy,
    Instant updatedAt) {

  /** Keeps the ciphertext out of logs. */
  @Override
  public String toString() {
    return "ProviderSettingsRow[workspaceId="
        + workspaceId
        + ", provider="
        + provider
        + ", baseUrl="
        + baseUrl
        + ", updatedAt="
        + updatedAt
        + "]";
  }
}
