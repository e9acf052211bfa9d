package dev.beacon.integrations.tool.web;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.events.CallContext;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's tools. Every role lists them; viewers may not execute (the identity library
 * answers their POST with 403 {@code forbidden_role}). A tool's own failure is a 200 with {@code
 * status: error}; only a call Beacon cannot run is an HTTP error.
 */
@RestController
@RequestMapping("/api/integrations/tools")
class ToolController {

  private static final int MAX_ID_LENGTH = 128;

  private final ToolRegistry registry;

  ToolController(ToolRegistry registry) {
    this.registry = registry;
  }

  @GetMapping
  Mono<Map<String, List<Map<String, Object>>>> list(
      @AuthenticationPrincipal ForwardedIdentity caller) {
    return registry
        .tools(caller.workspaceId())
        .map(tools -> Map.of("tools", tools.stream().map(ToolController::view).toList()));
  }

  @PostMapping("/{name}/execute")
  Mono<ToolResult> execute(
      @AuthenticationPrincipal ForwardedIdentity caller,
      @PathVariable String name,
      @RequestBody JsonNode body,
      @RequestHeader(name = "traceparent", required = false) String traceparent) {
    if (!body.isObject()) {
      throw invalid("The body must be a JSON object with \"arguments\".");
    }
    JsonNode arguments = body.get("arguments");
    if (arguments == null || !arguments.isObject()) {
      throw invalid("\"arguments\" must be a JSON object.");
    }
    String callId = optionalId(body, "call_id");
    CallContext context =
        CallContext.of(
            caller.workspaceId(),
            optionalId(body, "agent_id"),
            optionalId(body, "run_id"),
            traceparent);
    return registry.execute(caller, name, arguments, callId, context);
  }

  private static String optionalId(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()
        || value.asString().isBlank()
        || value.asString().length() > MAX_ID_LENGTH) {
      throw invalid("\"" + field + "\" must be a string of 1 to " + MAX_ID_LENGTH + " characters.");
    }
    return value.asString();
  }

  private static ApiException invalid(String message) {
    return ApiException.badRequest("invalid_request", message);
  }

  private static Map<String, Object> view(ToolSpec spec) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", spec.name());
    view.put("description", spec.description());
    view.put("kind", spec.kind().value());
    view.put("integration", spec.integration());
    view.put("parameters", spec.parameters());
    view.put("required_scopes", spec.requiredScopes());
    view.put("requires_approval", spec.requiresApproval());
    return view;
  }
}
