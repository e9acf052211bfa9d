package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.metrics.read.MetricValues;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** One stored event as the read API and the export show it. */
record EventView(
    UUID eventId,
    String type,
    OffsetDateTime occurredAt,
    String agentId,
    String subject,
    String runId,
    String traceId,
    String spanId,
    String parentSpanId,
    String status,
    String errorType,
    String errorMessage,
    Long durationMs,
    String provider,
    String model,
    Long inputTokens,
    Long outputTokens,
    Long cachedInputTokens,
    Long reasoningTokens,
    List<String> usageFlags,
    Long reportedCostNanoUsd,
    long costNanoUsd,
    String costUsd,
    String pricingStatus,
    Long pricingId,
    String toolName,
    String toolIntegration,
    String actionKind,
    String actionState,
    String serviceName,
    String serviceOperation,
    Map<String, Object> metadata,
    List<String> tags) {

  static final String COLUMNS =
      "event_id, type, occurred_at, agent_id, subject, run_id, trace_id, span_id, parent_span_id,"
          + " status, error_type, error_message, duration_ms, provider, model, input_tokens,"
          + " output_tokens, cached_input_tokens, reasoning_tokens, usage_flags,"
          + " reported_cost_nano_usd, cost_nano_usd, pricing_status, pricing_id, tool_name,"
          + " tool_integration, action_kind, action_state, service_name, service_operation,"
          + " metadata, tags";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  static EventView of(Row row, ObjectMapper json) {
    Json metadata = row.get("metadata", Json.class);
    String[] flags = row.get("usage_flags", String[].class);
    String[] tags = row.get("tags", String[].class);
    long cost = row.get("cost_nano_usd", Long.class);
    return new EventView(
        row.get("event_id", UUID.class),
        row.get("type", String.class),
        row.get("occurred_at", OffsetDateTime.class),
        emptyToNull(row.get("agent_id", String.class)),
        emptyToNull(row.get("subject", String.class)),
        row.get("run_id", String.class),
        row.get("trace_id", String.class),
        row.get("span_id", String.class),
        row.get("parent_span_id", String.class),
        row.get("status", String.class),
        row.get("error_type", String.class),
        row.get("error_message", String.class),
        row.get("duration_ms", Long.class),
        row.get("provider", String.class),
        row.get("model", String.class),
        row.get("input_tokens", Long.class),
        row.get("output_tokens", Long.class),
        row.get("cached_input_tokens", Long.class),
        row.get("reasoning_tokens", Long.class),
        flags == null ? null : List.of(flags),
        row.get("reported_cost_nano_usd", Long.class),
        cost,
        MetricValues.usd(cost),
        row.get("pricing_status", String.class),
        row.get("pricing_id", Long.class),
        row.get("tool_name", String.class),
        row.get("tool_integration", String.class),
        row.get("action_kind", String.class),
        row.get("action_state", String.class),
        row.get("service_name", String.class),
        row.get("service_operation", String.class),
        metadata == null ? null : json.readValue(metadata.asString(), MAP),
        tags == null ? null : List.of(tags));
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
