package dev.beacon.entitlements;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The effective entitlements of every workspace billing has published a record for, keeping the
 * record with the highest {@code revision}. A workspace without a record is on Free ({@code
 * beacon.entitlements.free.*}) — never unlimited. Thread-safe; reads never block.
 */
public class WorkspaceEntitlements {

  private final ConcurrentMap<String, Entitlements> byWorkspace = new ConcurrentHashMap<>();
  private final Entitlements free;
  private volatile boolean caughtUp;

  public WorkspaceEntitlements(EntitlementsProperties.Free free) {
    this.free = free.entitlements();
  }

  /** The workspace's entitlements: its highest-revision record, else Free's. */
  public Entitlements of(String workspaceId) {
    return byWorkspace.getOrDefault(workspaceId, free);
  }

  /** Free's entitlements, those of every workspace without a record. */
  public Entitlements free() {
    return free;
  }

  /**
   * Keeps the record unless one with the same or a higher revision is already known.
   *
   * @return whether the record was kept
   */
  public boolean apply(String workspaceId, Entitlements entitlements) {
    boolean[] applied = {false};
    byWorkspace.compute(
        workspaceId,
        (ws, old) -> {
          if (old == null || entitlements.revision() > old.revision()) {
            applied[0] = true;
            return entitlements;
          }
          return old;
        });
    return applied[0];
  }

  /** How many workspaces have a record. */
  public int size() {
    return byWorkspace.size();
  }

  /**
   * Whether the topic has been read to its end once since start; until then a workspace whose
   * record is still unread is treated as Free.
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  void markCaughtUp() {
    caughtUp = true;
  }

  /** A copy of every known record, for diagnostics. */
  public Map<String, Entitlements> snapshot() {
    return Map.copyOf(byWorkspace);
  }
}
