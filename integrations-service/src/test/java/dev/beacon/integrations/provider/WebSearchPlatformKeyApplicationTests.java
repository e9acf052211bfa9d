package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With Beacon's own Brave Search key ({@code BEACON_INTEGRATIONS_WEB_SEARCH_API_KEY}) {@code
 * web_search} is a built-in: every workspace has it and calls Brave with Beacon's key, and a
 * workspace that connected a key of its own uses that one. Its own application context (the key
 * changes what every workspace is offered).
 */
@TestPropertySource(
    properties =
        "beacon.integrations.providers.web-search.api-key="
            + WebSearchPlatformKeyApplicationTests.PLATFORM_KEY)
class WebSearchPlatformKeyApplicationTests extends CredentialToolsStandIns {

  static final String PLATFORM_KEY = "BSAbeaconPlatformKey0123456789";

  @Test
  void everyWorkspaceSearchesWithBeaconsKey() {
    String ws = workspace();
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BRAVE_SEARCH))
            .withHeader("X-Subscription-Token", equalTo(PLATFORM_KEY))
            .willReturn(okJson(braveAnswer("platform", 2))));

    assertThat(toolNames(ws)).containsExactly("web_fetch", "web_search");
    JsonNode found = okResult(run(ws, "web_search", Map.of("query", "platform " + ws)));

    assertThat(found.get("results")).hasSize(2);
    PROVIDERS.verify(
        getRequestedFor(urlPathEqualTo(BRAVE_SEARCH))
            .withQueryParam("q", equalTo("platform " + ws))
            .withHeader("X-Subscription-Token", equalTo(PLATFORM_KEY)));
    JsonNode providers =
        JSON.readTree(
            web.get()
                .uri("/api/integrations/providers")
                .header(ForwardedIdentity.HEADER, as(ws, Role.VIEWER))
                .exchange()
                .expectBody()
                .returnResult()
                .getResponseBody());
    assertThat(providers.get("credential_providers").get(2).get("platform_credential").asBoolean())
        .isTrue();
  }

  @Test
  void aWorkspacesOwnKeyIsUsedInsteadOfBeacons() {
    Keyed brave = connectBrave(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BRAVE_SEARCH))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
            .willReturn(okJson(braveAnswer("own", 1))));

    okResult(run(brave.workspace(), "web_search", Map.of("query", "own " + brave.id())));

    PROVIDERS.verify(
        1,
        getRequestedFor(urlPathEqualTo(BRAVE_SEARCH))
            .withQueryParam("q", equalTo("own " + brave.id()))
            .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key"))));
    PROVIDERS.verify(
        0,
        getRequestedFor(urlPathEqualTo(BRAVE_SEARCH))
            .withQueryParam("q", equalTo("own " + brave.id()))
            .withHeader("X-Subscription-Token", equalTo(PLATFORM_KEY)));
    JsonNode connection = connections(brave.workspace()).get(0);
    assertThat(connection.get("last_used_at").isNull()).isFalse();
  }
}
