package dev.beacon.alert.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The alert service's own settings ({@code beacon.alert.*}); every default is in {@code
 * application.yml}.
 *
 * @param publicUrl the browser-facing base URL of Beacon, for links in notifications
 * @param aggregatorUrl base URL of obs-aggregator-service's read API, used by the rule preview
 * @param aggregatorTimeout the longest one read of the preview's history may take, connecting
 *     included; past it the preview answers {@code 502 aggregator_unavailable}
 * @param minuteLength how long one "minute" of a rule's {@code renotify_minutes} and {@code
 *     cooldown_minutes} lasts: one minute in production; tests shorten it to a second
 * @param tick how often every rule is re-evaluated without new metrics (no_events, rolling windows
 *     emptying, calendar boundaries, renotify, snooze expiry)
 * @param failuresBeforeDisable consecutive failed deliveries after which a channel is disabled
 * @param sseHeartbeat interval of the comment heartbeat on the notification stream
 * @param slack Slack delivery
 * @param outbox the delivery outbox
 * @param mail e-mail delivery
 */
@Validated
@ConfigurationProperties("beacon.alert")
public record AlertProperties(
    @NotBlank String publicUrl,
    @NotBlank String aggregatorUrl,
    @NotNull Duration aggregatorTimeout,
    @NotNull Duration minuteLength,
    @NotNull Duration tick,
    @Min(1) int failuresBeforeDisable,
    @NotNull Duration sseHeartbeat,
    @Valid @NotNull Slack slack,
    @Valid @NotNull Outbox outbox,
    @Valid @NotNull Mail mail) {

  /**
   * Slack incoming-webhook delivery.
   *
   * @param allowedUrlPrefixes URL prefixes accepted besides {@code
   *     https://hooks.slack.com/services/} (self-hosted relays, tests); URLs under them may also
   *     resolve to private or loopback addresses
   * @param requestTimeout timeout of one POST to a webhook
   * @param messagesPerPeriod messages per webhook per {@code ratePeriod} (Slack allows about one
   *     per second)
   * @param ratePeriod the rate limiter's period
   * @param maxAttempts attempts per delivery before it goes back to the outbox
   * @param initialBackoff first back-off between attempts; doubles each attempt, with jitter
   * @param backoffJitter randomisation factor of the back-off (0.5 = ±50 %)
   * @param maxRetryAfter the longest {@code Retry-After} honoured in-process; longer waits go back
   *     to the outbox
   */
  public record Slack(
      List<String> allowedUrlPrefixes,
      @NotNull Duration requestTimeout,
      @Min(1) int messagesPerPeriod,
      @NotNull Duration ratePeriod,
      @Min(1) int maxAttempts,
      @NotNull Duration initialBackoff,
      double backoffJitter,
      @NotNull Duration maxRetryAfter) {}

  /**
   * The delivery outbox.
   *
   * @param pollInterval how often due deliveries are looked for (new ones are sent at once)
   * @param lease how long a claimed delivery is reserved for the instance sending it
   * @param retryBackoff first delay before a delivery whose attempts all failed is tried again;
   *     doubles per round
   * @param batchSize deliveries claimed per round
   * @param concurrency deliveries sent at the same time
   */
  public record Outbox(
      @NotNull Duration pollInterval,
      @NotNull Duration lease,
      @NotNull Duration retryBackoff,
      @Min(1) int batchSize,
      @Min(1) int concurrency) {}

  /**
   * E-mail delivery through Spring Mail ({@code spring.mail.*}); off unless {@code
   * spring.mail.host} is set.
   *
   * @param from the sender address
   */
  public record Mail(@NotBlank String from) {}
}
