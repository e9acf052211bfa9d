package dev.beacon.aggregator.metrics.write;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * The identity of a minute metrics row: {@code (workspace, agent, type, subject, minute)}. The hour
 * and day rows of the same series are derived from the minute, in UTC.
 *
 * @param workspaceId workspace
 * @param agentId agent, or the empty string
 * @param type event type code, e.g. {@code llm_call}
 * @param subject provider/model, tool, action kind, service/operation, or the empty string
 * @param minuteStart start of the UTC minute
 */
public record BucketKey(
    String workspaceId, String agentId, String type, String subject, Instant minuteStart)
    implements Comparable<BucketKey> {

  private static final Comparator<BucketKey> ORDER =
      Comparator.comparing(BucketKey::workspaceId)
          .thenComparing(BucketKey::minuteStart)
          .thenComparing(BucketKey::agentId)
          .thenComparing(BucketKey::type)
          .thenComparing(BucketKey::subject);

  /** The key of the minute containing {@code occurredAt}. */
  public static BucketKey of(
      String workspaceId, String agentId, String type, String subject, Instant occurredAt) {
    return new BucketKey(
        workspaceId, agentId, type, subject, occurredAt.truncatedTo(ChronoUnit.MINUTES));
  }

  /** The UTC day of this minute. */
  public LocalDate day() {
    return LocalDate.ofInstant(minuteStart, ZoneOffset.UTC);
  }

  /** The same series' key at the start of its UTC hour, used to key hourly rows. */
  BucketKey hourKey() {
    return new BucketKey(
        workspaceId, agentId, type, subject, minuteStart.truncatedTo(ChronoUnit.HOURS));
  }

  /** The same series' key at the start of its day, used to key daily rows. */
  BucketKey dayKey() {
    return new BucketKey(
        workspaceId, agentId, type, subject, day().atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  /** Rows are always written in this order, so concurrent batches cannot deadlock each other. */
  @Override
  public int compareTo(BucketKey other) {
    return ORDER.compare(this, other);
  }
}
