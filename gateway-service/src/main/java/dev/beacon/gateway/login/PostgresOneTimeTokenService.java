package dev.beacon.gateway.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.reactive.ReactiveOneTimeTokenService;
import reactor.core.publisher.Mono;

/**
 * Spring Security's one-time tokens, kept in {@code identity.login_tokens} so that a link works on
 * any gateway instance and after a restart.
 *
 * <p>Only a token's SHA-256 is stored. {@link #consume} deletes the row and returns it in one
 * statement, so of two concurrent uses exactly one wins; an expired token is deleted and refused.
 */
class PostgresOneTimeTokenService implements ReactiveOneTimeTokenService {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatabaseClient db;

  PostgresOneTimeTokenService(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<OneTimeToken> generate(GenerateOneTimeTokenRequest request) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Instant expiresAt = Instant.now().plus(request.getExpiresIn());
    return db.sql(
            "INSERT INTO identity.login_tokens (token_hash, email, expires_at)"
                + " VALUES (:hash, :email, :expires)")
        .bind("hash", hash(token))
        .bind("email", request.getUsername())
        .bind("expires", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
        .then()
        .thenReturn(new DefaultOneTimeToken(token, request.getUsername(), expiresAt));
  }

  @Override
  public Mono<OneTimeToken> consume(OneTimeTokenAuthenticationToken authenticationToken) {
    String token = authenticationToken.getTokenValue();
    if (token == null || token.isBlank() || token.length() > 200) {
      return Mono.empty();
    }
    return db.sql(
            "DELETE FROM identity.login_tokens WHERE token_hash = :hash"
                + " RETURNING email, expires_at")
        .bind("hash", hash(token))
        .map(
            row ->
                new DefaultOneTimeToken(
                    token,
                    row.get("email", String.class),
                    row.get("expires_at", OffsetDateTime.class).toInstant()))
        .one()
        .filter(found -> found.getExpiresAt().isAfter(Instant.now()))
        .cast(OneTimeToken.class);
  }

  /** Forgets tokens that can no longer be used; they are refused anyway, this keeps it small. */
  @Scheduled(fixedDelayString = "${beacon.gateway.login.cleanup-interval:PT10M}")
  void deleteExpired() {
    db.sql("DELETE FROM identity.login_tokens WHERE expires_at <= now()").then().subscribe();
  }

  static String hash(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
