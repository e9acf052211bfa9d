package dev.beacon.integrations.connection.domain;

import dev.beacon.identity.error.ApiException;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * Asks a credential provider whether a credential works, before it is stored: one call the
 * credential must be able to make (Binance's signed {@code GET /api/v3/account}, Telegram's {@code
 * getMe}, one Brave search). Implemented beside the provider's tools, which speak its API.
 */
public interface CredentialCheck {

  CredentialProvider provider();

  /**
   * The account the credential belongs to, as the connection list shows it, or empty when the
   * provider names none.
   *
   * @param workspaceId whose connection it will be (the call's {@code service_call} event is the
   *     workspace's)
   * @return fails with {@link #refused} or {@link #unavailable}
   */
  Mono<String> account(Credentials credentials, String workspaceId);

  /** 400 {@code credential_refused}: the provider said the credential does not work. */
  static ApiException refused(CredentialProvider provider, String why) {
    return ApiException.badRequest(
            "credential_refused", provider.displayName() + " refused the credential: " + why)
        .with("provider", provider.id());
  }

  /** 502 {@code provider_unavailable}: the provider could not say whether it works. */
  static ApiException unavailable(CredentialProvider provider, String why) {
    return new ApiException(
            HttpStatus.BAD_GATEWAY,
            "provider_unavailable",
            provider.displayName() + " could not check the credential: " + why)
        .with("provider", provider.id());
  }
}
