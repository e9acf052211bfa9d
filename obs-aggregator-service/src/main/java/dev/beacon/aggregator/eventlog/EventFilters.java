package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.web.Params;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.util.MultiValueMap;

/**
 * The filters of the event list and the export, as whitelisted SQL with bound values. Always scoped
 * to the caller's workspace and to a bounded time range, newest first.
 */
final class EventFilters {

  static final Set<String> TYPES =
      Set.of("llm_call", "tool_call", "action", "service_call", "run_start", "run_end", "custom");
  static final Set<String> STATUSES = Set.of("ok", "error");

  private final StringBuilder where = new StringBuilder("workspace_id = :workspace");
  private final Map<String, Object> binds = new LinkedHashMap<>();

  EventFilters(
      String workspaceId, MultiValueMap<String, String> query, Instant now, long defaultHours) {
    binds.put("workspace", workspaceId);
    Instant to = Params.instant("to", query.getFirst("to"), now.plusSeconds(86_400));
    Instant from =
        Params.instant("from", query.getFirst("from"), now.minusSeconds(defaultHours * 3600));
    if (!from.isBefore(to)) {
      throw Params.invalid("from must be before to.");
    }
    and("occurred_at >= :from", "from", from.atOffset(ZoneOffset.UTC));
    and("occurred_at < :to", "to", to.atOffset(ZoneOffset.UTC));
    String type = Params.oneOf("type", query.getFirst("type"), TYPES, null);
    if (type != null) {
      and("type = :type", "type", type);
    }
    String status = Params.oneOf("status", query.getFirst("status"), STATUSES, null);
    if (status != null) {
      and("status = :status", "status", status);
    }
    optional(query, "agent", "agent_id");
    optional(query, "provider", "provider");
    optional(query, "model", "model");
    optional(query, "tool", "tool_name");
    optional(query, "run_id", "run_id");
    String text = Params.text("q", query.getFirst("q"));
    if (text != null) {
      String pattern =
          "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      and("error_message ILIKE :q", "q", pattern);
    }
    String cursor = query.getFirst("cursor");
    if (cursor != null && !cursor.isBlank()) {
      KeysetCursor position = KeysetCursor.decode(cursor);
      where.append(" AND (occurred_at, event_id) < (:cursorAt, :cursorId)");
      binds.put("cursorAt", position.at());
      binds.put("cursorId", position.uuid());
    }
  }

  private void optional(MultiValueMap<String, String> query, String parameter, String column) {
    String value = Params.text(parameter, query.getFirst(parameter));
    if (value != null) {
      and(column + " = :" + parameter, parameter, value);
    }
  }

  private void and(String condition, String name, Object value) {
    where.append(" AND ").append(condition);
    binds.put(name, value);
  }

  String where() {
    return where.toString();
  }

  GenericExecuteSpec bind(GenericExecuteSpec spec) {
    for (Map.Entry<String, Object> bind : binds.entrySet()) {
      spec = spec.bind(bind.getKey(), bind.getValue());
    }
    return spec;
  }
}
