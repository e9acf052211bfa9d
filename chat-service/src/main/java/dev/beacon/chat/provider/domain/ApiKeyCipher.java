package dev.beacon.chat.provider.domain;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.identity.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Encrypts provider API keys with a Tink AEAD (the keyset's primary key, AES256_GCM) bound to their
 * workspace and provider: the associated data is {@code workspace id + NUL + provider id}, so a
 * ciphertext copied to another row does not decrypt.
 *
 * <p>The keyset comes from {@code BEACON_CHAT_KEYSET} ({@code beacon.chat.encryption.keyset}),
 * Tink's JSON keyset format or that JSON in base64. A keyset may hold several keys: Tink encrypts
 * with the primary one and decrypts with whichever key a ciphertext names, so adding a new primary
 * key rotates without re-encrypting. Unset, the service runs and every write of a key is refused
 * with 503 {@code encryption_unconfigured}; set but unreadable, the service does not start.
 */
@Component
public class ApiKeyCipher {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyCipher.class);

  private final Aead aead;

  ApiKeyCipher(ChatProperties properties) {
    this.aead = load(properties.encryption().keyset());
    if (aead == null) {
      log.warn(
          "BEACON_CHAT_KEYSET is not set: provider API keys cannot be stored, and settings writes"
              + " answer 503 encryption_unconfigured");
    }
  }

  /** Whether a keyset is configured. */
  public boolean isConfigured() {
    return aead != null;
  }

  /** The API key's ciphertext for this workspace and provider. */
  public byte[] encrypt(String workspaceId, Provider provider, String apiKey) {
    try {
      return requireAead()
          .encrypt(apiKey.getBytes(StandardCharsets.UTF_8), associatedData(workspaceId, provider));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt a provider API key", e);
    }
  }

  /** The API key of this workspace and provider. */
  public String decrypt(String workspaceId, Provider provider, byte[] ciphertext) {
    try {
      return new String(
          requireAead().decrypt(ciphertext, associatedData(workspaceId, provider)),
          StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "provider_key_undecryptable",
          "The stored API key of "
              + provider.displayName()
              + " cannot be decrypted with the configured keyset; set the key again.");
    }
  }

  private Aead requireAead() {
    if (aead == null) {
      throw unconfigured();
    }
    return aead;
  }

  /** 503 {@code encryption_unconfigured}. */
  public static ApiException unconfigured() {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "encryption_unconfigured",
        "Provider API keys cannot be stored or used: the service has no encryption keyset"
            + " (BEACON_CHAT_KEYSET).");
  }

  static byte[] associatedData(String workspaceId, Provider provider) {
    return (workspaceId + '\0' + provider.id()).getBytes(StandardCharsets.UTF_8);
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
          "BEACON_CHAT_KEYSET is set but is not a Tink AEAD keyset in JSON (or base64 of it): "
              + e.getClass().getSimpleName());
    }
  }
}
