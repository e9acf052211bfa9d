package dev.beacon.gateway.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Browser sessions in {@code identity.sessions}, shared by every gateway instance and kept across
 * restarts. The cookie carries 32 random bytes; the table keeps only their SHA-256, so a database
 * dump does not hand out live sessions.
 */
@Component
public class SessionStore {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatabaseClient db;
  private final SessionProperties properties;
  private final Clock clock;

  SessionStore(DatabaseClient db, SessionProperties properties) {
    this.db = db;
    this.properties = properties;
    this.clock = Clock.systemUTC();
  }

  /** A new session's cookie value (and its stored row). */
  Mono<String> create(UUID userId, UUID workspaceId) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    OffsetDateTime now = now();
    return db.sql(
            "INSERT INTO identity.sessions"
                + " (id_hash, user_id, workspace_id, created_at, last_seen_at, expires_at)"
                + " VALUES (:id, :user, :workspace, :now, :now, :expires)")
        .bind("id", hash(id))
        .bind("user", userId)
        .bindNull("workspace", UUID.class)
        .bind("now", now)
        .bind("expires", now.plus(properties.absoluteTimeout()))
        .then()
        .then(workspaceId == null ? Mono.empty() : switchWorkspace(hash(id), workspaceId))
        .thenReturn(id);
  }

  /** The live session for a cookie value, touched; empty when unknown, idle or expired. */
  Mono<SessionUser> find(String cookieValue) {
    String idHash = hash(cookieValue);
    OffsetDateTime now = now();
    return db.sql(
            "SELECT s.user_id, u.email, s.workspace_id, s.last_seen_at"
                + " FROM identity.sessions s JOIN identity.users u ON u.id = s.user_id"
                + " WHERE s.id_hash = :id AND s.expires_at > :now AND s.last_seen_at > :idle")
        .bind("id", idHash)
        .bind("now", now)
        .bind("idle", now.minus(properties.idleTimeout()))
        .map(
            row ->
                new Object[] {
                  new SessionUser(
                      row.get("user_id", UUID.class),
                      row.get("email", String.class),
                      row.get("workspace_id", UUID.class),
                      idHash),
                  row.get("last_seen_at", OffsetDateTime.class)
                })
        .one()
        .flatMap(
            found -> {
              SessionUser user = (SessionUser) found[0];
              OffsetDateTime lastSeen = (OffsetDateTime) found[1];
              // one write a minute per session is enough for an idle timeout counted in hours
              if (lastSeen.isAfter(now.minusMinutes(1))) {
                return Mono.just(user);
              }
              return db.sql("UPDATE identity.sessions SET last_seen_at = :now WHERE id_hash = :id")
                  .bind("now", now)
                  .bind("id", idHash)
                  .then()
                  .thenReturn(user);
            });
  }

  /** Makes the session act in another workspace. */
  public Mono<Void> switchWorkspace(String idHash, UUID workspaceId) {
    return db.sql("UPDATE identity.sessions SET workspace_id = :w WHERE id_hash = :id")
        .bind("w", workspaceId)
        .bind("id", idHash)
        .then();
  }

  /** Ends one session. */
  Mono<Void> delete(String idHash) {
    return db.sql("DELETE FROM identity.sessions WHERE id_hash = :id").bind("id", idHash).then();
  }

  /** Ends every session of a user: logout everywhere. Returns how many ended. */
  public Mono<Long> deleteAll(UUID userId) {
    return db.sql("DELETE FROM identity.sessions WHERE user_id = :u")
        .bind("u", userId)
        .fetch()
        .rowsUpdated();
  }

  /** Forgets sessions that can no longer be used. */
  Mono<Long> deleteExpired() {
    OffsetDateTime now = now();
    return db.sql("DELETE FROM identity.sessions WHERE expires_at <= :now OR last_seen_at <= :idle")
        .bind("now", now)
        .bind("idle", now.minus(properties.idleTimeout()))
        .fetch()
        .rowsUpdated();
  }

  static String hash(String value) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
  }
}
