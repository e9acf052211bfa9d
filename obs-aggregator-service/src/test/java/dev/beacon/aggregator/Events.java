package dev.beacon.aggregator;

import dev.beacon.events.ActionDetails;
import dev.beacon.events.ActionState;
import dev.beacon.events.ErrorDetails;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.LlmDetails;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.ServiceDetails;
import dev.beacon.events.ToolDetails;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small factories of v1 events for tests. */
public final class Events {

  private Events() {}

  public static ObsEvent llmCall(
      String workspaceId,
      String agentId,
      String provider,
      String model,
      OffsetDateTime at,
      long input,
      long output,
      long cached,
      long reasoning,
      long durationMs) {
    return event(
        workspaceId,
        agentId,
        EventType.LLM_CALL,
        at,
        EventStatus.OK,
        durationMs,
        new LlmDetails(provider, model, input, output, cached, reasoning, null),
        null,
        null,
        null);
  }

  public static ObsEvent llmCallReporting(
      String workspaceId, String provider, String model, OffsetDateTime at, BigDecimal costUsd) {
    return event(
        workspaceId,
        "agent-1",
        EventType.LLM_CALL,
        at,
        EventStatus.OK,
        100L,
        new LlmDetails(provider, model, 1000L, 100L, 0L, 0L, costUsd),
        null,
        null,
        null);
  }

  public static ObsEvent toolCall(
      String workspaceId,
      String agentId,
      String tool,
      OffsetDateTime at,
      long durationMs,
      boolean ok) {
    return event(
        workspaceId,
        agentId,
        EventType.TOOL_CALL,
        at,
        ok ? EventStatus.OK : EventStatus.ERROR,
        durationMs,
        null,
        new ToolDetails(tool, "test"),
        null,
        null);
  }

  public static ObsEvent action(String workspaceId, String agentId, OffsetDateTime at) {
    return event(
        workspaceId,
        agentId,
        EventType.ACTION,
        at,
        EventStatus.OK,
        null,
        null,
        null,
        new ActionDetails("send_email", ActionState.APPROVED),
        null);
  }

  public static ObsEvent serviceCall(String workspaceId, String agentId, OffsetDateTime at) {
    ObsEvent base =
        event(
            workspaceId,
            agentId,
            EventType.SERVICE_CALL,
            at,
            EventStatus.OK,
            40L,
            null,
            null,
            null,
            null);
    return new ObsEvent(
        base.eventId(),
        base.type(),
        base.occurredAt(),
        base.workspaceId(),
        base.agentId(),
        null,
        null,
        null,
        null,
        base.status(),
        null,
        base.durationMs(),
        null,
        null,
        null,
        new ServiceDetails("stripe", "checkout.sessions.create"),
        null,
        null);
  }

  public static ObsEvent event(
      String workspaceId,
      String agentId,
      EventType type,
      OffsetDateTime at,
      EventStatus status,
      Long durationMs,
      LlmDetails llm,
      ToolDetails tool,
      ActionDetails action,
      ServiceDetails service) {
    return new ObsEvent(
        UUID.randomUUID(),
        type,
        at,
        workspaceId,
        agentId,
        null,
        null,
        null,
        null,
        status,
        status == EventStatus.ERROR ? new ErrorDetails("timeout", "upstream timed out") : null,
        durationMs,
        llm,
        tool,
        action,
        service,
        Map.of("source", "test"),
        List.of("test"));
  }

  /** The same event in a run. */
  public static ObsEvent inRun(ObsEvent event, String runId) {
    return new ObsEvent(
        event.eventId(),
        event.type(),
        event.occurredAt(),
        event.workspaceId(),
        event.agentId(),
        runId,
        event.traceId(),
        event.spanId(),
        event.parentSpanId(),
        event.status(),
        event.error(),
        event.durationMs(),
        event.llm(),
        event.tool(),
        event.action(),
        event.service(),
        event.metadata(),
        event.tags());
  }

  public static String newWorkspace() {
    return "ws-" + UUID.randomUUID();
  }
}
