package dev.beacon.billing.plan.domain;

import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.plan.store.PlanRepository;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The seeded plans with the Stripe price ids from configuration. */
@Service
public class PlanCatalog {

  private final PlanRepository plans;
  private final BillingProperties properties;

  PlanCatalog(PlanRepository plans, BillingProperties properties) {
    this.plans = plans;
    this.properties = properties;
  }

  /** Every plan, cheapest first. */
  public Flux<Plan> all() {
    return plans
        .findAll()
        .map(
            row ->
                new Plan(
                    row.id(),
                    row.name(),
                    row.priceCentsMonthly(),
                    priceId(row.id()),
                    row.entitlements()));
  }

  /** The plan with this id. */
  public Mono<Plan> byId(String id) {
    return all().filter(plan -> plan.id().equals(id)).next();
  }

  /** The plan sold at this Stripe price; empty for a price no plan is configured with. */
  public Mono<Plan> byStripePrice(String priceId) {
    if (priceId == null) {
      return Mono.empty();
    }
    return all().filter(plan -> priceId.equals(plan.stripePriceId())).next();
  }

  /** The Free plan, which every workspace without a subscription is on. */
  public Mono<Plan> free() {
    return byId(Plan.FREE);
  }

  /** The plans as one list. */
  public Mono<List<Plan>> list() {
    return all().collectList();
  }

  private String priceId(String planId) {
    return Optional.ofNullable(properties.stripe().prices().get(planId))
        .filter(id -> !id.isBlank())
        .orElse(null);
  }
}
