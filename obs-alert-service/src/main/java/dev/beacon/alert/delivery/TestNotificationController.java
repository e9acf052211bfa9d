package dev.beacon.alert.delivery;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.notification.Notification;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.notification.NotificationStream;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.Rule.Channel;
import dev.beacon.alert.rule.RuleRepository;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/obs/alerts/rules/{id}/test}: sends a test notification to each of the rule's
 * channels right away (one attempt each, rate limit respected, no outbox) and reports each result.
 * A failed test does not change the channel's status.
 */
@RestController
class TestNotificationController {

  /** One channel's result. */
  record Result(String channel, String status, Integer statusCode, String error, long latencyMs) {}

  /** {@code {"results": [...]}}. */
  record Results(List<Result> results) {}

  private final RuleRepository rules;
  private final SlackClient slack;
  private final EmailSender email;
  private final NotificationRepository notifications;
  private final NotificationStream stream;
  private final AlertProperties properties;
  private final Clock clock;

  TestNotificationController(
      RuleRepository rules,
      SlackClient slack,
      EmailSender email,
      NotificationRepository notifications,
      NotificationStream stream,
      AlertProperties properties,
      Clock clock) {
    this.rules = rules;
    this.slack = slack;
    this.email = email;
    this.notifications = notifications;
    this.stream = stream;
    this.properties = properties;
    this.clock = clock;
  }

  @PostMapping("/api/obs/alerts/rules/{id}/test")
  Mono<Results> test(@AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    UUID ruleId;
    try {
      ruleId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
    return rules
        .find(identity.workspaceId(), ruleId)
        .switchIfEmpty(Mono.error(notFound()))
        .flatMap(
            rule ->
                Flux.fromIterable(rule.channels())
                    .concatMap(channel -> send(rule, channel, message(rule, clock.instant())))
                    .collectList())
        .map(Results::new);
  }

  private Mono<Result> send(Rule rule, Channel channel, AlertMessage message) {
    return switch (channel.type()) {
      case "slack" ->
          slack
              .send(channel.target(), message, 1, 1, (n, attempt) -> Mono.empty())
              .map(outcome -> result("slack", outcome.last()));
      case "email" ->
          email.send(channel.target(), message).map(attempt -> result("email", attempt));
      default -> {
        Notification n =
            new Notification(
                UUID.randomUUID(),
                rule.workspaceId(),
                rule.id(),
                "test",
                message.title(),
                message.body(),
                message.link(),
                message.occurredAt(),
                null);
        yield notifications
            .insert(n)
            .doOnSuccess(stream::publish)
            .thenReturn(new Result("in_app", "delivered", null, null, 0));
      }
    };
  }

  private static Result result(String channel, SlackClient.Attempt attempt) {
    return new Result(
        channel,
        attempt.status().equals("delivered") ? "delivered" : "failed",
        attempt.statusCode(),
        attempt.error(),
        attempt.latencyMs());
  }

  private AlertMessage message(Rule rule, Instant now) {
    return new AlertMessage(
        "test",
        "[TEST] " + rule.name(),
        "A test notification from Beacon: this channel works.",
        rule.name(),
        "",
        null,
        rule.metric().wire(),
        null,
        rule.criticalThreshold() != null
            ? rule.criticalThreshold().toPlainString()
            : rule.warningThreshold().toPlainString(),
        rule.comparator().wire(),
        rule.window().wire(),
        properties.publicUrl().replaceAll("/+$", "") + "/alerts?rule=" + rule.id(),
        now);
  }

  private static ApiException notFound() {
    return ApiException.notFound("rule_not_found", "No such alert rule in this workspace.");
  }
}
