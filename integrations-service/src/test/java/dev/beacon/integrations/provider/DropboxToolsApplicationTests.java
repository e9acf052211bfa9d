package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Dropbox's {@code dropbox.search} against a stand-in speaking Dropbox's API v2: the exact {@code
 * files/search_v2} request, the bounded answer, and Dropbox's refusals (401 {@code error_summary},
 * 409 route errors, 429 with {@code retry_after}, plain-text 400s) mapped.
 */
class DropboxToolsApplicationTests extends ProviderToolsStandIns {

  static final String SEARCH = "/dropbox-api/2/files/search_v2";

  @Test
  void searchSendsTheQueryAndOptionsAndAnswersTheMatches() {
    Connected dropbox = connectDropbox(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .willReturn(
                okJson(
                    """
                    {"has_more": true, "cursor": "ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu",
                     "matches": [
                      {"match_type": {".tag": "filename"},
                       "metadata": {".tag": "metadata", "metadata": {".tag": "file",
                         "name": "Prime_Numbers.txt", "id": "id:a4ayc_80_OEAAAAAAAAAXw",
                         "path_lower": "/homework/math/prime_numbers.txt",
                         "path_display": "/Homework/math/Prime_Numbers.txt",
                         "client_modified": "2026-05-12T15:50:38Z",
                         "server_modified": "2026-05-12T15:50:38Z", "rev": "a1c10ce0dd78",
                         "size": 7212, "is_downloadable": true,
                         "content_hash": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}},
                      {"match_type": {".tag": "filename_and_content"},
                       "metadata": {".tag": "metadata", "metadata": {".tag": "folder",
                         "name": "math", "id": "id:a4ayc_80_OEAAAAAAAAAXz",
                         "path_lower": "/homework/math", "path_display": "/Homework/math"}}}]}
                    """)));

    JsonNode found =
        okResult(
            run(
                dropbox.workspace(),
                "dropbox.search",
                Map.of("query", "prime numbers", "path", "/Homework/", "max_results", 2)));

    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withRequestBody(
                equalToJson(
                    "{\"query\": \"prime numbers\","
                        + " \"options\": {\"path\": \"/Homework\", \"max_results\": 2}}")));
    assertThat(found.get("matches").get(0).toString())
        .isEqualTo(
            "{\"name\":\"Prime_Numbers.txt\",\"path\":\"/Homework/math/Prime_Numbers.txt\","
                + "\"kind\":\"file\",\"id\":\"id:a4ayc_80_OEAAAAAAAAAXw\",\"size\":7212,"
                + "\"modified\":\"2026-05-12T15:50:38Z\"}");
    assertThat(found.get("matches").get(1).get("kind").asString()).isEqualTo("folder");
    assertThat(found.get("matches").get(1).has("size")).isFalse();
    assertThat(found.get("more").asBoolean()).isTrue();
  }

  @Test
  void theRootIsTheWholeDropboxAndAPathMustStartWithASlash() {
    Connected dropbox = connectDropbox(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .willReturn(okJson("{\"matches\": [], \"has_more\": false}")));

    okResult(run(dropbox.workspace(), "dropbox.search", Map.of("query", "x", "path", "/")));

    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .withRequestBody(
                equalToJson("{\"query\": \"x\", \"options\": {\"max_results\": 10}}")));
    assertThat(
            refused(
                    dropbox.workspace(),
                    "dropbox.search",
                    Map.of("query", "x", "path", "Homework"),
                    400)
                .get("field")
                .asString())
        .isEqualTo("path");
  }

  @Test
  void dropboxsRefusalsAreMapped() {
    Connected dropbox = connectDropbox(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .withRequestBody(equalToJson("{\"query\": \"missing\"}", true, true))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error_summary\": \"path/not_found/..\", \"error\": {\".tag\": \"path\","
                            + " \"path\": {\".tag\": \"not_found\"}}}")));
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .withRequestBody(equalToJson("{\"query\": \"busy\"}", true, true))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error_summary\": \"too_many_requests/..\", \"error\": {\"reason\":"
                            + " {\".tag\": \"too_many_requests\"}, \"retry_after\": 300}}")));
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .withRequestBody(equalToJson("{\"query\": \"odd\"}", true, true))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "text/plain; charset=utf-8")
                    .withBody(
                        "Error in call to API function \"files/search_v2\": request body: options:"
                            + " max_results: 0 is not a valid value\n")));

    JsonNode missing =
        run(dropbox.workspace(), "dropbox.search", Map.of("query", "missing", "path", "/Gone"));
    JsonNode busy = run(dropbox.workspace(), "dropbox.search", Map.of("query", "busy"));
    JsonNode odd = run(dropbox.workspace(), "dropbox.search", Map.of("query", "odd"));

    assertError(missing, "not_found");
    assertThat(missing.get("error").get("message").asString())
        .isEqualTo(
            "Dropbox has no folder /Gone, or the connection cannot see it (path/not_found/..).");
    assertError(busy, "rate_limited");
    assertThat(busy.get("error").get("message").asString())
        .startsWith("Dropbox is rate limiting these calls; retry after 300 seconds (at ");
    assertError(odd, "provider_error");
    assertThat(odd.get("error").get("message").asString())
        .isEqualTo(
            "Dropbox answered HTTP 400: Error in call to API function \"files/search_v2\": request"
                + " body: options: max_results: 0 is not a valid value");
  }

  @Test
  void anExpiredOrRevokedTokenTurnsTheConnectionNeedsReauth() {
    Connected dropbox = connectDropbox(workspace());
    assertThat(toolNames(dropbox.workspace())).containsExactly("dropbox.search", "web_fetch");
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error_summary\": \"invalid_access_token/..\","
                            + " \"error\": {\".tag\": \"invalid_access_token\"}}")));

    JsonNode result = run(dropbox.workspace(), "dropbox.search", Map.of("query", "x"));

    assertError(result, "needs_reauth");
    assertThat(result.get("error").get("message").asString())
        .contains("Dropbox refused the connection's token (invalid_access_token/..)");
    assertThat(connections(dropbox.workspace()).get(0).get("status").asString())
        .isEqualTo("needs_reauth");
    assertThat(toolNames(dropbox.workspace())).containsExactly("web_fetch");
  }

  @Test
  void aDropboxSlowerThanTheToolsTimeoutIsATimeout() {
    Connected dropbox = connectDropbox(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(SEARCH))
            .withHeader("Authorization", equalTo(dropbox.bearer()))
            .willReturn(okJson("{\"matches\": []}").withFixedDelay(3500)));

    JsonNode result = run(dropbox.workspace(), "dropbox.search", Map.of("query", "slow"));

    assertError(result, "timeout");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo("Dropbox did not answer within 2000 ms.");
  }
}
