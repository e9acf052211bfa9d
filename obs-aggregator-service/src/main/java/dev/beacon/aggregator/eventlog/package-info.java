/**
 * The append-only event log: its daily partitions, events, runs and export as users see them, and
 * its retention (the plan's {@code retention_days} from libs/entitlements, the shorter settings
 * workspaces chose, the retention job, the horizon late events are judged by).
 */
package dev.beacon.aggregator.eventlog;
