package dev.beacon.alert.delivery;

import java.time.Instant;

/**
 * What a notification says, stored with each outbox row so that a resend says exactly the same.
 *
 * @param severity {@code warning}, {@code critical}, {@code resolved} or {@code test}
 * @param title one line, e.g. {@code [CRITICAL] Daily budget · agent support-bot}
 * @param body one or two sentences: value against threshold over the window
 * @param ruleName the rule's name
 * @param group the group ({@code ""} for an ungrouped rule)
 * @param groupBy the rule's grouping dimension, or {@code null}
 * @param metric the metric's wire name
 * @param value the measured value, or {@code null}
 * @param threshold the threshold crossed, or {@code null}
 * @param comparator the comparator's wire name
 * @param window the window's wire name
 * @param link the dashboard link
 * @param occurredAt when the transition happened
 */
public record AlertMessage(
    String severity,
    String title,
    String body,
    String ruleName,
    String group,
    String groupBy,
    String metric,
    String value,
    String threshold,
    String comparator,
    String window,
    String link,
    Instant occurredAt) {}
