package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Spotify's OAuth in its own wire format: consent with PKCE; the exchange and refresh are forms
 * with the client in HTTP Basic (not in the form); hour-long access tokens and a refresh token
 * Spotify may or may not replace; the account from {@code GET /v1/me}; no revocation endpoint.
 */
class SpotifyConnectionApplicationTests extends ConnectionSteps {

  static final BasicCredentials CLIENT =
      new BasicCredentials("spotify-client-id", "spotify-client-secret");
  static final String REDIRECT = PUBLIC_URL + "/api/integrations/oauth/spotify/callback";

  @Test
  void theDanceSendsPkceAuthenticatesWithBasicAndNamesTheAccount() {
    String ws = workspace();
    String access = "BQ-ACCESS-" + UUID.randomUUID();
    String refresh = "AQ-REFRESH-" + UUID.randomUUID();
    Map<String, String> query = authorize(ws, "spotify");
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "spotify-client-id")
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry("scope", "user-read-playback-state user-modify-playback-state")
        .containsEntry("code_challenge_method", "S256");
    String code = "spotify-code-" + UUID.randomUUID();
    stubExchange(code, access, refresh, 3600);
    stubMe(access);

    callback("spotify", code, query.get("state"));

    LoggedRequest exchange = OAuthDance.onePost("/spotify/token", "code", code);
    assertThat(exchange.getHeader("Authorization")).isEqualTo(CLIENT.asAuthorizationHeaderValue());
    assertThat(exchange.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    Map<String, String> form = OAuthDance.form(exchange.getBodyAsString());
    assertThat(form)
        .containsOnlyKeys("grant_type", "code", "redirect_uri", "code_verifier")
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("code", code)
        .containsEntry("redirect_uri", REDIRECT);
    assertThat(challenge(form.get("code_verifier"))).isEqualTo(query.get("code_challenge"));
    JsonNode connection = list(ws, Role.MEMBER).get("connections").get(0);
    assertThat(connection.get("account").asString()).isEqualTo("Ada Lovelace");
    assertThat(connection.get("scopes").toString())
        .isEqualTo("[\"user-read-playback-state\",\"user-modify-playback-state\"]");
    String row = row(connection.get("id").asString());
    assertThat(row).doesNotContain(access).doesNotContain(refresh);
    assertThat(row).doesNotContain(hex(access)).doesNotContain(hex(refresh));
  }

  @Test
  void anExpiringTokenIsRefreshedWithBasicAuthAndANewRefreshTokenReplacesTheOld() {
    String ws = workspace();
    String first = "AQ-FIRST-" + UUID.randomUUID();
    String second = "AQ-SECOND-" + UUID.randomUUID();
    String id = connect(ws, "BQ-OLD-" + UUID.randomUUID(), first, 30);
    String fresh = "BQ-FRESH-" + UUID.randomUUID();
    String fresher = "BQ-FRESHER-" + UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/spotify/token"))
            .withBasicAuth(CLIENT.username, CLIENT.password)
            .withFormParam("refresh_token", equalTo(first))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "token_type": "Bearer", "expires_in": 30,
                     "refresh_token": "%s",
                     "scope": "user-read-playback-state user-modify-playback-state"}
                    """
                        .formatted(fresh, second))));
    // Spotify may answer without a refresh token: the one it gave last stays
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/spotify/token"))
            .withBasicAuth(CLIENT.username, CLIENT.password)
            .withFormParam("refresh_token", equalTo(second))
            .willReturn(
                okJson(
                    "{\"access_token\": \"%s\", \"token_type\": \"Bearer\", \"expires_in\": 30}"
                        .formatted(fresher))));

    StepVerifier.create(tokens.accessToken(connection(ws, id))).expectNext(fresh).verifyComplete();
    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectNext(fresher)
        .verifyComplete();
    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectNext(fresher)
        .verifyComplete();

    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(urlPathEqualTo("/spotify/token"))
                    .withFormParam("refresh_token", equalTo(second))))
        .hasSize(2)
        .allSatisfy(
            request -> {
              assertThat(request.getHeader("Authorization"))
                  .isEqualTo(CLIENT.asAuthorizationHeaderValue());
              assertThat(OAuthDance.form(request.getBodyAsString()))
                  .isEqualTo(Map.of("grant_type", "refresh_token", "refresh_token", second));
            });
    assertThat(OAuthDance.onePost("/spotify/token", "refresh_token", first)).isNotNull();
  }

  @Test
  void aRefusedRefreshTurnsTheConnectionNeedsReauth() {
    String ws = workspace();
    String refresh = "AQ-REVOKED-" + UUID.randomUUID();
    String id = connect(ws, "BQ-OLD-" + UUID.randomUUID(), refresh, 10);
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/spotify/token"))
            .withFormParam("refresh_token", equalTo(refresh))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": \"invalid_grant\","
                            + " \"error_description\": \"Invalid refresh token\"}")));

    StepVerifier.create(tokens.accessToken(connection(ws, id)))
        .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("needs_reauth"))
        .verify();
    assertThat(list(ws, Role.MEMBER).get("connections").get(0).get("status").asString())
        .isEqualTo("needs_reauth");
  }

  @Test
  void disconnectDeletesWithoutCallingSpotifyWhichHasNoRevocation() {
    String ws = workspace();
    String id = connect(ws, "BQ-" + UUID.randomUUID(), "AQ-" + UUID.randomUUID(), 3600);
    int before = PROVIDERS.findAll(anyRequestedFor(urlPathMatching("/spotify/.*"))).size();

    disconnect(ws, id, 204);

    assertThat(PROVIDERS.findAll(anyRequestedFor(urlPathMatching("/spotify/.*")))).hasSize(before);
    assertThat(list(ws, Role.MEMBER).get("connections")).isEmpty();
  }

  String connect(String ws, String access, String refresh, int expiresIn) {
    Map<String, String> query = authorize(ws, "spotify");
    String code = "spotify-code-" + UUID.randomUUID();
    stubExchange(code, access, refresh, expiresIn);
    stubMe(access);
    callback("spotify", code, query.get("state"));
    return lastConnectionId(ws);
  }

  static void stubExchange(String code, String access, String refresh, int expiresIn) {
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/spotify/token"))
            .withBasicAuth(CLIENT.username, CLIENT.password)
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "token_type": "Bearer",
                     "scope": "user-read-playback-state user-modify-playback-state",
                     "expires_in": %d, "refresh_token": "%s"}
                    """
                        .formatted(access, expiresIn, refresh))));
  }

  static void stubMe(String access) {
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify/me"))
            .withHeader("Authorization", equalTo("Bearer " + access))
            .willReturn(
                okJson(
                    """
                    {"display_name": "Ada Lovelace", "id": "ada-lovelace",
                     "external_urls": {"spotify": "https://open.spotify.com/user/ada-lovelace"},
                     "href": "https://api.spotify.com/v1/users/ada-lovelace", "images": [],
                     "type": "user", "uri": "spotify:user:ada-lovelace"}
                    """)));
  }
}
