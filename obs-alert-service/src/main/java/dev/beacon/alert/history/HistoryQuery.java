package dev.beacon.alert.history;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The history's reads: a workspace's alert events, newest first, keyset-paged by {@code seq}, each
 * with every delivery attempt.
 */
@Repository
class HistoryQuery {

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

  /** A page; {@code nextCursor} is {@code null} on the last one. */
  record Page(List<Event> events, String nextCursor) {}

  private final DatabaseClient db;

  HistoryQuery(DatabaseClient db) {
    this.db = db;
  }

  /**
   * One page of the workspace's events.
   *
   * @param workspaceId the caller's workspace
   * @param ruleId only this rule's events, or {@code null} for all
   * @param limit events per page
   * @param before only events older than this cursor ({@code Long.MAX_VALUE} for the first page)
   */
  Mono<Page> page(String workspaceId, UUID ruleId, int limit, long before) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "SELECT seq, id, rule_id, rule_name, group_key, from_state, to_state, value,"
                    + " threshold, window_name, occurred_at FROM obs_alert.alert_events WHERE"
                    + " workspace_id = :ws AND seq < :cursor"
                    + (ruleId == null ? "" : " AND rule_id = :rule")
                    + " ORDER BY seq DESC LIMIT :limit")
            .bind("ws", workspaceId)
            .bind("cursor", before)
            .bind("limit", limit + 1);
    if (ruleId != null) {
      spec = spec.bind("rule", ruleId);
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
              boolean more = rows.size() > limit;
              List<Map.Entry<Long, Event>> page = more ? rows.subList(0, limit) : rows;
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

  private static String plain(BigDecimal value) {
    return value == null ? null : value.stripTrailingZeros().toPlainString();
  }
}
