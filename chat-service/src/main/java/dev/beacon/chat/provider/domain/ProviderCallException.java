package dev.beacon.chat.provider.domain;

/**
 * A provider's refusal or failure as Beacon reports it: {@code provider_key_refused} (401/403),
 * {@code provider_unreachable} (connect failure or timeout) or {@code provider_error} (anything
 * else, with the provider's own message). The message never holds the API key.
 */
public class ProviderCallException extends RuntimeException {

  private final String code;
  private final Integer providerStatus;

  public ProviderCallException(String code, String message, Integer providerStatus) {
    super(message, null, false, false);
    this.code = code;
    this.providerStatus = providerStatus;
  }

  public String code() {
    return code;
  }

  /** The provider's HTTP status, or {@code null} when it did not answer. */
  public Integer providerStatus() {
    return providerStatus;
  }
}
