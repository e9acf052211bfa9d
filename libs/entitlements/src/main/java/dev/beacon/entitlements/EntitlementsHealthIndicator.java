package dev.beacon.entitlements;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Says whether the service has read billing's entitlements yet. Always UP: a workspace whose record
 * is unread is on Free, which is safe; the details say so.
 */
final class EntitlementsHealthIndicator extends AbstractHealthIndicator {

  private final WorkspaceEntitlements store;
  private final EntitlementsProperties properties;

  EntitlementsHealthIndicator(WorkspaceEntitlements store, EntitlementsProperties properties) {
    this.store = store;
    this.properties = properties;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder
        .up()
        .withDetail("topic", properties.enabled() ? properties.topic() : "not read (disabled)")
        .withDetail("caught_up", store.caughtUp())
        .withDetail("workspaces_with_record", store.size());
    if (!store.caughtUp()) {
      builder.withDetail(
          "note", "entitlements not read to the end yet: workspaces without a record are on Free");
    }
  }
}
