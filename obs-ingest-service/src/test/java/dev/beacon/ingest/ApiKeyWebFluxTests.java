package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Key management behind the forwarded identity, verification for the gateway, revocation. */
@IntegrationTest
class ApiKeyWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String user;

  @Value("${spring.flyway.password}")
  String password;

  private String as(String workspace, Role role) {
    return signer.sign("user-1", workspace, role);
  }

  @Test
  void createReturnsTheSecretOnceAndListShowsOnlyItsPrefix() {
    JsonNode created =
        IngestTestKit.createKey(
            web, signer, "ws-list", Map.of("name", "ci", "scopes", List.of("ingest", "read")));
    String secret = created.get("secret").asString();

    assertThat(ApiKeyFormat.isWellFormed(secret)).isTrue();
    assertThat(created.get("prefix").asString()).isEqualTo(secret.substring(0, 12));
    assertThat(created.get("scopes").toString()).contains("ingest", "read");

    web.get()
        .uri("/api/obs/keys")
        .header(ForwardedIdentity.HEADER, as("ws-list", Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.keys[?(@.name == 'ci')].prefix")
        .isEqualTo(secret.substring(0, 12))
        .jsonPath("$.keys[*].secret")
        .doesNotExist()
        .consumeWith(
            result -> assertThat(new String(result.getResponseBody())).doesNotContain(secret));
  }

  @Test
  void viewerCanListButNotCreateOrRevoke() {
    web.post()
        .uri("/api/obs/keys")
        .header(ForwardedIdentity.HEADER, as("ws-viewer", Role.VIEWER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "nope"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
  }

  @Test
  void refusesCreateWithoutNameOrWithUnknownScope() {
    web.post()
        .uri("/api/obs/keys")
        .header(ForwardedIdentity.HEADER, as("ws-bad", Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "x", "scopes", List.of("admin")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_request");
  }

  @Test
  void anotherWorkspacesKeyIsNotFound() {
    String id = IngestTestKit.createKey(web, signer, "ws-a", Map.of()).get("id").asString();

    web.delete()
        .uri("/api/obs/keys/" + id)
        .header(ForwardedIdentity.HEADER, as("ws-b", Role.OWNER))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_not_found");
    web.get()
        .uri("/api/obs/keys/" + id + "/rejections")
        .header(ForwardedIdentity.HEADER, as("ws-b", Role.OWNER))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_not_found");
  }

  @Test
  void revokedKeyStopsWorkingWithinFiveSeconds() {
    JsonNode created = IngestTestKit.createKey(web, signer, "ws-revoke-5s", Map.of());
    String secret = created.get("secret").asString();
    IngestTestKit.post(web, secret, batch(IngestTestKit.custom(uniqueAgent())))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    // revoked by another instance: straight in the database, this instance's cache is not told
    new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, password))
        .update(
            "UPDATE obs_ingest.api_keys SET revoked_at = now() WHERE id = ?::uuid",
            created.get("id").asString());
    long revokedAt = System.nanoTime();

    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                IngestTestKit.post(web, secret, batch(IngestTestKit.custom(uniqueAgent())))
                    .expectAll(
                        response -> response.expectStatus().isForbidden(),
                        response ->
                            response.expectBody().jsonPath("$.code").isEqualTo("api_key_revoked")));
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void listsTheLastRejectionsOfAKeyWithTheirReasons() {
    JsonNode created = IngestTestKit.createKey(web, signer, "ws-rejections", Map.of());
    String secret = created.get("secret").asString();
    var bad = IngestTestKit.custom(uniqueAgent()).put("occurred_at", "2099-01-01T00:00:00Z");
    IngestTestKit.post(web, secret, batch(IngestTestKit.custom(uniqueAgent()), bad))
        .expectStatus()
        .isEqualTo(207)
        .expectBody()
        .jsonPath("$.rejected")
        .isEqualTo(1);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                web.get()
                    .uri("/api/obs/keys/" + created.get("id").asString() + "/rejections")
                    .header(ForwardedIdentity.HEADER, as("ws-rejections", Role.VIEWER))
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.rejections[0].code")
                    .isEqualTo("occurred_at_in_future")
                    .jsonPath("$.rejections[0].index")
                    .isEqualTo(1)
                    .jsonPath("$.rejections[0].event_id")
                    .isEqualTo(bad.get("event_id").asString()));
  }

  @Test
  void verifiesAKeyForTheGatewayWithItsWorkspaceAndScopes() {
    web.post()
        .uri("/internal/keys/verify")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("key", IngestTestKit.BOOTSTRAP_KEY))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.workspace_id")
        .isEqualTo(IngestTestKit.BOOTSTRAP_WORKSPACE)
        .jsonPath("$.scopes[0]")
        .isEqualTo("ingest")
        .jsonPath("$.scopes[1]")
        .isEqualTo("read")
        // the bootstrap key does not speak for the workspace's tools
        .jsonPath("$.scopes.length()")
        .isEqualTo(2);

    web.post()
        .uri("/internal/keys/verify")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("key", ApiKeyFormat.generate()))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_api_key");
  }

  @Test
  void aToolsKeyIsVerifiedWithTheToolsScopeAlone() {
    JsonNode created =
        IngestTestKit.createKey(
            web, signer, "ws-tools", Map.of("name", "mcp agent", "scopes", List.of("tools")));

    web.post()
        .uri("/internal/keys/verify")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("key", created.get("secret").asString()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.workspace_id")
        .isEqualTo("ws-tools")
        .jsonPath("$.scopes")
        .isEqualTo(List.of("tools"));
  }
}
