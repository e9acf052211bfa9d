package dev.beacon.integrations.tool.domain;

import reactor.core.publisher.Mono;

/**
 * One tool: what the model is told about it and how it runs. A built-in tool is a Spring bean
 * offered to every workspace; tools of connected integrations will come from their connections.
 *
 * <p>{@link #execute} gets arguments that match {@link ToolSpec#parameters()} and answers every
 * failure of its own as a {@link ToolResult#failed} result; it publishes a {@code service_call} for
 * each outside call it makes.
 */
public interface ToolExecutor {

  ToolSpec spec();

  Mono<ToolResult> execute(ToolCall call);
}
