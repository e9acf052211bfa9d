/**
 * Minute and daily metrics: mergeable latency histograms, the additive upserts, metric updates, the
 * read API over pre-aggregates, the tools scorecard and reconciliation.
 */
package dev.beacon.aggregator.metrics;
