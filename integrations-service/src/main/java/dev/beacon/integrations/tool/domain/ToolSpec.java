package dev.beacon.integrations.tool.domain;

import java.util.Map;

/**
 * What the model is told about a tool.
 *
 * @param name unique in a workspace, e.g. {@code web_fetch}
 * @param description what it does, for the model
 * @param kind read or write
 * @param integration the integration it belongs to, e.g. {@code web}
 * @param parameters a JSON Schema object for its arguments, in the subset {@link ArgumentCheck}
 *     checks
 */
public record ToolSpec(
    String name,
    String description,
    ToolKind kind,
    String integration,
    Map<String, Object> parameters) {}
