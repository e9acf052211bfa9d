package dev.beacon.billing.subscription.store;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whether a workspace may use hosted LLM calls, through R2DBC. A workspace without a row is
 * allowed; a row exists from the first time the answer was "no".
 */
@Repository
public class HostedAccessRepository {

  private final DatabaseClient db;

  HostedAccessRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The workspace's row; empty when its access never changed. */
  public Mono<HostedAccessRow> find(String workspaceId) {
    return db.sql(
            "SELECT workspace_id, hosted_llm_allowed, revision, published_revision"
                + " FROM hosted_access WHERE workspace_id = :ws")
        .bind("ws", workspaceId)
        .map(
            row ->
                new HostedAccessRow(
                    row.get("workspace_id", String.class),
                    row.get("hosted_llm_allowed", Boolean.class),
                    row.get("revision", Long.class),
                    row.get("published_revision", Long.class)))
        .one();
  }

  /** Records the new answer with the next revision. */
  public Mono<Void> save(String workspaceId, boolean allowed, Instant now) {
    return db.sql(
            "INSERT INTO hosted_access (workspace_id, hosted_llm_allowed, revision, updated_at)"
                + " VALUES (:ws, :allowed, 1, :now) ON CONFLICT (workspace_id) DO UPDATE SET"
                + " hosted_llm_allowed = EXCLUDED.hosted_llm_allowed,"
                + " revision = hosted_access.revision + 1, updated_at = EXCLUDED.updated_at")
        .bind("ws", workspaceId)
        .bind("allowed", allowed)
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .then();
  }

  /** The workspaces whose latest access revision Kafka has not acknowledged. */
  public Flux<String> findUnpublished() {
    return db.sql("SELECT workspace_id FROM hosted_access WHERE published_revision < revision")
        .map(row -> row.get("workspace_id", String.class))
        .all();
  }

  /** The workspaces that may not use hosted LLM calls now. */
  public Flux<String> findBlocked() {
    return db.sql("SELECT workspace_id FROM hosted_access WHERE NOT hosted_llm_allowed")
        .map(row -> row.get("workspace_id", String.class))
        .all();
  }

  /** Records that Kafka acknowledged the entitlements carrying this access revision. */
  public Mono<Void> markPublished(String workspaceId, long revision) {
    return db.sql(
            "UPDATE hosted_access SET published_revision = GREATEST(published_revision, :rev)"
                + " WHERE workspace_id = :ws")
        .bind("rev", revision)
        .bind("ws", workspaceId)
        .then();
  }
}
