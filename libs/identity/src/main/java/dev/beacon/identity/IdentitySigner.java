package dev.beacon.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs forwarded identities: the gateway calls it for every request it routes to a service, tests
 * call it to act as the gateway.
 *
 * <p>A signed identity is an HS256 JWT with {@code iss=beacon-gateway}, {@code
 * aud=beacon-services}, {@code sub} (user id), {@code wid} (workspace id), {@code role}, {@code
 * iat}, {@code exp} and a random {@code jti}. The application context provides one as a bean when
 * {@code beacon.identity.secret} is set.
 */
public final class IdentitySigner {

  private final JwtEncoder encoder;
  private final Duration defaultTtl;
  private final Clock clock;

  /**
   * A signer with the configured secret and TTL.
   *
   * @throws IllegalStateException if the secret is missing or shorter than 32 bytes
   */
  public IdentitySigner(IdentityProperties properties, Clock clock) {
    this.encoder =
        NimbusJwtEncoder.withSecretKey(IdentityKeys.hmacSha256(properties))
            .algorithm(MacAlgorithm.HS256)
            .build();
    this.defaultTtl = requirePositive(properties.ttl());
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Signs an identity valid for the configured TTL ({@code beacon.identity.ttl}, 60 s). */
  public String sign(String userId, String workspaceId, Role role) {
    return sign(userId, workspaceId, role, defaultTtl);
  }

  /** Signs an identity valid for {@code ttl} from now. */
  public String sign(String userId, String workspaceId, Role role, Duration ttl) {
    requireText(userId, "userId");
    requireText(workspaceId, "workspaceId");
    Objects.requireNonNull(role, "role");
    Instant now = clock.instant();
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .issuer(IdentityClaims.ISSUER)
            .audience(List.of(IdentityClaims.AUDIENCE))
            .subject(userId)
            .claim(IdentityClaims.WORKSPACE_ID, workspaceId)
            .claim(IdentityClaims.ROLE, role.claimValue())
            .issuedAt(now)
            .expiresAt(now.plus(requirePositive(ttl)))
            .id(UUID.randomUUID().toString())
            .build();
    JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
    return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
  }

  private static Duration requirePositive(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    return ttl;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
