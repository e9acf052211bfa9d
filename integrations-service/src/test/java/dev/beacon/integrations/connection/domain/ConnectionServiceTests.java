package dev.beacon.integrations.connection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Refusals before anything is stored: a provider without a client id, a service without a keyset.
 */
class ConnectionServiceTests {

  static final ForwardedIdentity MEMBER =
      new ForwardedIdentity("user-1", "ws-1", Role.MEMBER, Instant.now().plusSeconds(60));

  @Test
  void aProviderWithoutAClientIdIsListedUnconfiguredAndCannotBeConnected() {
    ConnectionService service = service(provider(""), provider("slack-id"), "{}");

    assertThat(service.providers())
        .extracting(ConnectionService.ProviderView::configured)
        .containsExactly(false, true, true);
    StepVerifier.create(service.authorize(MEMBER, ProviderId.GOOGLE))
        .expectErrorSatisfies(
            e -> {
              ApiException refusal = (ApiException) e;
              assertThat(refusal.code()).isEqualTo("provider_not_configured");
              assertThat(refusal.status().value()).isEqualTo(409);
              assertThat(refusal.getMessage()).contains("BEACON_INTEGRATIONS_GOOGLE_CLIENT_ID");
            })
        .verify();
  }

  @Test
  void withoutAKeysetConnectingIsRefusedWith503() {
    ConnectionService service = service(provider("google-id"), provider("slack-id"), "");

    StepVerifier.create(service.authorize(MEMBER, ProviderId.GOOGLE))
        .expectErrorSatisfies(
            e -> assertThat(((ApiException) e).code()).isEqualTo("encryption_unconfigured"))
        .verify();
  }

  private static String newKeyset() {
    try {
      AeadConfig.register();
      return TinkJsonProtoKeysetFormat.serializeKeyset(
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
          InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IntegrationsProperties.Provider provider(String clientId) {
    return new IntegrationsProperties.Provider(
        clientId,
        "secret",
        "https://provider.example/authorize",
        "https://provider.example/token",
        "",
        "",
        List.of("scope"));
  }

  private static ConnectionService service(
      IntegrationsProperties.Provider google,
      IntegrationsProperties.Provider slack,
      String keyset) {
    IntegrationsProperties properties =
        new IntegrationsProperties(
            null,
            null,
            "http://localhost:8080",
            new IntegrationsProperties.OAuth(
                google, slack, slack, Duration.ofMinutes(10), Duration.ofSeconds(60)),
            new IntegrationsProperties.Encryption(keyset.equals("{}") ? newKeyset() : keyset),
            null);
    Clock clock = Clock.systemUTC();
    return new ConnectionService(
        new OAuthClient(properties, clock),
        new TokenCipher(properties),
        null,
        null,
        properties,
        clock);
  }
}
