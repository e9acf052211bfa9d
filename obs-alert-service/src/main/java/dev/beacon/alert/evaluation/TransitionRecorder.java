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
   * The alert event a notifying step writes.
   *
   * @param from the {@code from_state}
   * @param to the {@code to_state}: the new state, {@code resolved} for a return to ok
   * @param threshold the threshold the event is about
   */
  private record Event(String from, String to, BigDecimal threshold) {

    /** The step's event, or {@code null} for a silent step. */
    static Event of(Step step) {
      if (step instanceof Step.Transition t) {
        return new Event(t.from().wire(), t.next().state().eventName(), t.threshold());
      }
      if (step instanceof Step.Renotify r) {
        return new Event(r.next().state().wire(), r.next().state().wire(), r.threshold());
      }
      return null;
    }
  }

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
                            AlertState.fromWire(row.get("state", String.class)),
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
   * Writes a step of a (rule, group): its new state and, for a notifying step, its alert event and
   * one delivery per healthy channel. Returns the in-app notifications created (to push once
   * committed) and whether outbox rows were written.
   *
   * @param rule the rule
   * @param group the group
   * @param step the step
   * @param message what the notifications say; {@code null} for a silent step
   */
  Result record(Rule rule, String group, Step step, AlertMessage message) {
    UUID eventId = UUID.randomUUID();
    Event event = Event.of(step);
    List<Notification> inApp = new ArrayList<>();
    List<Mono<?>> writes = new ArrayList<>();
    writes.add(upsertState(rule, group, step.next()));
    boolean outbox = false;
    if (event != null) {
      writes.add(insertEvent(rule, group, step.next(), event, eventId, message.occurredAt()));
      for (Channel channel : rule.channels()) {
        if (!"ok".equals(channel.status())) {
          continue;
        }
        if ("in_app".equals(channel.type())) {
          Notification n = notification(rule, message);
          inApp.add(n);
          writes.add(notifications.insert(n));
          writes.add(insertDelivery(rule, eventId, channel, message, "delivered"));
        } else {
          outbox = true;
          writes.add(insertDelivery(rule, eventId, channel, message, "pending"));
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

  private Mono<Long> upsertState(Rule rule, String group, StateRow s) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.rule_states (rule_id, group_key, state, value, since,"
                    + " last_notified_at, resolved_at) VALUES (:rule, :group, :state, :value, :since,"
                    + " :notified, :resolved) ON CONFLICT (rule_id, group_key) DO UPDATE SET state ="
                    + " EXCLUDED.state, value = EXCLUDED.value, since = EXCLUDED.since,"
                    + " last_notified_at = EXCLUDED.last_notified_at, resolved_at ="
                    + " EXCLUDED.resolved_at")
            .bind("rule", rule.id())
            .bind("group", group)
            .bind("state", s.state().wire())
            .bind("since", time(s.since()));
    spec = bindNullable(spec, "value", s.value(), BigDecimal.class);
    spec = bindNullable(spec, "notified", time(s.lastNotifiedAt()), OffsetDateTime.class);
    spec = bindNullable(spec, "resolved", time(s.resolvedAt()), OffsetDateTime.class);
    return spec.fetch().rowsUpdated();
  }

  private Mono<Long> insertEvent(
      Rule rule, String group, StateRow state, Event event, UUID eventId, Instant at) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.alert_events (id, workspace_id, rule_id, rule_name, group_key,"
                    + " from_state, to_state, value, threshold, window_name, occurred_at) VALUES (:id,"
                    + " :ws, :rule, :name, :group, :from, :to, :value, :threshold, :window, :at)")
            .bind("id", eventId)
            .bind("ws", rule.workspaceId())
            .bind("rule", rule.id())
            .bind("name", rule.name())
            .bind("group", group)
            .bind("from", event.from())
            .bind("to", event.to())
            .bind("window", rule.window().wire())
            .bind("at", time(at));
    spec = bindNullable(spec, "value", state.value(), BigDecimal.class);
    spec = bindNullable(spec, "threshold", event.threshold(), BigDecimal.class);
    return spec.fetch().rowsUpdated();
  }

  private Mono<Long> insertDelivery(
      Rule rule, UUID eventId, Channel channel, AlertMessage message, String status) {
    Instant at = message.occurredAt();
    UUID deliveryId = UUID.randomUUID();
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.deliveries (id, workspace_id, event_id, rule_id, channel_id,"
                    + " channel_type, message, status, attempts, next_attempt_at, created_at,"
                    + " finished_at) VALUES (:id, :ws, :event, :rule, :channel, :type, CAST(:message AS"
                    + " jsonb), :status, :attempts, :next, :created, :finished)")
            .bind("id", deliveryId)
            .bind("ws", rule.workspaceId())
            .bind("event", eventId)
            .bind("rule", rule.id())
            .bind("channel", channel.id())
            .bind("type", channel.type())
            .bind("message", json.writeValueAsString(message))
            .bind("status", status)
            .bind("attempts", "delivered".equals(status) ? 1 : 0)
            .bind("next", time(at))
            .bind("created", time(at));
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
