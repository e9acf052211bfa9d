/**
 * The v1 observability event contract shared by every Beacon service and SDK.
 *
 * <p>It holds only data: the {@link dev.beacon.events.ObsEvent} envelope and its per-type bodies,
 * the {@link dev.beacon.events.MetricUpdate} the aggregator publishes with the shared latency
 * histogram layout {@link dev.beacon.events.LatencyBuckets}, the {@link dev.beacon.events.TurnStop}
 * chat-service publishes when a turn stops, and the {@link dev.beacon.events.Topics} registry that
 * names every topic with its key and value type. The JSON Schema ({@code obs-event-v1.schema.json})
 * and one golden JSON sample per message type live beside these classes on the classpath, under
 * {@code dev/beacon/events/}.
 *
 * <p>JSON is snake_case. Readers ignore fields they do not know, and writers leave out fields that
 * are {@code null}, so the contract evolves by adding optional fields only; a rename or a change of
 * meaning gets a new major topic ({@code .v2}). See {@code docs/observability/01-event-schema.md}.
 */
package dev.beacon.events;
