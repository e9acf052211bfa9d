package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GitHub stand-in as integrations-service and a browser use it: GitHub's OAuth web flow with
 * state and PKCE S256, the token answered in GitHub's JSON (and its HTTP-200 error objects), then
 * the REST calls of the GitHub tools with the token.
 */
class GitHubStandInTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final String CALLBACK =
      "https://beacon.example/api/integrations/oauth/github/callback";
  private final HttpClient http = HttpClient.newHttpClient();
  private GitHubStandIn github;

  @BeforeEach
  void start() {
    github = GitHubStandIn.start(Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    github.close();
  }

  @Test
  void theWholeFlowThenTheToolsCalls() throws Exception {
    String verifier = "verifier-" + "x".repeat(50);
    String code = authorize("state-1", challenge(verifier), "authorize");

    JsonNode token = exchange(code, verifier);
    assertThat(token.path("token_type").asString()).isEqualTo("bearer");
    assertThat(token.path("scope").asString()).isEqualTo("repo,read:user");
    String accessToken = token.path("access_token").asString();
    assertThat(accessToken).startsWith("gho_");
    assertThat(exchange(code, verifier).path("error").asString())
        .as("a code is used once")
        .isEqualTo("bad_verification_code");

    HttpResponse<String> user = call("GET", "/user", accessToken, null);
    assertThat(user.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(user.body()).path("login").asString()).isEqualTo(GitHubStandIn.LOGIN);

    HttpResponse<String> pull = call("GET", "/repos/acme/web/pulls/42", accessToken, null);
    assertThat(JSON.readTree(pull.body()).path("number").asInt()).isEqualTo(42);
    assertThat(JSON.readTree(pull.body()).path("head").path("sha").asString()).hasSize(40);

    HttpResponse<String> issue =
        call("POST", "/repos/acme/web/issues", accessToken, "{\"title\":\"Flaky login test\"}");
    assertThat(issue.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(issue.body()).path("html_url").asString())
        .startsWith("https://github.com/acme/web/issues/");
    assertThat(call("POST", "/repos/acme/web/issues", accessToken, "{}").statusCode())
        .isEqualTo(422);

    HttpResponse<String> home =
        http.send(HttpRequest.newBuilder(URI.create(github.baseUrl() + "/")).build(), text());
    assertThat(home.body()).contains("Local GitHub stand-in", "Flaky login test");
  }

  @Test
  void aWrongVerifierOrClientSecretOrTokenIsRefusedAsGitHubDoes() throws Exception {
    String code =
        authorize(
            "state-2", challenge("the-right-verifier-0123456789012345678901234"), "authorize");

    assertThat(
            exchange(code, "a-wrong-verifier-0123456789012345678901234567")
                .path("error")
                .asString())
        .isEqualTo("bad_verification_code");

    HttpResponse<String> badSecret =
        post(
            "/login/oauth/access_token",
            Map.of("client_id", GitHubStandIn.CLIENT_ID, "client_secret", "nope", "code", "x"));
    assertThat(badSecret.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(badSecret.body()).path("error").asString())
        .isEqualTo("incorrect_client_credentials");

    HttpResponse<String> noToken = call("GET", "/user", "gho_made_up", null);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(noToken.body()).path("message").asString())
        .isEqualTo("Bad credentials");
  }

  @Test
  void cancellingSendsAccessDeniedWithTheState() throws Exception {
    HttpResponse<String> denied = consent("state-3", challenge("v".repeat(43)), "cancel");

    assertThat(denied.statusCode()).isEqualTo(302);
    assertThat(denied.headers().firstValue("Location").orElseThrow())
        .startsWith(CALLBACK + "?error=access_denied")
        .endsWith("&state=state-3");
  }

  @Test
  void theRevocationCallAuthenticatesTheApplication() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (GitHubStandIn.CLIENT_ID + ":" + GitHubStandIn.CLIENT_SECRET)
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> revoked =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        github.baseUrl() + "/applications/" + GitHubStandIn.CLIENT_ID + "/grant"))
                .header("Authorization", "Basic " + basic)
                .method(
                    "DELETE", HttpRequest.BodyPublishers.ofString("{\"access_token\":\"gho_x\"}"))
                .build(),
            text());
    assertThat(revoked.statusCode()).isEqualTo(204);
    assertThat(revoked.body()).isEmpty();
    assertThat(github.integrationsEnvironment())
        .containsEntry("BEACON_INTEGRATIONS_GITHUB_API_URL", github.baseUrl())
        .containsEntry("BEACON_INTEGRATIONS_GITHUB_CLIENT_ID", GitHubStandIn.CLIENT_ID);
  }

  /** The consent page, then Authorize: the code from the redirect. */
  private String authorize(String state, String challenge, String decision) throws Exception {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        github.baseUrl()
                            + "/login/oauth/authorize?client_id="
                            + GitHubStandIn.CLIENT_ID
                            + "&redirect_uri="
                            + enc(CALLBACK)
                            + "&scope="
                            + enc("repo read:user")
                            + "&state="
                            + state
                            + "&code_challenge="
                            + challenge
                            + "&code_challenge_method=S256"))
                .build(),
            text());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Local GitHub stand-in", "Authorize Beacon", "repo read:user");
    HttpResponse<String> redirect = consent(state, challenge, decision);
    assertThat(redirect.statusCode()).isEqualTo(302);
    String location = redirect.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(CALLBACK + "?code=").endsWith("&state=" + state);
    return location.substring((CALLBACK + "?code=").length(), location.indexOf("&state="));
  }

  private HttpResponse<String> consent(String state, String challenge, String decision)
      throws Exception {
    return post(
        "/login/oauth/authorize",
        Map.of(
            "redirect_uri", CALLBACK,
            "state", state,
            "scope", "repo read:user",
            "code_challenge", challenge,
            "code_challenge_method", "S256",
            "decision", decision));
  }

  private JsonNode exchange(String code, String verifier) throws Exception {
    HttpResponse<String> answer =
        post(
            "/login/oauth/access_token",
            Map.of(
                "client_id", GitHubStandIn.CLIENT_ID,
                "client_secret", GitHubStandIn.CLIENT_SECRET,
                "code", code,
                "redirect_uri", CALLBACK,
                "code_verifier", verifier));
    assertThat(answer.statusCode()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return http.send(
        HttpRequest.newBuilder(URI.create(github.baseUrl() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        text());
  }

  private HttpResponse<String> call(String method, String path, String token, String json)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(github.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/vnd.github+json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        text());
  }

  private static String challenge(String verifier) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static HttpResponse.BodyHandler<String> text() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
