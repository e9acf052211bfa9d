package dev.beacon.billing.stripe.web;

import dev.beacon.billing.stripe.domain.StripeWebhookService;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Stripe's deliveries. Public (no forwarded identity): the {@code Stripe-Signature} header, checked
 * against the endpoint secret, is the authentication. Any verified event is answered 200, including
 * a repeated one and a type billing does not handle, so Stripe stops retrying it.
 */
@RestController
class StripeWebhookController {

  private final StripeWebhookService webhook;

  StripeWebhookController(StripeWebhookService webhook) {
    this.webhook = webhook;
  }

  @PostMapping("/api/billing/stripe/webhook")
  Mono<Map<String, Object>> receive(
      @RequestHeader(name = "Stripe-Signature", required = false) String signature,
      @RequestBody(required = false) String payload) {
    return webhook
        .receive(payload, signature)
        .map(
            result ->
                Map.of(
                    "received", true, "event_id", result.eventId(), "outcome", result.outcome()));
  }
}
