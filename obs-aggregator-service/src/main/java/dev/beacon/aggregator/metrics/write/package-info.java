/**
 * Writing the metrics tables inside the caller's transaction: the row keys ({@link
 * dev.beacon.aggregator.metrics.write.BucketKey}), what events add to a row ({@link
 * dev.beacon.aggregator.metrics.write.MetricDelta}), the mergeable latency histogram, the additive
 * upserts of every table and rollup, and the publisher of the absolute totals a batch left behind.
 * Used by the pipeline and by re-costing.
 */
package dev.beacon.aggregator.metrics.write;
