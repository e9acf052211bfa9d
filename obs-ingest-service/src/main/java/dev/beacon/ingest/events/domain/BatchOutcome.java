package dev.beacon.ingest.events.domain;

/**
 * What to answer for a batch.
 *
 * @param status 200, 207, or 400/413 when nothing was accepted
 * @param body the response body
 */
public record BatchOutcome(int status, IngestResponse body) {}
