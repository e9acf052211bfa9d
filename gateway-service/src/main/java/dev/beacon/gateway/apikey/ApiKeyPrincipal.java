package dev.beacon.gateway.apikey;

/**
 * A verified API key, for the one scope the request's path needs: {@code read} reads its workspace
 * as a viewer, {@code tools} calls its workspace's tools over MCP as a member.
 *
 * @param keyId the key's id
 * @param workspaceId its workspace
 * @param scope the scope it was verified for on this request
 */
public record ApiKeyPrincipal(String keyId, String workspaceId, String scope) {

  /** Whether it speaks for the workspace's tools (over MCP) rather than reading it. */
  public boolean forTools() {
    return ApiKeyAuthenticationManager.TOOLS_SCOPE.equals(scope);
  }
}
