package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code web_search} with a workspace's own Brave Search key, against a stand-in speaking the Brave
 * Search API. Here Beacon has no key of its own ({@link WebSearchPlatformKeyApplicationTests} has
 * one), so only a workspace that connected Brave has the tool.
 */
class WebSearchToolsApplicationTests extends CredentialToolsStandIns {

  @Test
  void searchSendsTheQueryAndKeyAndAnswersBoundedPlainTextResults() {
    Keyed brave = connectBrave(workspace());
    String url = BRAVE_SEARCH + "?q=kafka%20exactly-once%20%2B%20idempotence&count=3";
    PROVIDERS.stubFor(
        get(urlEqualTo(url))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
            .willReturn(okJson(braveAnswer("kafka", 4))));

    JsonNode found =
        okResult(
            run(
                brave.workspace(),
                "web_search",
                Map.of("query", "kafka exactly-once + idempotence", "count", 3)));

    PROVIDERS.verify(
        1,
        getRequestedFor(urlEqualTo(url))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
            .withHeader("Accept", equalTo("application/json"))
            .withoutHeader("Authorization"));
    assertThat(found.get("query").asString()).isEqualTo("kafka exactly-once + idempotence");
    assertThat(found.get("results")).hasSize(3);
    assertThat(found.get("results").get(0).toString())
        .isEqualTo(
            "{\"title\":\"Result 1 & more\",\"url\":\"https://example.com/1\","
                + "\"snippet\":\"The 1th page about kafka.\"}");
  }

  @Test
  void aKeyBraveRefusesTurnsTheConnectionNeedsReauthAndTheToolAway() {
    Keyed brave = connectBrave(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BRAVE_SEARCH))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"type\": \"ErrorResponse\", \"error\": {\"id\": \"a1\", \"status\":"
                            + " 422, \"code\": \"SUBSCRIPTION_TOKEN_INVALID\", \"detail\": \"The"
                            + " provided subscription token is invalid.\"}}")));

    assertError(run(brave.workspace(), "web_search", Map.of("query", "beacon")), "needs_reauth");

    assertThat(connections(brave.workspace()).get(0).get("status").asString())
        .isEqualTo("needs_reauth");
    assertThat(toolNames(brave.workspace())).containsExactly("web_fetch");
  }

  @Test
  void a429IsRateLimitedUntilBravesReset() {
    Keyed brave = connectBrave(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BRAVE_SEARCH))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-RateLimit-Limit", "1, 2000")
                    .withHeader("X-RateLimit-Remaining", "0, 1500")
                    .withHeader("X-RateLimit-Reset", "1, 1419704")
                    .withBody(
                        "{\"type\": \"ErrorResponse\", \"error\": {\"status\": 429, \"code\":"
                            + " \"RATE_LIMITED\", \"detail\": \"Request rate limit exceeded for"
                            + " plan.\"}}")));

    JsonNode result = run(brave.workspace(), "web_search", Map.of("query", "beacon"));

    assertError(result, "rate_limited");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Brave Search is rate limiting these calls; retry after 1 seconds (at ");
  }

  @Test
  void noAnswerInTimeIsATimeout() {
    Keyed brave = connectBrave(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BRAVE_SEARCH))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
            .willReturn(okJson(braveAnswer("slow", 1)).withFixedDelay(4_000)));

    assertError(run(brave.workspace(), "web_search", Map.of("query", "slow")), "timeout");
  }

  @Test
  void aQueryOverBravesLimitsIsRefused() {
    Keyed brave = connectBrave(workspace());

    JsonNode words =
        refused(brave.workspace(), "web_search", Map.of("query", "w ".repeat(51)), 400);
    JsonNode count =
        refused(brave.workspace(), "web_search", Map.of("query", "beacon", "count", 11), 400);

    assertThat(words.get("message").asString()).isEqualTo("query must be at most 50 words.");
    assertThat(count.get("message").asString()).isEqualTo("count must be at most 10.");
  }

  @Test
  void withoutBeaconsKeyAWorkspaceWithoutBraveHasNoWebSearch() {
    String ws = workspace();

    assertThat(toolNames(ws)).containsExactly("web_fetch");
    assertThat(refused(ws, "web_search", Map.of("query", "beacon"), 404).get("code").asString())
        .isEqualTo("unknown_tool");
  }
}
