package dev.beacon.billing.stripe.domain;

import dev.beacon.billing.credit.domain.CreditPurchase;
import dev.beacon.billing.credit.domain.CreditRefund;
import dev.beacon.billing.subscription.domain.SubscriptionChange;
import dev.beacon.billing.subscription.domain.SubscriptionChange.Kind;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the Stripe objects billing handles, in the shapes of Stripe's current API versions (a
 * subscription's period end on the subscription or on its first item; an invoice's subscription on
 * the invoice or under {@code parent.subscription_details}).
 */
final class StripeEvents {

  private StripeEvents() {}

  /** The change an event reports; empty for a type billing does not handle. */
  static Optional<SubscriptionChange> change(String type, JsonNode object, Instant created) {
    return switch (type) {
      case "checkout.session.completed" ->
          Optional.of(
              new SubscriptionChange(
                  Kind.CHECKOUT_COMPLETED,
                  text(object, "client_reference_id")
                      .or(() -> text(object.path("metadata"), "workspace_id"))
                      .orElse(null),
                  id(object.path("customer")),
                  id(object.path("subscription")),
                  text(object.path("line_items").path("data").path(0).path("price"), "id")
                      .or(() -> text(object.path("metadata"), "price_id"))
                      .orElse(null),
                  null,
                  null,
                  created));
      case "customer.subscription.created", "customer.subscription.updated" ->
          Optional.of(subscription(Kind.SUBSCRIPTION_STATE, object, created));
      case "customer.subscription.deleted" ->
          Optional.of(subscription(Kind.SUBSCRIPTION_DELETED, object, created));
      case "invoice.payment_failed" -> Optional.of(invoice(Kind.PAYMENT_FAILED, object, created));
      case "invoice.paid" -> Optional.of(invoice(Kind.PAYMENT_SUCCEEDED, object, created));
      default -> Optional.empty();
    };
  }

  /**
   * The credit pack a Checkout Session in {@code payment} mode bought: on {@code
   * checkout.session.completed}, or on {@code checkout.session.async_payment_succeeded} for a
   * delayed payment method (the completed session was {@code unpaid} then, and granted nothing);
   * empty for any other event, including a subscription's checkout. The grant is idempotent by the
   * session, so both events of one session grant once.
   */
  static Optional<CreditPurchase> creditPurchase(String type, JsonNode object) {
    if (!("checkout.session.completed".equals(type)
            || "checkout.session.async_payment_succeeded".equals(type))
        || !"payment".equals(text(object, "mode").orElse(null))) {
      return Optional.empty();
    }
    return text(object.path("metadata"), "credit_pack")
        .map(
            pack ->
                new CreditPurchase(
                    text(object, "client_reference_id")
                        .or(() -> text(object.path("metadata"), "workspace_id"))
                        .orElse(null),
                    pack,
                    text(object, "id").orElse(null),
                    id(object.path("payment_intent")),
                    object.path("amount_total").asLong(0),
                    "paid".equals(text(object, "payment_status").orElse(null))));
  }

  /**
   * The credit pack whose delayed payment failed: {@code checkout.session.async_payment_failed} of
   * a session in {@code payment} mode with {@code metadata.credit_pack}; empty for any other event.
   * Nothing was granted for it (the completed session was {@code unpaid}).
   */
  static Optional<CreditPurchase> failedCreditPayment(String type, JsonNode object) {
    if (!"checkout.session.async_payment_failed".equals(type)
        || !"payment".equals(text(object, "mode").orElse(null))) {
      return Optional.empty();
    }
    return text(object.path("metadata"), "credit_pack")
        .map(
            pack ->
                new CreditPurchase(
                    workspaceOf(object),
                    pack,
                    text(object, "id").orElse(null),
                    id(object.path("payment_intent")),
                    object.path("amount_total").asLong(0),
                    false));
  }

  /**
   * The workspace and the e-mail address a completed Checkout collected ({@code
   * customer_details.email}, else {@code customer_email}); empty for any other event or without
   * either.
   */
  static Optional<CheckoutEmail> checkoutEmail(String type, JsonNode object) {
    if (!"checkout.session.completed".equals(type)) {
      return Optional.empty();
    }
    String workspace = workspaceOf(object);
    return text(object.path("customer_details"), "email")
        .or(() -> text(object, "customer_email"))
        .filter(email -> workspace != null)
        .map(email -> new CheckoutEmail(workspace, email));
  }

  /** What a completed Checkout says about who pays. */
  record CheckoutEmail(String workspaceId, String email) {}

  private static String workspaceOf(JsonNode session) {
    return text(session, "client_reference_id")
        .or(() -> text(session.path("metadata"), "workspace_id"))
        .orElse(null);
  }

  /** The refund a {@code charge.refunded} event reports; empty for any other event. */
  static Optional<CreditRefund> creditRefund(String type, String eventId, JsonNode object) {
    if (!"charge.refunded".equals(type)) {
      return Optional.empty();
    }
    return Optional.of(
        new CreditRefund(
            eventId,
            id(object.path("payment_intent")),
            object.path("amount").asLong(0),
            object.path("amount_refunded").asLong(0)));
  }

  private static SubscriptionChange subscription(Kind kind, JsonNode object, Instant created) {
    JsonNode item = object.path("items").path("data").path(0);
    Instant periodEnd =
        epoch(object.path("current_period_end"))
            .or(() -> epoch(item.path("current_period_end")))
            .orElse(null);
    return new SubscriptionChange(
        kind,
        text(object.path("metadata"), "workspace_id").orElse(null),
        id(object.path("customer")),
        text(object, "id").orElse(null),
        text(item.path("price"), "id").orElse(null),
        text(object, "status").orElse(null),
        periodEnd,
        created);
  }

  private static SubscriptionChange invoice(Kind kind, JsonNode object, Instant created) {
    String subscription = id(object.path("subscription"));
    if (subscription == null) {
      subscription = id(object.path("parent").path("subscription_details").path("subscription"));
    }
    return new SubscriptionChange(
        kind,
        text(object.path("metadata"), "workspace_id").orElse(null),
        id(object.path("customer")),
        subscription,
        null,
        null,
        null,
        created);
  }

  /** An id field that may be a plain id or an expanded object. */
  private static String id(JsonNode node) {
    if (node.isString()) {
      return node.asString();
    }
    return node.isObject() ? text(node, "id").orElse(null) : null;
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() && !value.asString().isBlank()
        ? Optional.of(value.asString())
        : Optional.empty();
  }

  private static Optional<Instant> epoch(JsonNode node) {
    return node.isIntegralNumber()
        ? Optional.of(Instant.ofEpochSecond(node.asLong()))
        : Optional.empty();
  }
}
