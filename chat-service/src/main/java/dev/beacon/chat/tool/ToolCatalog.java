package dev.beacon.chat.tool;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.events.RunRef;
import dev.beacon.identity.IdentitySigner;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The tools agents can use: the demo tools when the demo provider is on, and the tools of
 * integrations-service's registry when its URL is set. A tool runs for at most {@code
 * beacon.chat.loop.tool-timeout}.
 */
@Component
public class ToolCatalog {

  private final boolean demo;
  private final IntegrationsToolClient registry;
  private final Duration toolTimeout;

  ToolCatalog(ChatProperties properties, IdentitySigner signer) {
    this.demo = properties.demo().enabled();
    String url = properties.tools().integrationsUrl();
    this.registry =
        url == null || url.isBlank()
            ? null
            : new IntegrationsToolClient(
                WebClient.builder().baseUrl(url).build(), signer, properties.tools().listTimeout());
    this.toolTimeout = properties.loop().toolTimeout();
  }

  /**
   * Every tool the workspace can give its agents: the demo tools where they are on, then the
   * registry's (a registry that cannot be read gives none, with a warning in the log).
   */
  public Mono<List<ToolSpec>> available(String workspaceId, String userId) {
    Mono<List<ToolSpec>> registered =
        registry == null ? Mono.just(List.of()) : registry.list(workspaceId, userId);
    return registered.map(
        listed -> {
          Map<String, ToolSpec> all = new LinkedHashMap<>();
          if (demo) {
            DemoTools.SPECS.forEach(spec -> all.put(spec.name(), spec));
          }
          listed.forEach(spec -> all.putIfAbsent(spec.name(), spec));
          return List.copyOf(all.values());
        });
  }

  /** The tools with these names that exist for the workspace, in the order asked, by name. */
  public Mono<Map<String, ToolSpec>> find(
      String workspaceId, String userId, Collection<String> names) {
    if (names.isEmpty()) {
      return Mono.just(Map.of());
    }
    Mono<List<ToolSpec>> registered =
        registry == null ? Mono.just(List.of()) : registry.list(workspaceId, userId);
    return registered.map(
        listed -> {
          Map<String, ToolSpec> found = new LinkedHashMap<>();
          for (String name : names) {
            (demo ? DemoTools.spec(name) : java.util.Optional.<ToolSpec>empty())
                .or(() -> listed.stream().filter(t -> t.name().equals(name)).findFirst())
                .ifPresent(spec -> found.put(name, spec));
          }
          return found;
        });
  }

  /** Runs a tool; a failure or a timeout is an outcome for the model, never an error signal. */
  public Mono<ToolOutcome> execute(
      RunRef run, String userId, ToolSpec tool, JsonNode arguments, String callId, String spanId) {
    Mono<ToolOutcome> outcome =
        "demo".equals(tool.integration()) && demo
            ? Mono.fromSupplier(() -> DemoTools.execute(tool.name(), arguments))
            : registry == null
                ? Mono.just(
                    ToolOutcome.failed(
                        "unavailable",
                        "The tool registry (integrations-service) is not configured."))
                : registry.execute(run, userId, tool.name(), arguments, callId, spanId);
    return outcome
        .timeout(toolTimeout)
        .onErrorResume(
            TimeoutException.class,
            e ->
                Mono.just(
                    ToolOutcome.failed(
                        "timeout",
                        "The tool "
                            + tool.name()
                            + " did not answer within "
                            + toolTimeout.toSeconds()
                            + " s.")))
        .onErrorResume(
            e ->
                Mono.just(
                    ToolOutcome.failed(
                        "unreachable",
                        "The tool "
                            + tool.name()
                            + " could not be run: "
                            + e.getClass().getSimpleName()
                            + ".")));
  }
}
