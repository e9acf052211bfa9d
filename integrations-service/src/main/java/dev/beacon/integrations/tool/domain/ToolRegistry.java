package dev.beacon.integrations.tool.domain;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.events.CallContext;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The tools of a workspace and their execution. Today every workspace has the built-ins (the {@link
 * ToolExecutor} beans); connected integrations will add their tools per workspace.
 */
@Service
public class ToolRegistry {

  private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);

  private final Map<String, ToolExecutor> builtIns = new HashMap<>();

  ToolRegistry(List<ToolExecutor> executors) {
    for (ToolExecutor executor : executors) {
      ToolSpec spec = executor.spec();
      if (builtIns.putIfAbsent(spec.name(), executor) != null) {
        throw new IllegalStateException("two tools are named " + spec.name());
      }
    }
  }

  /** The workspace's tools, by name. */
  public List<ToolSpec> tools(String workspaceId) {
    return builtIns.values().stream()
        .map(ToolExecutor::spec)
        .sorted(Comparator.comparing(ToolSpec::name))
        .toList();
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
    ToolExecutor executor = builtIns.get(name);
    if (executor == null) {
      throw ApiException.notFound("unknown_tool", "This workspace has no tool named " + name + ".")
          .with("tool", name);
    }
    var problem = ArgumentCheck.problem(executor.spec().parameters(), arguments);
    if (problem.isPresent()) {
      throw ApiException.badRequest("invalid_arguments", problem.get().message())
          .with("field", problem.get().field());
    }
    return executor
        .execute(new ToolCall(caller.userId(), arguments, callId, context))
        .onErrorResume(
            e -> {
              log.error("The tool {} failed unexpectedly", name, e);
              return Mono.just(ToolResult.failed("tool_failed", "The tool failed unexpectedly."));
            });
  }
}
