package dev.beacon.alert.delivery;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/obs/alerts/rules/{id}/test}: sends a test notification to each of the rule's
 * channels right away (one attempt each, rate limit respected, no outbox) and reports each result.
 * A failed test does not change the channel's status.
 */
@RestController
class TestNotificationController {

  /** {@code {"results": [...]}}. */
  record Results(List<TestNotificationService.Result> results) {}

  private final TestNotificationService tests;

  TestNotificationController(TestNotificationService tests) {
    this.tests = tests;
  }

  @PostMapping("/api/obs/alerts/rules/{id}/test")
  Mono<Results> test(@AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    UUID ruleId;
    try {
      ruleId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
    return tests
        .send(identity.workspaceId(), ruleId)
        .switchIfEmpty(Mono.error(notFound()))
        .map(Results::new);
  }

  private static ApiException notFound() {
    return ApiException.notFound("rule_not_found", "No such alert rule in this workspace.");
  }
}
