package dev.beacon.billing.plan.web;

import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.plan.domain.Plan;
import dev.beacon.billing.plan.domain.PlanCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The plans with their prices and entitlements; any role may read them. {@code checkout_available}
 * says whether Checkout can sell the plan here: it has a price, a configured Stripe price and
 * billing has a Stripe secret key.
 */
@RestController
class PlanController {

  private final PlanCatalog plans;
  private final boolean stripeConfigured;

  PlanController(PlanCatalog plans, BillingProperties properties) {
    this.plans = plans;
    String key = properties.stripe().secretKey();
    this.stripeConfigured = key != null && !key.isBlank();
  }

  @GetMapping("/api/billing/plans")
  Mono<Map<String, Object>> plans() {
    return plans.list().map(list -> Map.of("plans", list.stream().map(this::view).toList()));
  }

  private Map<String, Object> view(Plan plan) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", plan.id());
    view.put("name", plan.name());
    view.put("price_cents_monthly", plan.priceCentsMonthly());
    view.put("currency", "usd");
    view.put("contact_sales", plan.priceCentsMonthly() == null);
    view.put(
        "checkout_available",
        stripeConfigured
            && plan.priceCentsMonthly() != null
            && plan.priceCentsMonthly() > 0
            && plan.stripePriceId() != null);
    view.put("entitlements", plan.entitlements());
    return view;
  }
}
