/**
 * The live metric stream ({@code GET /api/obs/metrics/stream}): a Kafka consumer of its own per
 * replica reads every metric update, a hub fans them out per workspace, and the controller sends
 * them as coalesced Server-Sent Events.
 */
package dev.beacon.aggregator.metrics.stream;
