package dev.beacon.ingest.apikey.domain;

/** The outcome of changing a key. */
public sealed interface KeyUpdate {

  /** Changed; the key as it is now. */
  record Updated(ApiKeyView key) implements KeyUpdate {}

  /** No such key in the workspace (or one of another workspace). */
  record NotFound() implements KeyUpdate {}

  /** The key is revoked and can no longer be changed. */
  record Revoked() implements KeyUpdate {}
}
