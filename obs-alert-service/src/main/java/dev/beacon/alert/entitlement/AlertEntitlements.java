package dev.beacon.alert.entitlement;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The alert-rule limit of every workspace billing has published a record for, keeping the record
 * with the highest {@code revision}. A workspace without a record is on Free, with {@code
 * beacon.alert.free-alert-rules} rules — never unlimited.
 */
public class AlertEntitlements {

  /** A workspace's effective plan and its alert-rule limit. */
  public record Limit(String plan, int alertRules, long revision) {}

  private final ConcurrentMap<String, Limit> byWorkspace = new ConcurrentHashMap<>();
  private final Limit free;

  public AlertEntitlements(int freeAlertRules) {
    this.free = new Limit("free", freeAlertRules, 0);
  }

  /** The workspace's limit: its highest-revision record, else Free's. */
  public Limit limit(String workspaceId) {
    return byWorkspace.getOrDefault(workspaceId, free);
  }

  /** Keeps the record unless one with the same or a higher revision is already known. */
  boolean apply(String workspaceId, Limit limit) {
    boolean[] applied = {false};
    byWorkspace.compute(
        workspaceId,
        (ws, old) -> {
          if (old == null || limit.revision() > old.revision()) {
            applied[0] = true;
            return limit;
          }
          return old;
        });
    return applied[0];
  }

  /** How many workspaces have a record. */
  int size() {
    return byWorkspace.size();
  }
}
