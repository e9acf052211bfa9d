package dev.beacon.identity;

/**
 * The configured identity secret cannot be used. Its message names the property and the rule, never
 * the value.
 */
final class InvalidIdentitySecretException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  InvalidIdentitySecretException(String message) {
    super(message);
  }
}
