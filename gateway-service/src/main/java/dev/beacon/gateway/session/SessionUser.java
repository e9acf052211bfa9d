package dev.beacon.gateway.session;

import java.io.Serializable;
import java.util.UUID;

/**
 * The signed-in person behind a browser request.
 *
 * @param userId the user's id
 * @param email the user's email
 * @param workspaceId the workspace the session acts in; null until one is chosen
 * @param sessionIdHash the SHA-256 of the session cookie; null for a login not yet saved
 */
public record SessionUser(UUID userId, String email, UUID workspaceId, String sessionIdHash)
    implements Serializable {}
