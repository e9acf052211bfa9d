package dev.beacon.integrations.tool.domain;

import dev.beacon.integrations.connection.domain.Provider;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A tool of a connected provider. A workspace is offered it while it has a connection to the
 * provider with status {@code ok} that granted {@link ToolSpec#requiredScopes()}; the registry
 * picks that connection and hands it over in {@link ToolCall#connection()}.
 *
 * <p>Like a {@link ToolExecutor}, {@code execute} gets arguments that match the schema, answers its
 * own failures as {@link ToolResult#failed} results and publishes a {@code service_call} for each
 * outside call.
 *
 * <p>A tool with a platform credential (Beacon's own key for the provider, from the environment) is
 * offered to every workspace: one with a usable connection runs with it, any other with {@link
 * ToolCall#connection()} {@code null}, and the tool uses Beacon's key.
 *
 * @param spec what the model is told; its {@code integration} is the provider's id
 * @param provider whose connection it needs
 * @param execute runs one call
 * @param platformCredential whether Beacon has a credential of its own for the provider
 */
public record ProviderTool(
    ToolSpec spec,
    Provider provider,
    Function<ToolCall, Mono<ToolResult>> execute,
    boolean platformCredential) {

  public ProviderTool {
    if (!spec.integration().equals(provider.id())) {
      throw new IllegalArgumentException(spec.name() + " must name " + provider.id());
    }
  }

  /** A tool that runs only with a connection of the workspace. */
  public ProviderTool(
      ToolSpec spec, Provider provider, Function<ToolCall, Mono<ToolResult>> execute) {
    this(spec, provider, execute, false);
  }
}
