package dev.beacon.billing.stripe.domain;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.contact.domain.ContactService;
import dev.beacon.billing.credit.domain.CreditOutcome;
import dev.beacon.billing.credit.domain.CreditPurchase;
import dev.beacon.billing.credit.domain.CreditRefund;
import dev.beacon.billing.credit.domain.LedgerService;
import dev.beacon.billing.notice.domain.NoticeService;
import dev.beacon.billing.notice.domain.Notices;
import dev.beacon.billing.stripe.store.StripeEventRepository;
import dev.beacon.billing.subscription.domain.ApplyOutcome;
import dev.beacon.billing.subscription.domain.SubscriptionChange;
import dev.beacon.billing.subscription.domain.SubscriptionService;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies a Stripe delivery with the endpoint secret, logs the event once, and applies the change
 * it reports in the same transaction — to the subscription, or to the credit ledger for a credit
 * pack's checkout and a refund; then publishes the workspace's entitlements if they changed, and
 * the billing notices the change recorded.
 */
@Service
public class StripeWebhookService {

  private static final Logger log = LoggerFactory.getLogger(StripeWebhookService.class);

  private final BillingProperties properties;
  private final StripeEventRepository events;
  private final SubscriptionService subscriptions;
  private final LedgerService ledger;
  private final NoticeService notices;
  private final ContactService contacts;
  private final TransactionalOperator transaction;
  private final JsonMapper json;
  private final Clock clock;

  StripeWebhookService(
      BillingProperties properties,
      StripeEventRepository events,
      SubscriptionService subscriptions,
      LedgerService ledger,
      NoticeService notices,
      ContactService contacts,
      TransactionalOperator transaction,
      JsonMapper json,
      Clock clock) {
    this.properties = properties;
    this.events = events;
    this.subscriptions = subscriptions;
    this.ledger = ledger;
    this.notices = notices;
    this.contacts = contacts;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  /** Handles one delivery; fails with an {@link ApiException} when it is not a verified event. */
  public Mono<WebhookResult> receive(String payload, String signatureHeader) {
    return Mono.fromCallable(() -> verify(payload, signatureHeader))
        .flatMap(event -> handle(event, payload));
  }

  private Event verify(String payload, String signatureHeader) {
    String secret = properties.stripe().webhookSecret();
    if (secret == null || secret.isBlank()) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "stripe_webhook_not_configured",
          "The Stripe webhook secret is not configured.");
    }
    if (payload == null || signatureHeader == null || signatureHeader.isBlank()) {
      throw invalidSignature();
    }
    Optional<Long> timestamp = timestamp(signatureHeader);
    if (timestamp.isEmpty()) {
      throw invalidSignature();
    }
    Event event;
    try {
      // the signature first, so a forged header learns nothing about the tolerance; the library's
      // own clock check is off (tolerance 0): the one check below uses the service's clock
      event = Webhook.constructEvent(payload, signatureHeader, secret, 0);
    } catch (SignatureVerificationException e) {
      throw invalidSignature();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("stripe_payload_invalid", "The payload is not a Stripe event.");
    }
    long tolerance = properties.stripe().tolerance().toSeconds();
    if (Math.abs(clock.instant().getEpochSecond() - timestamp.get()) > tolerance) {
      throw ApiException.badRequest(
          "stripe_signature_expired",
          "The Stripe-Signature timestamp is outside the tolerance of " + tolerance + " s.");
    }
    return event;
  }

  private static ApiException invalidSignature() {
    return ApiException.badRequest(
        "stripe_signature_invalid",
        "The Stripe-Signature header is missing or does not match the payload.");
  }

  /** The {@code t=} part of a {@code Stripe-Signature} header. */
  private static Optional<Long> timestamp(String header) {
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length == 2 && pair[0].equals("t")) {
        try {
          return Optional.of(Long.parseLong(pair[1]));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private Mono<WebhookResult> handle(Event event, String payload) {
    if (event.getId() == null || event.getType() == null || event.getCreated() == null) {
      return Mono.error(
          ApiException.badRequest("stripe_payload_invalid", "The payload is not a Stripe event."));
    }
    JsonNode object;
    try {
      object = json.readTree(payload).path("data").path("object");
    } catch (JacksonException e) {
      return Mono.error(
          ApiException.badRequest("stripe_payload_invalid", "The payload is not a Stripe event."));
    }
    Instant created = Instant.ofEpochSecond(event.getCreated());
    Mono<Handled> apply = apply(event.getId(), event.getType(), object, created);
    Mono<Handled> work =
        events
            .insertIfAbsent(event.getId(), event.getType(), created, clock.instant())
            .flatMap(
                fresh -> {
                  if (!fresh) {
                    return Mono.just(new Handled("duplicate", null, false));
                  }
                  return apply.flatMap(
                      h ->
                          events
                              .recordOutcome(event.getId(), h.result(), h.workspaceId())
                              .thenReturn(h));
                })
            .as(transaction::transactional);
    return work.flatMap(
        outcome -> {
          log.info(
              "Stripe event {} ({}) {}{}",
              event.getId(),
              event.getType(),
              outcome.result(),
              outcome.workspaceId() == null ? "" : " for workspace " + outcome.workspaceId());
          Mono<Void> publish =
              outcome.publish() ? subscriptions.publish(outcome.workspaceId()) : Mono.empty();
          // side by side, so the answer waits for Kafka at most one publish timeout
          Mono<Void> tell =
              outcome.workspaceId() != null ? notices.publish(outcome.workspaceId()) : Mono.empty();
          return Mono.when(publish, tell)
              .thenReturn(new WebhookResult(event.getId(), outcome.result()));
        });
  }

  /** Applies what the event reports; deferred, so it runs only for an event not received before. */
  private Mono<Handled> apply(String eventId, String type, JsonNode object, Instant created) {
    Mono<Handled> handled = handledBy(eventId, type, object, created);
    return StripeEvents.checkoutEmail(type, object)
        .map(
            paid ->
                Mono.defer(() -> contacts.learnFromCheckout(paid.workspaceId(), paid.email()))
                    .then(handled))
        .orElse(handled);
  }

  private Mono<Handled> handledBy(String eventId, String type, JsonNode object, Instant created) {
    Optional<CreditPurchase> failed = StripeEvents.failedCreditPayment(type, object);
    if (failed.isPresent()) {
      CreditPurchase purchase = failed.get();
      if (purchase.workspaceId() == null) {
        return Mono.just(new Handled("unmatched", null, false));
      }
      if (purchase.sessionId() == null) {
        return Mono.just(new Handled("ignored", purchase.workspaceId(), false));
      }
      return Mono.defer(
          () ->
              notices
                  .record(
                      Notices.creditPaymentFailed(
                          purchase.workspaceId(),
                          purchase.sessionId(),
                          purchase.packId(),
                          clock.instant()))
                  .thenReturn(new Handled("applied", purchase.workspaceId(), false)));
    }
    Optional<CreditPurchase> purchase = StripeEvents.creditPurchase(type, object);
    if (purchase.isPresent()) {
      return Mono.defer(() -> ledger.grantPurchase(purchase.get())).map(Handled::of);
    }
    Optional<CreditRefund> refund = StripeEvents.creditRefund(type, eventId, object);
    if (refund.isPresent()) {
      return Mono.defer(() -> ledger.reverse(refund.get())).map(Handled::of);
    }
    Optional<SubscriptionChange> change = StripeEvents.change(type, object, created);
    return change
        .map(c -> Mono.defer(() -> subscriptions.apply(c)).map(Handled::of))
        .orElseGet(() -> Mono.just(new Handled("ignored", null, false)));
  }

  /**
   * What handling an event did.
   *
   * @param publish whether the workspace's entitlements changed and are to be published
   */
  private record Handled(String result, String workspaceId, boolean publish) {

    static Handled of(ApplyOutcome outcome) {
      return new Handled(outcome.result(), outcome.workspaceId(), outcome.changed());
    }

    static Handled of(CreditOutcome outcome) {
      return new Handled(outcome.result(), outcome.workspaceId(), outcome.hostedAccessChanged());
    }
  }
}
