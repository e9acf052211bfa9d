package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/obs/export?format=csv|ndjson}: the filtered event log of the caller's workspace
 * (the event list's filters; default range the last 24 hours), streamed row by row as {@link
 * EventQuery#export} reads it.
 */
@RestController
class ExportController {

  private static final List<String> CSV_COLUMNS =
      List.of(
          "event_id",
          "type",
          "occurred_at",
          "agent_id",
          "run_id",
          "status",
          "error_type",
          "error_message",
          "duration_ms",
          "provider",
          "model",
          "input_tokens",
          "output_tokens",
          "cached_input_tokens",
          "reasoning_tokens",
          "cost_usd",
          "pricing_status",
          "tool_name",
          "action_kind",
          "action_state",
          "service_name",
          "service_operation");

  private final EventQuery events;
  private final ObjectMapper json;
  private final Clock clock;

  ExportController(EventQuery events, ObjectMapper json, Clock clock) {
    this.events = events;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/api/obs/export")
  ResponseEntity<Flux<String>> export(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    String format = query.getFirst("format");
    if (!"csv".equals(format) && !"ndjson".equals(format)) {
      throw Params.invalid("format must be one of csv, ndjson.");
    }
    Flux<EventView> rows =
        events.export(new EventFilters(identity.workspaceId(), query, clock.instant(), 24));
    boolean csv = format.equals("csv");
    Flux<String> body =
        csv
            ? Flux.concat(
                Flux.just(String.join(",", CSV_COLUMNS) + "\n"),
                rows.map(ExportController::csvLine))
            : rows.map(view -> json.writeValueAsString(view) + "\n");
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"events." + format + "\"")
        .contentType(csv ? new MediaType("text", "csv") : MediaType.APPLICATION_NDJSON)
        .body(body);
  }

  private static String csvLine(EventView e) {
    return Stream.of(
                e.eventId(),
                e.type(),
                e.occurredAt(),
                e.agentId(),
                e.runId(),
                e.status(),
                e.errorType(),
                e.errorMessage(),
                e.durationMs(),
                e.provider(),
                e.model(),
                e.inputTokens(),
                e.outputTokens(),
                e.cachedInputTokens(),
                e.reasoningTokens(),
                e.costUsd(),
                e.pricingStatus(),
                e.toolName(),
                e.actionKind(),
                e.actionState(),
                e.serviceName(),
                e.serviceOperation())
            .map(value -> csvField(Objects.toString(value, "")))
            .collect(Collectors.joining(","))
        + "\n";
  }

  /** RFC 4180 quoting; a leading formula character is defused for spreadsheets. */
  private static String csvField(String value) {
    String safe =
        !value.isEmpty()
                && "=+-@".indexOf(value.charAt(0)) >= 0
                && !value.matches("-?\\d+(\\.\\d+)?")
            ? "'" + value
            : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
