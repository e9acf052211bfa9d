package dev.beacon.gateway.account;

import dev.beacon.identity.Role;
import java.util.UUID;

/** A member of a workspace as the members API shows it. */
public record Member(UUID id, String email, Role role) {}
