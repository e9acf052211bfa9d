package dev.beacon.alert.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** The outbox ({@code obs_alert.deliveries}), its attempts and the channels' health. */
@Repository
class DeliveryRepository {

  /**
   * A claimed outbox row with its channel.
   *
   * @param id delivery id
   * @param ruleId the rule
   * @param channelId the channel
   * @param channelType slack or email
   * @param target webhook URL or address
   * @param channelStatus ok, broken or disabled
   * @param message what to send
   * @param attempts attempts made so far
   * @param createdAt when the row was written
   */
  record Due(
      UUID id,
      UUID ruleId,
      UUID channelId,
      String channelType,
      String target,
      String channelStatus,
      AlertMessage message,
      int attempts,
      Instant createdAt) {}

  private final DatabaseClient db;
  private final ObjectMapper json;

  DeliveryRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /**
   * Claims up to {@code limit} due rows for {@code lease} ({@code FOR UPDATE SKIP LOCKED}, so
   * concurrent dispatchers never claim the same row twice while a lease holds).
   */
  Flux<Due> claim(Instant now, Duration lease, int limit) {
    return db.sql(
            "WITH due AS (SELECT id FROM obs_alert.deliveries WHERE status IN ('pending',"
                + " 'retrying') AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until <"
                + " :now) ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)"
                + " UPDATE obs_alert.deliveries d SET lease_until = :lease FROM due WHERE d.id ="
                + " due.id RETURNING d.id, d.rule_id, d.channel_id, d.channel_type,"
                // a rule's delivery goes to its channel (gone: disabled); a notice e-mail to its
                // own
                // address
                + " CASE WHEN d.channel_id IS NULL THEN d.target ELSE (SELECT c.target FROM"
                + " obs_alert.channels c WHERE c.id = d.channel_id) END AS target,"
                + " CASE WHEN d.channel_id IS NULL THEN 'ok' ELSE COALESCE((SELECT c.status FROM"
                + " obs_alert.channels c WHERE c.id = d.channel_id), 'disabled') END AS"
                + " channel_status, d.message::text AS message, d.attempts, d.created_at")
        .bind("now", time(now))
        .bind("lease", time(now.plus(lease)))
        .bind("limit", limit)
        .map(
            row ->
                new Due(
                    row.get("id", UUID.class),
                    row.get("rule_id", UUID.class),
                    row.get("channel_id", UUID.class),
                    row.get("channel_type", String.class),
                    row.get("target", String.class),
                    row.get("channel_status", String.class),
                    json.readValue(row.get("message", String.class), AlertMessage.class),
                    row.get("attempts", Integer.class),
                    row.get("created_at", OffsetDateTime.class).toInstant()))
        .all();
  }

  /** Records one attempt. */
  Mono<Void> attempt(
      UUID deliveryId,
      int attempt,
      String status,
      Integer statusCode,
      long latencyMs,
      String error,
      Instant at) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO obs_alert.delivery_attempts (delivery_id, attempt, status, status_code,"
                    + " latency_ms, error, at) VALUES (:delivery, :attempt, :status, :code, :latency,"
                    + " :error, :at)")
            .bind("delivery", deliveryId)
            .bind("attempt", attempt)
            .bind("status", status)
            .bind("latency", latencyMs)
            .bind("at", time(at));
    spec =
        statusCode == null ? spec.bindNull("code", Integer.class) : spec.bind("code", statusCode);
    spec = error == null ? spec.bindNull("error", String.class) : spec.bind("error", error);
    return spec.then();
  }

  /** Finishes a delivery as delivered or failed. */
  Mono<Void> finish(UUID id, String status, int attempts, String error, Instant at) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "UPDATE obs_alert.deliveries SET status = :status, attempts = :attempts, finished_at"
                    + " = :at, lease_until = NULL, error = :error WHERE id = :id")
            .bind("status", status)
            .bind("attempts", attempts)
            .bind("at", time(at))
            .bind("id", id);
    spec = error == null ? spec.bindNull("error", String.class) : spec.bind("error", error);
    return spec.then();
  }

  /** Puts a delivery back into the outbox for a later round. */
  Mono<Void> retryLater(UUID id, int attempts, Instant next, String error) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "UPDATE obs_alert.deliveries SET status = 'retrying', attempts = :attempts,"
                    + " next_attempt_at = :next, lease_until = NULL, error = :error WHERE id = :id")
            .bind("attempts", attempts)
            .bind("next", time(next))
            .bind("id", id);
    spec = error == null ? spec.bindNull("error", String.class) : spec.bind("error", error);
    return spec.then();
  }

  /** Gives claimed rows back (on shutdown), so another instance may send them at once. */
  Mono<Void> release(java.util.List<UUID> ids) {
    return db.sql(
            "UPDATE obs_alert.deliveries SET lease_until = NULL WHERE id = ANY(:ids) AND status IN"
                + " ('pending', 'retrying')")
        .bind("ids", ids.toArray(UUID[]::new))
        .then();
  }

  /**
   * Puts a billing notice's e-mail to {@code to} in the outbox, pending at once; meant to run in
   * the transaction that stores the notification.
   */
  Mono<Void> enqueueNoticeEmail(
      String workspaceId, UUID notificationId, String to, AlertMessage message) {
    Instant at = message.occurredAt();
    return db.sql(
            "INSERT INTO obs_alert.deliveries (id, workspace_id, notification_id, target,"
                + " channel_type, message, status, attempts, next_attempt_at, created_at) VALUES"
                + " (:id, :ws, :notification, :to, 'email', CAST(:message AS jsonb), 'pending', 0,"
                + " :next, :created)")
        .bind("id", UUID.randomUUID())
        .bind("ws", workspaceId)
        .bind("notification", notificationId)
        .bind("to", to)
        .bind("message", json.writeValueAsString(message))
        .bind("next", time(at))
        .bind("created", time(at))
        .then();
  }

  /** A successful delivery resets the channel's failure count; a notice e-mail has none. */
  Mono<Void> channelSucceeded(UUID channelId) {
    if (channelId == null) {
      return Mono.empty();
    }
    return db.sql(
            "UPDATE obs_alert.channels SET consecutive_failures = 0 WHERE id = :id AND"
                + " consecutive_failures <> 0")
        .bind("id", channelId)
        .then();
  }

  /**
   * Counts a failed delivery against the channel; marks it broken on a permanent error and disabled
   * after {@code disableAfter} consecutive failures. Returns the channel's new status.
   */
  Mono<String> channelFailed(UUID channelId, boolean permanent, String error, int disableAfter) {
    if (channelId == null) {
      return Mono.just("ok");
    }
    return db.sql(
            "UPDATE obs_alert.channels SET consecutive_failures = consecutive_failures + 1,"
                + " last_error = :error, status = CASE WHEN consecutive_failures + 1 >= :disable THEN"
                + " 'disabled' WHEN :permanent THEN 'broken' ELSE status END WHERE id = :id RETURNING"
                + " status")
        .bind("error", error)
        .bind("disable", disableAfter)
        .bind("permanent", permanent)
        .bind("id", channelId)
        .map(row -> row.get("status", String.class))
        .one()
        .defaultIfEmpty("disabled");
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
