package dev.beacon.ingest.events.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of a 200 or 207 answer, and of a 4xx when every event of the batch was rejected.
 *
 * @param code the request-level code, only when nothing was accepted
 * @param message the request-level reason, only when nothing was accepted
 * @param limit the plan's {@code events_per_month}, only with {@code monthly_quota_exceeded}
 * @param plan the plan's id, only with {@code monthly_quota_exceeded}
 * @param resetsAt when the quota is full again (RFC 3339), only with {@code monthly_quota_exceeded}
 * @param accepted events accepted (Kafka holds them)
 * @param rejected events rejected
 * @param results one entry per event, in batch order; left out when all were accepted
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IngestResponse(
    String code,
    String message,
    Long limit,
    String plan,
    @JsonProperty("resets_at") String resetsAt,
    int accepted,
    int rejected,
    List<EventResult> results) {

  IngestResponse(
      String code, String message, int accepted, int rejected, List<EventResult> results) {
    this(code, message, null, null, null, accepted, rejected, results);
  }
}
