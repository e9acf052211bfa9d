package dev.beacon.billing.subscription.store;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Subscriptions, through R2DBC. */
@Repository
public class SubscriptionRepository {

  private static final String COLUMNS =
      "workspace_id, plan_id, status, stripe_customer_id, stripe_subscription_id,"
          + " current_period_end, grace_until, stripe_changed_at, revision, published_revision";

  private final DatabaseClient db;

  SubscriptionRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The workspace's subscription; empty for a workspace on Free that never subscribed. */
  public Mono<SubscriptionRow> find(String workspaceId) {
    return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE workspace_id = :ws")
        .bind("ws", workspaceId)
        .map(SubscriptionRepository::row)
        .one();
  }

  /** The workspace whose current subscription or customer this is. */
  public Mono<String> findWorkspace(String subscriptionId, String customerId) {
    return db.sql(
            "SELECT workspace_id FROM subscriptions WHERE stripe_subscription_id = :sub"
                + " UNION ALL"
                + " SELECT workspace_id FROM subscriptions WHERE stripe_customer_id = :customer"
                + " LIMIT 1")
        .bind("sub", subscriptionId == null ? "" : subscriptionId)
        .bind("customer", customerId == null ? "" : customerId)
        .map(row -> row.get("workspace_id", String.class))
        .first();
  }

  /**
   * Serialises changes to one workspace until the surrounding transaction ends, so that a change is
   * always computed from the state the previous one left.
   */
  public Mono<Void> lock(String workspaceId) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtext('billing.subscriptions:' || :ws))")
        .bind("ws", workspaceId)
        .then();
  }

  /** Writes the row with the next revision; completes with the stored row. */
  public Mono<SubscriptionRow> save(SubscriptionRow row, Instant now) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO subscriptions (workspace_id, plan_id, status, stripe_customer_id,"
                    + " stripe_subscription_id, current_period_end, grace_until,"
                    + " stripe_changed_at, revision, updated_at)"
                    + " VALUES (:ws, :plan, :status, :customer, :sub, :periodEnd, :grace,"
                    + " :changedAt, 1, :now)"
                    + " ON CONFLICT (workspace_id) DO UPDATE SET plan_id = EXCLUDED.plan_id,"
                    + " status = EXCLUDED.status,"
                    + " stripe_customer_id = EXCLUDED.stripe_customer_id,"
                    + " stripe_subscription_id = EXCLUDED.stripe_subscription_id,"
                    + " current_period_end = EXCLUDED.current_period_end,"
                    + " grace_until = EXCLUDED.grace_until,"
                    + " stripe_changed_at = EXCLUDED.stripe_changed_at,"
                    + " revision = subscriptions.revision + 1, updated_at = EXCLUDED.updated_at"
                    + " RETURNING "
                    + COLUMNS)
            .bind("ws", row.workspaceId())
            .bind("plan", row.planId())
            .bind("status", row.status())
            .bind("changedAt", utc(row.stripeChangedAt()))
            .bind("now", utc(now));
    spec = nullable(spec, "customer", row.stripeCustomerId());
    spec = nullable(spec, "sub", row.stripeSubscriptionId());
    spec = nullable(spec, "periodEnd", row.currentPeriodEnd());
    spec = nullable(spec, "grace", row.graceUntil());
    return spec.map(SubscriptionRepository::row).one();
  }

  /** Ends every grace period that is over: the workspaces concerned fall back to Free. */
  public Flux<SubscriptionRow> cancelExpiredGrace(Instant now) {
    return db.sql(
            "UPDATE subscriptions SET status = 'canceled', revision = revision + 1,"
                + " updated_at = :now"
                + " WHERE status = 'past_due' AND grace_until <= :now RETURNING "
                + COLUMNS)
        .bind("now", utc(now))
        .map(SubscriptionRepository::row)
        .all();
  }

  /** The subscriptions in a grace period that ends after {@code now} and by {@code by}. */
  public Flux<SubscriptionRow> findGraceEndingBy(Instant now, Instant by) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM subscriptions WHERE status = 'past_due' AND grace_until > :now"
                + " AND grace_until <= :by")
        .bind("now", utc(now))
        .bind("by", utc(by))
        .map(SubscriptionRepository::row)
        .all();
  }

  /** The workspaces whose latest revision Kafka has not acknowledged. */
  public Flux<String> findUnpublished() {
    return db.sql("SELECT workspace_id FROM subscriptions WHERE published_revision < revision")
        .map(row -> row.get("workspace_id", String.class))
        .all();
  }

  /** Records that Kafka acknowledged the entitlements of this revision. */
  public Mono<Void> markPublished(String workspaceId, long revision) {
    return db.sql(
            "UPDATE subscriptions SET published_revision = GREATEST(published_revision, :rev)"
                + " WHERE workspace_id = :ws")
        .bind("rev", revision)
        .bind("ws", workspaceId)
        .then();
  }

  private static DatabaseClient.GenericExecuteSpec nullable(
      DatabaseClient.GenericExecuteSpec spec, String name, String value) {
    return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
  }

  private static DatabaseClient.GenericExecuteSpec nullable(
      DatabaseClient.GenericExecuteSpec spec, String name, Instant value) {
    return value == null ? spec.bindNull(name, OffsetDateTime.class) : spec.bind(name, utc(value));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Readable row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static SubscriptionRow row(Readable row) {
    return new SubscriptionRow(
        row.get("workspace_id", String.class),
        row.get("plan_id", String.class),
        row.get("status", String.class),
        row.get("stripe_customer_id", String.class),
        row.get("stripe_subscription_id", String.class),
        instant(row, "current_period_end"),
        instant(row, "grace_until"),
        instant(row, "stripe_changed_at"),
        row.get("revision", Long.class),
        row.get("published_revision", Long.class));
  }
}
