package dev.beacon.billing.notice.store;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The notice outbox, through R2DBC. */
@Repository
public class NoticeRepository {

  private final DatabaseClient db;

  NoticeRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Writes the notice unless one with its id exists.
   *
   * @return whether it was new
   */
  public Mono<Boolean> insertIfAbsent(
      String noticeId, String workspaceId, String kind, Instant occurredAt, String payload) {
    return db.sql(
            "INSERT INTO notices (notice_id, workspace_id, kind, occurred_at, payload)"
                + " VALUES (:id, :ws, :kind, :at, :payload) ON CONFLICT (notice_id) DO NOTHING")
        .bind("id", noticeId)
        .bind("ws", workspaceId)
        .bind("kind", kind)
        .bind("at", occurredAt.atOffset(ZoneOffset.UTC))
        .bind("payload", payload)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  /** The workspace's notices Kafka has not acknowledged, oldest first. */
  public Flux<NoticeRow> findUnpublished(String workspaceId) {
    return db.sql(
            "SELECT notice_id, workspace_id, payload FROM notices"
                + " WHERE published_at IS NULL AND workspace_id = :ws ORDER BY occurred_at, notice_id")
        .bind("ws", workspaceId)
        .map(
            row ->
                new NoticeRow(
                    row.get("notice_id", String.class),
                    row.get("workspace_id", String.class),
                    row.get("payload", String.class)))
        .all();
  }

  /** The workspaces with notices Kafka has not acknowledged. */
  public Flux<String> findWorkspacesWithUnpublished() {
    return db.sql("SELECT DISTINCT workspace_id FROM notices WHERE published_at IS NULL")
        .map(row -> row.get("workspace_id", String.class))
        .all();
  }

  /** Records that Kafka acknowledged the notice. */
  public Mono<Void> markPublished(String noticeId, Instant now) {
    return db.sql(
            "UPDATE notices SET published_at = :now"
                + " WHERE notice_id = :id AND published_at IS NULL")
        .bind("id", noticeId)
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .then();
  }
}
