package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.integrations.IntegrationsStandIns;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Connecting a workspace to a provider stand-in through the real OAuth flow, and calling its tools.
 * The provider APIs are on {@link #PROVIDERS} under {@code /gmail-api}, {@code /googleapis}, {@code
 * /slack-api}, {@code /github-api}, {@code /notion-api}, {@code /todoist-api}, {@code /dropbox-api}
 * and {@code /spotify-api}. Every token is new, so a stub matched on its {@code Authorization}
 * belongs to one test. Adds no configuration: the application context is shared.
 */
public abstract class ProviderToolsStandIns extends IntegrationsStandIns {

  static final String GOOGLE_SCOPES = "https://www.googleapis.com/auth/";
  static final List<String> ALL_GOOGLE_SCOPES =
      List.of(
          "openid",
          "email",
          GOOGLE_SCOPES + "gmail.readonly",
          GOOGLE_SCOPES + "gmail.send",
          GOOGLE_SCOPES + "calendar.events",
          GOOGLE_SCOPES + "drive.readonly");

  /** A connection made for a test: its id and its access token. */
  public record Connected(String workspace, String id, String token) {

    public String bearer() {
      return "Bearer " + token;
    }
  }

  public static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  public Connected connectGitHub(String ws) {
    String token = unique("gho_");
    String code = unique("github-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/github/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    "{\"access_token\": \"%s\", \"token_type\": \"bearer\", \"scope\": \"repo,read:user\"}"
                        .formatted(token))));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/github/user"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"login\": \"octocat\", \"id\": 1}")));
    return connect(ws, "github", code, token);
  }

  Connected connectSlack(String ws) {
    String token = unique("xoxb-");
    String code = unique("slack-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/slack/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "access_token": "%s", "token_type": "bot",
                     "scope": "chat:write,channels:read", "bot_user_id": "U0KRQLJ9H",
                     "app_id": "A0KRD7HC3", "team": {"name": "Acme Rockets", "id": "T9TK3CUKW"}}
                    """
                        .formatted(token))));
    return connect(ws, "slack", code, token);
  }

  Connected connectNotion(String ws) {
    String token = unique("ntn_");
    String code = unique("notion-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/notion/token"))
            .withRequestBody(matchingJsonPath("$.code", equalTo(code)))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "token_type": "bearer", "refresh_token": "%s",
                     "bot_id": "b3414d65-1224-5ty7-6ffr-cc9d8773drt6", "workspace_name": "Acme HQ",
                     "workspace_id": "j565j4d7x3", "owner": {"type": "workspace", "workspace": true}}
                    """
                        .formatted(token, unique("nrt_")))));
    return connect(ws, "notion", code, token);
  }

  Connected connectTodoist(String ws) {
    String token = unique("todoist-");
    String code = unique("todoist-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/todoist/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson("{\"access_token\": \"%s\", \"token_type\": \"Bearer\"}".formatted(token))));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/todoist/user"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"email\": \"ada@example.com\", \"full_name\": \"Ada\"}")));
    return connect(ws, "todoist", code, token);
  }

  Connected connectDropbox(String ws) {
    String token = unique("sl.u.");
    String code = unique("dropbox-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "expires_in": 14400, "token_type": "bearer",
                     "scope": "account_info.read files.metadata.read", "refresh_token": "%s",
                     "account_id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", "uid": "12345"}
                    """
                        .formatted(token, unique("dropbox-refresh-")))));
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/dropbox/2/users/get_current_account"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"email\": \"franz@example.com\"}")));
    return connect(ws, "dropbox", code, token);
  }

  Connected connectSpotify(String ws) {
    String token = unique("BQ");
    String code = unique("spotify-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/spotify/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "token_type": "Bearer", "expires_in": 3600,
                     "scope": "user-read-playback-state user-modify-playback-state",
                     "refresh_token": "%s"}
                    """
                        .formatted(token, unique("AQ")))));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify/me"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"display_name\": \"Ada\", \"id\": \"ada\"}")));
    return connect(ws, "spotify", code, token);
  }

  /** A Google connection that granted {@code scopes} (Google answers the granted ones). */
  Connected connectGoogle(String ws, List<String> scopes) {
    return connectGoogle(ws, scopes, 3599, unique("1//"));
  }

  /** A Google connection whose token expires in {@code expiresIn} seconds. */
  Connected connectGoogle(String ws, List<String> scopes, int expiresIn, String refreshToken) {
    String token = unique("ya29.");
    String code = unique("4/google-code-");
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/google/token"))
            .withFormParam("code", equalTo(code))
            .willReturn(
                okJson(
                    """
                    {"access_token": "%s", "expires_in": %d, "refresh_token": "%s",
                     "scope": "%s", "token_type": "Bearer"}
                    """
                        .formatted(token, expiresIn, refreshToken, String.join(" ", scopes)))));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/google/userinfo"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"sub\": \"1108\", \"email\": \"ada@example.com\"}")));
    return connect(ws, "google", code, token);
  }

  private Connected connect(String ws, String provider, String code, String token) {
    String url =
        read(web.post()
                .uri("/api/integrations/connections/{provider}/authorize", provider)
                .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                .exchange()
                .expectStatus()
                .isOk())
            .get("authorization_url")
            .asString();
    String state =
        UriComponentsBuilder.fromUri(URI.create(url)).build().getQueryParams().getFirst("state");
    web.get()
        .uri(
            "/api/integrations/oauth/{p}/callback?code={code}&state={state}", provider, code, state)
        .exchange()
        .expectStatus()
        .isFound()
        .expectBody()
        .isEmpty();
    JsonNode listed = connections(ws);
    JsonNode last = listed.get(listed.size() - 1);
    assertThat(last.get("provider").asString()).isEqualTo(provider);
    return new Connected(ws, last.get("id").asString(), token);
  }

  /** The workspace's connections, as a member lists them. */
  JsonNode connections(String ws) {
    return read(web.get()
            .uri("/api/integrations/connections")
            .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
            .exchange()
            .expectStatus()
            .isOk())
        .get("connections");
  }

  /** The names of the workspace's tools. */
  List<String> toolNames(String ws) {
    JsonNode tools =
        read(web.get()
                .uri("/api/integrations/tools")
                .header(ForwardedIdentity.HEADER, as(ws, Role.VIEWER))
                .exchange()
                .expectStatus()
                .isOk())
            .get("tools");
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode tool : tools) {
      names.add(tool.get("name").asString());
    }
    return names;
  }

  /** Executes a tool as a member with {@code call_id} and {@code agent_id}; the 200 answer. */
  JsonNode run(String ws, String tool, Map<String, ?> arguments) {
    return execute(
        ws, tool, Map.of("arguments", arguments, "call_id", "call-" + tool, "agent_id", "agent-1"));
  }

  /** Executes a tool expecting an HTTP refusal; its error body. */
  JsonNode refused(String ws, String tool, Map<String, ?> arguments, int status) {
    return read(
        web.post()
            .uri("/api/integrations/tools/{name}/execute", tool)
            .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("arguments", arguments))
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  static void assertError(JsonNode result, String code) {
    assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("error");
    assertThat(result.get("error").get("code").asString()).as(result.toString()).isEqualTo(code);
  }

  static JsonNode okResult(JsonNode result) {
    assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("ok");
    return JSON.readTree(result.get("result").asString());
  }

  private static JsonNode read(
      org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec response) {
    return JSON.readTree(response.expectBody().returnResult().getResponseBody());
  }
}
