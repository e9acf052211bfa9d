package dev.beacon.integrations.connection.domain;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * {@code integrations.oauth_states}: authorizations under way. A state is stored as its SHA-256 and
 * taken (deleted and returned) in one statement, so it works once.
 */
@Repository
class OAuthStateRepository {

  /** An authorization under way. */
  record PendingAuthorization(
      String workspaceId,
      String userId,
      ProviderId provider,
      String codeVerifier,
      Instant createdAt) {

    @Override
    public String toString() {
      return "PendingAuthorization[workspaceId=" + workspaceId + ", provider=" + provider + "]";
    }
  }

  private final DatabaseClient db;

  OAuthStateRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> save(String stateHash, PendingAuthorization pending) {
    return db.sql(
            "INSERT INTO oauth_states (state_hash, workspace_id, user_id, provider, code_verifier,"
                + " created_at) VALUES (:hash, :workspace, :user, :provider, :verifier, :at)")
        .bind("hash", stateHash)
        .bind("workspace", pending.workspaceId())
        .bind("user", pending.userId())
        .bind("provider", pending.provider().id())
        .bind("verifier", pending.codeVerifier())
        .bind("at", pending.createdAt())
        .then();
  }

  /** Deletes and returns the state's authorization; empty when unknown or already taken. */
  Mono<PendingAuthorization> take(String stateHash) {
    return db.sql(
            "DELETE FROM oauth_states WHERE state_hash = :hash"
                + " RETURNING workspace_id, user_id, provider, code_verifier, created_at")
        .bind("hash", stateHash)
        .map(
            r ->
                new PendingAuthorization(
                    r.get("workspace_id", String.class),
                    r.get("user_id", String.class),
                    ProviderId.of(r.get("provider", String.class)),
                    r.get("code_verifier", String.class),
                    r.get("created_at", Instant.class)))
        .one();
  }

  /** Drops states older than {@code before}: an abandoned authorization leaves no row behind. */
  Mono<Long> deleteCreatedBefore(Instant before) {
    return db.sql("DELETE FROM oauth_states WHERE created_at < :before")
        .bind("before", before)
        .fetch()
        .rowsUpdated();
  }
}
