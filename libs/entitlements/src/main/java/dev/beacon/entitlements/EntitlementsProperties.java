package dev.beacon.entitlements;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where entitlements come from, and Free's limits for a workspace billing has published nothing
 * for. The defaults are Free's row in billing's plan seed (docs/billing.md); billing-service's
 * tests check that they agree.
 *
 * @param enabled whether to read the topic at all; without it every workspace is on Free
 * @param topic billing's compacted topic
 * @param free the limits of a workspace without a record
 */
@ConfigurationProperties("beacon.entitlements")
public record EntitlementsProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("billing.entitlements.v1") String topic,
    @DefaultValue Free free) {

  /** Free's limits; see {@link Entitlements} for each. */
  public record Free(
      @DefaultValue("7") int retentionDays,
      @DefaultValue("100000") long eventsPerMonth,
      @DefaultValue("3") int alertRules,
      @DefaultValue("3") int members,
      @DefaultValue("2") int apiKeys,
      @DefaultValue("1000000") long hostedCreditAllowance) {

    public Free {
      if (retentionDays < 1 || members < 1) {
        throw new IllegalArgumentException(
            "beacon.entitlements.free: retention-days and members must be at least 1");
      }
      if (eventsPerMonth < 0 || alertRules < 0 || apiKeys < 0 || hostedCreditAllowance < 0) {
        throw new IllegalArgumentException("beacon.entitlements.free: limits cannot be negative");
      }
    }

    Entitlements entitlements() {
      return new Entitlements(
          Entitlements.FREE,
          retentionDays,
          eventsPerMonth,
          alertRules,
          members,
          apiKeys,
          hostedCreditAllowance,
          true,
          0);
    }
  }
}
