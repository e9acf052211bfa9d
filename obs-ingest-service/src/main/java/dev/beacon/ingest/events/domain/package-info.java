/** Parsing and validating batches, per-event results, and the ingest metrics. */
package dev.beacon.ingest.events.domain;
