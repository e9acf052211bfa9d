package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.metrics.read.MetricValues;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import io.r2dbc.spi.Row;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Agent runs of the caller's workspace, newest first, and one run with its events in order. */
@RestController
class RunsController {

  private static final Set<String> STATUSES = Set.of("running", "ok", "error");
  private static final int MAX_RUN_EVENTS = 1_000;

  private final DatabaseClient db;
  private final ObjectMapper json;

  RunsController(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  @GetMapping("/api/obs/runs")
  Mono<RunPage> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    int limit = Params.integer("limit", query.getFirst("limit"), 50, 1, 500);
    String agent = Params.text("agent", query.getFirst("agent"));
    String status = Params.oneOf("status", query.getFirst("status"), STATUSES, null);
    StringBuilder sql = new StringBuilder("SELECT * FROM obs.runs WHERE workspace_id = :workspace");
    if (agent != null) {
      sql.append(" AND agent_id = :agent");
    }
    if (status != null) {
      sql.append(
          status.equals("running") ? " AND end_status IS NULL" : " AND end_status = :status");
    }
    String cursor = query.getFirst("cursor");
    RunCursor position = cursor == null || cursor.isBlank() ? null : RunCursor.decode(cursor);
    if (position != null) {
      sql.append(" AND (first_event_at, run_id) < (:cursorAt, :cursorId)");
    }
    sql.append(" ORDER BY first_event_at DESC, run_id DESC LIMIT ").append(limit + 1);
    var spec = db.sql(sql.toString()).bind("workspace", identity.workspaceId());
    if (agent != null) {
      spec = spec.bind("agent", agent);
    }
    if (status != null && !status.equals("running")) {
      spec = spec.bind("status", status);
    }
    if (position != null) {
      spec = spec.bind("cursorAt", position.firstEventAt()).bind("cursorId", position.runId());
    }
    return spec.map((row, meta) -> RunView.of(row))
        .all()
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new RunPage(rows, null);
              }
              List<RunView> page = rows.subList(0, limit);
              RunView last = page.get(limit - 1);
              return new RunPage(page, new RunCursor(last.firstEventAt(), last.runId()).encode());
            });
  }

  @GetMapping("/api/obs/runs/{runId}")
  Mono<RunDetail> one(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String runId) {
    String id = Params.text("run_id", runId);
    Mono<RunView> run =
        db.sql("SELECT * FROM obs.runs WHERE workspace_id = :workspace AND run_id = :run")
            .bind("workspace", identity.workspaceId())
            .bind("run", id)
            .map((row, meta) -> RunView.of(row))
            .first()
            .switchIfEmpty(Mono.error(() -> ApiException.notFound("not_found", "Run not found.")));
    return run.flatMap(
        view ->
            db.sql(
                    "SELECT "
                        + EventView.COLUMNS
                        + " FROM obs.events WHERE workspace_id = :workspace AND run_id = :run"
                        + " ORDER BY occurred_at, event_id LIMIT "
                        + MAX_RUN_EVENTS)
                .bind("workspace", identity.workspaceId())
                .bind("run", id)
                .map((row, meta) -> EventView.of(row, json))
                .all()
                .collectList()
                .map(events -> new RunDetail(view, events)));
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
      String costUsd) {

    static RunView of(Row row) {
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
  }

  record RunPage(List<RunView> items, String nextCursor) {}

  record RunDetail(RunView run, List<EventView> events) {}

  record RunCursor(OffsetDateTime firstEventAt, String runId) {

    String encode() {
      String raw = firstEventAt.toInstant() + "|" + runId;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static RunCursor decode(String cursor) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = raw.split("\\|", 2);
        return new RunCursor(
            OffsetDateTime.ofInstant(Instant.parse(parts[0]), ZoneOffset.UTC), parts[1]);
      } catch (RuntimeException e) {
        throw Params.invalid("cursor is not a cursor returned by this API.");
      }
    }
  }
}
