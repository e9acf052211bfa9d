/**
 * Minute, hourly and daily metrics, the pre-aggregates every dashboard number comes from: {@code
 * write} adds a batch's events to them, {@code read} serves the metrics read API from them, {@code
 * stream} pushes their live totals to open dashboards. This package itself holds no code.
 */
package dev.beacon.aggregator.metrics;
