package dev.beacon.alert.evaluation;

import dev.beacon.alert.delivery.AlertMessage;
import dev.beacon.alert.notification.Notification;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.Rule.Channel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes a (rule, group)'s new state, its alert event and the notifications about it in ONE
 * transaction: the state is durable before anything is sent, and every notification is an outbox
 * row (or an in-app row) before it is a send.
 */
final class TransitionRecorder {

  /**
   * A persisted state.
   *
   * @param state ok, warning, critical, no_data or snoozed
   * @param value value at the last change
   * @param since when the state began
   * @param lastNotifiedAt last notification about this group
   * @param resolvedAt last resolve (for the cooldown)
   */
  record StateRow(
      String state, BigDecimal value, Instant since, Instant lastNotifiedAt, Instant resolvedAt) {}

  /**
   * What to write.
   *
   * @param rule the rule
   * @param group the group
   * @param state the new state row
   * @param eventFrom the event's from state, or {@code null} for no event (silent change)
   * @param eventTo the event's to state (warning, critical, resolved, no_data)
   * @param threshold the threshold the event is about
   * @param message the notification, or {@code null} for none
   */
  record Transition(
      Rule rule,
      String group,
      StateRow state,
      String eventFrom,
      String eventTo,
      BigDecimal threshold,
      AlertMessage message) {}

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final NotificationRepository notifications;
  private final ObjectMapper json;

  TransitionRecorder(
      DatabaseClient db,
      TransactionalOperator tx,
      NotificationRepository notifications,
      ObjectMapper json) {
    this.db = db;
    this.tx = tx;
    this.notifications = notifications;
    this.json = json;
  }

  /** All persisted states: rule id → group → state. */
  Map<UUID, Map<String, StateRow>> loadStates() {
    Map<UUID, Map<String, StateRow>> states = new HashMap<>();
    db.sql("SELECT * FROM obs_alert.rule_states")
        .map(
            row ->
                Map.entry(
                    row.get("rule_id", UUID.class),
                    Map.entry(
                        row.get("group_key", String.class),
                        new StateRow(
                            row.get("state", String.class),
                            row.get("value", BigDecimal.class),
                            instant(row.get("since", OffsetDateTime.class)),
                            instant(row.get("last_notified_at", OffsetDateTime.class)),
                            instant(row.get("resolved_at", OffsetDateTime.class))))))
        .all()
        .doOnNext(
            e ->
                states
                    .computeIfAbsent(e.getKey(), k -> new HashMap<>())
                    .put(e.getValue().getKey(), e.getValue().getValue()))
        .blockLast();
    return states;
  }

  /**
   * Writes a transition and returns the in-app notifications created (to push once committed) and
   * whether outbox rows were written.
   */
  Result record(Transition t) {
    UUID eventId = UUID.randomUUID();
    List<Notification> inApp = new ArrayList<>();
    List<Mono<?>> writes = new ArrayList<>();
    writes.add(upsertState(t));
    boolean outbox = false;
    if (t.eventFrom() != null) {
      writes.add(insertEvent(t, eventId));
    }
    if (t.message() != null) {
      for (Channel channel : t.rule().channels()) {
        if (!"ok".equals(channel.status())) {
          continue;
        }
        if ("in_app".equals(channel.type())) {
          Notification n = notification(t.rule(), t.message());
          inApp.add(n);
          writes.add(notifications.insert(n));
          writes.add(insertDelivery(t, eventId, channel, "delivered"));
        } else {
          outbox = true;
          writes.add(insertDelivery(t, eventId, channel, "pending"));
        }
      }
    }
    Flux.concat(writes).then().as(tx::transactional).block();
    return new Result(inApp, outbox);
  }

  /**
   * The effects of a recorded transition.
   *
   * @param inApp in-app notifications to push to live streams
   * @param outbox whether outbox rows await sending
   */
  record Result(List<Notification> inApp, boolean outbox) {}

  static Notification notification(Rule rule, AlertMessage message) {
    return new Notification(
        UUID.randomUUID(),
        rule.workspaceId(),
        rule.id(),
        message.severity(),
        message.title(),
        message.body(),
        message.link(),
        message.occurredAt(),
        null);
  }

  private Mono<Long> upsertState(Transition t) {
    StateRow s = t.state();
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.rule_states (rule_id, group_key, state, value, since,"
                    + " last_notified_at, resolved_at) VALUES (:rule, :group, :state, :value, :since,"
                    + " :notified, :resolved) ON CONFLICT (rule_id, group_key) DO UPDATE SET state ="
                    + " EXCLUDED.state, value = EXCLUDED.value, since = EXCLUDED.since,"
                    + " last_notified_at = EXCLUDED.last_notified_at, resolved_at ="
                    + " EXCLUDED.resolved_at")
            .bind("rule", t.rule().id())
            .bind("group", t.group())
            .bind("state", s.state())
            .bind("since", time(s.since()));
    spec = bindNullable(spec, "value", s.value(), BigDecimal.class);
    spec = bindNullable(spec, "notified", time(s.lastNotifiedAt()), OffsetDateTime.class);
    spec = bindNullable(spec, "resolved", time(s.resolvedAt()), OffsetDateTime.class);
    return spec.fetch().rowsUpdated();
  }

  private Mono<Long> insertEvent(Transition t, UUID eventId) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.alert_events (id, workspace_id, rule_id, rule_name, group_key,"
                    + " from_state, to_state, value, threshold, window_name, occurred_at) VALUES (:id,"
                    + " :ws, :rule, :name, :group, :from, :to, :value, :threshold, :window, :at)")
            .bind("id", eventId)
            .bind("ws", t.rule().workspaceId())
            .bind("rule", t.rule().id())
            .bind("name", t.rule().name())
            .bind("group", t.group())
            .bind("from", t.eventFrom())
            .bind("to", t.eventTo())
            .bind("window", t.rule().window().wire())
            .bind("at", time(t.state().since() == null ? Instant.now() : eventTime(t)));
    spec = bindNullable(spec, "value", t.state().value(), BigDecimal.class);
    spec = bindNullable(spec, "threshold", t.threshold(), BigDecimal.class);
    return spec.fetch().rowsUpdated();
  }

  private static Instant eventTime(Transition t) {
    return t.message() != null ? t.message().occurredAt() : t.state().since();
  }

  private Mono<Long> insertDelivery(Transition t, UUID eventId, Channel channel, String status) {
    Instant at = eventTime(t);
    UUID deliveryId = UUID.randomUUID();
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.deliveries (id, workspace_id, event_id, rule_id, channel_id,"
                    + " channel_type, message, status, attempts, next_attempt_at, created_at,"
                    + " finished_at) VALUES (:id, :ws, :event, :rule, :channel, :type, CAST(:message AS"
                    + " jsonb), :status, :attempts, :next, :created, :finished)")
            .bind("id", deliveryId)
            .bind("ws", t.rule().workspaceId())
            .bind("rule", t.rule().id())
            .bind("channel", channel.id())
            .bind("type", channel.type())
            .bind("message", json.writeValueAsString(t.message()))
            .bind("status", status)
            .bind("attempts", "delivered".equals(status) ? 1 : 0)
            .bind("next", time(at))
            .bind("created", time(at));
    spec = t.eventFrom() == null ? spec.bindNull("event", UUID.class) : spec.bind("event", eventId);
    spec =
        bindNullable(
            spec, "finished", "delivered".equals(status) ? time(at) : null, OffsetDateTime.class);
    if (!"delivered".equals(status)) {
      return spec.fetch().rowsUpdated();
    }
    return spec.fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    "INSERT INTO obs_alert.delivery_attempts (delivery_id, attempt, status,"
                        + " latency_ms, at) VALUES (:delivery, 1, 'delivered', 0, :at)")
                .bind("delivery", deliveryId)
                .bind("at", time(at))
                .fetch()
                .rowsUpdated());
  }

  private static <T> DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
