package dev.beacon.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.test.StepVerifier;

class IdentitySignerTests {

  private final Clock clock = Clock.fixed(MutableClock.START, ZoneOffset.UTC);
  private final IdentityProperties properties = TestTokens.properties(TestTokens.SECRET);
  private final IdentitySigner signer = new IdentitySigner(properties, clock);
  private final ReactiveJwtDecoder decoder = IdentityDecoders.create(properties, clock);

  @Test
  void signedIdentityDecodesBackToTheSameIdentity() {
    String token = signer.sign("u-1", "w-1", Role.ADMIN);

    StepVerifier.create(decoder.decode(token))
        .assertNext(
            jwt -> {
              assertThat(IdentityDecoders.identityOf(jwt))
                  .isEqualTo(
                      new ForwardedIdentity(
                          "u-1", "w-1", Role.ADMIN, MutableClock.START.plusSeconds(60)));
              assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
              assertThat(jwt.getClaimAsString("iss")).isEqualTo("beacon-gateway");
              assertThat(jwt.getAudience()).containsExactly("beacon-services");
              assertThat(jwt.getIssuedAt()).isEqualTo(MutableClock.START);
              assertThat(jwt.getId()).isNotBlank();
            })
        .verifyComplete();
  }

  @Test
  void explicitTtlSetsTheExpiry() {
    String token = signer.sign("u-1", "w-1", Role.VIEWER, Duration.ofSeconds(15));

    StepVerifier.create(decoder.decode(token).map(Jwt::getExpiresAt))
        .expectNext(MutableClock.START.plusSeconds(15))
        .verifyComplete();
  }

  @Test
  void everySignatureGetsItsOwnTokenId() {
    String first = signer.sign("u-1", "w-1", Role.MEMBER);
    String second = signer.sign("u-1", "w-1", Role.MEMBER);

    assertThat(first).isNotEqualTo(second);
    StepVerifier.create(decoder.decode(first).zipWith(decoder.decode(second)))
        .assertNext(both -> assertThat(both.getT1().getId()).isNotEqualTo(both.getT2().getId()))
        .verifyComplete();
  }

  @Test
  void decoderRejectsAnotherKeysSignature() {
    IdentitySigner forger =
        new IdentitySigner(TestTokens.properties(TestTokens.OTHER_SECRET), clock);

    StepVerifier.create(decoder.decode(forger.sign("u-1", "w-1", Role.OWNER)))
        .expectError(BadJwtException.class)
        .verify();
  }

  @Test
  void decoderMarksAnExpiredIdentityAsExpired() {
    String token = signer.sign("u-1", "w-1", Role.OWNER);
    ReactiveJwtDecoder later =
        IdentityDecoders.create(properties, Clock.offset(clock, Duration.ofSeconds(66)));

    StepVerifier.create(later.decode(token))
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOfSatisfying(
                        JwtValidationException.class,
                        invalid ->
                            assertThat(invalid.getErrors())
                                .extracting(e -> e.getErrorCode())
                                .containsExactly(IdentityDecoders.EXPIRED)))
        .verify();
  }

  @Test
  void refusesSecretsShorterThan32Bytes() {
    assertThatThrownBy(() -> new IdentitySigner(TestTokens.properties("x".repeat(31)), clock))
        .isInstanceOf(InvalidIdentitySecretException.class)
        .hasMessageContaining("shorter than 32 bytes")
        .hasMessageNotContaining("x".repeat(31));
  }

  @Test
  void refusesNonPositiveTtlAndBlankIds() {
    assertThatThrownBy(() -> signer.sign("u-1", "w-1", Role.OWNER, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign(" ", "w-1", Role.OWNER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyViewersCannotWrite() {
    assertThat(Role.VIEWER.canWrite()).isFalse();
    assertThat(Role.OWNER.canWrite()).isTrue();
    assertThat(Role.ADMIN.canWrite()).isTrue();
    assertThat(Role.MEMBER.canWrite()).isTrue();
    assertThat(Role.fromClaim("viewer")).contains(Role.VIEWER);
    assertThat(Role.fromClaim("VIEWER")).isEmpty();
  }
}
