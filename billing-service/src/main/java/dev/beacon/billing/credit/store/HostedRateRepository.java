package dev.beacon.billing.credit.store;

import dev.beacon.billing.credit.domain.HostedRate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** The seeded {@code hosted_rates}, through R2DBC. */
@Repository
public class HostedRateRepository {

  private final DatabaseClient db;

  HostedRateRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Every rate, the fallbacks included. */
  public Flux<HostedRate> findAll() {
    return db.sql(
            "SELECT provider, model, input_credits_per_million, cached_input_credits_per_million,"
                + " output_credits_per_million FROM hosted_rates")
        .map(
            row ->
                new HostedRate(
                    row.get("provider", String.class),
                    row.get("model", String.class),
                    row.get("input_credits_per_million", Long.class),
                    row.get("cached_input_credits_per_million", Long.class),
                    row.get("output_credits_per_million", Long.class)))
        .all();
  }
}
