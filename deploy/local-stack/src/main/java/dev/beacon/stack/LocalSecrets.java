package dev.beacon.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * Secrets of one local stack, generated on its first start and kept in {@code
 * .data/secrets.properties} (mode 600) so that a restart keeps the same identity key and the same
 * bootstrap API key.
 */
final class LocalSecrets {

  static final String API_KEY_PREFIX = "bcn_";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int API_KEY_RANDOM_LENGTH = 32;
  private static final int API_KEY_CHECKSUM_LENGTH = 6;

  private static final String AES_GCM_KEY_TYPE = "type.googleapis.com/google.crypto.tink.AesGcmKey";

  private final String identitySecret;
  private final String apiKey;
  private final boolean apiKeyGenerated;
  private final String chatKeyset;
  private final String integrationsKeyset;

  private LocalSecrets(
      String identitySecret,
      String apiKey,
      boolean apiKeyGenerated,
      String chatKeyset,
      String integrationsKeyset) {
    this.identitySecret = identitySecret;
    this.apiKey = apiKey;
    this.apiKeyGenerated = apiKeyGenerated;
    this.chatKeyset = chatKeyset;
    this.integrationsKeyset = integrationsKeyset;
  }

  /**
   * Loads the stack's secrets, generating what is missing. An identity secret, API key or chat
   * keyset given in the environment wins over the stored one.
   */
  static LocalSecrets loadOrCreate(
      Path file,
      Optional<String> identitySecretFromEnv,
      Optional<String> apiKeyFromEnv,
      Optional<String> chatKeysetFromEnv) {
    Properties stored = read(file);
    SecureRandom random = new SecureRandom();
    String identitySecret =
        identitySecretFromEnv.orElseGet(
            () ->
                Optional.ofNullable(stored.getProperty("identity.secret"))
                    .orElseGet(() -> newIdentitySecret(random)));
    String storedKey = stored.getProperty("init.api-key");
    boolean generated = apiKeyFromEnv.isEmpty() && storedKey == null;
    String apiKey =
        apiKeyFromEnv.orElseGet(() -> storedKey != null ? storedKey : newApiKey(random));
    // a stored keyset is kept for good: a new one would make every stored provider key unreadable
    String chatKeyset =
        chatKeysetFromEnv.orElseGet(
            () ->
                Optional.ofNullable(stored.getProperty("chat.keyset"))
                    .orElseGet(() -> newChatKeyset(random)));
    // integrations-service's own keyset for OAuth tokens, kept for good like chat's
    String integrationsKeyset =
        Optional.ofNullable(stored.getProperty("integrations.keyset"))
            .orElseGet(() -> newChatKeyset(random));
    stored.setProperty("identity.secret", identitySecret);
    stored.setProperty("init.api-key", apiKey);
    stored.setProperty("chat.keyset", chatKeyset);
    stored.setProperty("integrations.keyset", integrationsKeyset);
    write(file, stored);
    return new LocalSecrets(identitySecret, apiKey, generated, chatKeyset, integrationsKeyset);
  }

  String identitySecret() {
    return identitySecret;
  }

  String apiKey() {
    return apiKey;
  }

  boolean apiKeyGenerated() {
    return apiKeyGenerated;
  }

  /** The chat service's Tink keyset for provider API keys, base64 of its JSON form. */
  String chatKeyset() {
    return chatKeyset;
  }

  /** integrations-service's Tink keyset for OAuth tokens, base64 of its JSON form. */
  String integrationsKeyset() {
    return integrationsKeyset;
  }

  /**
   * A new Tink keyset, in Tink's JSON keyset format and base64-encoded, of one enabled AES-256-GCM
   * key: the keyset chat-service encrypts workspaces' provider API keys with. Written out here so
   * that the launcher needs no crypto library; its key data is the protobuf {@code AesGcmKey}
   * {@code {version: 0, key_value: 32 random bytes}} (field 3, length-delimited), and
   * LocalSecretsTests reads it with Tink itself.
   */
  static String newChatKeyset(SecureRandom random) {
    byte[] keyValue = new byte[32];
    random.nextBytes(keyValue);
    byte[] keyData = new byte[2 + keyValue.length];
    keyData[0] = 0x1a; // field 3 (key_value), wire type 2
    keyData[1] = (byte) keyValue.length;
    System.arraycopy(keyValue, 0, keyData, 2, keyValue.length);
    int keyId = 1 + random.nextInt(Integer.MAX_VALUE - 1);
    String json =
        "{\"primaryKeyId\":"
            + keyId
            + ",\"key\":[{\"keyData\":{\"typeUrl\":\""
            + AES_GCM_KEY_TYPE
            + "\",\"value\":\""
            + Base64.getEncoder().encodeToString(keyData)
            + "\",\"keyMaterialType\":\"SYMMETRIC\"},\"status\":\"ENABLED\",\"keyId\":"
            + keyId
            + ",\"outputPrefixType\":\"TINK\"}]}";
    return Base64.getEncoder()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * A new API key in Beacon's format: {@code bcn_}, 32 random base62 characters, then a 6-character
   * base62 CRC-32 of everything before it, so that a mistyped or made-up key is recognised without
   * a lookup.
   */
  static String newApiKey(SecureRandom random) {
    StringBuilder key = new StringBuilder(API_KEY_PREFIX);
    for (int i = 0; i < API_KEY_RANDOM_LENGTH; i++) {
      key.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return key.append(checksum(key.toString())).toString();
  }

  /** Whether {@code key} has the shape and checksum of a Beacon API key. */
  static boolean isWellFormedApiKey(String key) {
    int expectedLength = API_KEY_PREFIX.length() + API_KEY_RANDOM_LENGTH + API_KEY_CHECKSUM_LENGTH;
    if (key == null || key.length() != expectedLength || !key.startsWith(API_KEY_PREFIX)) {
      return false;
    }
    for (int i = API_KEY_PREFIX.length(); i < key.length(); i++) {
      if (BASE62.indexOf(key.charAt(i)) < 0) {
        return false;
      }
    }
    int split = key.length() - API_KEY_CHECKSUM_LENGTH;
    return checksum(key.substring(0, split)).equals(key.substring(split));
  }

  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[API_KEY_CHECKSUM_LENGTH];
    for (int i = API_KEY_CHECKSUM_LENGTH - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }

  private static String newIdentitySecret(SecureRandom random) {
    byte[] bytes = new byte[48];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Properties read(Path file) {
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return properties;
  }

  private static void write(Path file, Properties properties) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (Writer writer = Files.newBufferedWriter(file)) {
        properties.store(writer, "Beacon local stack secrets: keep private");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
