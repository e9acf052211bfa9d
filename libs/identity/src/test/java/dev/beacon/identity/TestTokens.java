package dev.beacon.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** Tokens the gateway would never sign: forged, tampered, unsigned or with wrong claims. */
final class TestTokens {

  /** 64 bytes, so that the same secret can also make an HS512 signature. */
  static final String SECRET = "beacon-test-identity-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

  static final String OTHER_SECRET = "another-secret-that-the-gateway-does-not-use-0123456789";

  private TestTokens() {}

  static IdentityProperties properties(String secret) {
    return new IdentityProperties(secret, null, null, null);
  }

  /** A well-formed identity signed with {@link #SECRET}, changed by {@code customizer}. */
  static String signed(Instant now, MacAlgorithm algorithm, Consumer<JwtClaimsSet.Builder> change) {
    JwtClaimsSet.Builder claims =
        JwtClaimsSet.builder()
            .issuer("beacon-gateway")
            .audience(List.of("beacon-services"))
            .subject("u-1")
            .claim("wid", "w-1")
            .claim("role", "member")
            .issuedAt(now)
            .expiresAt(now.plusSeconds(60))
            .id(UUID.randomUUID().toString());
    change.accept(claims);
    NimbusJwtEncoder encoder =
        NimbusJwtEncoder.withSecretKey(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), algorithm.getName()))
            .algorithm(algorithm)
            .build();
    return encoder
        .encode(JwtEncoderParameters.from(JwsHeader.with(algorithm).build(), claims.build()))
        .getTokenValue();
  }

  static String signed(Instant now, Consumer<JwtClaimsSet.Builder> change) {
    return signed(now, MacAlgorithm.HS256, change);
  }

  /** An {@code alg: none} token with otherwise perfect claims. */
  static String unsigned(Instant now) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("beacon-gateway")
            .audience("beacon-services")
            .subject("u-1")
            .claim("wid", "w-1")
            .claim("role", "owner")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(60)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    return new PlainJWT(claims).serialize();
  }

  /** The same token with its payload edited and the original signature kept. */
  static String withPayloadReplaced(String token, String from, String to) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    if (!payload.contains(from)) {
      throw new IllegalArgumentException("payload has no " + from);
    }
    String edited =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.replace(from, to).getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + edited + "." + parts[2];
  }
}
