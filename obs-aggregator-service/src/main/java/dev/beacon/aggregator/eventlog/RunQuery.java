package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.metrics.read.MetricValues;
import io.r2dbc.spi.Row;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Agent runs of one workspace ({@code obs.runs}), newest first, and one run with its events. */
@Component
class RunQuery {

  /** The most events a run's detail shows. */
  private static final int MAX_RUN_EVENTS = 1_000;

  private final DatabaseClient db;
  private final EventQuery events;

  RunQuery(DatabaseClient db, EventQuery events) {
    this.db = db;
    this.events = events;
  }

  /**
   * At most {@code limit} runs after {@code cursor}, and the cursor of the next page.
   *
   * @param agent only this agent's runs, or {@code null} for all
   * @param status {@code running}, {@code ok}, {@code error}, or {@code null} for all
   * @param cursor where the previous page ended, or {@code null} for the first page
   */
  Mono<RunPage> page(
      String workspaceId, String agent, String status, KeysetCursor cursor, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM obs.runs WHERE workspace_id = :workspace");
    if (agent != null) {
      sql.append(" AND agent_id = :agent");
    }
    if (status != null) {
      sql.append(
          status.equals("running") ? " AND end_status IS NULL" : " AND end_status = :status");
    }
    if (cursor != null) {
      sql.append(" AND (first_event_at, run_id) < (:cursorAt, :cursorId)");
    }
    sql.append(" ORDER BY first_event_at DESC, run_id DESC LIMIT ").append(limit + 1);
    var spec = db.sql(sql.toString()).bind("workspace", workspaceId);
    if (agent != null) {
      spec = spec.bind("agent", agent);
    }
    if (status != null && !status.equals("running")) {
      spec = spec.bind("status", status);
    }
    if (cursor != null) {
      spec = spec.bind("cursorAt", cursor.at()).bind("cursorId", cursor.id());
    }
    return spec.map((row, meta) -> view(row))
        .all()
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new RunPage(rows, null);
              }
              List<RunView> page = rows.subList(0, limit);
              RunView last = page.get(limit - 1);
              return new RunPage(
                  page, new KeysetCursor(last.firstEventAt(), last.runId()).encode());
            });
  }

  /** One run of the workspace with its first 1,000 events in time order, or empty. */
  Mono<RunDetail> detail(String workspaceId, String runId) {
    return db.sql("SELECT * FROM obs.runs WHERE workspace_id = :workspace AND run_id = :run")
        .bind("workspace", workspaceId)
        .bind("run", runId)
        .map((row, meta) -> view(row))
        .first()
        .flatMap(
            run ->
                events
                    .ofRun(workspaceId, runId, MAX_RUN_EVENTS)
                    .map(runEvents -> new RunDetail(run, runEvents)));
  }

  private static RunView view(Row row) {
    OffsetDateTime started = row.get("started_at", OffsetDateTime.class);
    OffsetDateTime first = row.get("first_event_at", OffsetDateTime.class);
    OffsetDateTime ended = row.get("ended_at", OffsetDateTime.class);
    Long endDuration = row.get("end_duration_ms", Long.class);
    OffsetDateTime start = started != null ? started : first;
    Long duration =
        endDuration != null
            ? endDuration
            : ended == null ? null : Duration.between(start, ended).toMillis();
    String endStatus = row.get("end_status", String.class);
    long cost = row.get("cost_nano_usd", Long.class);
    return new RunView(
        row.get("run_id", String.class),
        row.get("agent_id", String.class),
        endStatus == null ? "running" : endStatus,
        start,
        ended,
        duration,
        first,
        row.get("last_event_at", OffsetDateTime.class),
        row.get("events", Long.class),
        row.get("errors", Long.class),
        row.get("input_tokens", Long.class),
        row.get("output_tokens", Long.class),
        cost,
        MetricValues.usd(cost));
  }

  /** One run: bounds, outcome and totals of the events that carry its id. */
  record RunView(
      String runId,
      String agentId,
      String status,
      OffsetDateTime startedAt,
      OffsetDateTime endedAt,
      Long durationMs,
      OffsetDateTime firstEventAt,
      OffsetDateTime lastEventAt,
      long events,
      long errors,
      long inputTokens,
      long outputTokens,
      long costNanoUsd,
      String costUsd) {}

  record RunPage(List<RunView> items, String nextCursor) {}

  record RunDetail(RunView run, List<EventView> events) {}
}
