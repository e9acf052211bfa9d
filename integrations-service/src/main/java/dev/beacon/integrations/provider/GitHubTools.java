package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's REST API ({@code 2022-11-28}): read a pull request, open an issue, comment on a pull
 * request's diff. All need the classic OAuth scope {@code repo}.
 */
@Component
class GitHubTools implements ProviderTools {

  private static final List<String> REPO = List.of("repo");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final int MAX_BODY = 4000;
  private static final Map<String, String> HEADERS =
      Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28");

  private final ProviderClient client;

  GitHubTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            spec(
                "github.get_pull_request",
                "Reads a GitHub pull request: title, state, author, branches, head commit,"
                    + " size and its description (at most "
                    + MAX_BODY
                    + " characters).",
                ToolKind.READ,
                Schema.object(
                    List.of("owner", "repo", "number"),
                    "owner",
                    owner(),
                    "repo",
                    repo(),
                    "number",
                    number("The pull request's number."))),
            ProviderId.GITHUB,
            this::getPullRequest),
        new ProviderTool(
            spec(
                "github.create_issue",
                "Opens an issue in a GitHub repository.",
                ToolKind.WRITE,
                Schema.object(
                    List.of("owner", "repo", "title"),
                    "owner",
                    owner(),
                    "repo",
                    repo(),
                    "title",
                    Schema.string("The issue's title.", 1, 256),
                    "body",
                    Schema.string("The issue's text, in Markdown.", 0, 65536),
                    "labels",
                    Schema.string("Labels to add, comma-separated.", 1, 1000))),
            ProviderId.GITHUB,
            this::createIssue),
        new ProviderTool(
            spec(
                "github.create_review_comment",
                "Comments on one line of a pull request's diff.",
                ToolKind.WRITE,
                Schema.object(
                    List.of("owner", "repo", "number", "body", "commit_id", "path", "line"),
                    "owner",
                    owner(),
                    "repo",
                    repo(),
                    "number",
                    number("The pull request's number."),
                    "body",
                    Schema.string("The comment, in Markdown.", 1, 65536),
                    "commit_id",
                    Schema.string(
                        "The SHA of the commit to comment on (the pull request's head).", 40, 40),
                    "path",
                    Schema.string("The file's path in the repository.", 1, 1024),
                    "line",
                    Schema.integer(
                        "The line of the diff to comment on (in the file after the change).",
                        1,
                        1_000_000))),
            ProviderId.GITHUB,
            this::createReviewComment));
  }

  private static ToolSpec spec(
      String name, String description, ToolKind kind, Map<String, Object> parameters) {
    return new ToolSpec(name, description, kind, ProviderId.GITHUB.id(), parameters, REPO);
  }

  private static Map<String, Object> owner() {
    return Schema.string("The repository's owner (user or organization).", 1, 100);
  }

  private static Map<String, Object> repo() {
    return Schema.string("The repository's name.", 1, 100);
  }

  private static Map<String, Object> number(String description) {
    return Schema.integer(description, 1, Integer.MAX_VALUE);
  }

  private Mono<ToolResult> getPullRequest(ToolCall call) {
    String owner = name(call, "owner");
    String repo = name(call, "repo");
    int number = Schema.integer(call.arguments(), "number", 0);
    return client.run(
        "github.get_pull_request",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "pulls.get",
                        HttpMethod.GET,
                        uri("/repos/{owner}/{repo}/pulls/{number}", owner, repo, number),
                        HEADERS,
                        null,
                        "pull request " + owner + "/" + repo + "#" + number))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      JsonNode pr = outcome.answer();
                      ObjectNode result = JSON.createObjectNode();
                      result.put("number", pr.path("number").asInt());
                      result.put("title", pr.path("title").asString(null));
                      result.put("state", pr.path("state").asString(null));
                      result.put("draft", pr.path("draft").asBoolean(false));
                      result.put("merged", pr.path("merged").asBoolean(false));
                      result.put("author", pr.path("user").path("login").asString(null));
                      result.put("url", pr.path("html_url").asString(null));
                      result.put("head", pr.path("head").path("ref").asString(null));
                      result.put("head_sha", pr.path("head").path("sha").asString(null));
                      result.put("base", pr.path("base").path("ref").asString(null));
                      result.put("created_at", pr.path("created_at").asString(null));
                      result.put("updated_at", pr.path("updated_at").asString(null));
                      result.put("additions", pr.path("additions").asInt());
                      result.put("deletions", pr.path("deletions").asInt());
                      result.put("changed_files", pr.path("changed_files").asInt());
                      result.put("comments", pr.path("comments").asInt());
                      result.put("review_comments", pr.path("review_comments").asInt());
                      result.put("body", Schema.cut(pr.path("body").asString(""), MAX_BODY));
                      return ToolResult.ok(result.toString());
                    }));
  }

  private Mono<ToolResult> createIssue(ToolCall call) {
    String owner = name(call, "owner");
    String repo = name(call, "repo");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", Schema.text(call.arguments(), "title"));
    String text = Schema.text(call.arguments(), "body");
    if (text != null) {
      body.put("body", text);
    }
    String labels = Schema.text(call.arguments(), "labels");
    if (labels != null) {
      body.put(
          "labels",
          Arrays.stream(labels.split(",")).map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
    return client.run(
        "github.create_issue",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "issues.create",
                        HttpMethod.POST,
                        uri("/repos/{owner}/{repo}/issues", owner, repo),
                        HEADERS,
                        body,
                        "repository " + owner + "/" + repo))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Opened issue #"
                                    + outcome.answer().path("number").asInt()
                                    + " in "
                                    + owner
                                    + "/"
                                    + repo
                                    + ": "
                                    + outcome.answer().path("html_url").asString(""))
                            : outcome.failure()));
  }

  private Mono<ToolResult> createReviewComment(ToolCall call) {
    String owner = name(call, "owner");
    String repo = name(call, "repo");
    int number = Schema.integer(call.arguments(), "number", 0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("body", Schema.text(call.arguments(), "body"));
    body.put(
        "commit_id",
        Schema.matching(call.arguments(), "commit_id", SHA, "a commit's 40-character hex SHA"));
    body.put("path", Schema.text(call.arguments(), "path"));
    body.put("line", Schema.integer(call.arguments(), "line", 1));
    body.put("side", "RIGHT");
    return client.run(
        "github.create_review_comment",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "pulls.createReviewComment",
                        HttpMethod.POST,
                        uri("/repos/{owner}/{repo}/pulls/{number}/comments", owner, repo, number),
                        HEADERS,
                        body,
                        "pull request " + owner + "/" + repo + "#" + number))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                "Commented on "
                                    + body.get("path")
                                    + " line "
                                    + body.get("line")
                                    + " of "
                                    + owner
                                    + "/"
                                    + repo
                                    + "#"
                                    + number
                                    + ": "
                                    + outcome.answer().path("html_url").asString(""))
                            : outcome.failure()));
  }

  private static String name(ToolCall call, String argument) {
    String value =
        Schema.matching(
            call.arguments(), argument, NAME, "letters, digits, '-', '_' or '.' (a GitHub name)");
    if (value.equals(".") || value.equals("..")) {
      throw dev.beacon.integrations.tool.domain.ToolRegistry.invalidArguments(
          argument, argument + " must be a GitHub name.");
    }
    return value;
  }

  private URI uri(String path, Object... variables) {
    return UriComponentsBuilder.fromUriString(client.settings().githubUrl() + path)
        .encode()
        .buildAndExpand(variables)
        .toUri();
  }
}
