package dev.beacon.integrations.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.integrations.provider.ProviderToolsStandIns;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The tool registry over MCP, with the MCP Java SDK's own client and its Streamable HTTP transport
 * against the running service: the handshake, each workspace's tools, calls of {@code web_fetch}
 * and of a provider tool, refusals, and the one {@code tool_call} each call publishes.
 */
class McpApplicationTests extends ProviderToolsStandIns {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT_SPAN = "b7ad6b7169203331";

  @LocalServerPort int port;

  private final List<McpSyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void readEvents() {
    EventLog.start();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(McpSyncClient::closeGracefully);
  }

  /** A client speaking for a member of {@code workspace}, through the gateway's signed identity. */
  private McpSyncClient client(String workspace) {
    return client(() -> as(workspace, Role.MEMBER), null);
  }

  /**
   * A client whose every request carries the identity {@code identity} gives (none when it gives
   * {@code null}), as the gateway signs one per request, and {@code traceparent} when not null.
   */
  private McpSyncClient client(Supplier<String> identity, String traceparent) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
            .endpoint("/api/integrations/mcp")
            .httpRequestCustomizer(
                (request, method, uri, body, context) -> {
                  String signed = identity.get();
                  if (signed != null) {
                    request.header(ForwardedIdentity.HEADER, signed);
                  }
                  if (traceparent != null) {
                    request.header("traceparent", traceparent);
                  }
                })
            .build();
    McpSyncClient client =
        McpClient.sync(transport)
            .clientInfo(new McpSchema.Implementation("beacon-tests", "1.0"))
            .requestTimeout(Duration.ofSeconds(20))
            .build();
    clients.add(client);
    return client;
  }

  private static List<String> names(McpSchema.ListToolsResult result) {
    return result.tools().stream().map(Tool::name).toList();
  }

  private static String text(CallToolResult result) {
    assertThat(result.content()).hasSize(1);
    return ((TextContent) result.content().get(0)).text();
  }

  private static CallToolRequest call(String name, Map<String, Object> arguments) {
    return new CallToolRequest(name, arguments, null);
  }

  @Test
  void initializeNegotiatesAndListsTheWorkspacesToolsWithTheirSchemas() {
    String workspace = workspace();
    McpSyncClient client = client(workspace);

    McpSchema.InitializeResult init = client.initialize();

    assertThat(init.serverInfo().name()).isEqualTo("beacon-integrations");
    assertThat(init.protocolVersion()).isEqualTo(ProtocolVersions.MCP_2025_11_25);
    assertThat(init.capabilities().tools()).isNotNull();
    assertThat(init.instructions()).contains("Beacon workspace");
    McpSchema.ListToolsResult tools = client.listTools();
    assertThat(names(tools)).containsExactly("web_fetch");
    Tool fetch = tools.tools().get(0);
    // the schema is the registry's, exactly as the REST API lists it
    JsonNode rest =
        JSON.readTree(
                web.get()
                    .uri("/api/integrations/tools")
                    .header(ForwardedIdentity.HEADER, as(workspace, Role.VIEWER))
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody())
            .get("tools")
            .get(0);
    JsonNode schema = JSON.valueToTree(fetch.inputSchema());
    assertThat(schema).isEqualTo(rest.get("parameters"));
    assertThat(fetch.description()).isEqualTo(rest.get("description").asString());
    assertThat(fetch.annotations().readOnlyHint()).isTrue();
    assertThat(fetch.annotations().destructiveHint()).isNull();
    assertThat(fetch.annotations().openWorldHint()).isTrue();
    assertThat(fetch.meta())
        .containsEntry("dev.beacon/kind", "read")
        .containsEntry("dev.beacon/integration", "web")
        .containsEntry("dev.beacon/required_scopes", List.of());
    assertThat(client.ping()).isNotNull();
  }

  @Test
  void eachWorkspaceSeesItsOwnToolsAndCannotCallAnothersWithoutWriteTools() {
    String lonely = workspace();
    Connected github = connectGitHub(workspace());

    McpSyncClient connected = client(github.workspace());
    McpSyncClient other = client(lonely);
    connected.initialize();
    other.initialize();

    // GitHub's read tool; its write tools are not offered over MCP
    assertThat(names(connected.listTools()))
        .containsExactly("github.get_pull_request", "web_fetch");
    assertThat(names(other.listTools())).containsExactly("web_fetch");
    assertThatThrownBy(
            () ->
                other.callTool(
                    call(
                        "github.get_pull_request",
                        Map.of("owner", "octocat", "repo", "hello-world", "number", 1))))
        .isInstanceOfSatisfying(
            McpError.class,
            e -> {
              assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
              assertThat(e.getJsonRpcError().message())
                  .isEqualTo("This workspace has no tool named github.get_pull_request.");
              assertThat(e.getJsonRpcError().data())
                  .isEqualTo(Map.of("code", "unknown_tool", "tool", "github.get_pull_request"));
            });
    CallToolResult write =
        connected.callTool(
            call(
                "github.create_issue",
                Map.of("owner", "octocat", "repo", "hello-world", "title", "From MCP")));
    assertThat(write.isError()).isTrue();
    assertThat(text(write)).startsWith("write_tool_not_allowed: The tool github.create_issue");
    assertThat(write.structuredContent())
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("code", "write_tool_not_allowed");
    PROVIDERS.verify(
        0,
        anyRequestedFor(urlPathMatching("/github-api/.*"))
            .withHeader("Authorization", equalTo(github.bearer())));
  }

  @Test
  void webFetchRunsThroughTheRegistryAndPublishesOneToolCallAboveItsServiceCall() {
    String workspace = workspace();
    String path = sitePath("mcp-page");
    SITE.stubFor(
        get(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody("<title>MCP</title><p>Hello over MCP</p>")));
    McpSyncClient client =
        client(() -> as(workspace, Role.MEMBER), "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");
    client.initialize();

    CallToolResult result =
        client.callTool(
            new CallToolRequest(
                "web_fetch",
                Map.of("url", webFetchUrl(path)),
                Map.of("dev.beacon/agent_id", "mcp-agent", "dev.beacon/run_id", "mcp-run")));

    assertThat(result.isError()).isFalse();
    assertThat(text(result))
        .isEqualTo("Title: MCP\nURL: " + webFetchUrl(path) + "\n\nHello over MCP");
    SITE.verify(1, getRequestedFor(urlEqualTo(path)));
    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(workspace).size() >= 2);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(workspace).size() == 2);
    List<EventLog.Received> received = EventLog.of(workspace);
    EventLog.Received toolCall =
        received.stream()
            .filter(r -> r.event().type() == EventType.TOOL_CALL)
            .findFirst()
            .orElseThrow();
    EventLog.Received serviceCall =
        received.stream()
            .filter(r -> r.event().type() == EventType.SERVICE_CALL)
            .findFirst()
            .orElseThrow();
    assertThat(toolCall.topic()).isEqualTo(Topics.TOOL_CALLS.name());
    assertThat(toolCall.key()).isEqualTo(Topics.eventKey(workspace, "mcp-agent"));
    ObsEvent tool = toolCall.event();
    assertThat(tool.tool().name()).isEqualTo("web_fetch");
    assertThat(tool.tool().integration()).isEqualTo("web");
    assertThat(tool.status()).isEqualTo(EventStatus.OK);
    assertThat(tool.error()).isNull();
    assertThat(tool.agentId()).isEqualTo("mcp-agent");
    assertThat(tool.runId()).isEqualTo("mcp-run");
    assertThat(tool.traceId()).isEqualTo(TRACE_ID);
    assertThat(tool.parentSpanId()).isEqualTo(PARENT_SPAN);
    assertThat(tool.spanId()).matches("[0-9a-f]{16}");
    assertThat(tool.durationMs()).isBetween(0L, 5_000L);
    assertThat(tool.metadata())
        .containsEntry("source", "integrations-service")
        .containsEntry("transport", "mcp")
        .containsKey("call_id");
    // the outside request sits under the tool call, in the same run and trace
    ObsEvent service = serviceCall.event();
    assertThat(service.service().name()).isEqualTo("web");
    assertThat(service.traceId()).isEqualTo(TRACE_ID);
    assertThat(service.parentSpanId()).isEqualTo(tool.spanId());
    assertThat(service.agentId()).isEqualTo("mcp-agent");
    assertThat(service.runId()).isEqualTo("mcp-run");
    assertThat(service.metadata()).containsEntry("call_id", tool.metadata().get("call_id"));
  }

  @Test
  void aProviderToolCallsTheProviderWithTheWorkspacesConnection() {
    Connected github = connectGitHub(workspace());
    String path = "/github-api/repos/octocat/hello-world/pulls/7";
    PROVIDERS.stubFor(
        get(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                okJson(
                    """
                    {"number": 7, "state": "open", "title": "Serve tools over MCP",
                     "user": {"login": "octocat"}, "body": "MCP.", "draft": false,
                     "merged": false, "html_url": "https://github.com/octocat/hello-world/pull/7",
                     "head": {"ref": "mcp", "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e"},
                     "base": {"ref": "main"}, "additions": 1, "deletions": 0,
                     "changed_files": 1, "comments": 0, "review_comments": 0}
                    """)));
    McpSyncClient client = client(github.workspace());
    client.initialize();

    CallToolResult result =
        client.callTool(
            call(
                "github.get_pull_request",
                Map.of("owner", "octocat", "repo", "hello-world", "number", 7)));

    assertThat(result.isError()).as(text(result)).isFalse();
    JsonNode pr = JSON.readTree(text(result));
    assertThat(pr.get("title").asString()).isEqualTo("Serve tools over MCP");
    assertThat(pr.get("author").asString()).isEqualTo("octocat");
    PROVIDERS.verify(
        1, getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo(github.bearer())));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                EventLog.of(github.workspace()).stream()
                    .anyMatch(
                        r ->
                            r.event().type() == EventType.TOOL_CALL
                                && r.event().tool().integration().equals("github")));
  }

  @Test
  void argumentsThatDoNotMatchTheSchemaAreAnErrorResultWithTheStableCode() {
    String workspace = workspace();
    McpSyncClient client = client(workspace);
    client.initialize();

    CallToolResult missing = client.callTool(call("web_fetch", Map.of()));
    CallToolResult wrongType = client.callTool(call("web_fetch", Map.of("url", 42)));
    CallToolResult unknown =
        client.callTool(call("web_fetch", Map.of("url", "https://example.com/", "depth", 2)));

    assertThat(missing.isError()).isTrue();
    assertThat(text(missing)).isEqualTo("invalid_arguments: url is required.");
    assertThat(missing.structuredContent())
        .isEqualTo(
            Map.of("code", "invalid_arguments", "message", "url is required.", "field", "url"));
    assertThat(text(wrongType)).isEqualTo("invalid_arguments: url must be a string.");
    assertThat(text(unknown))
        .isEqualTo("invalid_arguments: depth is not an argument of this tool.");
    // each refused call is one tool_call in error, and nothing was fetched
    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(workspace).size() >= 3);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(workspace).size() == 3);
    assertThat(EventLog.of(workspace))
        .allSatisfy(
            r -> {
              assertThat(r.event().type()).isEqualTo(EventType.TOOL_CALL);
              assertThat(r.event().status()).isEqualTo(EventStatus.ERROR);
              assertThat(r.event().error().type()).isEqualTo("invalid_arguments");
            });
  }

  @Test
  void aToolsOwnFailureIsAnErrorResultWithItsCode() {
    McpSyncClient client = client(workspace());
    client.initialize();

    CallToolResult refused = client.callTool(call("web_fetch", Map.of("url", "http://10.0.0.1/")));

    assertThat(refused.isError()).isTrue();
    assertThat(text(refused)).startsWith("address_not_allowed: ");
    assertThat(refused.structuredContent())
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("code", "address_not_allowed");
  }

  @Test
  void withoutAValidIdentityNothingIsAnswered() {
    McpSyncClient anonymous = client(() -> null, null);
    // the SDK's transport reports the 401 as an authorization error
    assertThatThrownBy(anonymous::initialize)
        .satisfies(
            e ->
                assertThat(McpError.aggregateExceptionMessages(e))
                    .containsIgnoringCase("authorization"));

    String body =
        """
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}""";
    assertThat(mcpPost(null, body).getStatus().value()).isEqualTo(401);
    assertThat(JSON.readTree(mcpPost(null, body).getResponseBody()).get("code").asString())
        .isEqualTo("identity_missing");
    assertThat(mcpPost("not-a-token", body).getStatus().value()).isEqualTo(401);
    // every MCP message is a POST, and viewers do not write
    var viewer = mcpPost(as(workspace(), Role.VIEWER), body);
    assertThat(viewer.getStatus().value()).isEqualTo(403);
    assertThat(JSON.readTree(viewer.getResponseBody()).get("code").asString())
        .isEqualTo("forbidden_role");
    // the same request with a member's identity is answered
    var member = mcpPost(as(workspace(), Role.MEMBER), body);
    assertThat(member.getStatus().value()).isEqualTo(200);
    assertThat(JSON.readTree(member.getResponseBody()).get("result").get("tools").size())
        .isEqualTo(1);
    // a notification is accepted without an answer
    var notification =
        mcpPost(
            as(workspace(), Role.MEMBER),
            """
            {"jsonrpc": "2.0", "method": "notifications/initialized"}""");
    assertThat(notification.getStatus().value()).isEqualTo(202);
    // a body over WebFlux's in-memory limit is not parsed
    String large =
        "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/call\", \"params\": {\"name\":"
            + " \"web_fetch\", \"arguments\": {\"url\": \""
            + "x".repeat(300_000)
            + "\"}}}";
    var tooLarge = mcpPost(as(workspace(), Role.MEMBER), large);
    assertThat(tooLarge.getStatus().value()).isEqualTo(413);
    assertThat(JSON.readTree(tooLarge.getResponseBody()).get("code").asString())
        .isEqualTo("request_too_large");
    // no server-to-client stream: GET is 405
    web.get()
        .uri("/api/integrations/mcp")
        .header(ForwardedIdentity.HEADER, as(workspace(), Role.MEMBER))
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectBody()
        .isEmpty();
  }

  private org.springframework.test.web.reactive.server.EntityExchangeResult<byte[]> mcpPost(
      String identity, String body) {
    var request =
        web.post()
            .uri("/api/integrations/mcp")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);
    if (identity != null) {
      request = request.header(ForwardedIdentity.HEADER, identity);
    }
    return request.bodyValue(body).exchange().expectBody().returnResult();
  }

  private static String webFetchUrl(String path) {
    return sitePrefix() + path.substring("/site/".length());
  }
}
