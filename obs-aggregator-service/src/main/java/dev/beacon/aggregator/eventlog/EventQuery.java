package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.metrics.read.MetricValues;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The event log of one workspace as the read API shows it ({@link EventView}): keyset-paged lists
 * and the export, filtered by {@link EventFilters} and newest first; one event; a run's events in
 * time order.
 */
@Component
class EventQuery {

  private static final String COLUMNS =
      "event_id, type, occurred_at, agent_id, subject, run_id, trace_id, span_id, parent_span_id,"
          + " status, error_type, error_message, duration_ms, provider, model, input_tokens,"
          + " output_tokens, cached_input_tokens, reasoning_tokens, usage_flags,"
          + " reported_cost_nano_usd, cost_nano_usd, pricing_status, pricing_id, tool_name,"
          + " tool_integration, action_kind, action_state, service_name, service_operation,"
          + " metadata, tags";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final DatabaseClient db;
  private final ObjectMapper json;

  EventQuery(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** At most {@code limit} events after the filters' cursor, and the cursor of the next page. */
  Mono<EventPage> page(EventFilters filters, int limit) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM obs.events WHERE "
            + filters.where()
            + " ORDER BY occurred_at DESC, event_id DESC LIMIT "
            + (limit + 1);
    return filters
        .bind(db.sql(sql))
        .map((row, meta) -> view(row))
        .all()
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new EventPage(rows, null);
              }
              List<EventView> page = rows.subList(0, limit);
              EventView last = page.get(limit - 1);
              return new EventPage(
                  page, new KeysetCursor(last.occurredAt(), last.eventId().toString()).encode());
            });
  }

  /** One event of the workspace, or empty. */
  Mono<EventView> one(String workspaceId, UUID eventId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM obs.events WHERE workspace_id = :workspace AND event_id = :id"
                // the log has no index on the random event id: its time comes from the dedupe
                // table, so one partition and one entry of events_newest_idx are read
                + " AND occurred_at = (SELECT occurred_at FROM obs.event_ids"
                + " WHERE workspace_id = :workspace AND event_id = :id)")
        .bind("workspace", workspaceId)
        .bind("id", eventId)
        .map((row, meta) -> view(row))
        .first();
  }

  /** The first {@code limit} events of a run, in time order. */
  Mono<List<EventView>> ofRun(String workspaceId, String runId, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM obs.events WHERE workspace_id = :workspace AND run_id = :run"
                + " ORDER BY occurred_at, event_id LIMIT "
                + limit)
        .bind("workspace", workspaceId)
        .bind("run", runId)
        .map((row, meta) -> view(row))
        .all()
        .collectList();
  }

  /**
   * Every event the filters select, newest first, streamed from a database cursor 500 rows at a
   * time, so memory stays constant whatever the size.
   */
  Flux<EventView> export(EventFilters filters) {
    return filters
        .bind(
            db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM obs.events WHERE "
                    + filters.where()
                    + " ORDER BY occurred_at DESC, event_id DESC"))
        .filter(statement -> statement.fetchSize(500))
        .map((row, meta) -> view(row))
        .all();
  }

  private EventView view(Row row) {
    Json metadata = row.get("metadata", Json.class);
    String[] flags = row.get("usage_flags", String[].class);
    String[] tags = row.get("tags", String[].class);
    long cost = row.get("cost_nano_usd", Long.class);
    return new EventView(
        row.get("event_id", UUID.class),
        row.get("type", String.class),
        row.get("occurred_at", OffsetDateTime.class),
        emptyToNull(row.get("agent_id", String.class)),
        emptyToNull(row.get("subject", String.class)),
        row.get("run_id", String.class),
        row.get("trace_id", String.class),
        row.get("span_id", String.class),
        row.get("parent_span_id", String.class),
        row.get("status", String.class),
        row.get("error_type", String.class),
        row.get("error_message", String.class),
        row.get("duration_ms", Long.class),
        row.get("provider", String.class),
        row.get("model", String.class),
        row.get("input_tokens", Long.class),
        row.get("output_tokens", Long.class),
        row.get("cached_input_tokens", Long.class),
        row.get("reasoning_tokens", Long.class),
        flags == null ? null : List.of(flags),
        row.get("reported_cost_nano_usd", Long.class),
        cost,
        MetricValues.usd(cost),
        row.get("pricing_status", String.class),
        row.get("pricing_id", Long.class),
        row.get("tool_name", String.class),
        row.get("tool_integration", String.class),
        row.get("action_kind", String.class),
        row.get("action_state", String.class),
        row.get("service_name", String.class),
        row.get("service_operation", String.class),
        metadata == null ? null : json.readValue(metadata.asString(), MAP),
        tags == null ? null : List.of(tags));
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * A page of events.
   *
   * @param items newest first
   * @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last page
   */
  record EventPage(List<EventView> items, String nextCursor) {}
}
