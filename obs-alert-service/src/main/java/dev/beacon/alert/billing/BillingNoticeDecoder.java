package dev.beacon.alert.billing;

import dev.beacon.alert.notification.Notification;
import dev.beacon.alert.rule.RuleValidator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a {@code billing.notices.v1} record into the in-app notification it stands for; refuses a
 * record that is not a notice.
 */
class BillingNoticeDecoder {

  /** The kinds that mean the workspace lost, or is about to lose, something now. */
  private static final Set<String> CRITICAL =
      Set.of("payment_failed", "downgraded_to_free", "credits_exhausted");

  private static final Pattern KIND = Pattern.compile("[a-z][a-z_]{0,63}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9/_\\-?=&.]*");

  private final ObjectMapper json;
  private final String publicUrl;

  BillingNoticeDecoder(ObjectMapper json, String publicUrl) {
    this.json = json;
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /**
   * A notice and the notification it becomes.
   *
   * @param emailTo the workspace's billing contact the notice is also e-mailed to; {@code null} for
   *     none (or for an address that is not one, which is dropped)
   */
  record Decoded(String noticeId, Notification notification, String emailTo) {}

  /**
   * @throws IllegalArgumentException when the record is not a notice: not JSON, or without a {@code
   *     notice_id}, {@code workspace_id}, {@code kind}, {@code title} or {@code message}
   */
  Decoded decode(byte[] value, Instant receivedAt) {
    if (value == null) {
      throw new IllegalArgumentException("a tombstone");
    }
    JsonNode notice;
    try {
      notice = json.readTree(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (notice == null || !notice.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String noticeId = text(notice, "notice_id", 200);
    String workspaceId = text(notice, "workspace_id", 200);
    String kind = text(notice, "kind", 64);
    if (!KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("kind is not a notice kind");
    }
    String title = text(notice, "title", 200);
    String message = text(notice, "message", 2000);
    return new Decoded(
        noticeId,
        new Notification(
            UUID.randomUUID(),
            workspaceId,
            null,
            CRITICAL.contains(kind) ? "critical" : "warning",
            title,
            message,
            link(notice.path("link")),
            occurredAt(notice.path("occurred_at"), receivedAt),
            null,
            "billing",
            kind),
        emailTo(notice.path("email_to")));
  }

  private static String emailTo(JsonNode emailTo) {
    if (!emailTo.isString()) {
      return null;
    }
    String address = emailTo.asString();
    return RuleValidator.isEmailAddress(address) ? address : null;
  }

  private static String text(JsonNode notice, String field, int maxLength) {
    JsonNode node = notice.path(field);
    if (!node.isString() || node.asString().isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    String value = node.asString().strip();
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(field + " is longer than " + maxLength);
    }
    return value;
  }

  /**
   * The web app page the notice names, under the public URL like alert links; only a path of the
   * web app, never another site or a script.
   */
  private String link(JsonNode link) {
    if (!link.isString() || link.asString().startsWith("//")) {
      return null;
    }
    String path = link.asString();
    return PATH.matcher(path).matches() && path.length() <= 200 ? publicUrl + path : null;
  }

  private static Instant occurredAt(JsonNode occurredAt, Instant receivedAt) {
    if (occurredAt.isString()) {
      try {
        return Instant.parse(occurredAt.asString());
      } catch (DateTimeParseException e) {
        return receivedAt;
      }
    }
    return receivedAt;
  }
}
