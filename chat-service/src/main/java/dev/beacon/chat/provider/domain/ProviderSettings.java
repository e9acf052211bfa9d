package dev.beacon.chat.provider.domain;

import java.time.Instant;

/**
 * A workspace's settings of one provider, the key decrypted: what a model or a model-list call is
 * built from. Never serialised, never logged ({@link #toString()} hides the key).
 *
 * @param workspaceId the workspace
 * @param provider the provider
 * @param apiKey the API key, or {@code null} for a keyless provider
 * @param baseUrl the base URL in use: the workspace's, or the provider's default
 * @param defaultModel the model agents use when they name none, or {@code null}
 * @param updatedAt when the settings were written last (a version for caches)
 * @param hosted whether these are the platform's own settings ({@link HostedKeys}, the demo
 *     provider): calls with them are billed to the workspace's credits
 */
public record ProviderSettings(
    String workspaceId,
    Provider provider,
    String apiKey,
    String baseUrl,
    String defaultModel,
    Instant updatedAt,
    boolean hosted) {

  /** A workspace's own settings (its own key: never billed as hosted). */
  public ProviderSettings(
      String workspaceId,
      Provider provider,
      String apiKey,
      String baseUrl,
      String defaultModel,
      Instant updatedAt) {
    this(workspaceId, provider, apiKey, baseUrl, defaultModel, updatedAt, false);
  }

  @Override
  public String toString() {
    return "ProviderSettings[workspaceId="
        + workspaceId
        + ", provider="
        + provider.id()
        + ", apiKey="
        + (apiKey == null ? "<none>" : "<hidden>")
        + ", baseUrl="
        + baseUrl
        + ", defaultModel="
        + defaultModel
        + ", hosted="
        + hosted
        + "]";
  }
}
