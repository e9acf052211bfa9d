package dev.beacon.chat.provider.domain;

/**
 * What {@code PUT /api/chat/providers/{provider}/settings} asks for, before validation.
 *
 * @param apiKey the new key; {@code null} keeps the stored one
 * @param baseUrl the base URL; {@code null} or blank for the provider's default
 * @param defaultModel the default model; {@code null} or blank for none
 */
public record SettingsUpdate(String apiKey, String baseUrl, String defaultModel) {

  @Override
  public String toString() {
    return "SettingsUpdate[apiKey="
        + (apiKey == null ? "<unchanged>" : "<hidden>")
        + ", baseUrl="
        + baseUrl
        + ", defaultModel="
        + defaultModel
        + "]";
  }
}
