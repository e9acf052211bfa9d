package dev.beacon.billing.plan.store;

import dev.beacon.billing.plan.domain.Entitlements;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** The seeded plans, through R2DBC. */
@Repository
public class PlanRepository {

  private final DatabaseClient db;

  PlanRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Every plan in its display order. */
  public Flux<PlanRow> findAll() {
    return db.sql(
            "SELECT id, name, price_cents_monthly, retention_days, events_per_month, alert_rules,"
                + " members, api_keys, hosted_credit_allowance FROM plans ORDER BY position")
        .map(
            row ->
                new PlanRow(
                    row.get("id", String.class),
                    row.get("name", String.class),
                    row.get("price_cents_monthly", Long.class),
                    new Entitlements(
                        row.get("retention_days", Integer.class),
                        row.get("events_per_month", Long.class),
                        row.get("alert_rules", Integer.class),
                        row.get("members", Integer.class),
                        row.get("api_keys", Integer.class),
                        row.get("hosted_credit_allowance", Long.class))))
        .all();
  }
}
