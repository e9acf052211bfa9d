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
 * @param requiresApproval whether every call must wait for a member's approval, whatever the
 *     agent's own settings say (a write tool that moves money); only for write tools
 */
public record ToolSpec(
    String name,
    String description,
    ToolKind kind,
    String integration,
    Map<String, Object> parameters,
    List<String> requiredScopes,
    boolean requiresApproval) {

  public ToolSpec {
    requiredScopes = List.copyOf(requiredScopes);
    if (requiresApproval && kind != ToolKind.WRITE) {
      throw new IllegalArgumentException(name + ": only a write tool waits for approval");
    }
  }

  /** A tool whose write calls wait for approval when the agent's settings ask for it. */
  public ToolSpec(
      String name,
      String description,
      ToolKind kind,
      String integration,
      Map<String, Object> parameters,
      List<String> requiredScopes) {
    this(name, description, kind, integration, parameters, requiredScopes, false);
  }
}
