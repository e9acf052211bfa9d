package dev.beacon.chat.tool;

/**
 * A tool as the model is offered it.
 *
 * @param name the tool's name in the registry, e.g. {@code slack.post_message}
 * @param description what it does, for the model
 * @param parametersSchema its arguments as a JSON Schema object, serialized
 * @param kind read or write
 * @param integration the integration it belongs to ({@code slack}, {@code demo}), the {@code
 *     tool.integration} of its events
 * @param requiresApproval the registry's word that every call waits for approval whatever the
 *     agent's settings say ({@code binance.place_order}: it moves money)
 */
public record ToolSpec(
    String name,
    String description,
    String parametersSchema,
    ToolKind kind,
    String integration,
    boolean requiresApproval) {}
