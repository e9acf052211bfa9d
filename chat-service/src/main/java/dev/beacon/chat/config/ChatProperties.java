package dev.beacon.chat.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code beacon.chat.*}; every default is in {@code application.yml}.
 *
 * @param encryption how provider API keys are encrypted at rest
 * @param providers bounds of the calls Beacon makes to a provider for its model list and for "test
 *     connection"
 * @param models bounds of the chat models built for a workspace
 * @param loop bounds of one turn's tool loop
 * @param approvals how long an approval request waits for a decision
 * @param tools where the tool registry is
 * @param demo the local profile's demo provider
 * @param events how chat-service publishes its events to Kafka
 * @param ingest where obs-ingest's key API is, to bind an external agent's API key to its agent
 * @param hosted the platform's own provider keys by provider id ({@code
 *     beacon.chat.hosted.openai.*}, …): a workspace without settings of its own for such a provider
 *     calls it with the platform's key, and billing debits the workspace's credits for it
 */
@Validated
@ConfigurationProperties("beacon.chat")
public record ChatProperties(
    @Valid @NotNull Encryption encryption,
    @Valid @NotNull Providers providers,
    @Valid @NotNull Models models,
    @Valid @NotNull Loop loop,
    @Valid @NotNull Approvals approvals,
    @Valid @NotNull Tools tools,
    @Valid @NotNull Demo demo,
    @Valid @NotNull Events events,
    @Valid @NotNull Ingest ingest,
    Map<String, @Valid HostedKey> hosted) {

  public ChatProperties {
    hosted = hosted == null ? Map.of() : Map.copyOf(hosted);
  }

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

  /**
   * @param maxModelCalls model calls in one turn at most (a turn resumed after an approval counts
   *     on)
   * @param maxToolCalls tool calls in one turn at most
   * @param toolTimeout bound of one tool execution
   */
  public record Loop(
      @Min(1) @Max(50) int maxModelCalls,
      @Min(0) @Max(200) int maxToolCalls,
      @NotNull Duration toolTimeout) {}

  /**
   * @param ttl how long a request waits for a decision before it expires
   * @param sweepInterval how often expired requests are looked for
   */
  public record Approvals(@NotNull Duration ttl, @NotNull Duration sweepInterval) {}

  /**
   * @param integrationsUrl integrations-service's base URL for its tool registry; empty: no
   *     registry tools
   * @param listTimeout bound of reading the registry
   */
  public record Tools(String integrationsUrl, @NotNull Duration listTimeout) {}

  /**
   * @param baseUrl the demo provider's base URL; set only by the local stack, and read only under
   *     the {@code local} profile ({@code application-local.yml})
   */
  public record Demo(String baseUrl) {

    /** Whether the demo provider and its demo tools are offered. */
    public boolean enabled() {
      return baseUrl != null && !baseUrl.isBlank();
    }
  }

  /**
   * @param enabled whether events are published at all (off only in tests that do not need Kafka)
   * @param bufferCapacity events held in memory while Kafka is slow or down; beyond it the oldest
   *     are dropped and counted
   * @param deliveryTimeout how long the Kafka producer keeps retrying one event
   */
  public record Events(
      boolean enabled, @Min(100) int bufferCapacity, @NotNull Duration deliveryTimeout) {}

  /**
   * @param url obs-ingest-service's base URL; empty: an external agent cannot name an API key
   * @param timeout bound of one call to its key API
   */
  public record Ingest(String url, @NotNull Duration timeout) {}

  /**
   * One of the platform's own provider keys ({@code BEACON_CHAT_HOSTED_<PROVIDER>_API_KEY}).
   *
   * @param apiKey the key; blank: the provider is not hosted
   * @param baseUrl where to call the provider with it; blank for the provider's default base URL
   * @param defaultModel the model of agents that name none, or blank for none
   */
  public record HostedKey(String apiKey, String baseUrl, String defaultModel) {

    /** Whether a key is set. */
    public boolean isSet() {
      return apiKey != null && !apiKey.isBlank();
    }

    /** Keeps the key out of logs and error reports. */
    @Override
    public String toString() {
      return "HostedKey[apiKey="
          + (isSet() ? "<hidden>" : "<unset>")
          + ", baseUrl="
          + baseUrl
          + ", defaultModel="
          + defaultModel
          + "]";
    }
  }
}
