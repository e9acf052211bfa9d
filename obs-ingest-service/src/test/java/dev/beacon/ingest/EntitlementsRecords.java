package dev.beacon.ingest;

import static org.awaitility.Awaitility.await;

import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.testsupport.EntitlementsTopic;
import java.time.Duration;
import java.util.Map;

/**
 * Publishes billing's records to {@code billing.entitlements.v1} with the two limits ingest
 * enforces (libs/test-support's {@link EntitlementsTopic}), and waits until the service has read
 * them.
 */
final class EntitlementsRecords {

  private EntitlementsRecords() {}

  /** Creates the compacted topic unless it exists. */
  static void ensureTopic() {
    EntitlementsTopic.get();
  }

  /**
   * Publishes a workspace's record and waits until {@code entitlements} holds its revision.
   *
   * @param revision must rise with every record of the workspace
   */
  static void publishAndAwait(
      WorkspaceEntitlements entitlements,
      String workspaceId,
      String plan,
      long eventsPerMonth,
      int apiKeys,
      long revision) {
    EntitlementsTopic.get()
        .publish(
            workspaceId,
            EntitlementsTopic.record(
                workspaceId,
                plan,
                Map.of("events_per_month", eventsPerMonth, "api_keys", apiKeys),
                revision));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> entitlements.of(workspaceId).revision() == revision);
  }
}
