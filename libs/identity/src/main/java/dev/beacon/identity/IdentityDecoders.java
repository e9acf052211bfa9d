package dev.beacon.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Builds the decoder that verifies a forwarded identity: Nimbus checks the HS256 signature (and
 * nothing but HS256), Spring Security's validators check the claims.
 */
final class IdentityDecoders {

  /** The error code a validation failure carries when the only problem is expiry. */
  static final String EXPIRED = "identity_expired";

  private IdentityDecoders() {}

  static ReactiveJwtDecoder create(IdentityProperties properties, Clock clock) {
    NimbusReactiveJwtDecoder decoder =
        NimbusReactiveJwtDecoder.withSecretKey(IdentityKeys.hmacSha256(properties))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    decoder.setJwtValidator(validator(properties.clockSkew(), clock));
    return decoder;
  }

  static ForwardedIdentity identityOf(Jwt jwt) {
    Role role =
        Role.fromClaim(jwt.getClaimAsString(IdentityClaims.ROLE))
            .orElseThrow(() -> new IllegalArgumentException("unknown role"));
    return new ForwardedIdentity(
        jwt.getSubject(),
        jwt.getClaimAsString(IdentityClaims.WORKSPACE_ID),
        role,
        jwt.getExpiresAt());
  }

  private static OAuth2TokenValidator<Jwt> validator(Duration clockSkew, Clock clock) {
    return new DelegatingOAuth2TokenValidator<>(
        new ExpiryValidator(clockSkew, clock),
        // Spring's JwtIssuedAtValidator also rejects an iat older than the skew (it is made for
        // DPoP proofs); here iat only has to be present and not in the future
        new JwtClaimValidator<Object>(
            JwtClaimNames.IAT,
            value ->
                value instanceof Instant issuedAt
                    && !issuedAt.isAfter(clock.instant().plus(clockSkew))),
        new JwtIssuerValidator(IdentityClaims.ISSUER),
        new JwtAudienceValidator(IdentityClaims.AUDIENCE),
        new JwtClaimValidator<Object>(JwtClaimNames.SUB, IdentityDecoders::isText),
        new JwtClaimValidator<Object>(IdentityClaims.WORKSPACE_ID, IdentityDecoders::isText),
        new JwtClaimValidator<Object>(JwtClaimNames.JTI, IdentityDecoders::isText),
        new JwtClaimValidator<Object>(
            IdentityClaims.ROLE,
            value -> value instanceof String role && Role.fromClaim(role).isPresent()));
  }

  private static boolean isText(Object value) {
    return value instanceof String text && !text.isBlank();
  }

  /**
   * Spring's timestamp check (which also requires {@code exp}), relabelled so that an expired
   * identity can be told apart from a forged one.
   */
  private static final class ExpiryValidator implements OAuth2TokenValidator<Jwt> {

    private final JwtTimestampValidator timestamps;
    private final Duration clockSkew;
    private final Clock clock;

    ExpiryValidator(Duration clockSkew, Clock clock) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.timestamps = new JwtTimestampValidator(clockSkew);
      this.timestamps.setClock(clock);
      this.timestamps.setAllowEmptyExpiryClaim(false);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
      OAuth2TokenValidatorResult result = timestamps.validate(jwt);
      Instant expiresAt = jwt.getExpiresAt();
      if (result.hasErrors()
          && expiresAt != null
          && clock.instant().minus(clockSkew).isAfter(expiresAt)) {
        return OAuth2TokenValidatorResult.failure(
            new OAuth2Error(EXPIRED, "The forwarded identity has expired", null));
      }
      return result;
    }
  }
}
