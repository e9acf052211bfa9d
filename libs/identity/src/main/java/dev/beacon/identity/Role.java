package dev.beacon.identity;

import java.util.Locale;
import java.util.Optional;

/** A member's role in a workspace, as carried in the {@code role} claim. */
public enum Role {
  OWNER,
  ADMIN,
  MEMBER,
  VIEWER;

  /**
   * Whether this role may change state. Services reject any request other than GET, HEAD and
   * OPTIONS from a role that cannot write.
   */
  public boolean canWrite() {
    return this != VIEWER;
  }

  /** The value in the token: the lower-case name ({@code owner}, {@code viewer}, …). */
  public String claimValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role for a claim value; empty for anything that is not exactly one of the claim values. */
  public static Optional<Role> fromClaim(String claimValue) {
    for (Role role : values()) {
      if (role.claimValue().equals(claimValue)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
