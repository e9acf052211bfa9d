package dev.beacon.integrations.mcp;

import dev.beacon.events.ErrorDetails;
import dev.beacon.identity.ForwardedIdentities;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.events.CallContext;
import dev.beacon.integrations.events.IntegrationEvents;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Answers MCP requests for the workspace of each request's forwarded identity. The server keeps no
 * session: every {@code POST} stands alone, so the tools are those of the caller's workspace at
 * that moment, and any instance can answer any request.
 *
 * <ul>
 *   <li>{@code tools/list}: the workspace's tools ({@link ToolRegistry#tools}), each with its JSON
 *       Schema as {@code inputSchema}, annotations from its kind, and Beacon's kind, integration
 *       and required scopes under {@code _meta}. {@code write} tools only where the service allows
 *       them over MCP.
 *   <li>{@code tools/call}: {@link ToolRegistry#execute}, the path of {@code POST
 *       /api/integrations/tools/{name}/execute}, then one {@code tool_call} event. A tool's own
 *       failure and arguments that do not match its schema are results with {@code isError} (the
 *       model reads them); a tool the workspace does not have is a JSON-RPC error.
 *   <li>everything else ({@code initialize}, {@code ping}, notifications, unknown methods): the
 *       SDK's stateless server, which negotiates the protocol version.
 * </ul>
 */
final class McpToolServer implements McpStatelessServerHandler {

  private static final Logger log = LoggerFactory.getLogger(McpToolServer.class);

  /** The prefix of Beacon's keys in {@code _meta} (MCP's reverse-DNS form). */
  static final String META = "dev.beacon/";

  private static final int MAX_ID_LENGTH = 128;

  private static final String INSTRUCTIONS =
      "The tools of your Beacon workspace: the built-ins (web_fetch) and those of the"
          + " integrations it has connected. Every call is recorded in Beacon's observability.";

  private final ToolRegistry registry;
  private final IntegrationEvents events;
  private final McpJsonMapper json;
  private final boolean writeTools;
  private final McpStatelessServerHandler lifecycle;

  McpToolServer(
      ToolRegistry registry,
      IntegrationEvents events,
      McpJsonMapper json,
      boolean writeTools,
      String version) {
    this.registry = registry;
    this.events = events;
    this.json = json;
    this.writeTools = writeTools;
    this.lifecycle = lifecycle(json, version);
  }

  /**
   * The SDK's stateless server, for everything but the tools: it is built on a transport that only
   * keeps the handler it is given, since the tools it would list are the same for every caller.
   */
  private static McpStatelessServerHandler lifecycle(McpJsonMapper json, String version) {
    AtomicReference<McpStatelessServerHandler> handler = new AtomicReference<>();
    McpServer.async(
            new McpStatelessServerTransport() {
              @Override
              public void setMcpHandler(McpStatelessServerHandler mcpHandler) {
                handler.set(mcpHandler);
              }

              @Override
              public Mono<Void> closeGracefully() {
                return Mono.empty();
              }
            })
        .serverInfo("beacon-integrations", version)
        .instructions(INSTRUCTIONS)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(json)
        .build();
    return handler.get();
  }

  @Override
  public Mono<JSONRPCResponse> handleRequest(
      McpTransportContext transport, McpSchema.JSONRPCRequest request) {
    Mono<JSONRPCResponse> answer =
        switch (request.method()) {
          case McpSchema.METHOD_TOOLS_LIST ->
              caller(request).flatMap(caller -> list(caller, request));
          case McpSchema.METHOD_TOOLS_CALL ->
              caller(request).flatMap(caller -> call(caller, transport, request));
          default -> lifecycle.handleRequest(transport, request);
        };
    return answer.onErrorResume(
        e -> {
          log.error("MCP request {} failed unexpectedly", request.method(), e);
          return Mono.just(
              error(request, ErrorCodes.INTERNAL_ERROR, "The request failed unexpectedly.", null));
        });
  }

  @Override
  public Mono<Void> handleNotification(
      McpTransportContext transport, McpSchema.JSONRPCNotification notification) {
    return lifecycle.handleNotification(transport, notification);
  }

  /** The verified caller; the identity library's filter chain let no request in without one. */
  private static Mono<ForwardedIdentity> caller(McpSchema.JSONRPCRequest request) {
    return ForwardedIdentities.current()
        .switchIfEmpty(Mono.error(new IllegalStateException("no forwarded identity")));
  }

  private Mono<JSONRPCResponse> list(ForwardedIdentity caller, McpSchema.JSONRPCRequest request) {
    return registry
        .tools(caller.workspaceId())
        .map(
            specs ->
                JSONRPCResponse.result(
                    request.id(),
                    ListToolsResult.builder(
                            specs.stream().filter(this::offered).map(McpToolServer::tool).toList())
                        .build()));
  }

  private boolean offered(ToolSpec spec) {
    return writeTools || spec.kind() != ToolKind.WRITE;
  }

  /** A tool as MCP describes it. */
  static Tool tool(ToolSpec spec) {
    boolean write = spec.kind() == ToolKind.WRITE;
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put(META + "kind", spec.kind().value());
    meta.put(META + "integration", spec.integration());
    meta.put(META + "required_scopes", spec.requiredScopes());
    return Tool.builder(spec.name(), spec.parameters())
        .description(spec.description())
        .annotations(
            ToolAnnotations.builder()
                .readOnlyHint(!write)
                .destructiveHint(write ? Boolean.TRUE : null)
                .openWorldHint(true)
                .build())
        .meta(meta)
        .build();
  }

  private Mono<JSONRPCResponse> call(
      ForwardedIdentity caller, McpTransportContext transport, McpSchema.JSONRPCRequest request) {
    CallToolRequest call;
    try {
      call = json.convertValue(request.params(), CallToolRequest.class);
    } catch (RuntimeException e) {
      return Mono.just(invalidParams(request, "tools/call needs a name and an arguments object."));
    }
    if (call == null || call.name() == null || call.name().isBlank()) {
      return Mono.just(invalidParams(request, "tools/call needs the tool's name."));
    }
    String name = call.name();
    Map<String, Object> meta = call.meta() == null ? Map.of() : call.meta();
    String agentId;
    String runId;
    try {
      agentId = optionalId(meta, META + "agent_id");
      runId = optionalId(meta, META + "run_id");
    } catch (IllegalArgumentException e) {
      return Mono.just(invalidParams(request, e.getMessage()));
    }
    ToolSpec known = registry.spec(name).orElse(null);
    if (known != null && !offered(known)) {
      return Mono.just(
          JSONRPCResponse.result(
              request.id(),
              failed(
                  "write_tool_not_allowed",
                  "The tool "
                      + name
                      + " changes something outside Beacon; this Beacon does not run write tools"
                      + " over MCP.",
                  null)));
    }
    Object traceparent = meta.get("traceparent");
    if (!(traceparent instanceof String)) {
      traceparent = transport.get(McpConfiguration.TRACEPARENT);
    }
    CallContext context =
        CallContext.of(caller.workspaceId(), agentId, runId, (String) traceparent);
    String spanId = CallContext.newSpanId();
    String callId = callId(request.id());
    JsonNode arguments =
        call.arguments() == null
            ? JsonNodeFactory.instance.objectNode()
            : json.convertValue(call.arguments(), JsonNode.class);
    long begun = System.nanoTime();
    // the registry refuses a built-in's arguments by throwing, a provider tool's with an error
    return Mono.defer(
            () -> registry.execute(caller, name, arguments, callId, context.under(spanId)))
        .map(
            result -> {
              published(context, spanId, known, callId, begun, result.error());
              return JSONRPCResponse.result(request.id(), result(result));
            })
        .onErrorResume(
            ApiException.class,
            refusal -> {
              if (refusal.status() == HttpStatus.NOT_FOUND || known == null) {
                return Mono.just(
                    error(
                        request,
                        ErrorCodes.INVALID_PARAMS,
                        refusal.getMessage(),
                        Map.of("code", refusal.code(), "tool", name)));
              }
              published(
                  context,
                  spanId,
                  known,
                  callId,
                  begun,
                  new ToolResult.Error(refusal.code(), refusal.getMessage()));
              return Mono.just(
                  JSONRPCResponse.result(
                      request.id(), failed(refusal.code(), refusal.getMessage(), refusal.body())));
            });
  }

  private void published(
      CallContext context,
      String spanId,
      ToolSpec spec,
      String callId,
      long begun,
      ToolResult.Error error) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", "integrations-service");
    metadata.put("transport", "mcp");
    if (callId != null) {
      metadata.put("call_id", callId);
    }
    events.toolCall(
        context,
        spanId,
        spec.name(),
        spec.integration(),
        (System.nanoTime() - begun) / 1_000_000,
        error == null ? null : new ErrorDetails(error.code(), error.message()),
        metadata);
  }

  private static CallToolResult result(ToolResult result) {
    if (result.error() == null) {
      return CallToolResult.builder()
          .content(List.of(TextContent.builder(result.result()).build()))
          .isError(false)
          .build();
    }
    return failed(result.error().code(), result.error().message(), null);
  }

  /**
   * A failure the model reads: the text says the stable code and the message, {@code
   * structuredContent} holds them (and the field at fault) for programs.
   */
  private static CallToolResult failed(String code, String message, Map<String, Object> details) {
    Map<String, Object> structured = details;
    if (structured == null) {
      structured = new LinkedHashMap<>();
      structured.put("code", code);
      structured.put("message", message);
    }
    return CallToolResult.builder()
        .content(List.of(TextContent.builder(code + ": " + message).build()))
        .isError(true)
        .structuredContent(structured)
        .build();
  }

  /** The JSON-RPC id as the call's id (in the events' metadata), when it is a short one. */
  private static String callId(Object id) {
    String value = String.valueOf(id);
    return value.isBlank() || value.length() > MAX_ID_LENGTH ? null : value;
  }

  private static String optionalId(Map<String, Object> meta, String key) {
    Object value = meta.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "_meta \"" + key + "\" must be a string of 1 to " + MAX_ID_LENGTH + " characters.");
    }
    return text;
  }

  private static JSONRPCResponse invalidParams(McpSchema.JSONRPCRequest request, String message) {
    return error(request, ErrorCodes.INVALID_PARAMS, message, Map.of("code", "invalid_request"));
  }

  private static JSONRPCResponse error(
      McpSchema.JSONRPCRequest request, int code, String message, Object data) {
    return JSONRPCResponse.error(request.id(), new JSONRPCError(code, message, data));
  }
}
