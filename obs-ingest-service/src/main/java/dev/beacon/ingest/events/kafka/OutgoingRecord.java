package dev.beacon.ingest.events.kafka;

/**
 * One event ready for Kafka.
 *
 * @param topic the topic of its type
 * @param key {@code workspace_id:agent_id}
 * @param value the event's JSON, workspace stamped
 */
public record OutgoingRecord(String topic, String key, byte[] value) {}
