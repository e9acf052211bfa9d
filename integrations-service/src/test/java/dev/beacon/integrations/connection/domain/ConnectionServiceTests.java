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
import dev.beacon.integrations.events.IntegrationEvents;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
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
        .containsExactly(false, true, true, true, true, true, true);
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
  void aNewProviderWithoutAClientIdNamesItsOwnVariables() {
    ConnectionService service =
        service(provider("google-id"), provider("slack-id"), provider(""), "{}");

    assertThat(service.providers())
        .extracting(p -> p.provider().id() + "=" + p.configured())
        .containsExactly(
            "google=true",
            "slack=true",
            "github=true",
            "notion=false",
            "todoist=false",
            "dropbox=false",
            "spotify=false");
    for (ProviderId provider :
        List.of(ProviderId.NOTION, ProviderId.TODOIST, ProviderId.DROPBOX, ProviderId.SPOTIFY)) {
      StepVerifier.create(service.authorize(MEMBER, provider))
          .expectErrorSatisfies(
              e -> {
                ApiException refusal = (ApiException) e;
                assertThat(refusal.code()).isEqualTo("provider_not_configured");
                assertThat(refusal.getMessage())
                    .contains("BEACON_INTEGRATIONS_" + provider.name() + "_CLIENT_ID");
              })
          .verify();
    }
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
    return service(google, slack, slack, keyset);
  }

  /** Google, Slack, and GitHub like Slack; Notion, Todoist, Dropbox and Spotify {@code others}. */
  private static ConnectionService service(
      IntegrationsProperties.Provider google,
      IntegrationsProperties.Provider slack,
      IntegrationsProperties.Provider others,
      String keyset) {
    IntegrationsProperties properties =
        new IntegrationsProperties(
            null,
            new IntegrationsProperties.Events(false, 10_000, Duration.ofMinutes(10)),
            "http://localhost:8080",
            new IntegrationsProperties.OAuth(
                google,
                slack,
                slack,
                others,
                others,
                others,
                others,
                Duration.ofMinutes(10),
                Duration.ofSeconds(60)),
            new IntegrationsProperties.Encryption(keyset.equals("{}") ? newKeyset() : keyset),
            null);
    Clock clock = Clock.systemUTC();
    return new ConnectionService(
        new OAuthClient(
            properties, clock, new IntegrationEvents(properties, new KafkaProperties(), clock)),
        new TokenCipher(properties),
        null,
        null,
        properties,
        clock);
  }
}
