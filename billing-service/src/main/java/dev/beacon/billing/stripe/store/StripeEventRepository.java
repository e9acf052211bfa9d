package dev.beacon.billing.stripe.store;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The log of verified Stripe events, through R2DBC. */
@Repository
public class StripeEventRepository {

  private final DatabaseClient db;

  StripeEventRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Records the event as received; completes with {@code false} when it was recorded before. */
  public Mono<Boolean> insertIfAbsent(String id, String type, Instant created, Instant now) {
    return db.sql(
            "INSERT INTO stripe_events (id, type, stripe_created, received_at, outcome)"
                + " VALUES (:id, :type, :created, :now, 'received') ON CONFLICT (id) DO NOTHING")
        .bind("id", id)
        .bind("type", type)
        .bind("created", created.atOffset(ZoneOffset.UTC))
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated()
        .map(count -> count > 0);
  }

  /** Records what handling the event did. */
  public Mono<Void> recordOutcome(String id, String outcome, String workspaceId) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql("UPDATE stripe_events SET outcome = :outcome, workspace_id = :ws WHERE id = :id")
            .bind("id", id)
            .bind("outcome", outcome);
    spec = workspaceId == null ? spec.bindNull("ws", String.class) : spec.bind("ws", workspaceId);
    return spec.then();
  }
}
