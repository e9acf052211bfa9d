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
 * Notion's tools against a stand-in speaking Notion's API ({@code Notion-Version: 2022-06-28}): the
 * exact requests, the bounded answers, and Notion's error objects mapped to the tools' codes.
 */
class NotionToolsApplicationTests extends ProviderToolsStandIns {

  static final String PARENT = "59833787-2cf9-4fdf-8782-e53db20768a5";

  @Test
  void searchSendsNotionsVersionAndAnswersTheTitlesOfPagesAndDatabases() {
    Connected notion = connectNotion(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(
                okJson(
                    """
                    {"object": "list", "has_more": true, "next_cursor": "e6c6f5ff", "type": "page_or_database",
                     "results": [
                      {"object": "page", "id": "%s", "created_time": "2026-03-01T19:05:00.000Z",
                       "last_edited_time": "2026-07-06T20:25:00.000Z", "archived": false,
                       "parent": {"type": "workspace", "workspace": true},
                       "url": "https://www.notion.so/Roadmap-598337872cf94fdf8782e53db20768a5",
                       "properties": {"title": {"id": "title", "type": "title", "title": [
                         {"type": "text", "text": {"content": "Road", "link": null}, "plain_text": "Road"},
                         {"type": "text", "text": {"content": "map", "link": null}, "plain_text": "map"}]}}},
                      {"object": "database", "id": "bc1211ca-e3f1-4939-ae34-5260b16f627c",
                       "last_edited_time": "2026-07-01T08:00:00.000Z", "archived": false,
                       "title": [{"type": "text", "plain_text": "Roadmap items"}],
                       "url": "https://www.notion.so/bc1211cae3f14939ae345260b16f627c",
                       "properties": {"Name": {"id": "title", "type": "title", "title": {}}}}]}
                    """
                        .formatted(PARENT))));

    JsonNode found =
        okResult(
            run(notion.workspace(), "notion.search", Map.of("query", "roadmap", "max_results", 5)));

    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .withHeader("Notion-Version", equalTo("2022-06-28"))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withHeader(
                "User-Agent",
                equalTo("Beacon-Integrations/1.0 (+https://github.com/beacon-dev/beacon)"))
            .withRequestBody(equalToJson("{\"query\": \"roadmap\", \"page_size\": 5}")));
    assertThat(found.get("results")).hasSize(2);
    assertThat(found.get("results").get(0).toString())
        .isEqualTo(
            ("{\"id\":\"%s\",\"kind\":\"page\",\"title\":\"Roadmap\","
                    + "\"url\":\"https://www.notion.so/Roadmap-598337872cf94fdf8782e53db20768a5\","
                    + "\"last_edited_time\":\"2026-07-06T20:25:00.000Z\",\"archived\":false}")
                .formatted(PARENT));
    assertThat(found.get("results").get(1).get("kind").asString()).isEqualTo("database");
    assertThat(found.get("results").get(1).get("title").asString()).isEqualTo("Roadmap items");
    assertThat(found.get("more").asBoolean()).isTrue();
  }

  @Test
  void searchOfOneKindFiltersOnTheObject() {
    Connected notion = connectNotion(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(okJson("{\"object\": \"list\", \"results\": [], \"has_more\": false}")));

    JsonNode found = okResult(run(notion.workspace(), "notion.search", Map.of("kind", "database")));

    assertThat(found.toString()).isEqualTo("{\"results\":[],\"more\":false}");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .withRequestBody(
                equalToJson(
                    "{\"filter\": {\"property\": \"object\", \"value\": \"database\"},"
                        + " \"page_size\": 10}")));
    assertThat(
            refused(notion.workspace(), "notion.search", Map.of("kind", "blocks"), 400)
                .get("field")
                .asString())
        .isEqualTo("kind");
  }

  @Test
  void createPageSendsTheParentTheTitleAndTheTextAsBlocks() {
    Connected notion = connectNotion(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/pages"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(
                okJson(
                    """
                    {"object": "page", "id": "251d2b5f-268c-4de2-afe9-c71ff92ca95c",
                     "url": "https://www.notion.so/Weekly-notes-251d2b5f268c4de2afe9c71ff92ca95c"}
                    """)));

    JsonNode result =
        run(
            notion.workspace(),
            "notion.create_page",
            Map.of(
                "parent_page_id",
                PARENT.replace("-", "").toUpperCase(java.util.Locale.ROOT),
                "title",
                "Weekly notes",
                "text",
                "## Decisions\nShip on Friday.\nTell support.\n\n- [x] tests green\n- docs\n"));

    assertThat(result.get("result").asString())
        .isEqualTo(
            "Created the page \"Weekly notes\" (4 blocks):"
                + " https://www.notion.so/Weekly-notes-251d2b5f268c4de2afe9c71ff92ca95c");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo("/notion-api/v1/pages"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .withHeader("Notion-Version", equalTo("2022-06-28"))
            .withRequestBody(
                equalToJson(
                    """
                    {"parent": {"page_id": "%s"},
                     "properties": {"title": {"title": [
                       {"type": "text", "text": {"content": "Weekly notes"}}]}},
                     "children": [
                      {"object": "block", "type": "heading_2", "heading_2": {"rich_text": [
                        {"type": "text", "text": {"content": "Decisions"}}]}},
                      {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [
                        {"type": "text", "text": {"content": "Ship on Friday.\\nTell support."}}]}},
                      {"object": "block", "type": "to_do", "to_do": {"rich_text": [
                        {"type": "text", "text": {"content": "tests green"}}], "checked": true}},
                      {"object": "block", "type": "bulleted_list_item", "bulleted_list_item": {
                        "rich_text": [{"type": "text", "text": {"content": "docs"}}]}}]}
                    """
                        .formatted(PARENT))));
  }

  @Test
  void aPageThatIsNotSharedIsNotFoundWithNotionsMessage() {
    Connected notion = connectNotion(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/pages"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"object": "error", "status": 404, "code": "object_not_found",
                         "message": "Could not find page with ID: %s. Make sure the relevant pages and databases are shared with your integration.",
                         "request_id": "a3b4c5"}
                        """
                            .formatted(PARENT))));

    JsonNode result =
        run(
            notion.workspace(),
            "notion.create_page",
            Map.of("parent_page_id", PARENT, "title", "Nowhere"));

    assertError(result, "not_found");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Notion has no page " + PARENT + " to create the page under")
        .contains("Could not find page with ID");
  }

  @Test
  void argumentsNotionCannotTakeAreRefusedBeforeAnythingIsSent() {
    Connected notion = connectNotion(workspace());

    JsonNode badParent =
        refused(
            notion.workspace(),
            "notion.create_page",
            Map.of("parent_page_id", "z".repeat(32), "title", "x"),
            400);
    JsonNode tooManyBlocks =
        refused(
            notion.workspace(),
            "notion.create_page",
            Map.of("parent_page_id", PARENT, "title", "x", "text", "- item\n".repeat(101)),
            400);

    assertThat(badParent.get("field").asString()).isEqualTo("parent_page_id");
    assertThat(tooManyBlocks.get("field").asString()).isEqualTo("text");
    assertThat(tooManyBlocks.get("message").asString()).contains("101 blocks");
    PROVIDERS.verify(
        0,
        postRequestedFor(urlEqualTo("/notion-api/v1/pages"))
            .withHeader("Authorization", equalTo(notion.bearer())));
  }

  @Test
  void anUnauthorizedAnswerTurnsTheConnectionNeedsReauth() {
    Connected notion = connectNotion(workspace());
    assertThat(toolNames(notion.workspace()))
        .containsExactly("notion.create_page", "notion.search", "web_fetch");
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"object\": \"error\", \"status\": 401, \"code\": \"unauthorized\","
                            + " \"message\": \"API token is invalid.\"}")));

    JsonNode result = run(notion.workspace(), "notion.search", Map.of("query", "x"));

    assertError(result, "needs_reauth");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo(
            "Notion refused the connection's token (API token is invalid.); someone in the"
                + " workspace must connect Notion again.");
    assertThat(connections(notion.workspace()).get(0).get("status").asString())
        .isEqualTo("needs_reauth");
    assertThat(toolNames(notion.workspace())).containsExactly("web_fetch");
  }

  @Test
  void aRateLimitIsRateLimitedWithNotionsRetryAfter() {
    Connected notion = connectNotion(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/search"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "12")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"object\": \"error\", \"status\": 429, \"code\": \"rate_limited\","
                            + " \"message\": \"You have been rate limited. Please try again in a"
                            + " few minutes.\"}")));

    JsonNode result = run(notion.workspace(), "notion.search", Map.of("query", "x"));

    assertError(result, "rate_limited");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Notion is rate limiting these calls; retry after 12 seconds (at ");
    JsonNode connection = connections(notion.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    assertThat(connection.get("last_error").get("code").asString()).isEqualTo("rate_limited");
  }

  @Test
  void aNotionSlowerThanTheToolsTimeoutIsATimeout() {
    Connected notion = connectNotion(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo("/notion-api/v1/pages"))
            .withHeader("Authorization", equalTo(notion.bearer()))
            .willReturn(okJson("{\"id\": \"late\"}").withFixedDelay(3500)));

    JsonNode result =
        run(
            notion.workspace(),
            "notion.create_page",
            Map.of("parent_page_id", PARENT, "title", "Slow"));

    assertError(result, "timeout");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo("Notion did not answer within 2000 ms.");
    assertThat(connections(notion.workspace()).get(0).get("last_error").get("code").asString())
        .isEqualTo("timeout");
  }
}
