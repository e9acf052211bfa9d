/**
 * Benchmarks of obs-aggregator-service: sustained rate with consumer lag, freshness and the
 * PostgreSQL COPY ceiling ({@link dev.beacon.loadgen.aggregator.AggregatorThroughputBenchmark}),
 * and read API latency over seeded metrics ({@link
 * dev.beacon.loadgen.aggregator.ReadApiBenchmark}).
 */
package dev.beacon.loadgen.aggregator;
