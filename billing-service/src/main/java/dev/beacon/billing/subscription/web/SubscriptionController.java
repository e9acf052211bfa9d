package dev.beacon.billing.subscription.web;

import dev.beacon.billing.subscription.domain.EffectiveSubscription;
import dev.beacon.billing.subscription.domain.SubscriptionService;
import dev.beacon.identity.ForwardedIdentity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The caller's workspace's plan, status and entitlements; any role may read them. */
@RestController
class SubscriptionController {

  private final SubscriptionService subscriptions;

  SubscriptionController(SubscriptionService subscriptions) {
    this.subscriptions = subscriptions;
  }

  @GetMapping("/api/billing/subscription")
  Mono<EffectiveSubscription> subscription(@AuthenticationPrincipal ForwardedIdentity identity) {
    return subscriptions.effective(identity.workspaceId());
  }
}
