package dev.beacon.ingest.apikey.domain;

/** The outcome of checking a presented key. */
public sealed interface KeyCheck {

  /** A valid, unexpired, unrevoked key. */
  record Valid(AuthenticatedKey key) implements KeyCheck {}

  /** Missing, malformed, unknown or expired: all answered the same way, so there is no oracle. */
  record Invalid() implements KeyCheck {}

  /** A key that exists but was revoked. */
  record Revoked() implements KeyCheck {}
}
