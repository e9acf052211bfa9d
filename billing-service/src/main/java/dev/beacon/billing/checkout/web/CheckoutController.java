package dev.beacon.billing.checkout.web;

import dev.beacon.billing.checkout.domain.CheckoutService;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Starts Checkout ({@code {"plan": "pro"}} or {@code {"credit_pack": "credits_10"}}) and the
 * Customer Portal ({@code {}} or {@code {"flow": "change_plan"}}) for the caller's workspace;
 * owners and admins only. Both answer {@code {"url": …}}, the Stripe page the browser goes to.
 */
@RestController
class CheckoutController {

  private final CheckoutService checkout;

  CheckoutController(CheckoutService checkout) {
    this.checkout = checkout;
  }

  @PostMapping("/api/billing/checkout")
  Mono<Map<String, String>> checkout(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) JsonNode body) {
    return Mono.defer(
        () -> {
          JsonNode request = object(body);
          String plan = text(request, "plan", false);
          String pack = text(request, "credit_pack", false);
          if ((plan == null) == (pack == null)) {
            throw ApiException.badRequest(
                "invalid_request", "Name either a plan or a credit_pack to buy.");
          }
          return (plan != null
                  ? checkout.subscribe(identity, plan)
                  : checkout.buyCredits(identity, pack))
              .map(url -> Map.of("url", url));
        });
  }

  @PostMapping("/api/billing/portal")
  Mono<Map<String, String>> portal(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) JsonNode body) {
    return Mono.defer(
        () -> {
          String flow = body == null ? null : text(object(body), "flow", false);
          return checkout.portal(identity, flow).map(url -> Map.of("url", url));
        });
  }

  @GetMapping("/api/billing/invoices")
  Mono<Map<String, Object>> invoices(@AuthenticationPrincipal ForwardedIdentity identity) {
    return checkout.invoices(identity).map(list -> Map.of("invoices", list));
  }

  private static JsonNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("invalid_request", "The body is not a JSON object.");
    }
    return body;
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw ApiException.badRequest("invalid_request", field + " is required.")
            .with("field", field);
      }
      return null;
    }
    if (!value.isString() || value.asString().isBlank() || value.asString().length() > 64) {
      throw ApiException.badRequest("invalid_request", field + " is a string of 1–64 characters.")
          .with("field", field);
    }
    return value.asString();
  }
}
