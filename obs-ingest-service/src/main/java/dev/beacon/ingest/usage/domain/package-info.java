/**
 * {@link dev.beacon.ingest.usage.domain.MonthlyQuota}: which month it is (UTC), the workspace's
 * limit from billing's entitlements, reservations and their release.
 */
package dev.beacon.ingest.usage.domain;
