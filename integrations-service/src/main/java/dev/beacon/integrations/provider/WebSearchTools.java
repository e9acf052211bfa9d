package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.CredentialCheck;
import dev.beacon.integrations.connection.domain.CredentialProvider;
import dev.beacon.integrations.connection.domain.Credentials;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code web_search} over the Brave Search API ({@code GET /res/v1/web/search}, the key in {@code
 * X-Subscription-Token}). It is a built-in when Beacon has a key of its own ({@code
 * BEACON_INTEGRATIONS_WEB_SEARCH_API_KEY}): every workspace has it, and one that connected its own
 * Brave key uses that one. Without Beacon's key only workspaces with a connection have it.
 */
@Component
class WebSearchTools implements ProviderTools, CredentialCheck {

  static final String NAME = "web_search";
  private static final int DEFAULT_COUNT = 5;
  private static final int MAX_COUNT = 10;

  /** Brave's limits on a query. */
  private static final int MAX_QUERY_CHARS = 400;

  private static final int MAX_QUERY_WORDS = 50;
  private static final int MAX_TITLE = 200;
  private static final int MAX_SNIPPET = 400;
  private static final int MAX_URL = 2048;

  private final ProviderClient client;
  private final IntegrationsProperties.WebSearch settings;

  WebSearchTools(ProviderClient client, IntegrationsProperties properties) {
    this.client = client;
    this.settings = properties.providers().webSearch();
  }

  @Override
  public CredentialProvider provider() {
    return CredentialProvider.BRAVE;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                NAME,
                "Searches the web (Brave Search) and returns the top results: title, URL and a"
                    + " short snippet each, at most "
                    + MAX_COUNT
                    + ". Read a result's page with web_fetch.",
                ToolKind.READ,
                CredentialProvider.BRAVE.id(),
                Schema.object(
                    List.of("query"),
                    "query",
                    Schema.string(
                        "What to search for, at most " + MAX_QUERY_WORDS + " words.",
                        1,
                        MAX_QUERY_CHARS),
                    "count",
                    Schema.integer(
                        "How many results, " + DEFAULT_COUNT + " by default.", 1, MAX_COUNT)),
                List.of()),
            CredentialProvider.BRAVE,
            this::search,
            settings.configured()));
  }

  /** Checks a key with a one-result search (Brave has no other call a key can make; it counts). */
  @Override
  public Mono<String> account(Credentials credentials, String workspaceId) {
    return client
        .check(
            CredentialProvider.BRAVE, credentials, workspaceId, request(credentials, "Beacon", 1))
        .then(Mono.empty());
  }

  private Mono<ToolResult> search(ToolCall call) {
    String query = Schema.text(call.arguments(), "query");
    if (query.isBlank()) {
      throw ToolRegistry.invalidArguments("query", "query must not be blank.");
    }
    if (query.strip().split("\\s+").length > MAX_QUERY_WORDS) {
      throw ToolRegistry.invalidArguments(
          "query", "query must be at most " + MAX_QUERY_WORDS + " words.");
    }
    int count = Schema.integer(call.arguments(), "count", DEFAULT_COUNT);
    return client.run(
        NAME,
        CredentialProvider.BRAVE,
        call,
        session ->
            session
                .send(request(session.credentials(), query, count))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      result.put("query", query);
                      ArrayNode results = result.putArray("results");
                      for (JsonNode hit : outcome.answer().path("web").path("results")) {
                        if (results.size() >= count) {
                          break;
                        }
                        results
                            .addObject()
                            .put("title", Schema.cut(text(hit.path("title")), MAX_TITLE))
                            .put("url", Schema.cut(hit.path("url").asString(""), MAX_URL))
                            .put("snippet", Schema.cut(text(hit.path("description")), MAX_SNIPPET));
                      }
                      return ToolResult.ok(result.toString());
                    }));
  }

  private ProviderClient.Request request(Credentials credentials, String query, int count) {
    URI uri =
        UriComponentsBuilder.fromUriString(settings.url() + "/res/v1/web/search")
            .queryParam("q", "{q}")
            .queryParam("count", count)
            .encode()
            .buildAndExpand(query)
            .toUri();
    return new ProviderClient.Request(
        "web.search",
        HttpMethod.GET,
        uri,
        Map.of("Accept", "application/json", "X-Subscription-Token", credentials.get("api_key")),
        null,
        null);
  }

  /** Brave's titles and snippets carry HTML ({@code <strong>}, entities): plain text. */
  private static String text(JsonNode html) {
    return Jsoup.parse(html.asString("")).text();
  }
}
