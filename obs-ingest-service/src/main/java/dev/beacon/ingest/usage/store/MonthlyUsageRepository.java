package dev.beacon.ingest.usage.store;

import java.time.LocalDate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Each workspace's accepted events per calendar month, through R2DBC. */
@Repository
public class MonthlyUsageRepository {

  private final DatabaseClient db;

  MonthlyUsageRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Adds {@code min(requested, limit - used)} (never less than 0) to the workspace's month, in one
   * statement: the row lock the upsert takes orders concurrent reservations of one workspace, on
   * every instance, so that together they never pass the limit.
   *
   * @param month the first day of the month
   * @return how many events were granted
   */
  public Mono<Long> reserve(String workspaceId, LocalDate month, long requested, long limit) {
    return db.sql(
            "INSERT INTO monthly_usage AS u (workspace_id, month, events, last_granted)"
                + " VALUES (:ws, :month, LEAST(:requested, :limit), LEAST(:requested, :limit))"
                + " ON CONFLICT (workspace_id, month) DO UPDATE"
                + " SET events = u.events + LEAST(:requested, GREATEST(:limit - u.events, 0)),"
                + " last_granted = LEAST(:requested, GREATEST(:limit - u.events, 0))"
                + " RETURNING last_granted")
        .bind("ws", workspaceId)
        .bind("month", month)
        .bind("requested", requested)
        .bind("limit", limit)
        .map(row -> row.get("last_granted", Long.class))
        .one();
  }

  /** Gives back events a reservation granted that were not stored after all. */
  public Mono<Void> release(String workspaceId, LocalDate month, long events) {
    return db.sql(
            "UPDATE monthly_usage SET events = GREATEST(events - :events, 0)"
                + " WHERE workspace_id = :ws AND month = :month")
        .bind("ws", workspaceId)
        .bind("month", month)
        .bind("events", events)
        .then();
  }

  /** Events counted for the workspace's month; 0 when none. */
  public Mono<Long> used(String workspaceId, LocalDate month) {
    return db.sql("SELECT events FROM monthly_usage WHERE workspace_id = :ws AND month = :month")
        .bind("ws", workspaceId)
        .bind("month", month)
        .map(row -> row.get("events", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }
}
