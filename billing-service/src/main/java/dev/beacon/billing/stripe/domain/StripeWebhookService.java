package dev.beacon.billing.stripe.domain;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.beacon.billing.config.BillingProperties;
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
 * it reports in the same transaction; then publishes the workspace's entitlements.
 */
@Service
public class StripeWebhookService {

  private static final Logger log = LoggerFactory.getLogger(StripeWebhookService.class);

  private final BillingProperties properties;
  private final StripeEventRepository events;
  private final SubscriptionService subscriptions;
  private final TransactionalOperator transaction;
  private final JsonMapper json;
  private final Clock clock;

  StripeWebhookService(
      BillingProperties properties,
      StripeEventRepository events,
      SubscriptionService subscriptions,
      TransactionalOperator transaction,
      JsonMapper json,
      Clock clock) {
    this.properties = properties;
    this.events = events;
    this.subscriptions = subscriptions;
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
    Optional<SubscriptionChange> change = StripeEvents.change(event.getType(), object, created);
    Mono<ApplyOutcome> work =
        events
            .insertIfAbsent(event.getId(), event.getType(), created, clock.instant())
            .flatMap(
                fresh -> {
                  if (!fresh) {
                    return Mono.just(new ApplyOutcome("duplicate", null));
                  }
                  Mono<ApplyOutcome> outcome =
                      change
                          .map(subscriptions::apply)
                          .orElseGet(() -> Mono.just(new ApplyOutcome("ignored", null)));
                  return outcome.flatMap(
                      o ->
                          events
                              .recordOutcome(event.getId(), o.result(), o.workspaceId())
                              .thenReturn(o));
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
              outcome.changed() ? subscriptions.publish(outcome.workspaceId()) : Mono.empty();
          return publish.thenReturn(new WebhookResult(event.getId(), outcome.result()));
        });
  }
}
