package dev.beacon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key format shared with the local stack's launcher. */
class ApiKeyFormatTests {

  @RepeatedTest(20)
  void generatesFortyTwoCharacterKeysWithAValidChecksum() {
    String key = ApiKeyFormat.generate();

    assertThat(key).hasSize(42).startsWith("bcn_").matches("bcn_[0-9A-Za-z]{38}");
    assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
  }

  @Test
  void acceptsAKeyMadeByTheLocalStackAlgorithm() {
    // bcn_ + 32 characters + base62 CRC-32, computed independently
    assertThat(ApiKeyFormat.isWellFormed("bcn_TestBootstrapKey00000000000000010XdG8w")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bcn_TestBootstrapKey00000000000000010XdG8x",
        "bcx_TestBootstrapKey00000000000000010XdG8w",
        "bcn_TestBootstrapKey00000000000000010XdG8",
        "bcn_TestBootstrapKey0000000000000001-0XdG8w",
        "bcn_TestBootstrapKey000000000000000_10XdG8w",
        "",
      })
  void rejectsAWrongChecksumPrefixLengthOrAlphabet(String key) {
    assertThat(ApiKeyFormat.isWellFormed(key)).isFalse();
  }

  @Test
  void displaysOnlyTheFirstTwelveCharacters() {
    assertThat(ApiKeyFormat.displayPrefix("bcn_TestBootstrapKey00000000000000010XdG8w"))
        .isEqualTo("bcn_TestBoot");
  }

  @Test
  void readsTheKeyOfABearerHeaderWhateverTheSchemesCase() {
    assertThat(ApiKeyFormat.fromAuthorization("Bearer bcn_abc ")).isEqualTo("bcn_abc");
    assertThat(ApiKeyFormat.fromAuthorization("bearer bcn_abc")).isEqualTo("bcn_abc");
    assertThat(ApiKeyFormat.fromAuthorization("BEARER bcn_abc")).isEqualTo("bcn_abc");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Bearer", "Basic YWxhZGRpbjpvcGVu", "Bearerbcn_abc", "Token bcn_abc"})
  void findsNoKeyInAMissingOrForeignAuthorizationHeader(String authorization) {
    assertThat(ApiKeyFormat.fromAuthorization(authorization)).isNull();
  }

  @Test
  void findsNoKeyWithoutAnAuthorizationHeader() {
    assertThat(ApiKeyFormat.fromAuthorization(null)).isNull();
  }
}
