/**
 * Every workspace's effective entitlements, read from billing's compacted {@code
 * billing.entitlements.v1} (ADR 0021): a service asks {@link
 * dev.beacon.entitlements.WorkspaceEntitlements#of(String)} and enforces its part. A workspace
 * without a record is on Free — never unlimited. The record format is in {@code docs/billing.md}.
 */
package dev.beacon.entitlements;
