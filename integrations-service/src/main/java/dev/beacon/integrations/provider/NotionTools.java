package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Notion's API ({@code Notion-Version: 2022-06-28}) with the connection's token: search the pages
 * and databases shared with Beacon, create a page under one of them. Notion has no OAuth scopes —
 * what the integration may do is its capabilities in Notion's settings, and what it sees is the
 * pages the person shared at consent — so the tools require none.
 */
@Component
class NotionTools implements ProviderTools {

  private static final String NOTION_VERSION = "2022-06-28";
  private static final Map<String, String> HEADERS = Map.of("Notion-Version", NOTION_VERSION);
  private static final Pattern PAGE_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
  private static final int MAX_TITLE = 300;

  private final ProviderClient client;

  NotionTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "notion.search",
                "Searches the Notion pages and databases shared with Beacon by title; returns"
                    + " each one's id, kind, title, URL and last edit.",
                ToolKind.READ,
                ProviderId.NOTION.id(),
                Schema.object(
                    List.of(),
                    "query",
                    Schema.string("Text the title contains; empty or absent: everything.", 0, 200),
                    "kind",
                    Schema.string("Only \"page\" or only \"database\".", 4, 8),
                    "max_results",
                    Schema.integer("How many results, 10 by default.", 1, 50)),
                List.of()),
            ProviderId.NOTION,
            this::search),
        new ProviderTool(
            new ToolSpec(
                "notion.create_page",
                "Creates a Notion page under a page shared with Beacon. The text becomes the"
                    + " page's blocks: blank lines separate paragraphs; lines starting with #, ##,"
                    + " ###, - (or - [ ] for a to-do), 1., > and ``` fences become headings, list"
                    + " items, quotes and code.",
                ToolKind.WRITE,
                ProviderId.NOTION.id(),
                Schema.object(
                    List.of("parent_page_id", "title"),
                    "parent_page_id",
                    Schema.string(
                        "The id of the page to create it under (32 hex digits, dashes optional).",
                        32,
                        36),
                    "title",
                    Schema.string("The page's title.", 1, 200),
                    "text",
                    Schema.string(
                        "The page's content, plain text with a little Markdown.", 0, 50000)),
                List.of()),
            ProviderId.NOTION,
            this::createPage));
  }

  private Mono<ToolResult> search(ToolCall call) {
    Map<String, Object> body = new LinkedHashMap<>();
    String query = Schema.text(call.arguments(), "query");
    if (query != null && !query.isBlank()) {
      body.put("query", query);
    }
    String kind = Schema.text(call.arguments(), "kind");
    if (kind != null) {
      kind = kind.strip().toLowerCase(Locale.ROOT);
      if (!kind.equals("page") && !kind.equals("database")) {
        throw ToolRegistry.invalidArguments("kind", "kind must be \"page\" or \"database\".");
      }
      body.put("filter", Map.of("property", "object", "value", kind));
    }
    int max = Schema.integer(call.arguments(), "max_results", 10);
    body.put("page_size", max);
    return client.run(
        "notion.search",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "search", HttpMethod.POST, uri("/v1/search"), HEADERS, body, null))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      ArrayNode found = result.putArray("results");
                      for (JsonNode item : outcome.answer().path("results")) {
                        if (found.size() >= max) {
                          break;
                        }
                        ObjectNode entry = found.addObject();
                        entry.put("id", item.path("id").asString(null));
                        entry.put("kind", item.path("object").asString(null));
                        entry.put("title", Schema.cut(title(item), MAX_TITLE));
                        entry.put("url", item.path("url").asString(null));
                        entry.put("last_edited_time", item.path("last_edited_time").asString(null));
                        entry.put("archived", item.path("archived").asBoolean(false));
                      }
                      result.put("more", outcome.answer().path("has_more").asBoolean(false));
                      return ToolResult.ok(result.toString());
                    }));
  }

  private Mono<ToolResult> createPage(ToolCall call) {
    String parent =
        Schema.matching(
            call.arguments(),
            "parent_page_id",
            PAGE_ID,
            "a Notion page id: 32 hex digits, with or without dashes");
    String title = Schema.text(call.arguments(), "title");
    if (title.contains("\n") || title.contains("\r")) {
      throw ToolRegistry.invalidArguments("title", "title must be one line.");
    }
    List<Map<String, Object>> blocks = NotionBlocks.of(Schema.text(call.arguments(), "text"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parent", Map.of("page_id", dashed(parent)));
    body.put("properties", Map.of("title", Map.of("title", NotionBlocks.richText(title))));
    if (!blocks.isEmpty()) {
      body.put("children", blocks);
    }
    return client.run(
        "notion.create_page",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "pages.create",
                        HttpMethod.POST,
                        uri("/v1/pages"),
                        HEADERS,
                        body,
                        "page " + dashed(parent) + " to create the page under"))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Created the page \""
                                    + title
                                    + "\" ("
                                    + blocks.size()
                                    + " blocks): "
                                    + outcome.answer().path("url").asString(""))
                            : outcome.failure()));
  }

  /** A page's title is its one property of type {@code title}; a database's is its own. */
  private static String title(JsonNode item) {
    JsonNode parts = item.path("title");
    if (!parts.isArray()) {
      parts = null;
      for (JsonNode property : item.path("properties")) {
        if (property.path("type").asString("").equals("title")) {
          parts = property.path("title");
          break;
        }
      }
    }
    if (parts == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts) {
      text.append(part.path("plain_text").asString(""));
    }
    return text.toString();
  }

  /** 8-4-4-4-12, lower case: how Notion writes ids. */
  private static String dashed(String id) {
    String hex = id.replace("-", "").toLowerCase(Locale.ROOT);
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }

  private URI uri(String path) {
    return URI.create(client.settings().notionUrl() + path);
  }
}
