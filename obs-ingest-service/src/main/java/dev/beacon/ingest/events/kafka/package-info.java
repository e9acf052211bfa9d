/** Publishing accepted events to their topics off the event loop, and Kafka's readiness. */
package dev.beacon.ingest.events.kafka;
