package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTests {

  @TempDir Path dir;

  @Test
  void generatedApiKeysHaveThePrefixLengthAndAValidChecksum() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      String key = LocalSecrets.newApiKey(random);
      assertThat(key).startsWith("bcn_").hasSize(42).matches("bcn_[0-9A-Za-z]{38}");
      assertThat(LocalSecrets.isWellFormedApiKey(key)).isTrue();
    }
  }

  @Test
  void aSingleChangedCharacterBreaksTheChecksum() {
    String key = LocalSecrets.newApiKey(new SecureRandom());
    char[] chars = key.toCharArray();
    chars[10] = chars[10] == 'a' ? 'b' : 'a';

    assertThat(LocalSecrets.isWellFormedApiKey(new String(chars))).isFalse();
    assertThat(LocalSecrets.isWellFormedApiKey(key.substring(0, 41))).isFalse();
    assertThat(LocalSecrets.isWellFormedApiKey("xyz_" + key.substring(4))).isFalse();
    assertThat(LocalSecrets.isWellFormedApiKey(null)).isFalse();
  }

  @Test
  void theFirstStartGeneratesSecretsAndLaterStartsKeepThem() throws Exception {
    Path file = dir.resolve("secrets.properties");

    LocalSecrets first =
        LocalSecrets.loadOrCreate(file, Optional.empty(), Optional.empty(), Optional.empty());
    LocalSecrets second =
        LocalSecrets.loadOrCreate(file, Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(first.apiKeyGenerated()).isTrue();
    assertThat(second.apiKeyGenerated()).isFalse();
    assertThat(second.apiKey()).isEqualTo(first.apiKey());
    assertThat(second.identitySecret()).isEqualTo(first.identitySecret()).hasSizeGreaterThan(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void valuesFromTheEnvironmentWinOverStoredOnes() {
    Path file = dir.resolve("secrets.properties");
    LocalSecrets.loadOrCreate(file, Optional.empty(), Optional.empty(), Optional.empty());

    LocalSecrets given =
        LocalSecrets.loadOrCreate(
            file,
            Optional.of("an-identity-secret-of-at-least-32-bytes"),
            Optional.of("bcn_given"),
            Optional.of("a-keyset"));

    assertThat(given.apiKey()).isEqualTo("bcn_given");
    assertThat(given.apiKeyGenerated()).isFalse();
    assertThat(given.identitySecret()).isEqualTo("an-identity-secret-of-at-least-32-bytes");
    assertThat(given.chatKeyset()).isEqualTo("a-keyset");
  }

  @Test
  void theChatKeysetIsAWorkingTinkKeysetKeptAcrossStarts() throws Exception {
    Path file = dir.resolve("secrets.properties");
    LocalSecrets first =
        LocalSecrets.loadOrCreate(file, Optional.empty(), Optional.empty(), Optional.empty());
    LocalSecrets second =
        LocalSecrets.loadOrCreate(file, Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(second.chatKeyset()).isEqualTo(first.chatKeyset());
    // integrations-service has its own keyset, kept too, never chat's
    assertThat(second.integrationsKeyset()).isEqualTo(first.integrationsKeyset());
    assertThat(first.integrationsKeyset()).isNotEqualTo(first.chatKeyset());

    AeadConfig.register();
    String json =
        new String(Base64.getDecoder().decode(first.chatKeyset()), StandardCharsets.US_ASCII);
    KeysetHandle keyset =
        TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    assertThat(keyset.size()).isEqualTo(1);
    assertThat(keyset.getPrimary().getKey()).isInstanceOf(AesGcmKey.class);
    assertThat(((AesGcmKey) keyset.getPrimary().getKey()).getParameters().getKeySizeBytes())
        .isEqualTo(32);
    Aead aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    byte[] associated = "w-1\0openai".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = aead.encrypt("sk-test".getBytes(StandardCharsets.UTF_8), associated);
    assertThat(new String(aead.decrypt(sealed, associated), StandardCharsets.UTF_8))
        .isEqualTo("sk-test");
    assertThat(LocalSecrets.newChatKeyset(new SecureRandom())).isNotEqualTo(first.chatKeyset());
  }
}
