/**
 * The metrics read API ({@code /api/obs/metrics/summary}, {@code daily}, {@code timeseries} and
 * {@code /api/obs/tools}): controllers parse the parameters, {@code *Query} classes read the
 * pre-aggregates through the smallest table that answers, and {@link
 * dev.beacon.aggregator.metrics.read.MetricValues} is how every measure is shown.
 */
package dev.beacon.aggregator.metrics.read;
