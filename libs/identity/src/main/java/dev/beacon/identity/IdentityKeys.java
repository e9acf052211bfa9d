package dev.beacon.identity;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Turns the configured secret into the HS256 key, refusing secrets that are missing or short. */
final class IdentityKeys {

  /** HS256 needs a key at least as long as its hash (RFC 7518, section 3.2). */
  static final int MINIMUM_SECRET_BYTES = 32;

  private IdentityKeys() {}

  static SecretKey hmacSha256(IdentityProperties properties) {
    String secret = properties.secret();
    if (secret == null || secret.isBlank()) {
      throw new InvalidIdentitySecretException(
          "beacon.identity.secret is not set. Set the environment variable BEACON_IDENTITY_SECRET"
              + " to the secret the gateway signs forwarded identities with (at least "
              + MINIMUM_SECRET_BYTES
              + " bytes).");
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MINIMUM_SECRET_BYTES) {
      throw new InvalidIdentitySecretException(
          "beacon.identity.secret (environment variable BEACON_IDENTITY_SECRET) is shorter than "
              + MINIMUM_SECRET_BYTES
              + " bytes, too short for HS256. Use a random value of at least "
              + MINIMUM_SECRET_BYTES
              + " bytes, e.g. the output of `openssl rand -base64 48`.");
    }
    return new SecretKeySpec(bytes, "HmacSHA256");
  }
}
