package dev.beacon.alert.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * An in-app notification of a workspace.
 *
 * @param id notification id
 * @param workspaceId owning workspace (not serialised)
 * @param ruleId the rule, or {@code null} once it was deleted
 * @param severity {@code warning}, {@code critical}, {@code resolved} or {@code test}
 * @param title one line
 * @param body details
 * @param link dashboard link
 * @param createdAt when it was created
 * @param readAt when it was marked read, or {@code null}
 * @param source {@code alert} (a rule's transition or test) or {@code billing} (a billing notice)
 * @param kind the billing notice's kind ({@code payment_failed}, {@code grace_ending}, {@code
 *     downgraded_to_free}, {@code credits_low}, {@code credits_exhausted}); {@code null} for alerts
 */
public record Notification(
    UUID id,
    @com.fasterxml.jackson.annotation.JsonIgnore String workspaceId,
    UUID ruleId,
    String severity,
    String title,
    String body,
    String link,
    Instant createdAt,
    Instant readAt,
    String source,
    String kind) {

  /** A notification of an alert rule. */
  public Notification(
      UUID id,
      String workspaceId,
      UUID ruleId,
      String severity,
      String title,
      String body,
      String link,
      Instant createdAt,
      Instant readAt) {
    this(id, workspaceId, ruleId, severity, title, body, link, createdAt, readAt, "alert", null);
  }
}
