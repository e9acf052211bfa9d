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
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dropbox's API v2 with the connection's token: search files and folders by name and content
 * ({@code files/search_v2}, scope {@code files.metadata.read}). Dropbox's RPC endpoints take their
 * arguments as a JSON body and answer an endpoint's own refusals as HTTP 409 {@code
 * {"error_summary"}}.
 */
@Component
class DropboxTools implements ProviderTools {

  private final ProviderClient client;

  DropboxTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "dropbox.search",
                "Searches the connected Dropbox for files and folders whose name or content"
                    + " matches; returns each one's name, path, kind, size and last change.",
                ToolKind.READ,
                ProviderId.DROPBOX.id(),
                Schema.object(
                    List.of("query"),
                    "query",
                    Schema.string("What to search for.", 1, 1000),
                    "path",
                    Schema.string(
                        "Only under this folder (\"/Projects/2026\"); the whole Dropbox by default.",
                        1,
                        1000),
                    "max_results",
                    Schema.integer("How many matches, 10 by default.", 1, 50)),
                List.of("files.metadata.read")),
            ProviderId.DROPBOX,
            this::search));
  }

  private Mono<ToolResult> search(ToolCall call) {
    int max = Schema.integer(call.arguments(), "max_results", 10);
    Map<String, Object> options = new LinkedHashMap<>();
    String path = Schema.text(call.arguments(), "path");
    if (path != null) {
      path = path.strip();
      if (!path.startsWith("/") || path.contains("\n") || path.contains("\r")) {
        throw ToolRegistry.invalidArguments(
            "path", "path must be a Dropbox folder path starting with /.");
      }
      // Dropbox names its root "", not "/"
      if (path.length() > 1) {
        options.put("path", path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
      }
    }
    options.put("max_results", max);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", Schema.text(call.arguments(), "query"));
    body.put("options", options);
    return client.run(
        "dropbox.search",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "files.search_v2",
                        HttpMethod.POST,
                        URI.create(client.settings().dropboxUrl() + "/2/files/search_v2"),
                        Map.of(),
                        body,
                        options.containsKey("path") ? "folder " + options.get("path") : null))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      ArrayNode matches = result.putArray("matches");
                      for (JsonNode match : outcome.answer().path("matches")) {
                        if (matches.size() >= max) {
                          break;
                        }
                        JsonNode m = match.path("metadata").path("metadata");
                        ObjectNode item = matches.addObject();
                        item.put("name", m.path("name").asString(null));
                        item.put("path", m.path("path_display").asString(null));
                        item.put("kind", m.path(".tag").asString(null));
                        item.put("id", m.path("id").asString(null));
                        if (m.path("size").isNumber()) {
                          item.put("size", m.path("size").asLong());
                        }
                        item.put("modified", m.path("server_modified").asString(null));
                      }
                      result.put("more", outcome.answer().path("has_more").asBoolean(false));
                      return ToolResult.ok(result.toString());
                    }));
  }
}
