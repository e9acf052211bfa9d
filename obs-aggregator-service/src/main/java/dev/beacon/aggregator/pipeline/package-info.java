/**
 * The write path: consume event batches from Kafka, store them in one PostgreSQL transaction (log,
 * metrics, runs), dead-letter poison records, commit offsets, publish metric updates.
 */
package dev.beacon.aggregator.pipeline;
