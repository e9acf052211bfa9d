package dev.beacon.integrations.connection.domain;

/**
 * Whether a connection's tokens work: {@code ok}, {@code needs_reauth} (connect again), {@code
 * error}.
 */
public enum ConnectionStatus {
  OK("ok"),
  NEEDS_REAUTH("needs_reauth"),
  ERROR("error");

  private final String value;

  ConnectionStatus(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  static ConnectionStatus of(String value) {
    for (ConnectionStatus status : values()) {
      if (status.value.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown connection status " + value);
  }
}
