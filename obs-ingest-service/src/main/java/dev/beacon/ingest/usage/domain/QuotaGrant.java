package dev.beacon.ingest.usage.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;

/**
 * What one reservation from a workspace's monthly quota gave.
 *
 * @param workspaceId the workspace
 * @param month the calendar month (UTC) the events count in
 * @param requested events asked for
 * @param granted events granted, at most {@code requested}
 * @param limit the plan's {@code events_per_month} when reserving
 * @param plan the plan's id, for messages
 * @param resetsAt the start of the next month, when the quota is full again
 */
public record QuotaGrant(
    String workspaceId,
    YearMonth month,
    long requested,
    long granted,
    long limit,
    String plan,
    Instant resetsAt) {

  /** Whether fewer events were granted than asked for. */
  public boolean exceeded() {
    return granted < requested;
  }

  /** Whole seconds from {@code now} until the quota resets, at least 1. */
  public long secondsUntilReset(Instant now) {
    return Math.max(1, (Duration.between(now, resetsAt).toMillis() + 999) / 1000);
  }

  /** For people: the plan, its limit and when it resets. */
  public String describe() {
    return "the "
        + plan
        + " plan allows "
        + limit
        + " events per month and this workspace has used them for "
        + month
        + "; the quota resets at "
        + resetsAt
        + ".";
  }
}
