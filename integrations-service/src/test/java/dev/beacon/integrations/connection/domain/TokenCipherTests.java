package dev.beacon.integrations.connection.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.TokenCipher.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TokenCipherTests {

  static final UUID ID = UUID.randomUUID();

  @Test
  void aCiphertextDecryptsOnlyForItsOwnConnectionWorkspaceProviderAndKind() throws Exception {
    TokenCipher cipher = cipher(keyset());
    byte[] sealed = cipher.encrypt(ID, "ws-1", ProviderId.GOOGLE, Kind.ACCESS, "ya29.token");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("ya29.token");
    assertThat(cipher.decrypt(ID, "ws-1", ProviderId.GOOGLE, Kind.ACCESS, sealed))
        .isEqualTo("ya29.token");
    assertUndecryptable(
        () -> cipher.decrypt(UUID.randomUUID(), "ws-1", ProviderId.GOOGLE, Kind.ACCESS, sealed));
    assertUndecryptable(() -> cipher.decrypt(ID, "ws-2", ProviderId.GOOGLE, Kind.ACCESS, sealed));
    assertUndecryptable(() -> cipher.decrypt(ID, "ws-1", ProviderId.GITHUB, Kind.ACCESS, sealed));
    assertUndecryptable(() -> cipher.decrypt(ID, "ws-1", ProviderId.GOOGLE, Kind.REFRESH, sealed));
  }

  @Test
  void aKeysetWithANewPrimaryKeyStillDecryptsWhatTheOldOneEncrypted() throws Exception {
    AeadConfig.register();
    KeysetHandle old = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    byte[] sealed =
        cipher(TinkJsonProtoKeysetFormat.serializeKeyset(old, InsecureSecretKeyAccess.get()))
            .encrypt(ID, "ws", ProviderId.SLACK, Kind.ACCESS, "xoxb-1");
    KeysetHandle rotated =
        KeysetHandle.newBuilder(old)
            .addEntry(
                KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId()
                    .makePrimary())
            .build();
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get());
    // base64 of the JSON is accepted as well
    TokenCipher cipher =
        cipher(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));

    assertThat(cipher.decrypt(ID, "ws", ProviderId.SLACK, Kind.ACCESS, sealed)).isEqualTo("xoxb-1");
  }

  @Test
  void withoutAKeysetNothingIsEncryptedAndAnUnreadableOneStopsTheStart() {
    TokenCipher none = cipher("");
    assertThat(none.isConfigured()).isFalse();
    assertThatThrownBy(() -> none.encrypt(ID, "ws", ProviderId.GOOGLE, Kind.ACCESS, "t"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("encryption_unconfigured"));
    assertThatThrownBy(() -> cipher("{\"not\": \"a keyset SECRET\"}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("BEACON_INTEGRATIONS_KEYSET is set but")
        .hasMessageNotContaining("SECRET");
  }

  private static void assertUndecryptable(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("token_undecryptable"));
  }

  private static TokenCipher cipher(String keyset) {
    return new TokenCipher(
        new IntegrationsProperties(
            null,
            null,
            "http://localhost:8080",
            null,
            new IntegrationsProperties.Encryption(keyset),
            null));
  }

  private static String keyset() throws Exception {
    AeadConfig.register();
    return TinkJsonProtoKeysetFormat.serializeKeyset(
        KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
        InsecureSecretKeyAccess.get());
  }
}
