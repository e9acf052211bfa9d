package dev.beacon.sdk;

import dev.beacon.events.ObsEvent;
import java.util.Map;
import java.util.UUID;

/** Copies of {@link ObsEvent} with some envelope fields replaced. */
final class Events {

  private Events() {}

  static ObsEvent copy(
      ObsEvent e,
      String agentId,
      String runId,
      String traceId,
      String spanId,
      String parentSpanId,
      Map<String, Object> metadata) {
    return new ObsEvent(
        e.eventId(),
        e.type(),
        e.occurredAt(),
        e.workspaceId(),
        agentId,
        runId,
        traceId,
        spanId,
        parentSpanId,
        e.status(),
        e.error(),
        e.durationMs(),
        e.llm(),
        e.tool(),
        e.action(),
        e.service(),
        metadata,
        e.tags());
  }

  static ObsEvent withIdAndTime(ObsEvent e) {
    if (e.eventId() != null && e.occurredAt() != null) {
      return e;
    }
    return new ObsEvent(
        e.eventId() != null ? e.eventId() : UUID.randomUUID(),
        e.type(),
        e.occurredAt() != null ? e.occurredAt() : Span.now(),
        e.workspaceId(),
        e.agentId(),
        e.runId(),
        e.traceId(),
        e.spanId(),
        e.parentSpanId(),
        e.status(),
        e.error(),
        e.durationMs(),
        e.llm(),
        e.tool(),
        e.action(),
        e.service(),
        e.metadata(),
        e.tags());
  }
}
