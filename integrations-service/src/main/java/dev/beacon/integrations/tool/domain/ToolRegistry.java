package dev.beacon.integrations.tool.domain;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.connection.domain.Connection;
import dev.beacon.integrations.connection.domain.ConnectionService;
import dev.beacon.integrations.connection.domain.ConnectionStatus;
import dev.beacon.integrations.events.CallContext;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The tools of a workspace and their execution: the built-ins (the {@link ToolExecutor} beans),
 * offered to every workspace, and the tools of each provider the workspace has a usable connection
 * to (the {@link ProviderTools} beans).
 *
 * <p>A connection is usable for a tool when its status is {@code ok} and it granted the tool's
 * required scopes. A workspace with several usable connections to one provider uses the one
 * connected last (ADR 0022). A tool whose provider the workspace has no connection to that granted
 * its scopes does not exist for it (404 {@code unknown_tool}); one whose only such connections need
 * reconnecting answers the result {@code needs_reauth} (or {@code connection_error}), so the model
 * can tell the person. A tool with a platform credential ({@code web_search} with Beacon's own key)
 * is offered to every workspace and runs with Beacon's key where the workspace has no usable
 * connection of its own.
 */
@Service
public class ToolRegistry {

  private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);

  private final Map<String, ToolExecutor> builtIns = new HashMap<>();
  private final Map<String, ProviderTool> providerTools = new HashMap<>();
  private final ConnectionService connections;

  ToolRegistry(
      List<ToolExecutor> executors, List<ProviderTools> providers, ConnectionService connections) {
    this.connections = connections;
    for (ToolExecutor executor : executors) {
      if (builtIns.putIfAbsent(executor.spec().name(), executor) != null) {
        throw new IllegalStateException("two tools are named " + executor.spec().name());
      }
    }
    for (ProviderTools provider : providers) {
      for (ProviderTool tool : provider.tools()) {
        String name = tool.spec().name();
        if (builtIns.containsKey(name) || providerTools.putIfAbsent(name, tool) != null) {
          throw new IllegalStateException("two tools are named " + name);
        }
      }
    }
  }

  /** The workspace's tools, by name. */
  public Mono<List<ToolSpec>> tools(String workspaceId) {
    return connections
        .list(workspaceId)
        .collectList()
        .map(
            list ->
                Stream.concat(
                        builtIns.values().stream().map(ToolExecutor::spec),
                        providerTools.values().stream()
                            .filter(
                                tool -> tool.platformCredential() || usable(tool, list).isPresent())
                            .map(ProviderTool::spec))
                    .sorted(Comparator.comparing(ToolSpec::name))
                    .toList());
  }

  /**
   * The spec of a tool Beacon has, whichever workspace may use it: a built-in or any provider's
   * tool. Whether a workspace has it is {@link #tools}' and {@link #execute}'s concern.
   */
  public Optional<ToolSpec> spec(String name) {
    ToolExecutor builtIn = builtIns.get(name);
    if (builtIn != null) {
      return Optional.of(builtIn.spec());
    }
    return Optional.ofNullable(providerTools.get(name)).map(ProviderTool::spec);
  }

  /**
   * Runs a tool for the caller.
   *
   * @throws ApiException 404 {@code unknown_tool} for a tool the workspace does not have, 400
   *     {@code invalid_arguments} for arguments that do not match its schema
   */
  public Mono<ToolResult> execute(
      ForwardedIdentity caller,
      String name,
      JsonNode arguments,
      String callId,
      CallContext context) {
    ToolExecutor builtIn = builtIns.get(name);
    if (builtIn != null) {
      checkArguments(builtIn.spec(), arguments);
      return guarded(
          name, builtIn.execute(new ToolCall(caller.userId(), arguments, callId, context, null)));
    }
    ProviderTool tool = providerTools.get(name);
    if (tool == null) {
      return Mono.error(unknownTool(name));
    }
    return connections
        .list(caller.workspaceId())
        .collectList()
        .flatMap(
            list -> {
              List<Connection> granting = granting(tool, list).toList();
              if (granting.isEmpty() && !tool.platformCredential()) {
                return Mono.error(unknownTool(name));
              }
              checkArguments(tool.spec(), arguments);
              Optional<Connection> usable = usable(tool, list);
              if (usable.isEmpty() && !tool.platformCredential()) {
                return Mono.just(unusable(granting.get(granting.size() - 1)));
              }
              return guarded(
                  name,
                  tool.execute()
                      .apply(
                          new ToolCall(
                              caller.userId(), arguments, callId, context, usable.orElse(null))));
            });
  }

  private static Stream<Connection> granting(ProviderTool tool, List<Connection> connections) {
    return connections.stream()
        .filter(c -> c.provider() == tool.provider() && c.grants(tool.spec().requiredScopes()));
  }

  /**
   * The connection a call uses: the last connected of the usable ones (the list is oldest first).
   */
  private static Optional<Connection> usable(ProviderTool tool, List<Connection> connections) {
    return granting(tool, connections)
        .filter(c -> c.status() == ConnectionStatus.OK)
        .reduce((first, second) -> second);
  }

  private static ToolResult unusable(Connection connection) {
    String provider = connection.provider().displayName();
    if (connection.status() == ConnectionStatus.NEEDS_REAUTH) {
      return ToolResult.failed(
          "needs_reauth",
          "The "
              + provider
              + " connection was refused by "
              + provider
              + "; someone in the workspace must connect it again.");
    }
    return ToolResult.failed(
        "connection_error",
        "The "
            + provider
            + " connection failed to refresh its token; connect it again, or ask an admin to"
            + " check the "
            + provider
            + " client configuration.");
  }

  private static void checkArguments(ToolSpec spec, JsonNode arguments) {
    var problem = ArgumentCheck.problem(spec.parameters(), arguments);
    if (problem.isPresent()) {
      throw invalidArguments(problem.get().field(), problem.get().message());
    }
  }

  /**
   * 400 {@code invalid_arguments}, for a tool that finds its arguments wrong beyond what the schema
   * says (a line break in an email header, a date that is not RFC 3339).
   */
  public static ApiException invalidArguments(String field, String message) {
    return ApiException.badRequest("invalid_arguments", message).with("field", field);
  }

  private static Mono<ToolResult> guarded(String name, Mono<ToolResult> execution) {
    return execution.onErrorResume(
        e -> !(e instanceof ApiException),
        e -> {
          log.error("The tool {} failed unexpectedly", name, e);
          return Mono.just(ToolResult.failed("tool_failed", "The tool failed unexpectedly."));
        });
  }

  private static ApiException unknownTool(String name) {
    return ApiException.notFound("unknown_tool", "This workspace has no tool named " + name + ".")
        .with("tool", name);
  }
}
