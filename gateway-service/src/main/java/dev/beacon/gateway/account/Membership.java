package dev.beacon.gateway.account;

import dev.beacon.identity.Role;
import java.util.UUID;

/** A user's role in one workspace. */
public record Membership(UUID workspaceId, String workspaceName, UUID userId, Role role) {}
