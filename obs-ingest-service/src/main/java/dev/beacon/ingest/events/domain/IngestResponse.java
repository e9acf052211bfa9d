package dev.beacon.ingest.events.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Body of a 200 or 207 answer, and of a 4xx when every event of the batch was rejected.
 *
 * @param code the request-level code, only when nothing was accepted
 * @param message the request-level reason, only when nothing was accepted
 * @param accepted events accepted (Kafka holds them)
 * @param rejected events rejected
 * @param results one entry per event, in batch order; left out when all were accepted
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IngestResponse(
    String code, String message, int accepted, int rejected, List<EventResult> results) {}
