/**
 * The append-only event log: its daily partitions, events, runs and export as users see them, and
 * its retention (per-workspace settings, the retention job, the horizon late events are judged by).
 */
package dev.beacon.aggregator.eventlog;
