package dev.beacon.identity;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * The verified caller of a request: a user acting in one workspace with one role.
 *
 * <p>Inside a service this is the principal of the request's {@code Authentication}: a WebFlux
 * controller takes it as an {@code @AuthenticationPrincipal ForwardedIdentity} parameter, a
 * functional handler or any reactive code calls {@link ForwardedIdentities#current()}. Every query
 * a service runs for the request is scoped by {@link #workspaceId()}.
 *
 * @param userId the user's id (the token's {@code sub})
 * @param workspaceId the workspace the user acts in (the {@code wid} claim)
 * @param role the user's role in that workspace (the {@code role} claim)
 * @param expiresAt when the signed identity stops being accepted (the {@code exp} claim)
 */
public record ForwardedIdentity(String userId, String workspaceId, Role role, Instant expiresAt)
    implements Serializable {

  /**
   * The request header that carries the signed identity. Not {@code Authorization}: ingest uses
   * that one for API keys.
   */
  public static final String HEADER = "X-Beacon-Identity";

  /** Checks that every part is present. */
  public ForwardedIdentity {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
