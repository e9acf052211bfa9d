package dev.beacon.integrations.tool.domain;

import java.util.List;
import java.util.Map;

/**
 * What the model is told about a tool.
 *
 * @param name unique in a workspace, e.g. {@code web_fetch}
 * @param description what it does, for the model
 * @param kind read or write
 * @param integration the integration it belongs to: {@code web}, or a provider's id ({@code
 *     google}, {@code slack}, {@code github}) for a provider's tool
 * @param parameters a JSON Schema object for its arguments, in the subset {@link ArgumentCheck}
 *     checks
 * @param requiredScopes the OAuth scopes a connection must have granted for the tool to be offered
 *     (none for a built-in)
 */
public record ToolSpec(
    String name,
    String description,
    ToolKind kind,
    String integration,
    Map<String, Object> parameters,
    List<String> requiredScopes) {

  public ToolSpec {
    requiredScopes = List.copyOf(requiredScopes);
  }
}
