package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.IntegrationsStandIns.EventLog;
import dev.beacon.integrations.connection.domain.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * The whole OAuth dance against Google, Slack and GitHub stand-ins in their real wire formats:
 * authorize URL, callback, the exact token request, encrypted storage, listing, refresh, refusals
 * and disconnect with revocation.
 */
class ConnectionsApplicationTests extends ConnectionSteps {

  /** What one finished dance left behind. */
  record Connected(String workspace, String id, Map<String, String> authorizeQuery, String code) {}

  @Test
  void googleDanceSendsPkceExchangesTheCodeAndStoresTheTokensEncrypted() throws Exception {
    String ws = workspace();
    String access = "ya29.ACCESS-" + UUID.randomUUID();
    String refresh = "1//REFRESH-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, access, refresh, 3599);

    Map<String, String> query = google.authorizeQuery();
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "google-client-id")
        .containsEntry("redirect_uri", PUBLIC_URL + "/api/integrations/oauth/google/callback")
        .containsEntry(
            "scope",
            "openid email https://www.googleapis.com/auth/gmail.readonly"
                + " https://www.googleapis.com/auth/gmail.send"
                + " https://www.googleapis.com/auth/calendar.events"
                + " https://www.googleapis.com/auth/drive.readonly")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("access_type", "offline")
        .containsEntry("prompt", "consent");
    assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(43);

    Map<String, String> exchange =
        OAuthDance.form(
            OAuthDance.onePost("/google/token", "code", google.code()).getBodyAsString());
    assertThat(exchange)
        .containsOnlyKeys(
            "grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier")
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("code", google.code())
        .containsEntry("redirect_uri", PUBLIC_URL + "/api/integrations/oauth/google/callback")
        .containsEntry("client_id", "google-client-id")
        .containsEntry("client_secret", "google-client-secret");
    assertThat(challenge(exchange.get("code_verifier"))).isEqualTo(query.get("code_challenge"));

    String row =
        db.sql("SELECT c::text FROM integrations.connections c WHERE id = :id")
            .bind("id", UUID.fromString(google.id()))
            .map(r -> r.get(0, String.class))
            .one()
            .block();
    assertThat(row).isNotNull().doesNotContain(access).doesNotContain(refresh);
    assertThat(row).doesNotContain(hex(access)).doesNotContain(hex(refresh));

    JsonNode listed = list(ws, Role.VIEWER).get("connections");
    assertThat(listed).hasSize(1);
    JsonNode connection = listed.get(0);
    assertThat(connection.get("id").asString()).isEqualTo(google.id());
    assertThat(connection.get("provider").asString()).isEqualTo("google");
    assertThat(connection.get("account").asString()).isEqualTo("ada@example.com");
    assertThat(connection.get("scopes").toString())
        .isEqualTo("[\"openid\",\"email\",\"https://www.googleapis.com/auth/gmail.send\"]");
    assertThat(connection.get("connected_by").asString()).isEqualTo("user-member");
    assertThat(Instant.parse(connection.get("connected_at").asString()))
        .isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
    assertThat(connection.get("last_used_at").isNull()).isTrue();
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    assertThat(listed.toString()).doesNotContain(access).doesNotContain(refresh);
  }

  @Test
  void aTokenAboutToExpireIsRefreshedBeforeUseWithTheExactRefreshRequest() {
    String ws = workspace();
    String refresh = "1//REFRESH-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, "ya29.OLD-" + UUID.randomUUID(), refresh, 30);
    String fresh = "ya29.NEW-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "expires_in": 3599,
                     "scope": "openid email https://www.googleapis.com/auth/gmail.send",
                     "token_type": "Bearer"}
                    """
                        .formatted(fresh))));
    Connection connection = connection(ws, google.id());

    StepVerifier.create(tokens.accessToken(connection)).expectNext(fresh).verifyComplete();
    // fresh for an hour now: no second refresh
    StepVerifier.create(tokens.accessToken(connection)).expectNext(fresh).verifyComplete();

    LoggedRequest request = OAuthDance.onePost("/google/token", "refresh_token", refresh);
    assertThat(OAuthDance.form(request.getBodyAsString()))
        .isEqualTo(
            Map.of(
                "grant_type", "refresh_token",
                "refresh_token", refresh,
                "client_id", "google-client-id",
                "client_secret", "google-client-secret"));
    JsonNode listed = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(listed.get("status").asString()).isEqualTo("ok");
    assertThat(listed.get("last_used_at").isNull()).isFalse();
  }

  @Test
  void aRefreshRefusedWithInvalidGrantTurnsTheConnectionNeedsReauth() {
    String ws = workspace();
    String refresh = "1//REVOKED-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, "ya29.OLD-" + UUID.randomUUID(), refresh, 10);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": \"invalid_grant\","
                            + " \"error_description\": \"Token has been expired or revoked.\"}")));
    Connection connection = connection(ws, google.id());

    StepVerifier.create(tokens.accessToken(connection))
        .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("needs_reauth"))
        .verify();
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("needs_reauth");
  }

  @Test
  void aProviderThatDoesNotAnswerTheRefreshLeavesTheConnectionOk() {
    String ws = workspace();
    String refresh = "1//FLAKY-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, "ya29.OLD-" + UUID.randomUUID(), refresh, 10);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    StepVerifier.create(tokens.accessToken(connection(ws, google.id())))
        .expectErrorSatisfies(
            e -> assertThat(((ApiException) e).code()).isEqualTo("token_refresh_failed"))
        .verify();
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("ok");
  }

  @Test
  void slackDanceReadsSlacksOwnTokenAnswerAndNamesTheTeam() {
    String ws = workspace();
    String bot = "xoxb-" + UUID.randomUUID();
    Map<String, String> query = authorize(ws, "slack");
    assertThat(query)
        .containsEntry("client_id", "slack-client-id")
        .containsEntry("scope", "chat:write,channels:read")
        .containsEntry("redirect_uri", PUBLIC_URL + "/api/integrations/oauth/slack/callback")
        .doesNotContainKey("code_challenge");
    String code = "slack-code-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/slack/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "access_token": "%s", "token_type": "bot",
                     "scope": "chat:write,channels:read", "bot_user_id": "U0KRQLJ9H",
                     "app_id": "A0KRD7HC3", "team": {"name": "Acme Rockets", "id": "T9TK3CUKW"},
                     "enterprise": null, "is_enterprise_install": false,
                     "authed_user": {"id": "U1234", "scope": "", "access_token": "xoxp-USER",
                                     "token_type": "user"}}
                    """
                        .formatted(bot))));
    callback("slack", code, query.get("state"));

    assertThat(OAuthDance.form(OAuthDance.onePost("/slack/token", "code", code).getBodyAsString()))
        .isEqualTo(
            Map.of(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", PUBLIC_URL + "/api/integrations/oauth/slack/callback",
                "client_id", "slack-client-id",
                "client_secret", "slack-client-secret"));
    JsonNode connection = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(connection.get("account").asString()).isEqualTo("Acme Rockets");
    assertThat(connection.get("scopes").toString()).isEqualTo("[\"chat:write\",\"channels:read\"]");
    assertThat(connection.toString()).doesNotContain(bot).doesNotContain("xoxp-USER");

    PROVIDERS.stubFor(
        post(urlPathEqualTo("/slack/auth.revoke"))
            .withHeader("Authorization", equalTo("Bearer " + bot))
            .willReturn(okJson("{\"ok\": true, \"revoked\": true}")));
    disconnect(ws, connection.get("id").asString(), 204);
    PROVIDERS.verify(
        1,
        postRequestedFor(urlPathEqualTo("/slack/auth.revoke"))
            .withHeader("Authorization", equalTo("Bearer " + bot)));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void slackAnsweringOkFalseIsATokenExchangeFailure() {
    String ws = workspace();
    Map<String, String> query = authorize(ws, "slack");
    String code = "slack-bad-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/slack/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(okJson("{\"ok\": false, \"error\": \"invalid_code\"}")));
    JsonNode refusal = callbackRefused("slack", code, query.get("state"), 502);
    assertThat(refusal.get("code").asString()).isEqualTo("token_exchange_failed");
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void githubDanceAsksForJsonSendsPkceAndNamesTheLogin() {
    String ws = workspace();
    String token = "gho_" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> query = authorize(ws, "github");
    assertThat(query)
        .containsEntry("client_id", "github-client-id")
        .containsEntry("scope", "repo read:user")
        .containsEntry("redirect_uri", PUBLIC_URL + "/api/integrations/oauth/github/callback")
        .containsEntry("code_challenge_method", "S256");
    String code = "github-code-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/github/token"))
            .withHeader("Accept", equalTo("application/json"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    "{\"access_token\": \"%s\", \"token_type\": \"bearer\", \"scope\": \"repo,read:user\"}"
                        .formatted(token))));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/github/user"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"login\": \"octocat\", \"id\": 1, \"type\": \"User\"}")));
    callback("github", code, query.get("state"));

    Map<String, String> exchange =
        OAuthDance.form(OAuthDance.onePost("/github/token", "code", code).getBodyAsString());
    assertThat(exchange)
        .containsOnlyKeys(
            "grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier")
        .containsEntry("client_id", "github-client-id")
        .containsEntry("client_secret", "github-client-secret");
    assertThat(challenge(exchange.get("code_verifier"))).isEqualTo(query.get("code_challenge"));
    JsonNode connection = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(connection.get("account").asString()).isEqualTo("octocat");
    assertThat(connection.get("scopes").toString()).isEqualTo("[\"repo\",\"read:user\"]");

    String id = connection.get("id").asString();
    PROVIDERS.stubFor(
        delete(urlPathEqualTo("/github/applications/github-client-id/grant"))
            .willReturn(aResponse().withStatus(204)));
    disconnect(ws, id, 204);
    PROVIDERS.verify(
        1,
        deleteRequestedFor(urlPathEqualTo("/github/applications/github-client-id/grant"))
            .withBasicAuth(
                new com.github.tomakehurst.wiremock.client.BasicCredentials(
                    "github-client-id", "github-client-secret"))
            .withRequestBody(equalToJson("{\"access_token\": \"" + token + "\"}")));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void disconnectRevokesTheGoogleGrantWithItsRefreshTokenAndDeletes() {
    String ws = workspace();
    String refresh = "1//REFRESH-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, "ya29.A-" + UUID.randomUUID(), refresh, 3599);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/revoke"))
            .withFormParam("token", equalTo(refresh))
            .willReturn(aResponse().withStatus(200)));

    disconnect(ws, google.id(), 204);

    assertThat(
            OAuthDance.form(
                OAuthDance.onePost("/google/revoke", "token", refresh).getBodyAsString()))
        .isEqualTo(Map.of("token", refresh));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
    assertThat(disconnect(ws, google.id(), 404).get("code").asString())
        .isEqualTo("connection_not_found");
  }

  @Test
  void everyOAuthCallIsOneServiceCallOfItsProviderWithoutItsTokens() {
    String ws = workspace();
    String access = "ya29.OBSERVED-" + UUID.randomUUID();
    String refresh = "1//OBSERVED-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, access, refresh, 30);
    String fresh = "ya29.FRESH-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "expires_in": 3599, "token_type": "Bearer",
                     "scope": "openid email https://www.googleapis.com/auth/gmail.send"}
                    """
                        .formatted(fresh))));
    StepVerifier.create(tokens.accessToken(connection(ws, google.id())))
        .expectNext(fresh)
        .verifyComplete();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/revoke"))
            .withFormParam("token", equalTo(refresh))
            .willReturn(aResponse().withStatus(503)));
    // a revocation the provider fails still disconnects, and is told as the error it was
    disconnect(ws, google.id(), 204);

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.oauthOf(ws).size() >= 4);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.oauthOf(ws).size() == 4);
    Map<String, ObsEvent> byOperation = new java.util.HashMap<>();
    for (EventLog.Received received : EventLog.oauthOf(ws)) {
      ObsEvent event = received.event();
      assertThat(received.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
      assertThat(event.type()).isEqualTo(EventType.SERVICE_CALL);
      assertThat(event.service().name()).isEqualTo("google");
      assertThat(event.metadata())
          .containsEntry("purpose", "oauth")
          .containsEntry("host", "127.0.0.1");
      assertThat(event.toString())
          .doesNotContain(access)
          .doesNotContain(refresh)
          .doesNotContain(fresh);
      assertThat(byOperation.put(event.service().operation(), event)).isNull();
    }
    assertThat(byOperation.keySet())
        .containsExactlyInAnyOrder("oauth.token", "oauth.account", "oauth.refresh", "oauth.revoke");
    assertThat(byOperation.get("oauth.token").status()).isEqualTo(EventStatus.OK);
    assertThat(byOperation.get("oauth.refresh").status()).isEqualTo(EventStatus.OK);
    ObsEvent revoke = byOperation.get("oauth.revoke");
    assertThat(revoke.status()).isEqualTo(EventStatus.ERROR);
    assertThat(revoke.error().type()).isEqualTo("provider_error");
    assertThat(revoke.error().message()).isEqualTo("Google answered HTTP 503.");
    assertThat(revoke.metadata()).containsEntry("http_status", 503);
  }

  @Test
  void aRefusedRefreshIsAServiceCallErrorNamingTheRefusal() {
    String ws = workspace();
    String refresh = "1//GONE-" + UUID.randomUUID();
    Connected google = connectGoogle(ws, "ya29.GONE-" + UUID.randomUUID(), refresh, 10);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\": \"invalid_grant\"}")));
    StepVerifier.create(tokens.accessToken(connection(ws, google.id())))
        .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("needs_reauth"))
        .verify();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                EventLog.oauthOf(ws).stream()
                    .anyMatch(r -> r.event().service().operation().equals("oauth.refresh")));
    ObsEvent refused =
        EventLog.oauthOf(ws).stream()
            .map(EventLog.Received::event)
            .filter(e -> e.service().operation().equals("oauth.refresh"))
            .findFirst()
            .orElseThrow();
    assertThat(refused.status()).isEqualTo(EventStatus.ERROR);
    assertThat(refused.error().type()).isEqualTo("invalid_grant");
    assertThat(refused.error().message()).isEqualTo("Google refused: invalid_grant");
    assertThat(refused.toString()).doesNotContain(refresh);
  }

  @Test
  void anotherWorkspacesConnectionIsNotFoundAndNotListed() {
    String ws = workspace();
    Connected google =
        connectGoogle(ws, "ya29.A-" + UUID.randomUUID(), "1//R-" + UUID.randomUUID(), 3599);
    String other = workspace();

    assertThat(list(other, Role.OWNER).get("connections")).isEmpty();
    assertThat(disconnect(other, google.id(), 404).get("code").asString())
        .isEqualTo("connection_not_found");
    assertThat(disconnect(other, "not-a-uuid", 404).get("code").asString())
        .isEqualTo("connection_not_found");
    assertThat(list(ws, Role.MEMBER).get("connections")).hasSize(1);
  }

  @Test
  void everyMemberOfTheWorkspaceSeesAndMayDisconnectAConnectionAViewerMayNot() {
    String ws = workspace();
    Connected google =
        connectGoogle(ws, "ya29.A-" + UUID.randomUUID(), "1//R-" + UUID.randomUUID(), 3599);

    web.post()
        .uri("/api/integrations/connections/google/authorize")
        .header(ForwardedIdentity.HEADER, as(ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.delete()
        .uri("/api/integrations/connections/{id}", google.id())
        .header(ForwardedIdentity.HEADER, as(ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isForbidden();
    assertThat(list(ws, Role.VIEWER).get("connections")).hasSize(1);

    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/revoke")).willReturn(aResponse().withStatus(200)));
    web.delete()
        .uri("/api/integrations/connections/{id}", google.id())
        .header(ForwardedIdentity.HEADER, signer.sign("another-member", ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void unknownReplayedExpiredAndOtherProvidersStatesAreRefused() {
    String ws = workspace();
    assertThat(callbackRefused("google", "c", "never-issued", 400).get("code").asString())
        .isEqualTo("invalid_state");
    assertThat(callbackRefused("google", "c", null, 400).get("code").asString())
        .isEqualTo("invalid_state");

    Connected google =
        connectGoogle(ws, "ya29.A-" + UUID.randomUUID(), "1//R-" + UUID.randomUUID(), 3599);
    assertThat(
            callbackRefused("google", google.code(), google.authorizeQuery().get("state"), 400)
                .get("code")
                .asString())
        .isEqualTo("invalid_state");

    Map<String, String> forSlack = authorize(ws, "slack");
    assertThat(callbackRefused("github", "c", forSlack.get("state"), 400).get("code").asString())
        .isEqualTo("invalid_state");

    String expired = "expired-" + UUID.randomUUID();
    db.sql(
            "INSERT INTO integrations.oauth_states (state_hash, workspace_id, user_id, provider,"
                + " code_verifier, created_at) VALUES (:hash, :ws, 'user-member', 'google', 'v', :at)")
        .bind("hash", sha256(expired))
        .bind("ws", ws)
        .bind("at", Instant.now().minus(11, ChronoUnit.MINUTES))
        .then()
        .block();
    assertThat(callbackRefused("google", "c", expired, 400).get("code").asString())
        .isEqualTo("invalid_state");
    assertThat(list(ws, Role.MEMBER).get("connections")).hasSize(1);
  }

  @Test
  void aBrowserIsSentBackToTheIntegrationsPageWithTheRefusalsCode() {
    String ws = workspace();
    Map<String, String> query = authorize(ws, "google");
    for (String[] callback :
        new String[][] {
          {"error=access_denied&state=" + query.get("state"), "authorization_denied"},
          {"code=c&state=never-issued", "invalid_state"}
        }) {
      web.get()
          .uri("/api/integrations/oauth/google/callback?" + callback[0])
          .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
          .exchange()
          .expectStatus()
          .isFound()
          .expectHeader()
          .valueEquals(
              "Location", PUBLIC_URL + "/integrations?error=" + callback[1] + "&provider=google")
          .expectBody()
          .isEmpty();
    }
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void aDeniedConsentIsRefusedClearly() {
    String ws = workspace();
    Map<String, String> query = authorize(ws, "google");
    JsonNode refusal =
        JSON.readTree(
            web.get()
                .uri(
                    "/api/integrations/oauth/google/callback?error=access_denied&state={state}",
                    query.get("state"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .returnResult()
                .getResponseBody());
    assertThat(refusal.get("code").asString()).isEqualTo("authorization_denied");
    assertThat(refusal.get("message").asString()).contains("Google").contains("access_denied");
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void providersAreListedWithTheirScopesAndAnUnknownOneIsNotFound() {
    JsonNode providers =
        JSON.readTree(
                web.get()
                    .uri("/api/integrations/providers")
                    .header(ForwardedIdentity.HEADER, as(workspace(), Role.VIEWER))
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody())
            .get("providers");
    assertThat(providers).hasSize(7);
    assertThat(providers.get(0).toString())
        .isEqualTo(
            "{\"id\":\"google\",\"display_name\":\"Google\",\"configured\":true,\"scopes\":"
                + "[\"openid\",\"email\",\"https://www.googleapis.com/auth/gmail.readonly\","
                + "\"https://www.googleapis.com/auth/gmail.send\","
                + "\"https://www.googleapis.com/auth/calendar.events\","
                + "\"https://www.googleapis.com/auth/drive.readonly\"]}");
    assertThat(providers.get(1).get("id").asString()).isEqualTo("slack");
    assertThat(providers.get(2).get("display_name").asString()).isEqualTo("GitHub");
    assertThat(providers.get(3).toString())
        .isEqualTo(
            "{\"id\":\"notion\",\"display_name\":\"Notion\",\"configured\":true,\"scopes\":[]}");
    assertThat(providers.get(4).toString())
        .isEqualTo(
            "{\"id\":\"todoist\",\"display_name\":\"Todoist\",\"configured\":true,"
                + "\"scopes\":[\"data:read_write\"]}");
    assertThat(providers.get(5).toString())
        .isEqualTo(
            "{\"id\":\"dropbox\",\"display_name\":\"Dropbox\",\"configured\":true,"
                + "\"scopes\":[\"account_info.read\",\"files.metadata.read\"]}");
    assertThat(providers.get(6).toString())
        .isEqualTo(
            "{\"id\":\"spotify\",\"display_name\":\"Spotify\",\"configured\":true,"
                + "\"scopes\":[\"user-read-playback-state\",\"user-modify-playback-state\"]}");

    web.post()
        .uri("/api/integrations/connections/myspace/authorize")
        .header(ForwardedIdentity.HEADER, as(workspace(), Role.MEMBER))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unknown_provider");
  }

  // --- the dance, step by step

  Connected connectGoogle(String ws, String access, String refresh, int expiresIn) {
    Map<String, String> query = authorize(ws, "google");
    String code = "4/google-code-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "expires_in": %d, "refresh_token": "%s",
                     "scope": "openid email https://www.googleapis.com/auth/gmail.send",
                     "token_type": "Bearer", "id_token": "eyJhbGciOiJSUzI1NiJ9.e30.sig"}
                    """
                        .formatted(access, expiresIn, refresh))));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/google/userinfo"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .willReturn(
                okJson(
                    "{\"sub\": \"1108\", \"email\": \"ada@example.com\", \"email_verified\": true}")));
    callback("google", code, query.get("state"));
    String id = null;
    for (JsonNode c : list(ws, Role.MEMBER).get("connections")) {
      id = c.get("id").asString();
    }
    return new Connected(ws, id, query, code);
  }
}
