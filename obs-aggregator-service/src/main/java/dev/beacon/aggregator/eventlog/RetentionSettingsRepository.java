package dev.beacon.aggregator.eventlog;

import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A workspace's own event log retention, {@code obs.workspace_settings}. The retention job reads
 * the same table through JDBC.
 */
@Component
class RetentionSettingsRepository {

  private final DatabaseClient db;

  RetentionSettingsRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The workspace's setting, or empty when it has none and the default applies. */
  Mono<Setting> find(String workspaceId) {
    return db.sql(
            "SELECT retention_days, updated_at, updated_by FROM obs.workspace_settings"
                + " WHERE workspace_id = :workspace")
        .bind("workspace", workspaceId)
        .map(
            (row, meta) ->
                new Setting(
                    row.get("retention_days", Integer.class),
                    row.get("updated_at", OffsetDateTime.class),
                    row.get("updated_by", String.class)))
        .one();
  }

  /** Sets (or replaces) the workspace's retention; the time it was set. */
  Mono<OffsetDateTime> save(String workspaceId, int retentionDays, String userId) {
    return db.sql(
            "INSERT INTO obs.workspace_settings (workspace_id, retention_days, updated_by)"
                + " VALUES (:workspace, :days, :user) ON CONFLICT (workspace_id) DO UPDATE"
                + " SET retention_days = EXCLUDED.retention_days, updated_at = now(),"
                + " updated_by = EXCLUDED.updated_by RETURNING updated_at")
        .bind("workspace", workspaceId)
        .bind("days", retentionDays)
        .bind("user", userId)
        .map((row, meta) -> row.get("updated_at", OffsetDateTime.class))
        .one();
  }

  /**
   * A workspace's own retention.
   *
   * @param retentionDays days of events kept
   * @param updatedAt when it was set
   * @param updatedBy who set it
   */
  record Setting(int retentionDays, OffsetDateTime updatedAt, String updatedBy) {}
}
