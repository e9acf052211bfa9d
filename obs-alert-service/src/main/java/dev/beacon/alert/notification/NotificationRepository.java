package dev.beacon.alert.notification;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** In-app notifications in {@code obs_alert.notifications}. */
@Repository
public class NotificationRepository {

  private final DatabaseClient db;

  NotificationRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts a notification (inside the caller's transaction, if any). */
  public Mono<Notification> insert(Notification n) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.notifications (id, workspace_id, rule_id, severity, title, body,"
                    + " link, created_at) VALUES (:id, :ws, :rule, :severity, :title, :body, :link,"
                    + " :created)")
            .bind("id", n.id())
            .bind("ws", n.workspaceId())
            .bind("severity", n.severity())
            .bind("title", n.title())
            .bind("body", n.body())
            .bind("created", n.createdAt().atOffset(ZoneOffset.UTC));
    spec = n.ruleId() == null ? spec.bindNull("rule", UUID.class) : spec.bind("rule", n.ruleId());
    spec = n.link() == null ? spec.bindNull("link", String.class) : spec.bind("link", n.link());
    return spec.then().thenReturn(n);
  }

  /**
   * Inserts the notification of a billing notice unless one with that notice id exists.
   *
   * @return the notification when it was new; empty for a notice seen before
   */
  public Mono<Notification> insertNotice(Notification n, String noticeId) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.notifications (id, workspace_id, severity, title, body,"
                    + " link, created_at, source, kind, notice_id) VALUES (:id, :ws, :severity,"
                    + " :title, :body, :link, :created, 'billing', :kind, :notice)"
                    + " ON CONFLICT (notice_id) DO NOTHING")
            .bind("id", n.id())
            .bind("ws", n.workspaceId())
            .bind("severity", n.severity())
            .bind("title", n.title())
            .bind("body", n.body())
            .bind("created", n.createdAt().atOffset(ZoneOffset.UTC))
            .bind("kind", n.kind())
            .bind("notice", noticeId);
    spec = n.link() == null ? spec.bindNull("link", String.class) : spec.bind("link", n.link());
    return spec.fetch().rowsUpdated().filter(rows -> rows > 0).map(rows -> n);
  }

  Flux<Notification> list(String workspaceId, boolean unreadOnly, int limit) {
    return db.sql(
            "SELECT * FROM obs_alert.notifications WHERE workspace_id = :ws"
                + (unreadOnly ? " AND read_at IS NULL" : "")
                + " ORDER BY created_at DESC, id LIMIT :limit")
        .bind("ws", workspaceId)
        .bind("limit", limit)
        .map(NotificationRepository::toNotification)
        .all();
  }

  Mono<Long> unread(String workspaceId) {
    return db.sql(
            "SELECT count(*) AS n FROM obs_alert.notifications WHERE workspace_id = :ws AND read_at"
                + " IS NULL")
        .bind("ws", workspaceId)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  /** Marks one read; false if it is not the workspace's. */
  Mono<Boolean> markRead(String workspaceId, UUID id, Instant now) {
    return db.sql(
            "UPDATE obs_alert.notifications SET read_at = COALESCE(read_at, :now) WHERE id = :id AND"
                + " workspace_id = :ws")
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .bind("id", id)
        .bind("ws", workspaceId)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  Mono<Long> markAllRead(String workspaceId, Instant now) {
    return db.sql(
            "UPDATE obs_alert.notifications SET read_at = :now WHERE workspace_id = :ws AND read_at"
                + " IS NULL")
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .bind("ws", workspaceId)
        .fetch()
        .rowsUpdated();
  }

  private static Notification toNotification(Readable row) {
    OffsetDateTime read = row.get("read_at", OffsetDateTime.class);
    return new Notification(
        row.get("id", UUID.class),
        row.get("workspace_id", String.class),
        row.get("rule_id", UUID.class),
        row.get("severity", String.class),
        row.get("title", String.class),
        row.get("body", String.class),
        row.get("link", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        read == null ? null : read.toInstant(),
        row.get("source", String.class),
        row.get("kind", String.class));
  }
}
