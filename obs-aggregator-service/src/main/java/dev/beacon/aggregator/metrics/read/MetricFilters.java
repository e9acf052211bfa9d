package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.web.Params;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.util.MultiValueMap;

/**
 * The WHERE clause and group expression of a metrics query, built only from whitelisted SQL with
 * every value bound as a parameter. The workspace is always the caller's.
 */
final class MetricFilters {

  /** The longest range of days a metrics read covers. */
  static final int MAX_DAYS = 400;

  static final Set<String> GROUPS = Set.of("agent", "provider", "model", "tool", "service", "type");
  static final Set<String> TYPES =
      Set.of("llm_call", "tool_call", "action", "service_call", "run_start", "run_end", "custom");

  private final StringBuilder where = new StringBuilder("workspace_id = :workspace");
  private final Map<String, Object> binds = new LinkedHashMap<>();
  private final String groupBy;
  private final String groupExpression;
  private final boolean byAgent;
  private final boolean bySubject;

  MetricFilters(String workspaceId, String groupBy, MultiValueMap<String, String> query) {
    this.groupBy = groupBy;
    binds.put("workspace", workspaceId);
    String agent = Params.text("agent", query.getFirst("agent"));
    String type = Params.oneOf("type", query.getFirst("type"), TYPES, null);
    String provider = Params.text("provider", query.getFirst("provider"));
    String model = Params.text("model", query.getFirst("model"));
    String tool = Params.text("tool", query.getFirst("tool"));
    String service = Params.text("service", query.getFirst("service"));
    if (agent != null) {
      and("agent_id = :agent", "agent", agent);
    }
    if (type != null) {
      and("type = :type", "type", type);
    }
    boolean byModel =
        provider != null || model != null || "provider".equals(groupBy) || "model".equals(groupBy);
    boolean byTool = tool != null || "tool".equals(groupBy);
    if (byModel) {
      requireType(type, "llm_call");
      where.append(" AND type = 'llm_call'");
    }
    if (provider != null) {
      and("split_part(subject, '/', 1) = :provider", "provider", provider);
    }
    if (model != null) {
      and("substr(subject, strpos(subject, '/') + 1) = :model", "model", model);
    }
    if (byTool) {
      requireType(type, "tool_call");
      where.append(" AND type = 'tool_call'");
    }
    if (tool != null) {
      and("subject = :tool", "tool", tool);
    }
    // a service_call's subject is service/operation
    boolean byService = service != null || "service".equals(groupBy);
    if (byService) {
      if (byModel || byTool) {
        throw Params.invalid(
            "service filters and groupings apply to type service_call only; they cannot be"
                + " combined with provider, model or tool.");
      }
      requireType(type, "service_call");
      where.append(" AND type = 'service_call'");
    }
    if (service != null) {
      and("split_part(subject, '/', 1) = :service", "service", service);
    }
    byAgent = agent != null || "agent".equals(groupBy);
    bySubject = byModel || byTool || byService;
    groupExpression =
        groupBy == null
            ? "''"
            : switch (groupBy) {
              case "agent" -> "agent_id";
              case "provider", "service" -> "split_part(subject, '/', 1)";
              case "model", "tool" -> "subject";
              case "type" -> "type";
              default -> throw Params.invalid("group_by is not supported.");
            };
  }

  private static void requireType(String type, String required) {
    if (type != null && !type.equals(required)) {
      throw Params.invalid("This filter or grouping applies to type " + required + " only.");
    }
  }

  void and(String condition, String name, Object value) {
    where.append(" AND ").append(condition);
    binds.put(name, value);
  }

  /**
   * The smallest table of a granularity that answers this query: the rollup without the subject
   * when neither filter nor grouping needs it, the rollup without the agent when neither needs
   * that, else the rows by agent and subject themselves (ADR 0010, 0011). All three have the same
   * totals.
   *
   * @param rows {@code metrics_hourly} or {@code metrics_daily}
   */
  String table(String rows) {
    if (!bySubject) {
      return rows + "_agent";
    }
    return byAgent ? rows : rows + "_subject";
  }

  String where() {
    return where.toString();
  }

  /** The grouping asked for, or {@code null}. */
  String groupBy() {
    return groupBy;
  }

  String groupExpression() {
    return groupExpression;
  }

  GenericExecuteSpec bind(GenericExecuteSpec spec) {
    for (Map.Entry<String, Object> bind : binds.entrySet()) {
      spec = spec.bind(bind.getKey(), bind.getValue());
    }
    return spec;
  }
}
