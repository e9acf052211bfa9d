package dev.beacon.identity;

/** Names and fixed values of the forwarded identity's claims; see the ADR for the format. */
final class IdentityClaims {

  static final String ISSUER = "beacon-gateway";
  static final String AUDIENCE = "beacon-services";
  static final String WORKSPACE_ID = "wid";
  static final String ROLE = "role";

  private IdentityClaims() {}
}
