package dev.beacon.alert.delivery;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.notification.Notification;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.notification.NotificationStream;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.Rule.Channel;
import dev.beacon.alert.rule.RuleRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends a test notification to each of a rule's channels right away: one attempt each, the rate
 * limit respected, no outbox, and the channel's status left as it is whatever the outcome.
 */
class TestNotificationService {

  /** One channel's result. */
  record Result(String channel, String status, Integer statusCode, String error, long latencyMs) {}

  private final RuleRepository rules;
  private final SlackClient slack;
  private final EmailSender email;
  private final NotificationRepository notifications;
  private final NotificationStream stream;
  private final AlertProperties properties;
  private final Clock clock;

  TestNotificationService(
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

  /** Each channel's result, in the rule's order; empty when the workspace has no such rule. */
  Mono<List<Result>> send(String workspaceId, UUID ruleId) {
    return rules
        .find(workspaceId, ruleId)
        .flatMap(
            rule ->
                Flux.fromIterable(rule.channels())
                    .concatMap(channel -> send(rule, channel, message(rule, clock.instant())))
                    .collectList());
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
}
