/**
 * Drives the public ingest API from outside: {@link dev.beacon.loadgen.DemoDataGenerator} sends 24
 * hours of realistic synthetic events for a living dashboard, {@link
 * dev.beacon.loadgen.LoadGenerator} measures throughput and latency next to Kafka's raw ceiling.
 */
package dev.beacon.loadgen;
