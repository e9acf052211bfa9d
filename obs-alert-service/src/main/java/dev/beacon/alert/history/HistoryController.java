package dev.beacon.alert.history;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/obs/alerts/events}: the workspace's transitions, newest first, each with every
 * delivery attempt (a delivery without attempts yet shows as one {@code pending} entry with attempt
 * 0). Keyset-paged: pass {@code next_cursor} back as {@code before}.
 */
@RestController
class HistoryController {

  /** One delivery attempt (or a delivery's current status when no attempt was made). */
  record Delivery(
      String channel,
      int attempt,
      String status,
      Integer statusCode,
      Long latencyMs,
      String error,
      Instant at) {}

  /** One transition. */
  record Event(
      UUID id,
      UUID ruleId,
      String ruleName,
      String group,
      String fromState,
      String toState,
      String value,
      String threshold,
      String window,
      Instant occurredAt,
      List<Delivery> deliveries) {}

  /** A page. */
  record Page(List<Event> events, String nextCursor) {}

  private final DatabaseClient db;

  HistoryController(DatabaseClient db) {
    this.db = db;
  }

  @GetMapping("/api/obs/alerts/events")
  Mono<Page> events(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(name = "rule_id", required = false) String ruleId,
      @RequestParam(defaultValue = "50") String limit,
      @RequestParam(required = false) String before) {
    int max = (int) parse(limit, 1, 500, "limit must be between 1 and 500.");
    long cursor =
        before == null || before.isEmpty()
            ? Long.MAX_VALUE
            : parse(before, 1, Long.MAX_VALUE, "before must be a next_cursor value.");
    UUID rule = null;
    if (ruleId != null && !ruleId.isEmpty()) {
      try {
        rule = UUID.fromString(ruleId);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid_parameter", "rule_id must be a rule id.");
      }
    }
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "SELECT seq, id, rule_id, rule_name, group_key, from_state, to_state, value,"
                    + " threshold, window_name, occurred_at FROM obs_alert.alert_events WHERE"
                    + " workspace_id = :ws AND seq < :cursor"
                    + (rule == null ? "" : " AND rule_id = :rule")
                    + " ORDER BY seq DESC LIMIT :limit")
            .bind("ws", identity.workspaceId())
            .bind("cursor", cursor)
            .bind("limit", max + 1);
    if (rule != null) {
      spec = spec.bind("rule", rule);
    }
    return spec.map(
            row ->
                Map.entry(
                    row.get("seq", Long.class),
                    new Event(
                        row.get("id", UUID.class),
                        row.get("rule_id", UUID.class),
                        row.get("rule_name", String.class),
                        row.get("group_key", String.class),
                        row.get("from_state", String.class),
                        row.get("to_state", String.class),
                        plain(row.get("value", BigDecimal.class)),
                        plain(row.get("threshold", BigDecimal.class)),
                        row.get("window_name", String.class),
                        row.get("occurred_at", OffsetDateTime.class).toInstant(),
                        new ArrayList<>())))
        .all()
        .collectList()
        .flatMap(
            rows -> {
              boolean more = rows.size() > max;
              List<Map.Entry<Long, Event>> page = more ? rows.subList(0, max) : rows;
              String next = more ? String.valueOf(page.get(page.size() - 1).getKey()) : null;
              List<Event> events = page.stream().map(Map.Entry::getValue).toList();
              return attachDeliveries(events).thenReturn(new Page(events, next));
            });
  }

  private Mono<Void> attachDeliveries(List<Event> events) {
    if (events.isEmpty()) {
      return Mono.empty();
    }
    Map<UUID, Event> byId = new HashMap<>();
    events.forEach(e -> byId.put(e.id(), e));
    return db.sql(
            "SELECT d.event_id, d.channel_type, d.status AS delivery_status, d.error AS"
                + " delivery_error, d.created_at, a.attempt, a.status, a.status_code, a.latency_ms,"
                + " a.error, a.at FROM obs_alert.deliveries d LEFT JOIN obs_alert.delivery_attempts"
                + " a ON a.delivery_id = d.id WHERE d.event_id = ANY(:events) ORDER BY d.created_at,"
                + " d.id, a.attempt")
        .bind("events", byId.keySet().toArray(UUID[]::new))
        .map(
            row -> {
              Integer attempt = row.get("attempt", Integer.class);
              Delivery delivery =
                  attempt == null
                      ? new Delivery(
                          row.get("channel_type", String.class),
                          0,
                          row.get("delivery_status", String.class),
                          null,
                          null,
                          row.get("delivery_error", String.class),
                          row.get("created_at", OffsetDateTime.class).toInstant())
                      : new Delivery(
                          row.get("channel_type", String.class),
                          attempt,
                          row.get("status", String.class),
                          row.get("status_code", Integer.class),
                          row.get("latency_ms", Long.class),
                          row.get("error", String.class),
                          row.get("at", OffsetDateTime.class).toInstant());
              return Map.entry(row.get("event_id", UUID.class), delivery);
            })
        .all()
        .doOnNext(e -> byId.get(e.getKey()).deliveries().add(e.getValue()))
        .then();
  }

  private static long parse(String text, long min, long max, String message) {
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("invalid_parameter", message);
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.stripTrailingZeros().toPlainString();
  }
}
