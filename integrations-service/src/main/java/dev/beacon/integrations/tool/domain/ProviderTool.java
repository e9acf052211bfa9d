package dev.beacon.integrations.tool.domain;

import dev.beacon.integrations.connection.domain.ProviderId;
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
 * @param spec what the model is told; its {@code integration} is the provider's id
 * @param provider whose connection it needs
 * @param execute runs one call
 */
public record ProviderTool(
    ToolSpec spec, ProviderId provider, Function<ToolCall, Mono<ToolResult>> execute) {

  public ProviderTool {
    if (!spec.integration().equals(provider.id())) {
      throw new IllegalArgumentException(spec.name() + " must name " + provider.id());
    }
  }
}
