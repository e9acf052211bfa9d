package dev.beacon.billing.checkout.domain;

import com.stripe.param.checkout.SessionCreateParams;
import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.credit.store.CreditPackRow;
import dev.beacon.billing.credit.store.CreditPurchaseRepository;
import dev.beacon.billing.plan.domain.Plan;
import dev.beacon.billing.plan.domain.PlanCatalog;
import dev.beacon.billing.subscription.store.SubscriptionRepository;
import dev.beacon.billing.subscription.store.SubscriptionRow;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Starts the two Stripe flows for a workspace's owners and admins: Checkout to subscribe to a plan,
 * and the Customer Portal to change plan, update the payment method, see invoices or cancel. Both
 * answer the URL the browser goes to; what the customer does there comes back through the webhook.
 *
 * <p>The Checkout Session names the workspace everywhere the webhook looks for it ({@code
 * client_reference_id}, {@code metadata.workspace_id} and {@code metadata.price_id}, and the
 * subscription's own {@code metadata.workspace_id}), so every later event of the subscription finds
 * its workspace even when it arrives first (docs/billing.md).
 */
@Service
public class CheckoutService {

  /** The Portal flow that opens on the plan choice of the current subscription. */
  public static final String CHANGE_PLAN = "change_plan";

  /** How many invoices the Billing page lists. */
  static final long INVOICES = 24;

  private final PlanCatalog plans;
  private final SubscriptionRepository subscriptions;
  private final CreditPurchaseRepository packs;
  private final StripeSessions stripe;
  private final URI publicUrl;
  private final java.util.Map<String, String> packPrices;

  public CheckoutService(
      PlanCatalog plans,
      SubscriptionRepository subscriptions,
      CreditPurchaseRepository packs,
      StripeSessions stripe,
      BillingProperties properties) {
    this.plans = plans;
    this.subscriptions = subscriptions;
    this.packs = packs;
    this.stripe = stripe;
    this.publicUrl = properties.publicUrl();
    this.packPrices = properties.stripe().creditPackPrices();
  }

  /**
   * A Checkout Session in {@code payment} mode that buys credit pack {@code packId} for the
   * caller's workspace; its URL. The webhook grants the credits from the completed session's {@code
   * metadata.credit_pack} (docs/billing.md, Credits).
   */
  public Mono<String> buyCredits(ForwardedIdentity caller, String packId) {
    return Mono.defer(
        () -> {
          requireManager(caller);
          String workspace = caller.workspaceId();
          return packs
              .findPack(packId)
              .switchIfEmpty(
                  Mono.error(
                      ApiException.notFound(
                              "unknown_credit_pack", "There is no credit pack '" + packId + "'.")
                          .with("credit_pack", packId)))
              .flatMap(
                  pack -> {
                    String price = packPrices.get(pack.id());
                    if (price == null || price.isBlank()) {
                      return Mono.error(
                          new ApiException(
                                  HttpStatus.SERVICE_UNAVAILABLE,
                                  "credit_pack_not_configured",
                                  pack.name()
                                      + " has no Stripe price configured (BEACON_STRIPE_PRICE_"
                                      + pack.id().toUpperCase(java.util.Locale.ROOT)
                                      + "): it cannot be bought yet.")
                              .with("credit_pack", pack.id()));
                    }
                    return subscriptions
                        .find(workspace)
                        .map(SubscriptionRow::stripeCustomerId)
                        .defaultIfEmpty("")
                        .flatMap(
                            customer ->
                                stripe.checkout(
                                    packParams(
                                        workspace,
                                        pack,
                                        price,
                                        customer.isEmpty() ? null : customer),
                                    "credits:"
                                        + workspace
                                        + ":"
                                        + pack.id()
                                        + ":"
                                        + UUID.randomUUID()));
                  });
        });
  }

  /** A Checkout Session that subscribes the caller's workspace to {@code planId}; its URL. */
  public Mono<String> subscribe(ForwardedIdentity caller, String planId) {
    return Mono.defer(
        () -> {
          requireManager(caller);
          String workspace = caller.workspaceId();
          return plans
              .byId(planId)
              .switchIfEmpty(
                  Mono.error(
                      ApiException.notFound("unknown_plan", "There is no plan '" + planId + "'.")
                          .with("plan", planId)))
              .flatMap(plan -> sellable(plan))
              .zipWith(
                  subscriptions.find(workspace).map(Optional::of).defaultIfEmpty(Optional.empty()))
              .flatMap(
                  planAndRow -> {
                    Plan plan = planAndRow.getT1();
                    Optional<SubscriptionRow> row = planAndRow.getT2();
                    if (row.filter(CheckoutService::subscribed).isPresent()) {
                      return Mono.error(
                          ApiException.conflict(
                                  "already_subscribed",
                                  "This workspace already has a "
                                      + row.get().planId()
                                      + " subscription: change plan in the customer portal"
                                      + " (POST /api/billing/portal with flow change_plan).")
                              .with("plan", row.get().planId()));
                    }
                    String customer = row.map(SubscriptionRow::stripeCustomerId).orElse(null);
                    return stripe.checkout(
                        checkoutParams(workspace, plan, customer),
                        "checkout:" + workspace + ":" + plan.id() + ":" + UUID.randomUUID());
                  });
        });
  }

  /**
   * A Customer Portal session for the caller's workspace; with {@link #CHANGE_PLAN} it opens on the
   * plan choice of the current subscription.
   */
  public Mono<String> portal(ForwardedIdentity caller, String flow) {
    return Mono.defer(
        () -> {
          requireManager(caller);
          if (flow != null && !CHANGE_PLAN.equals(flow)) {
            return Mono.error(
                ApiException.badRequest(
                        "invalid_request", "flow is either absent or \"" + CHANGE_PLAN + "\".")
                    .with("field", "flow"));
          }
          String workspace = caller.workspaceId();
          return subscriptions
              .find(workspace)
              .filter(row -> row.stripeCustomerId() != null)
              .switchIfEmpty(
                  Mono.error(
                      ApiException.conflict(
                          "no_billing_account",
                          "This workspace has no Stripe customer yet: subscribe to a plan first.")))
              .flatMap(
                  row -> {
                    if (flow != null && !subscribed(row)) {
                      return Mono.error(
                          ApiException.conflict(
                              "no_subscription",
                              "This workspace has no active subscription to change: subscribe"
                                  + " through Checkout."));
                    }
                    return stripe.portal(
                        portalParams(row, flow), "portal:" + workspace + ":" + UUID.randomUUID());
                  });
        });
  }

  /**
   * The workspace's latest invoices from Stripe, newest first (owners and admins): none, without
   * asking Stripe, for a workspace that never had a Stripe customer.
   */
  public Mono<java.util.List<InvoiceView>> invoices(ForwardedIdentity caller) {
    return Mono.defer(
        () -> {
          requireManager(caller);
          return subscriptions
              .find(caller.workspaceId())
              .mapNotNull(SubscriptionRow::stripeCustomerId)
              .flatMap(customer -> stripe.invoices(customer, INVOICES))
              .defaultIfEmpty(java.util.List.of());
        });
  }

  private Mono<Plan> sellable(Plan plan) {
    if (Plan.FREE.equals(plan.id())) {
      return Mono.error(
          ApiException.badRequest(
                  "plan_not_sold",
                  "Free needs no checkout: to return to Free, cancel the subscription in the"
                      + " customer portal.")
              .with("plan", plan.id()));
    }
    if (plan.priceCentsMonthly() == null) {
      return Mono.error(
          ApiException.badRequest(
                  "contact_sales", plan.name() + " is not sold online: contact us to subscribe.")
              .with("plan", plan.id()));
    }
    if (plan.stripePriceId() == null) {
      return Mono.error(
          new ApiException(
                  HttpStatus.SERVICE_UNAVAILABLE,
                  "plan_not_configured",
                  plan.name()
                      + " has no Stripe price configured (BEACON_STRIPE_PRICE_"
                      + plan.id().toUpperCase(java.util.Locale.ROOT)
                      + "): it cannot be bought yet.")
              .with("plan", plan.id()));
    }
    if (!stripe.configured()) {
      return Mono.error(
          new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "stripe_not_configured",
              "Billing has no Stripe secret key (BEACON_STRIPE_SECRET_KEY): Checkout is not"
                  + " available."));
    }
    return Mono.just(plan);
  }

  private SessionCreateParams checkoutParams(String workspace, Plan plan, String customer) {
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
            .addLineItem(
                SessionCreateParams.LineItem.builder()
                    .setPrice(plan.stripePriceId())
                    .setQuantity(1L)
                    .build())
            .setClientReferenceId(workspace)
            .putMetadata("workspace_id", workspace)
            .putMetadata("price_id", plan.stripePriceId())
            .putMetadata("plan", plan.id())
            .setSubscriptionData(
                SessionCreateParams.SubscriptionData.builder()
                    .putMetadata("workspace_id", workspace)
                    .build())
            .setSuccessUrl(page("/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}"))
            .setCancelUrl(page("/billing?checkout=canceled"));
    if (customer != null) {
      params.setCustomer(customer);
    }
    return params.build();
  }

  private SessionCreateParams packParams(
      String workspace, CreditPackRow pack, String price, String customer) {
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.PAYMENT)
            .addLineItem(
                SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
            .setClientReferenceId(workspace)
            .putMetadata("workspace_id", workspace)
            .putMetadata("credit_pack", pack.id())
            .putMetadata("price_id", price)
            .setPaymentIntentData(
                SessionCreateParams.PaymentIntentData.builder()
                    .putMetadata("workspace_id", workspace)
                    .putMetadata("credit_pack", pack.id())
                    .build())
            .setSuccessUrl(page("/billing?credits=success&session_id={CHECKOUT_SESSION_ID}"))
            .setCancelUrl(page("/billing?credits=canceled"));
    if (customer != null) {
      params.setCustomer(customer);
    }
    return params.build();
  }

  private com.stripe.param.billingportal.SessionCreateParams portalParams(
      SubscriptionRow row, String flow) {
    var params =
        com.stripe.param.billingportal.SessionCreateParams.builder()
            .setCustomer(row.stripeCustomerId())
            .setReturnUrl(page("/billing"));
    if (CHANGE_PLAN.equals(flow)) {
      params.setFlowData(
          com.stripe.param.billingportal.SessionCreateParams.FlowData.builder()
              .setType(
                  com.stripe.param.billingportal.SessionCreateParams.FlowData.Type
                      .SUBSCRIPTION_UPDATE)
              .setSubscriptionUpdate(
                  com.stripe.param.billingportal.SessionCreateParams.FlowData.SubscriptionUpdate
                      .builder()
                      .setSubscription(row.stripeSubscriptionId())
                      .build())
              .build());
    }
    return params.build();
  }

  private String page(String pathAndQuery) {
    String base = publicUrl.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
  }

  private static boolean subscribed(SubscriptionRow row) {
    return row.stripeSubscriptionId() != null && !"canceled".equals(row.status());
  }

  private static void requireManager(ForwardedIdentity caller) {
    if (caller.role() != Role.OWNER && caller.role() != Role.ADMIN) {
      throw ApiException.forbidden(
          "forbidden_role", "Only the workspace's owners and admins manage its billing.");
    }
  }
}
