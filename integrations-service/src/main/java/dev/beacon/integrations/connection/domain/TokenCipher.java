package dev.beacon.integrations.connection.domain;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Encrypts OAuth tokens with a Tink AEAD (the keyset's primary key, AES256_GCM) bound to their row:
 * the associated data is {@code connection id, workspace id, provider, kind} joined by NUL, so a
 * ciphertext copied to another row, workspace or into the other token's column does not decrypt.
 *
 * <p>The keyset comes from {@code BEACON_INTEGRATIONS_KEYSET}, Tink's JSON keyset format or that
 * JSON in base64. Tink encrypts with the primary key and decrypts with whichever key a ciphertext
 * names, so adding a new primary key rotates without re-encrypting. Unset, the service runs and
 * connecting is refused with 503 {@code encryption_unconfigured}; set but unreadable, the service
 * does not start. (Copied from chat-service's {@code ApiKeyCipher}: services share no code but
 * libs/.)
 */
@Component
public class TokenCipher {

  private static final Logger log = LoggerFactory.getLogger(TokenCipher.class);

  /** Which of a connection's secrets a ciphertext holds. */
  enum Kind {
    ACCESS,
    REFRESH,
    /** A credential connection's fields (API key and secret, bot token), as one JSON object. */
    CREDENTIALS
  }

  private final Aead aead;

  TokenCipher(IntegrationsProperties properties) {
    this.aead = load(properties.encryption().keyset());
    if (aead == null) {
      log.warn(
          "BEACON_INTEGRATIONS_KEYSET is not set: OAuth connections cannot be made or used, and"
              + " connecting answers 503 encryption_unconfigured");
    }
  }

  /** Whether a keyset is configured: without one, nothing can be sealed or opened. */
  public boolean isConfigured() {
    return aead != null;
  }

  /**
   * Seals another secret of the service (a channel's bot token) with the same keyset, bound to
   * {@code associatedData}, which the caller builds from the row the secret belongs to.
   *
   * @throws ApiException 503 {@code encryption_unconfigured} without a keyset
   */
  public byte[] seal(String secret, byte[] associatedData) {
    try {
      return requireAead().encrypt(secret.getBytes(StandardCharsets.UTF_8), associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt a secret", e);
    }
  }

  /**
   * Opens what {@link #seal} sealed with the same associated data.
   *
   * @throws GeneralSecurityException when no key of the keyset opens it, or it belongs elsewhere
   */
  public String open(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    return new String(requireAead().decrypt(ciphertext, associatedData), StandardCharsets.UTF_8);
  }

  byte[] encrypt(
      UUID connectionId, String workspaceId, Provider provider, Kind kind, String token) {
    try {
      return requireAead()
          .encrypt(
              token.getBytes(StandardCharsets.UTF_8),
              associatedData(connectionId, workspaceId, provider, kind));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt an OAuth token", e);
    }
  }

  String decrypt(
      UUID connectionId, String workspaceId, Provider provider, Kind kind, byte[] ciphertext) {
    try {
      return new String(
          requireAead()
              .decrypt(ciphertext, associatedData(connectionId, workspaceId, provider, kind)),
          StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "token_undecryptable",
          "The stored tokens of this "
              + provider.displayName()
              + " connection cannot be decrypted with the configured keyset; connect it again.");
    }
  }

  private Aead requireAead() {
    if (aead == null) {
      throw unconfigured();
    }
    return aead;
  }

  static ApiException unconfigured() {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "encryption_unconfigured",
        "OAuth connections cannot be stored or used: the service has no encryption keyset"
            + " (BEACON_INTEGRATIONS_KEYSET).");
  }

  static byte[] associatedData(
      UUID connectionId, String workspaceId, Provider provider, Kind kind) {
    return (connectionId + "\0" + workspaceId + "\0" + provider.id() + "\0" + kind.name())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Aead load(String keyset) {
    if (keyset == null || keyset.isBlank()) {
      return null;
    }
    String json = keyset.strip();
    try {
      if (!json.startsWith("{")) {
        json = new String(Base64.getMimeDecoder().decode(json), StandardCharsets.UTF_8);
      }
      AeadConfig.register();
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // the cause is left out on purpose: parser messages may quote the keyset
      throw new IllegalStateException(
          "BEACON_INTEGRATIONS_KEYSET is set but is not a Tink AEAD keyset in JSON (or base64 of"
              + " it): "
              + e.getClass().getSimpleName());
    }
  }
}
