package dev.beacon.chat.provider.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.identity.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Tink AEAD for provider keys: binding to workspace and provider, rotation, keyset formats. */
class ApiKeyCipherTests {

  private static final String KEY = "sk-live-abcdefghijklmnop1234";

  static String newKeyset() throws Exception {
    AeadConfig.register();
    return TinkJsonProtoKeysetFormat.serializeKeyset(
        KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
        InsecureSecretKeyAccess.get());
  }

  static ApiKeyCipher cipher(String keyset) {
    return new ApiKeyCipher(
        dev.beacon.chat.ChatTestKit.properties(
            new ChatProperties.Encryption(keyset),
            new ChatProperties.Providers(
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true),
            new ChatProperties.Models(Duration.ofSeconds(1), 0)));
  }

  @Test
  void encryptsWithoutThePlaintextAndDecryptsForTheSameWorkspaceAndProvider() throws Exception {
    ApiKeyCipher cipher = cipher(newKeyset());

    byte[] ciphertext = cipher.encrypt("ws-1", Provider.OPENAI, KEY);

    assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain(KEY);
    assertThat(cipher.decrypt("ws-1", Provider.OPENAI, ciphertext)).isEqualTo(KEY);
    assertThat(cipher.encrypt("ws-1", Provider.OPENAI, KEY)).isNotEqualTo(ciphertext);
  }

  @Test
  void aCiphertextMovedToAnotherWorkspaceOrProviderDoesNotDecrypt() throws Exception {
    ApiKeyCipher cipher = cipher(newKeyset());
    byte[] ciphertext = cipher.encrypt("ws-1", Provider.OPENAI, KEY);

    assertThatThrownBy(() -> cipher.decrypt("ws-2", Provider.OPENAI, ciphertext))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("provider_key_undecryptable"));
    assertThatThrownBy(() -> cipher.decrypt("ws-1", Provider.GROQ, ciphertext))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void aNewPrimaryKeyRotatesWhileOldCiphertextsStillDecrypt() throws Exception {
    AeadConfig.register();
    KeysetHandle old = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    String oldJson = TinkJsonProtoKeysetFormat.serializeKeyset(old, InsecureSecretKeyAccess.get());
    byte[] before = cipher(oldJson).encrypt("ws-1", Provider.ANTHROPIC, KEY);

    KeysetHandle rotated =
        KeysetHandle.newBuilder(old)
            .addEntry(
                KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId()
                    .makePrimary())
            .build();
    ApiKeyCipher cipher =
        cipher(TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get()));

    assertThat(cipher.decrypt("ws-1", Provider.ANTHROPIC, before)).isEqualTo(KEY);
    byte[] after = cipher.encrypt("ws-1", Provider.ANTHROPIC, KEY);
    assertThatThrownBy(() -> cipher(oldJson).decrypt("ws-1", Provider.ANTHROPIC, after))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void acceptsTheKeysetAsBase64OfItsJson() throws Exception {
    String json = newKeyset();
    byte[] ciphertext = cipher(json).encrypt("ws-1", Provider.MISTRAL, KEY);

    ApiKeyCipher fromBase64 =
        cipher(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));

    assertThat(fromBase64.decrypt("ws-1", Provider.MISTRAL, ciphertext)).isEqualTo(KEY);
  }

  @Test
  void aKeysetThatIsNotOneStopsTheStartWithoutQuotingIt() {
    assertThatThrownBy(() -> cipher("{\"primaryKeyId\": 1, \"key\": \"secret-material\"}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BEACON_CHAT_KEYSET")
        .hasMessageNotContaining("secret-material");
  }

  @Test
  void withoutAKeysetItWarnsOnceAndRefusesWithEncryptionUnconfigured() {
    Logger logger = (Logger) LoggerFactory.getLogger(ApiKeyCipher.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      ApiKeyCipher cipher = cipher("");

      assertThat(cipher.isConfigured()).isFalse();
      assertThat(logs.list)
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("BEACON_CHAT_KEYSET");
              });
      assertThatThrownBy(() -> cipher.encrypt("ws-1", Provider.OPENAI, KEY))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("encryption_unconfigured");
                assertThat(e.status().value()).isEqualTo(503);
              });
    } finally {
      logger.detachAppender(logs);
    }
  }
}
