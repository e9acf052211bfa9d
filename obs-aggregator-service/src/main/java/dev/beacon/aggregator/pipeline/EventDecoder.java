package dev.beacon.aggregator.pipeline;

import dev.beacon.aggregator.eventlog.RetentionHorizon;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a record value into an {@link ObsEvent} the log can store, or throws {@link
 * PoisonRecordException}. Besides decoding it re-checks what the database would otherwise reject
 * forever (and so block the partition): required fields, lengths, ranges, NUL characters.
 */
final class EventDecoder {

  private static final int MAX_ID = 128;
  private static final int MAX_NAME = 256;
  private static final int MAX_MESSAGE = 4096;
  private static final long MAX_TOKENS = 1_000_000_000L;
  private static final BigDecimal MAX_COST_USD = BigDecimal.valueOf(10_000);
  private static final long MAX_DURATION_MS = 86_400_000L;
  private static final Duration MAX_FUTURE = Duration.ofDays(1);

  private final ObjectMapper json;
  private final Clock clock;
  private final RetentionHorizon retention;

  EventDecoder(ObjectMapper json, Clock clock, RetentionHorizon retention) {
    this.json = json;
    this.clock = clock;
    this.retention = retention;
  }

  ObsEvent decode(byte[] value) {
    if (value == null || value.length == 0) {
      throw new PoisonRecordException("undecodable", "empty record value");
    }
    ObsEvent event;
    try {
      event = json.readValue(value, ObsEvent.class);
    } catch (JacksonException e) {
      throw new PoisonRecordException(
          "undecodable", "not a v1 event: " + e.getOriginalMessage(), e);
    }
    if (event == null) {
      throw new PoisonRecordException("undecodable", "record value is JSON null");
    }
    validate(event);
    return event;
  }

  private void validate(ObsEvent event) {
    require(event.eventId() != null, "event_id is required");
    require(event.type() != null, "type is required");
    require(event.occurredAt() != null, "occurred_at is required");
    text("workspace_id", event.workspaceId(), MAX_ID, true);
    text("agent_id", event.agentId(), MAX_ID, false);
    text("run_id", event.runId(), MAX_ID, false);
    text("trace_id", event.traceId(), MAX_ID, false);
    text("span_id", event.spanId(), MAX_ID, false);
    text("parent_span_id", event.parentSpanId(), MAX_ID, false);
    if (event.error() != null) {
      text("error.type", event.error().type(), MAX_NAME, false);
      text("error.message", event.error().message(), MAX_MESSAGE, false);
    }
    if (event.durationMs() != null) {
      require(
          event.durationMs() >= 0 && event.durationMs() <= MAX_DURATION_MS,
          "duration_ms must be between 0 and 86400000");
    }
    validateBody(event);
    if (event.tags() != null) {
      require(event.tags().size() <= 32, "at most 32 tags");
      event.tags().forEach(tag -> text("tags[]", tag, 64, true));
    }
    if (event.metadata() != null) {
      require(event.metadata().size() <= 64, "at most 64 metadata properties");
      require(!containsNul(event.metadata()), "metadata must not contain NUL characters");
    }
    Instant occurredAt = event.occurredAt().toInstant();
    Instant now = clock.instant();
    if (occurredAt.isAfter(now.plus(MAX_FUTURE))) {
      throw new PoisonRecordException("invalid", "occurred_at is more than a day in the future");
    }
    Duration longest = retention.longest();
    if (occurredAt.isBefore(now.minus(longest))) {
      throw new PoisonRecordException(
          "expired", "occurred_at is older than the event log's longest retention of " + longest);
    }
  }

  private static void validateBody(ObsEvent event) {
    EventType type = event.type();
    if (type == EventType.LLM_CALL) {
      require(event.llm() != null, "llm_call requires llm");
    }
    if (event.llm() != null) {
      text("llm.provider", event.llm().provider(), MAX_NAME, true);
      text("llm.model", event.llm().model(), MAX_NAME, true);
      tokens("llm.input_tokens", event.llm().inputTokens());
      tokens("llm.output_tokens", event.llm().outputTokens());
      tokens("llm.cached_input_tokens", event.llm().cachedInputTokens());
      tokens("llm.reasoning_tokens", event.llm().reasoningTokens());
      require(
          event.llm().costUsd() == null || event.llm().costUsd().abs().compareTo(MAX_COST_USD) <= 0,
          "llm.cost_usd must be at most 10000");
    }
    if (type == EventType.TOOL_CALL) {
      require(event.tool() != null, "tool_call requires tool");
    }
    if (event.tool() != null) {
      text("tool.name", event.tool().name(), MAX_NAME, true);
      text("tool.integration", event.tool().integration(), MAX_NAME, false);
    }
    if (type == EventType.ACTION) {
      require(event.action() != null, "action requires action");
    }
    if (event.action() != null) {
      text("action.kind", event.action().kind(), MAX_NAME, true);
      require(event.action().state() != null, "action.state is required");
    }
    if (type == EventType.SERVICE_CALL) {
      require(event.service() != null, "service_call requires service");
    }
    if (event.service() != null) {
      text("service.name", event.service().name(), MAX_NAME, true);
      text("service.operation", event.service().operation(), MAX_NAME, true);
    }
  }

  /** Token counts may be negative (clamped and flagged later) but never beyond the schema's cap. */
  private static void tokens(String field, Long value) {
    require(value == null || value <= MAX_TOKENS, field + " must be at most 1000000000");
  }

  private static void text(String field, String value, int maxLength, boolean required) {
    if (value == null) {
      require(!required, field + " is required");
      return;
    }
    require(!value.isEmpty() || !required, field + " must not be empty");
    require(value.length() <= maxLength, field + " is longer than " + maxLength + " characters");
    require(value.indexOf('\0') < 0, field + " must not contain NUL characters");
  }

  private static boolean containsNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\0') >= 0;
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .anyMatch(e -> containsNul(String.valueOf(e.getKey())) || containsNul(e.getValue()));
    }
    if (value instanceof List<?> list) {
      return list.stream().anyMatch(EventDecoder::containsNul);
    }
    return false;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new PoisonRecordException("invalid", message);
    }
  }
}
