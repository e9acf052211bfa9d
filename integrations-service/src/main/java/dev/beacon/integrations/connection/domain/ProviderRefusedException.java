package dev.beacon.integrations.connection.domain;

/** The provider refused a grant: its OAuth {@code error} code (e.g. {@code invalid_grant}). */
class ProviderRefusedException extends RuntimeException {

  private final String error;

  ProviderRefusedException(String error) {
    super("the provider refused: " + error, null, false, false);
    this.error = error;
  }

  String error() {
    return error;
  }
}
