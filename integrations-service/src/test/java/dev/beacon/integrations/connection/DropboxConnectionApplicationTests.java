package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Dropbox's OAuth in its own wire format: consent with PKCE and {@code token_access_type=offline};
 * the exchange and refresh are forms with the client's id and secret; four-hour access tokens and a
 * refresh token that does not rotate; the account from {@code POST /2/users/get_current_account}; a
 * disconnect revokes the access token (refreshed first when expired) with {@code POST
 * /2/auth/token/revoke}.
 */
class DropboxConnectionApplicationTests extends ConnectionSteps {

  static final String REDIRECT = PUBLIC_URL + "/api/integrations/oauth/dropbox/callback";

  @Test
  void theDanceSendsPkceAndOfflineAccessAndNamesTheAccount() {
    String ws = workspace();
    String access = "sl.u.ACCESS-" + UUID.randomUUID();
    String refresh = "REFRESH-" + UUID.randomUUID();
    Map<String, String> query = authorize(ws, "dropbox");
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "dropbox-client-id")
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry("scope", "account_info.read files.metadata.read")
        .containsEntry("token_access_type", "offline")
        .containsEntry("code_challenge_method", "S256");
    String code = "dropbox-code-" + UUID.randomUUID();
    stubExchange(code, access, refresh, 14400);
    stubAccount(access);

    callback("dropbox", code, query.get("state"));

    Map<String, String> exchange =
        OAuthDance.form(OAuthDance.onePost("/dropbox/token", "code", code).getBodyAsString());
    assertThat(exchange)
        .containsOnlyKeys(
            "grant_type", "code", "redirect_uri", "code_verifier", "client_id", "client_secret")
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry("client_id", "dropbox-client-id")
        .containsEntry("client_secret", "dropbox-client-secret");
    assertThat(challenge(exchange.get("code_verifier"))).isEqualTo(query.get("code_challenge"));
    PROVIDERS.verify(
        1,
        postRequestedFor(urlPathEqualTo("/dropbox/2/users/get_current_account"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalTo("null")));
    JsonNode connection = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(connection.get("account").asString()).isEqualTo("franz@example.com");
    assertThat(connection.get("scopes").toString())
        .isEqualTo("[\"account_info.read\",\"files.metadata.read\"]");
    String row = row(connection.get("id").asString());
    assertThat(row).doesNotContain(access).doesNotContain(refresh);
    assertThat(row).doesNotContain(hex(access)).doesNotContain(hex(refresh));
  }

  @Test
  void anExpiringTokenIsRefreshedWithTheSameRefreshTokenEachTime() {
    String ws = workspace();
    String refresh = "REFRESH-" + UUID.randomUUID();
    String id = connect(ws, "sl.u.OLD-" + UUID.randomUUID(), refresh, 30);
    String fresh = "sl.u.FRESH-" + UUID.randomUUID();
    // Dropbox answers a refresh without a new refresh token
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                okJson(
                    "{\"access_token\": \"%s\", \"token_type\": \"bearer\", \"expires_in\": 30}"
                        .formatted(fresh))));

    StepVerifier.create(tokens.accessToken(connection(ws, id))).expectNext(fresh).verifyComplete();
    StepVerifier.create(tokens.accessToken(connection(ws, id))).expectNext(fresh).verifyComplete();

    var refreshes =
        PROVIDERS.findAll(
            postRequestedFor(urlPathEqualTo("/dropbox/token"))
                .withFormParam("refresh_token", equalTo(refresh)));
    assertThat(refreshes).hasSize(2);
    assertThat(refreshes)
        .allSatisfy(
            request ->
                assertThat(OAuthDance.form(request.getBodyAsString()))
                    .isEqualTo(
                        Map.of(
                            "grant_type", "refresh_token",
                            "refresh_token", refresh,
                            "client_id", "dropbox-client-id",
                            "client_secret", "dropbox-client-secret")));
  }

  @Test
  void aRefusedRefreshTurnsTheConnectionNeedsReauth() {
    String ws = workspace();
    String refresh = "REVOKED-" + UUID.randomUUID();
    String id = connect(ws, "sl.u.OLD-" + UUID.randomUUID(), refresh, 10);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": \"invalid_grant\","
                            + " \"error_description\": \"refresh token is invalid or revoked\"}")));

    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("needs_reauth"))
        .verify();
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("needs_reauth");
  }

  @Test
  void disconnectRevokesTheLiveAccessToken() {
    String ws = workspace();
    String access = "sl.u.LIVE-" + UUID.randomUUID();
    String id = connect(ws, access, "REFRESH-" + UUID.randomUUID(), 14400);
    stubRevoke(access);

    disconnect(ws, id, 204);

    PROVIDERS.verify(
        1,
        postRequestedFor(urlPathEqualTo("/dropbox/2/auth/token/revoke"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .withRequestBody(equalTo("null")));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  @Test
  void disconnectRefreshesAnExpiredAccessTokenBeforeRevokingIt() {
    String ws = workspace();
    String expired = "sl.u.EXPIRED-" + UUID.randomUUID();
    String refresh = "REFRESH-" + UUID.randomUUID();
    String id = connect(ws, expired, refresh, 1);
    String fresh = "sl.u.FOR-REVOKE-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                okJson(
                    "{\"access_token\": \"%s\", \"token_type\": \"bearer\", \"expires_in\": 14400}"
                        .formatted(fresh))));
    stubRevoke(fresh);

    disconnect(ws, id, 204);

    PROVIDERS.verify(
        1,
        postRequestedFor(urlPathEqualTo("/dropbox/2/auth/token/revoke"))
            .withHeader("Authorization", equalTo("Bearer " + fresh)));
    PROVIDERS.verify(
        0,
        postRequestedFor(urlPathEqualTo("/dropbox/2/auth/token/revoke"))
            .withHeader("Authorization", equalTo("Bearer " + expired)));
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  String connect(String ws, String access, String refresh, int expiresIn) {
    Map<String, String> query = authorize(ws, "dropbox");
    String code = "dropbox-code-" + UUID.randomUUID();
    stubExchange(code, access, refresh, expiresIn);
    stubAccount(access);
    callback("dropbox", code, query.get("state"));
    return lastConnectionId(ws);
  }

  static void stubExchange(String code, String access, String refresh, int expiresIn) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "expires_in": %d, "token_type": "bearer",
                     "scope": "account_info.read files.metadata.read", "refresh_token": "%s",
                     "account_id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", "uid": "12345"}
                    """
                        .formatted(access, expiresIn, refresh))));
  }

  static void stubAccount(String access) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/2/users/get_current_account"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .willReturn(
                okJson(
                    """
                    {"account_id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc",
                     "name": {"given_name": "Franz", "surname": "Ferdinand",
                              "familiar_name": "Franz", "display_name": "Franz Ferdinand (Personal)",
                              "abbreviated_name": "FF"},
                     "email": "franz@example.com", "email_verified": true, "disabled": false,
                     "country": "US", "locale": "en", "account_type": {".tag": "basic"}}
                    """)));
  }

  static void stubRevoke(String access) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/2/auth/token/revoke"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .willReturn(okJson("null")));
  }
}
