package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.connection.domain.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Notion's OAuth in its own wire format: {@code owner=user} and no scopes at consent; the token
 * request is JSON with the client in HTTP Basic and {@code Notion-Version}; the answer names the
 * workspace; the historical answer has no refresh token and does not expire, the current one has a
 * rotating refresh token; revocation is {@code POST /v1/oauth/revoke}.
 */
class NotionConnectionApplicationTests extends ConnectionSteps {

  static final BasicCredentials CLIENT =
      new BasicCredentials("notion-client-id", "notion-client-secret");
  static final String REDIRECT = PUBLIC_URL + "/api/integrations/oauth/notion/callback";

  @Test
  void theDanceAsksOwnerUserExchangesWithBasicAuthAndJsonAndNamesTheWorkspace() {
    String ws = workspace();
    String access = "ntn_" + UUID.randomUUID().toString().replace("-", "");
    String refresh = "nrt_" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> query = authorize(ws, "notion");
    assertThat(query)
        .containsEntry("client_id", "notion-client-id")
        .containsEntry("response_type", "code")
        .containsEntry("owner", "user")
        .containsEntry("redirect_uri", REDIRECT)
        .doesNotContainKeys("scope", "code_challenge");
    assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(43);
    String code = "notion-code-" + UUID.randomUUID();
    stubExchange(code, tokenAnswer(access, refresh, null));

    callback("notion", code, query.get("state"));

    LoggedRequest exchange = oneExchange(code);
    assertThat(exchange.getHeader("Content-Type")).startsWith("application/json");
    assertThat(exchange.getHeader("Notion-Version")).isEqualTo("2022-06-28");
    assertThat(JSON.readTree(exchange.getBodyAsString()))
        .isEqualTo(
            JSON.readTree(
                """
                {"grant_type": "authorization_code", "code": "%s", "redirect_uri": "%s"}
                """
                    .formatted(code, REDIRECT)));
    JsonNode connection = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(connection.get("provider").asString()).isEqualTo("notion");
    assertThat(connection.get("account").asString()).isEqualTo("Acme HQ");
    assertThat(connection.get("scopes").toString()).isEqualTo("[]");
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    assertThat(connection.toString()).doesNotContain(access).doesNotContain(refresh);
    String row = row(connection.get("id").asString());
    assertThat(row).doesNotContain(access).doesNotContain(refresh);
    assertThat(row).doesNotContain(hex(access)).doesNotContain(hex(refresh));

    PROVIDERS.stubFor(
        post(urlPathEqualTo("/notion/revoke"))
            .withBasicAuth(CLIENT.username, CLIENT.password)
            .willReturn(okJson("{\"request_id\": \"" + UUID.randomUUID() + "\"}")));
    disconnect(ws, connection.get("id").asString(), 204);
    PROVIDERS.verify(
        1,
        postRequestedFor(urlPathEqualTo("/notion/revoke"))
            .withBasicAuth(CLIENT)
            .withHeader("Notion-Version", equalTo("2022-06-28"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"token\": \"" + access + "\"}")));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void theHistoricalAnswerWithoutRefreshTokenGivesATokenThatNeverNeedsRefreshing() {
    String ws = workspace();
    String access = "secret_" + UUID.randomUUID().toString().replace("-", "");
    String id = connect(ws, access, null, null);

    Connection connection = connection(ws, id);
    StepVerifier.create(tokens.accessToken(connection)).expectNext(access).verifyComplete();

    assertThat(
            db.sql(
                    "SELECT refresh_token IS NULL AND expires_at IS NULL"
                        + " FROM integrations.connections WHERE id = :id")
                .bind("id", UUID.fromString(id))
                .map(r -> r.get(0, Boolean.class))
                .one()
                .block())
        .isTrue();
    StepVerifier.create(tokens.accessToken(connection)).expectNext(access).verifyComplete();
  }

  @Test
  void anExpiringTokenIsRefreshedWithBasicAuthAndTheRotatedRefreshTokenIsKept() {
    String ws = workspace();
    String first = "nrt_FIRST-" + UUID.randomUUID();
    String second = "nrt_SECOND-" + UUID.randomUUID();
    String id = connect(ws, "ntn_OLD-" + UUID.randomUUID(), first, 30);
    String fresh = "ntn_FRESH-" + UUID.randomUUID();
    String fresher = "ntn_FRESHER-" + UUID.randomUUID();
    stubRefresh(first, okJson(tokenAnswer(fresh, second, 30)));
    stubRefresh(second, okJson(tokenAnswer(fresher, "nrt_THIRD-" + UUID.randomUUID(), 3600)));

    StepVerifier.create(tokens.accessToken(connection(ws, id))).expectNext(fresh).verifyComplete();
    // still expiring: refreshed again, with the refresh token the first refresh answered
    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectNext(fresher)
        .verifyComplete();

    for (String sent : List.of(first, second)) {
      List<LoggedRequest> refreshes = refreshesWith(sent);
      assertThat(refreshes).hasSize(1);
      LoggedRequest request = refreshes.get(0);
      assertThat(request.getHeader("Authorization")).isEqualTo(CLIENT.asAuthorizationHeaderValue());
      assertThat(request.getHeader("Notion-Version")).isEqualTo("2022-06-28");
      assertThat(JSON.readTree(request.getBodyAsString()))
          .isEqualTo(
              JSON.readTree(
                  "{\"grant_type\": \"refresh_token\", \"refresh_token\": \"" + sent + "\"}"));
    }
    assertThat(row(id)).doesNotContain(second).doesNotContain(fresher);
  }

  @Test
  void concurrentUsesOfAnExpiringRotatingTokenShareOneRefresh() {
    String ws = workspace();
    String refresh = "nrt_ONCE-" + UUID.randomUUID();
    String id = connect(ws, "ntn_OLD-" + UUID.randomUUID(), refresh, 10);
    String fresh = "ntn_SHARED-" + UUID.randomUUID();
    // Notion's refresh token works once: a second refresh with it would be refused
    stubRefresh(
        refresh,
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "application/json")
            .withBody(tokenAnswer(fresh, "nrt_NEXT-" + UUID.randomUUID(), 3600))
            .withFixedDelay(400));
    Connection connection = connection(ws, id);

    StepVerifier.create(
            Flux.merge(
                    tokens.accessToken(connection),
                    tokens.accessToken(connection),
                    tokens.accessToken(connection))
                .collectList())
        .assertNext(all -> assertThat(all).containsExactly(fresh, fresh, fresh))
        .verifyComplete();

    assertThat(refreshesWith(refresh)).hasSize(1);
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("ok");
  }

  @Test
  void aRefreshRefusedAsInvalidGrantTurnsTheConnectionNeedsReauth() {
    String ws = workspace();
    String refresh = "nrt_REVOKED-" + UUID.randomUUID();
    String id = connect(ws, "ntn_OLD-" + UUID.randomUUID(), refresh, 10);
    stubRefresh(
        refresh,
        aResponse()
            .withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody(
                "{\"error\": \"invalid_grant\","
                    + " \"error_description\": \"Token has been expired or revoked.\"}"));

    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("needs_reauth"))
        .verify();
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("needs_reauth");
  }

  @Test
  void notionsApiErrorObjectOnTheExchangeIsATokenExchangeFailure() {
    String ws = workspace();
    Map<String, String> query = authorize(ws, "notion");
    String code = "notion-bad-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/notion/token"))
            .withRequestBody(matchingJsonPath("$.code", equalTo(code)))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"object\": \"error\", \"status\": 401, \"code\": \"unauthorized\","
                            + " \"message\": \"API token is invalid.\"}")));

    JsonNode refusal = callbackRefused("notion", code, query.get("state"), 502);

    assertThat(refusal.get("code").asString()).isEqualTo("token_exchange_failed");
    assertThat(refusal.get("provider").asString()).isEqualTo("notion");
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  // --- Notion's wire

  /**
   * Connects Notion; {@code refresh} and {@code expiresIn} {@code null} as Notion long answered.
   */
  String connect(String ws, String access, String refresh, Integer expiresIn) {
    Map<String, String> query = authorize(ws, "notion");
    String code = "notion-code-" + UUID.randomUUID();
    stubExchange(code, tokenAnswer(access, refresh, expiresIn));
    callback("notion", code, query.get("state"));
    return lastConnectionId(ws);
  }

  /** Notion's token answer: the bot, the workspace and who added the integration. */
  static String tokenAnswer(String access, String refresh, Integer expiresIn) {
    return """
        {"access_token": "%s", "token_type": "bearer", %s%s
         "bot_id": "b3414d65-1224-5ty7-6ffr-cc9d8773drt6",
         "workspace_name": "Acme HQ", "workspace_icon": "https://example.com/icon.png",
         "workspace_id": "j565j4d7x3-2882-61bs-564a-jj9d9ui-c36hxfr7x",
         "owner": {"type": "user", "user": {"object": "user",
                   "id": "6f1e4b22-1f4e-4e8b-a1b2-3c4d5e6f7a8b", "name": "Ada Lovelace",
                   "avatar_url": null, "type": "person",
                   "person": {"email": "ada@example.com"}}},
         "duplicated_template_id": null, "request_id": "%s"}
        """
        .formatted(
            access,
            refresh == null ? "" : "\"refresh_token\": \"" + refresh + "\",",
            expiresIn == null ? "" : "\"expires_in\": " + expiresIn + ",",
            UUID.randomUUID());
  }

  static void stubExchange(String code, String answer) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/notion/token"))
            .withBasicAuth(CLIENT.username, CLIENT.password)
            .withHeader("Notion-Version", equalTo("2022-06-28"))
            .withRequestBody(matchingJsonPath("$.code", equalTo(code)))
            .willReturn(okJson(answer)));
  }

  static void stubRefresh(
      String refresh, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/notion/token"))
            .withBasicAuth(CLIENT.username, CLIENT.password)
            .withRequestBody(matchingJsonPath("$.refresh_token", equalTo(refresh)))
            .willReturn(answer));
  }

  static LoggedRequest oneExchange(String code) {
    List<LoggedRequest> requests =
        PROVIDERS.findAll(
            postRequestedFor(urlPathEqualTo("/notion/token"))
                .withRequestBody(matchingJsonPath("$.code", equalTo(code))));
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getHeader("Authorization"))
        .isEqualTo(CLIENT.asAuthorizationHeaderValue());
    return requests.get(0);
  }

  static List<LoggedRequest> refreshesWith(String refresh) {
    return PROVIDERS.findAll(
        postRequestedFor(urlPathEqualTo("/notion/token"))
            .withRequestBody(matchingJsonPath("$.refresh_token", equalTo(refresh))));
  }
}
