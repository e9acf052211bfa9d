package dev.beacon.chat.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code beacon.chat.*}; every default is in {@code application.yml}.
 *
 * @param encryption how provider API keys are encrypted at rest
 * @param providers bounds of the calls Beacon makes to a provider for its model list and for "test
 *     connection"
 * @param models bounds of the chat models built for a workspace
 */
@Validated
@ConfigurationProperties("beacon.chat")
public record ChatProperties(
    @Valid @NotNull Encryption encryption,
    @Valid @NotNull Providers providers,
    @Valid @NotNull Models models) {

  /**
   * @param keyset the Tink AEAD keyset ({@code BEACON_CHAT_KEYSET}): Tink's JSON keyset format, or
   *     that JSON in base64; empty leaves the service running with settings writes refused
   */
  public record Encryption(String keyset) {

    /** Keeps the keyset out of logs and error reports. */
    @Override
    public String toString() {
      return "Encryption[keyset="
          + (keyset == null || keyset.isBlank() ? "<unset>" : "<hidden>")
          + "]";
    }
  }

  /**
   * @param connectTimeout TCP connect bound of a model-list or test call
   * @param requestTimeout whole-response bound of a model-list or test call
   * @param modelsCacheTtl how long a provider's model list is kept per workspace
   * @param allowPrivateBaseUrls whether a workspace may set a base URL on a loopback, private or
   *     link-local address (the local stack's Ollama or demo server); off in production
   */
  public record Providers(
      @NotNull Duration connectTimeout,
      @NotNull Duration requestTimeout,
      @NotNull Duration modelsCacheTtl,
      boolean allowPrivateBaseUrls) {}

  /**
   * @param timeout bound of one chat call to a provider
   * @param maxRetries retries of a failed chat call by the provider's client (429 and 5xx)
   */
  public record Models(@NotNull Duration timeout, @Min(0) @Max(10) int maxRetries) {}
}
