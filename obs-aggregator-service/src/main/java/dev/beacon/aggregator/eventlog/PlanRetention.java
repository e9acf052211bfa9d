package dev.beacon.aggregator.eventlog;

import dev.beacon.entitlements.Entitlements;
import dev.beacon.entitlements.EntitlementsProperties;
import dev.beacon.entitlements.WorkspaceEntitlements;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The event log retention each workspace's plan allows ({@code retention_days} on {@code
 * billing.entitlements.v1}, Free's without a record) and how a workspace's own setting combines
 * with it: a workspace may keep its events for less than its plan allows, never longer.
 */
@Component
class PlanRetention {

  private final WorkspaceEntitlements entitlements;
  private final boolean readsTopic;

  PlanRetention(WorkspaceEntitlements entitlements, EntitlementsProperties properties) {
    this.entitlements = entitlements;
    this.readsTopic = properties.enabled();
  }

  /** The workspace's effective plan. */
  Entitlements plan(String workspaceId) {
    return entitlements.of(workspaceId);
  }

  /**
   * The days the workspace's events are kept: its own setting, capped at its plan's retention.
   *
   * @param setting the workspace's own retention, {@code null} without one
   */
  int effectiveDays(String workspaceId, Integer setting) {
    int planDays = plan(workspaceId).retentionDays();
    return setting == null ? planDays : Math.min(setting, planDays);
  }

  /** Free's retention, that of every workspace without a record. */
  int freeDays() {
    return entitlements.free().retentionDays();
  }

  /** The plan retention of every workspace whose record differs from Free's. */
  Map<String, Integer> daysDifferentFromFree() {
    int free = freeDays();
    Map<String, Integer> days = new HashMap<>();
    entitlements
        .snapshot()
        .forEach(
            (workspace, limits) -> {
              if (limits.retentionDays() != free) {
                days.put(workspace, limits.retentionDays());
              }
            });
    return days;
  }

  /** The longest retention any plan allows now: no workspace keeps events longer. */
  int longestDays() {
    return daysDifferentFromFree().values().stream().reduce(freeDays(), Math::max);
  }

  /** The shortest retention any plan allows now. */
  int shortestDays() {
    return daysDifferentFromFree().values().stream().reduce(freeDays(), Math::min);
  }

  /**
   * Whether every workspace's plan is known: billing's topic has been read to its end once (or is
   * not read at all). Until then a workspace whose record is unread looks like Free, and deleting
   * by that would delete a paying workspace's events.
   */
  boolean known() {
    return !readsTopic || entitlements.caughtUp();
  }
}
