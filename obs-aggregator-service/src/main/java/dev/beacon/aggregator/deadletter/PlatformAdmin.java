package dev.beacon.aggregator.deadletter;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import org.springframework.stereotype.Component;

/**
 * The platform operators: owners and admins of the configured ops workspace ({@code
 * beacon.aggregator.admin.ops-workspace}, env {@code BEACON_OPS_WORKSPACE}). Their identity is
 * signed by the gateway like anyone's, so no second credential exists. Without an ops workspace
 * nobody is a platform admin.
 */
@Component
class PlatformAdmin {

  private final String opsWorkspace;

  PlatformAdmin(AggregatorProperties properties) {
    String configured = properties.admin().opsWorkspace();
    this.opsWorkspace = configured == null || configured.isBlank() ? null : configured;
  }

  /**
   * Returns normally for a platform admin.
   *
   * @throws ApiException 403 {@code platform_admin_required} for anyone else
   */
  void require(ForwardedIdentity identity) {
    boolean admin =
        opsWorkspace != null
            && opsWorkspace.equals(identity.workspaceId())
            && (identity.role() == Role.OWNER || identity.role() == Role.ADMIN);
    if (!admin) {
      throw ApiException.forbidden(
          "platform_admin_required",
          "Only owners and admins of the platform's ops workspace can do this.");
    }
  }
}
