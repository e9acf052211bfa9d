package dev.beacon.aggregator.deadletter;

import java.time.Instant;

/**
 * One dead-lettered record as the admin API shows it.
 *
 * @param topic the dead-letter topic
 * @param partition its partition there
 * @param offset its offset there
 * @param timestamp when it was dead-lettered
 * @param reason the machine-readable reason ({@code undecodable}, {@code invalid}, {@code expired},
 *     …)
 * @param error the error message, at most 512 characters
 * @param originalTopic the topic it was consumed from
 * @param originalPartition the partition it was consumed from
 * @param originalOffset the offset it was consumed from
 * @param originalTimestamp the timestamp it had there
 * @param key the record key
 * @param payloadBytes the full payload size
 * @param payloadPreview the start of the payload as UTF-8, at most 1024 bytes
 * @param payloadTruncated whether the preview is shorter than the payload
 */
record DeadLetter(
    String topic,
    int partition,
    long offset,
    Instant timestamp,
    String reason,
    String error,
    String originalTopic,
    Integer originalPartition,
    Long originalOffset,
    Instant originalTimestamp,
    String key,
    int payloadBytes,
    String payloadPreview,
    boolean payloadTruncated) {}
