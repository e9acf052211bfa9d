package dev.beacon.aggregator.approvals;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Counts and time to approve of the actions proposed in a range. Percentiles are exact ({@code
 * percentile_disc}) over the paired rows of the range: one row per approval request, orders of
 * magnitude fewer than calls, never the raw event log.
 */
@Component
class ApprovalsQuery {

  private final DatabaseClient db;

  ApprovalsQuery(DatabaseClient db) {
    this.db = db;
  }

  record TimeToApprove(Long p50, Long p95) {}

  record Group(
      @JsonProperty("agent_id") String agentId,
      String kind,
      long proposed,
      long approved,
      long rejected,
      long expired,
      long executed,
      long failed,
      long pending,
      @JsonProperty("approval_rate") String approvalRate,
      @JsonProperty("time_to_approve_ms") TimeToApprove timeToApprove) {}

  record Approvals(Instant from, Instant to, List<Group> groups) {}

  Mono<Approvals> groups(String workspaceId, Instant from, Instant to, String agentId) {
    String sql =
        """
        SELECT agent_id, kind,
            count(*) AS proposed,
            count(*) FILTER (WHERE decision = 'approved') AS approved,
            count(*) FILTER (WHERE decision = 'rejected') AS rejected,
            count(*) FILTER (WHERE decision = 'expired') AS expired,
            count(*) FILTER (WHERE outcome = 'executed') AS executed,
            count(*) FILTER (WHERE outcome = 'failed') AS failed,
            count(*) FILTER (WHERE decision IS NULL) AS pending,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY
                (extract(epoch FROM decided_at - proposed_at) * 1000)::bigint)
                FILTER (WHERE decision = 'approved') AS p50,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY
                (extract(epoch FROM decided_at - proposed_at) * 1000)::bigint)
                FILTER (WHERE decision = 'approved') AS p95
        FROM obs.actions
        WHERE workspace_id = :ws AND proposed_at >= :from AND proposed_at < :to
        """
            + (agentId == null ? "" : " AND agent_id = :agent")
            + " GROUP BY agent_id, kind ORDER BY agent_id, kind";
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(sql)
            .bind("ws", workspaceId)
            .bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
            .bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    if (agentId != null) {
      spec = spec.bind("agent", agentId);
    }
    return spec.map(
            row -> {
              long approved = row.get("approved", Long.class);
              long rejected = row.get("rejected", Long.class);
              long expired = row.get("expired", Long.class);
              long decided = approved + rejected + expired;
              return new Group(
                  row.get("agent_id", String.class),
                  row.get("kind", String.class),
                  row.get("proposed", Long.class),
                  approved,
                  rejected,
                  expired,
                  row.get("executed", Long.class),
                  row.get("failed", Long.class),
                  row.get("pending", Long.class),
                  decided == 0
                      ? null
                      : BigDecimal.valueOf(approved)
                          .divide(BigDecimal.valueOf(decided), 4, RoundingMode.HALF_EVEN)
                          .stripTrailingZeros()
                          .toPlainString(),
                  new TimeToApprove(row.get("p50", Long.class), row.get("p95", Long.class)));
            })
        .all()
        .collectList()
        .map(groups -> new Approvals(from, to, groups));
  }
}
