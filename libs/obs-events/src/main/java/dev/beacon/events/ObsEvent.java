package dev.beacon.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The v1 envelope of every observability event: one LLM call, tool call, agent action, service
 * call, run boundary or custom event. The same JSON travels from the SDKs and the ingest API onto
 * the Kafka topics named in {@link Topics} and into the aggregator's append-only log.
 *
 * <p>Only {@code event_id}, {@code type} and {@code occurred_at} are always required; each type
 * also requires its body ({@code llm}, {@code tool}, {@code action} or {@code service}). The limits
 * on every field are in the JSON Schema at {@link #SCHEMA_RESOURCE}. Unknown fields are ignored on
 * read, {@code null} fields are left out on write.
 *
 * @param eventId client-generated UUID; the idempotency key end to end, so a retried event is
 *     stored and counted once
 * @param type what the event describes; selects the topic and the required body
 * @param occurredAt when it happened at the source, RFC 3339 with an offset; not the arrival time,
 *     and events may arrive late or out of order
 * @param workspaceId the owning workspace. It is set by the server from the API key or the
 *     publishing service's identity and is never trusted from a client: a value sent by a client is
 *     ignored and overwritten
 * @param agentId the agent that produced the event; with the workspace it forms the Kafka key
 * @param runId groups the events of one agent run, from {@code run_start} to {@code run_end}
 * @param traceId trace the event belongs to; a W3C trace id (32 hex characters) where one exists
 * @param spanId this operation's span; a W3C span id (16 hex characters) where one exists
 * @param parentSpanId the span that caused this one
 * @param status outcome of the operation
 * @param error why it failed, when {@code status} is {@code error}
 * @param durationMs wall-clock duration of the operation in milliseconds, 0 to 86,400,000
 * @param llm body of an {@code llm_call}
 * @param tool body of a {@code tool_call}
 * @param action body of an {@code action}
 * @param service body of a {@code service_call}
 * @param metadata free-form context, at most 64 properties
 * @param tags short labels for filtering, at most 32 of at most 64 characters each
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObsEvent(
    @JsonProperty("event_id") UUID eventId,
    @JsonProperty("type") EventType type,
    @JsonProperty("occurred_at") OffsetDateTime occurredAt,
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("agent_id") String agentId,
    @JsonProperty("run_id") String runId,
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("span_id") String spanId,
    @JsonProperty("parent_span_id") String parentSpanId,
    @JsonProperty("status") EventStatus status,
    @JsonProperty("error") ErrorDetails error,
    @JsonProperty("duration_ms") Long durationMs,
    @JsonProperty("llm") LlmDetails llm,
    @JsonProperty("tool") ToolDetails tool,
    @JsonProperty("action") ActionDetails action,
    @JsonProperty("service") ServiceDetails service,
    @JsonProperty("metadata") Map<String, Object> metadata,
    @JsonProperty("tags") List<String> tags) {

  /** Classpath location of the JSON Schema (draft 2020-12) that every v1 event must satisfy. */
  public static final String SCHEMA_RESOURCE = "/dev/beacon/events/obs-event-v1.schema.json";

  /**
   * Returns this event with its workspace replaced, which is how a server stamps the workspace it
   * authenticated over whatever the client sent.
   *
   * @param workspaceId the workspace the server resolved for the publisher
   * @return a copy of this event that differs only in {@code workspace_id}
   */
  public ObsEvent withWorkspaceId(String workspaceId) {
    return new ObsEvent(
        eventId,
        type,
        occurredAt,
        workspaceId,
        agentId,
        runId,
        traceId,
        spanId,
        parentSpanId,
        status,
        error,
        durationMs,
        llm,
        tool,
        action,
        service,
        metadata,
        tags);
  }
}
