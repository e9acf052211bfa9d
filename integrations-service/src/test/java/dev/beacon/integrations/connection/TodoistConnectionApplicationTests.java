package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Todoist's OAuth in its own wire format: consent with {@code client_id}, comma-separated {@code
 * scope} and {@code state} only (the redirect URI is the app's registered one); the exchange is a
 * form of {@code client_id}, {@code client_secret} and {@code code}; apps made before refresh
 * tokens get a long-lived token, newer ones a refresh token that rotates; revocation is RFC 7009 at
 * {@code POST /api/v1/revoke} with the client in HTTP Basic.
 */
class TodoistConnectionApplicationTests extends ConnectionSteps {

  @Test
  void theDanceSendsTodoistsOwnFieldsNamesTheAccountAndRevokesOnDisconnect() {
    String ws = workspace();
    String access = "0123456789abcdef" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> query = authorize(ws, "todoist");
    assertThat(query.keySet()).containsExactly("client_id", "scope", "state");
    assertThat(query)
        .containsEntry("client_id", "todoist-client-id")
        .containsEntry("scope", "data:read_write");
    String code = "todoist-code-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/todoist/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson("{\"access_token\": \"" + access + "\", \"token_type\": \"Bearer\"}")));
    stubUser(access);

    callback("todoist", code, query.get("state"));

    assertThat(
            OAuthDance.form(OAuthDance.onePost("/todoist/token", "code", code).getBodyAsString()))
        .isEqualTo(
            Map.of(
                "client_id", "todoist-client-id",
                "client_secret", "todoist-client-secret",
                "code", code));
    JsonNode connection = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(connection.get("provider").asString()).isEqualTo("todoist");
    assertThat(connection.get("account").asString()).isEqualTo("ada@example.com");
    assertThat(connection.get("scopes").toString()).isEqualTo("[\"data:read_write\"]");
    String id = connection.get("id").asString();
    assertThat(row(id)).doesNotContain(access).doesNotContain(hex(access));
    StepVerifier.create(tokens.accessToken(connection(ws, id))).expectNext(access).verifyComplete();

    BasicCredentials client = new BasicCredentials("todoist-client-id", "todoist-client-secret");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/todoist/revoke"))
            .withBasicAuth(client.username, client.password)
            .willReturn(aResponse().withStatus(200)));
    disconnect(ws, id, 204);
    PROVIDERS.verify(
        1,
        postRequestedFor(urlPathEqualTo("/todoist/revoke"))
            .withBasicAuth(client)
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    "{\"token\": \"" + access + "\", \"token_type_hint\": \"access_token\"}")));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void aNewerAppsExpiringTokenIsRefreshedAndItsRotatedRefreshTokenKept() {
    String ws = workspace();
    String first = "todoist-refresh-" + UUID.randomUUID();
    String second = "todoist-refresh-" + UUID.randomUUID();
    String id = connect(ws, "todoist-old-" + UUID.randomUUID(), first, 30);
    String fresh = "todoist-fresh-" + UUID.randomUUID();
    String fresher = "todoist-fresher-" + UUID.randomUUID();
    stubRefresh(first, tokenAnswer(fresh, second, 30));
    stubRefresh(second, tokenAnswer(fresher, "todoist-refresh-" + UUID.randomUUID(), 3600));

    StepVerifier.create(tokens.accessToken(connection(ws, id))).expectNext(fresh).verifyComplete();
    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectNext(fresher)
        .verifyComplete();

    for (String sent : new String[] {first, second}) {
      assertThat(
              OAuthDance.form(
                  OAuthDance.onePost("/todoist/token", "refresh_token", sent).getBodyAsString()))
          .isEqualTo(
              Map.of(
                  "grant_type", "refresh_token",
                  "refresh_token", sent,
                  "client_id", "todoist-client-id",
                  "client_secret", "todoist-client-secret"));
    }
  }

  @Test
  void aRefusedRefreshTurnsTheConnectionNeedsReauth() {
    String ws = workspace();
    String refresh = "todoist-revoked-" + UUID.randomUUID();
    String id = connect(ws, "todoist-old-" + UUID.randomUUID(), refresh, 5);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/todoist/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\": \"invalid_grant\"}")));

    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("needs_reauth"))
        .verify();
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("needs_reauth");
  }

  String connect(String ws, String access, String refresh, int expiresIn) {
    Map<String, String> query = authorize(ws, "todoist");
    String code = "todoist-code-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/todoist/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(okJson(tokenAnswer(access, refresh, expiresIn))));
    stubUser(access);
    callback("todoist", code, query.get("state"));
    return lastConnectionId(ws);
  }

  static String tokenAnswer(String access, String refresh, int expiresIn) {
    return """
        {"access_token": "%s", "token_type": "Bearer", "refresh_token": "%s", "expires_in": %d,
         "scope": "data:read_write"}
        """
        .formatted(access, refresh, expiresIn);
  }

  static void stubRefresh(String refresh, String answer) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/todoist/token"))
            .withFormParam("grant_type", equalTo("refresh_token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(okJson(answer)));
  }

  /** Todoist's {@code GET /api/v1/user}. */
  static void stubUser(String access) {
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/todoist/user"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .willReturn(
                okJson(
                    """
                    {"id": "2671355", "email": "ada@example.com", "full_name": "Ada Lovelace",
                     "inbox_project_id": "6Jf8VQXxpwv56VQ7", "tz_info": {"timezone": "Europe/London"},
                     "is_premium": true}
                    """)));
  }
}
