package dev.beacon.chat.tool;

import dev.beacon.chat.events.RunRef;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * integrations-service's tool registry, over its documented API ({@code docs/chat.md#tools}):
 * {@code GET /api/integrations/tools} lists a workspace's tools, {@code POST
 * /api/integrations/tools/{name}/execute} runs one. Calls carry an identity signed for the
 * workspace and the user the call is made for.
 */
final class IntegrationsToolClient {

  private static final Logger log = LoggerFactory.getLogger(IntegrationsToolClient.class);

  private final WebClient web;
  private final IdentitySigner signer;
  private final Duration listTimeout;

  IntegrationsToolClient(WebClient web, IdentitySigner signer, Duration listTimeout) {
    this.web = web;
    this.signer = signer;
    this.listTimeout = listTimeout;
  }

  /** The workspace's tools; empty, with a warning, when the registry cannot be asked. */
  Mono<List<ToolSpec>> list(String workspaceId, String userId) {
    return web.get()
        .uri("/api/integrations/tools")
        .header(ForwardedIdentity.HEADER, signer.sign(userId, workspaceId, Role.MEMBER))
        .accept(MediaType.APPLICATION_JSON)
        .retrieve()
        .bodyToMono(JsonNode.class)
        .timeout(listTimeout)
        .map(IntegrationsToolClient::specs)
        .onErrorResume(
            e -> {
              log.warn("The tool registry could not be read: {}", e.toString());
              return Mono.just(List.of());
            });
  }

  /**
   * Runs a tool; every failure, including a refusal or a malformed answer, becomes an outcome. The
   * call carries the turn's agent and run and a W3C {@code traceparent} whose parent is the tool
   * call's span, so the outside calls the registry makes appear under it in the run.
   */
  Mono<ToolOutcome> execute(
      RunRef run, String userId, String name, JsonNode arguments, String callId, String spanId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("arguments", arguments);
    body.put("call_id", callId);
    body.put("agent_id", run.agentId());
    body.put("run_id", run.runId());
    return web.post()
        .uri("/api/integrations/tools/{name}/execute", name)
        .header(ForwardedIdentity.HEADER, signer.sign(userId, run.workspaceId(), Role.MEMBER))
        .header("traceparent", "00-" + run.traceId() + "-" + spanId + "-01")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .retrieve()
        .bodyToMono(JsonNode.class)
        .map(IntegrationsToolClient::outcome)
        .onErrorResume(
            WebClientResponseException.class,
            e ->
                Mono.just(
                    ToolOutcome.failed(
                        "tool_error",
                        "The tool "
                            + name
                            + " was refused (HTTP "
                            + e.getStatusCode().value()
                            + ").")));
  }

  private static List<ToolSpec> specs(JsonNode body) {
    List<ToolSpec> specs = new ArrayList<>();
    JsonNode tools = body == null ? null : body.get("tools");
    if (tools == null || !tools.isArray()) {
      return specs;
    }
    for (JsonNode tool : tools) {
      String name = tool.path("name").asString("");
      var kind = ToolKind.of(tool.path("kind").asString(""));
      JsonNode parameters = tool.get("parameters");
      if (name.isBlank() || kind.isEmpty() || parameters == null || !parameters.isObject()) {
        log.warn("The tool registry listed a tool Beacon cannot offer, skipped: {}", name);
        continue;
      }
      specs.add(
          new ToolSpec(
              name,
              tool.path("description").asString(""),
              parameters.toString(),
              kind.get(),
              tool.path("integration").asString(""),
              tool.path("requires_approval").asBoolean(false)));
    }
    return specs;
  }

  private static ToolOutcome outcome(JsonNode body) {
    String status = body.path("status").asString("");
    JsonNode result = body.get("result");
    String text =
        result == null || result.isNull()
            ? ""
            : result.isString() ? result.asString() : result.toString();
    if (status.equals("ok")) {
      return ToolOutcome.ok(text);
    }
    JsonNode error = body.path("error");
    return ToolOutcome.failed(
        error.path("code").asString("tool_error"),
        error.path("message").asString(text.isEmpty() ? "The tool failed." : text));
  }
}
