package dev.beacon.chat.provider.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of "test connection": the provider's own verdict on the workspace's settings.
 *
 * @param ok whether the provider accepted the key and listed its models
 * @param provider provider id
 * @param modelCount how many models it listed (when ok)
 * @param code {@code provider_key_refused}, {@code provider_unreachable} or {@code provider_error}
 *     (when not ok)
 * @param message what the provider said, in its own words where it gave any (when not ok)
 * @param providerStatus the provider's HTTP status, when it answered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderVerdict(
    boolean ok,
    String provider,
    @JsonProperty("model_count") Integer modelCount,
    String code,
    String message,
    @JsonProperty("provider_status") Integer providerStatus) {

  static ProviderVerdict ok(Provider provider, int modelCount) {
    return new ProviderVerdict(true, provider.id(), modelCount, null, null, null);
  }

  static ProviderVerdict failed(Provider provider, ProviderCallException e) {
    return new ProviderVerdict(
        false, provider.id(), null, e.code(), e.getMessage(), e.providerStatus());
  }

  /** A failure told in Beacon's words instead of the provider's (a hosted key's test). */
  static ProviderVerdict failed(Provider provider, ProviderCallException e, String message) {
    return new ProviderVerdict(false, provider.id(), null, e.code(), message, e.providerStatus());
  }
}
