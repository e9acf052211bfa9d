/** The append-only event log as users see it: events, runs, export, and its retention. */
package dev.beacon.aggregator.eventlog;
