package dev.beacon.ingest.apikey.domain;

import java.util.Locale;
import java.util.Optional;

/** What a key may be used for. */
public enum ApiKeyScope {
  /** Send events to the ingest API (the default). */
  INGEST,
  /** Call the obs read API through the gateway, for scripts and external dashboards. */
  READ,
  /**
   * Call the workspace's tools over MCP through the gateway ({@code /api/integrations/mcp}), as a
   * member of the workspace: for outside agents (integrations' ADR 0027).
   */
  TOOLS;

  /** The value in JSON and in the database. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope for a value, if it is one. */
  public static Optional<ApiKeyScope> of(String value) {
    for (ApiKeyScope scope : values()) {
      if (scope.value().equals(value)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }
}
