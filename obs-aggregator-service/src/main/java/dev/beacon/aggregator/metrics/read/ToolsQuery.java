package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.metrics.read.MetricValues.Sums;
import java.time.LocalDate;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The reliability scorecard of one workspace's tools and service operations, from daily rows. */
@Component
class ToolsQuery {

  private final DatabaseClient db;

  ToolsQuery(DatabaseClient db) {
    this.db = db;
  }

  /** Per tool and per service operation over the days {@code from} to {@code to} inclusive. */
  Mono<List<ToolScore>> scorecard(String workspaceId, LocalDate from, LocalDate to) {
    return db.sql(
            "SELECT type, subject, count(DISTINCT agent_id) FILTER (WHERE calls > 0) AS agents, "
                + MetricValues.AGGREGATES
                + " FROM obs.metrics_daily WHERE workspace_id = :workspace"
                + " AND type IN ('tool_call', 'service_call') AND day BETWEEN :from AND :to"
                + " GROUP BY type, subject ORDER BY sum(errors) DESC, sum(calls) DESC, subject")
        .bind("workspace", workspaceId)
        .bind("from", from)
        .bind("to", to)
        .map(
            (row, meta) -> {
              MetricValues values = Sums.of(row).values();
              return new ToolScore(
                  row.get("type", String.class),
                  row.get("subject", String.class),
                  values.calls(),
                  values.errors(),
                  values.errorRate(),
                  values.p50Ms(),
                  values.p95Ms(),
                  ((Number) row.get("agents")).longValue());
            })
        .all()
        .collectList();
  }

  /**
   * One tool or service operation.
   *
   * @param type {@code tool_call} or {@code service_call}
   * @param name tool name, or service/operation
   */
  record ToolScore(
      String type,
      String name,
      long calls,
      long errors,
      double errorRate,
      Long p50Ms,
      Long p95Ms,
      long agentsAffected) {}
}
