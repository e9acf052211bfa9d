package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The event log of the caller's workspace: filtered, keyset-paged lists, newest first; one event.
 */
@RestController
class EventsController {

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final Clock clock;

  EventsController(DatabaseClient db, ObjectMapper json, Clock clock) {
    this.db = db;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/api/obs/events")
  Mono<EventPage> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    int limit = Params.integer("limit", query.getFirst("limit"), 50, 1, 500);
    EventFilters filters =
        new EventFilters(identity.workspaceId(), query, clock.instant(), 24 * 30);
    String sql =
        "SELECT "
            + EventView.COLUMNS
            + " FROM obs.events WHERE "
            + filters.where()
            + " ORDER BY occurred_at DESC, event_id DESC LIMIT "
            + (limit + 1);
    return filters
        .bind(db.sql(sql))
        .map((row, meta) -> EventView.of(row, json))
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
                  page, new EventFilters.Cursor(last.occurredAt(), last.eventId()).encode());
            });
  }

  @GetMapping("/api/obs/events/{eventId}")
  Mono<EventView> one(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String eventId) {
    UUID id = Params.uuid("event_id", eventId);
    return db.sql(
            "SELECT "
                + EventView.COLUMNS
                + " FROM obs.events WHERE workspace_id = :workspace AND event_id = :id"
                // the log has no index on the random event id: its time comes from the dedupe
                // table, so one partition and one entry of events_newest_idx are read
                + " AND occurred_at = (SELECT occurred_at FROM obs.event_ids"
                + " WHERE workspace_id = :workspace AND event_id = :id)")
        .bind("workspace", identity.workspaceId())
        .bind("id", id)
        .map((row, meta) -> EventView.of(row, json))
        .first()
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("not_found", "Event not found.")));
  }

  /**
   * A page of events.
   *
   * @param items newest first
   * @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last page
   */
  record EventPage(List<EventView> items, String nextCursor) {}
}
