package dev.beacon.aggregator.pricing;

import dev.beacon.aggregator.metrics.write.BucketKey;
import dev.beacon.aggregator.metrics.write.MetricDelta;
import dev.beacon.aggregator.metrics.write.MetricUpdatePublisher;
import dev.beacon.aggregator.metrics.write.MetricsWriter;
import dev.beacon.aggregator.pricing.PriceCatalog.Costing;
import dev.beacon.events.LlmDetails;
import dev.beacon.events.MetricUpdate;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Re-prices a workspace's LLM events of a time range from the append-only log with the current
 * price table, and moves the metrics and runs by exactly the differences, in one transaction. It
 * holds the pricing lock exclusively, so no batch priced with the old table can commit under it.
 */
public final class RecostService {

  /** Advisory lock key: batches hold it shared while pricing, re-costing exclusively. */
  public static final long PRICING_LOCK = 0x0b5e_c057L;

  private final DataSource dataSource;
  private final MetricUpdatePublisher publisher;
  private final Clock clock;
  private final Duration minuteRetention;
  private final Duration hourlyRetention;

  public RecostService(
      DataSource dataSource,
      MetricUpdatePublisher publisher,
      Clock clock,
      Duration minuteRetention,
      Duration hourlyRetention) {
    this.dataSource = dataSource;
    this.publisher = publisher;
    this.clock = clock;
    this.minuteRetention = minuteRetention;
    this.hourlyRetention = hourlyRetention;
  }

  /**
   * Recomputes costs and applies the differences.
   *
   * @return what changed
   */
  public RecostReport recost(
      String workspaceId, Instant from, Instant to, String provider, String model)
      throws SQLException {
    List<MetricUpdate> updates;
    RecostReport report;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (Statement lock = connection.createStatement()) {
          lock.execute("SELECT pg_advisory_xact_lock(" + PRICING_LOCK + ")");
        }
        PriceCatalog prices = PricingRepository.load(connection, List.of(workspaceId));
        List<Change> changes = new ArrayList<>();
        long examined = 0;
        long before = 0;
        long after = 0;
        String sql =
            "SELECT event_id, occurred_at, agent_id, subject, run_id, provider, model,"
                + " input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,"
                + " reported_cost_nano_usd, cost_nano_usd, pricing_status, pricing_id"
                + " FROM obs.events WHERE workspace_id = ? AND type = 'llm_call'"
                + " AND occurred_at >= ? AND occurred_at < ?"
                + (provider == null ? "" : " AND provider = ?")
                + (model == null ? "" : " AND model = ?")
                + " FOR UPDATE";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
          int p = 1;
          select.setString(p++, workspaceId);
          select.setObject(p++, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
          select.setObject(p++, OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
          if (provider != null) {
            select.setString(p++, provider);
          }
          if (model != null) {
            select.setString(p, model);
          }
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              examined++;
              Change change = reprice(workspaceId, rows, prices);
              before += change.oldCost;
              after += change.costing.costNanoUsd();
              if (change.changed()) {
                changes.add(change);
              }
            }
          }
        }
        Instant now = clock.instant();
        updates =
            apply(
                connection,
                workspaceId,
                changes,
                now.minus(minuteRetention),
                now.minus(hourlyRetention).truncatedTo(ChronoUnit.HOURS));
        connection.commit();
        report =
            new RecostReport(
                examined,
                changes.size(),
                before,
                after,
                after - before,
                changes.stream().limit(100).map(c -> c.eventId).toList());
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
    publisher.publish(updates);
    return report;
  }

  private static Change reprice(String workspaceId, ResultSet row, PriceCatalog prices)
      throws SQLException {
    Long reported = (Long) row.getObject("reported_cost_nano_usd");
    LlmDetails llm =
        new LlmDetails(
            row.getString("provider"),
            row.getString("model"),
            row.getLong("input_tokens"),
            row.getLong("output_tokens"),
            row.getLong("cached_input_tokens"),
            row.getLong("reasoning_tokens"),
            reported == null ? null : BigDecimal.valueOf(reported, 9));
    TokenUsage usage =
        new TokenUsage(
            llm.inputTokens(),
            llm.outputTokens(),
            llm.cachedInputTokens(),
            llm.reasoningTokens(),
            List.of());
    Instant occurredAt = row.getObject("occurred_at", OffsetDateTime.class).toInstant();
    Costing costing = prices.cost(workspaceId, llm, usage, occurredAt);
    return new Change(
        row.getObject("event_id", UUID.class),
        occurredAt,
        row.getString("agent_id"),
        row.getString("subject"),
        row.getString("run_id"),
        row.getLong("cost_nano_usd"),
        row.getString("pricing_status"),
        (Long) row.getObject("pricing_id"),
        costing);
  }

  /**
   * Moves events, runs and metrics by the changes. Minute and hourly rows older than their
   * retention are left alone (the retention job removes or has removed them; recreating them from a
   * correction alone would give rows holding nothing but a cost difference); every retained row
   * moves, so hours still add up to their days.
   */
  private static List<MetricUpdate> apply(
      Connection connection,
      String workspaceId,
      List<Change> changes,
      Instant minuteFloor,
      Instant hourFloor)
      throws SQLException {
    if (changes.isEmpty()) {
      return List.of();
    }
    int size = changes.size();
    String[] ids = new String[size];
    String[] times = new String[size];
    Long[] costs = new Long[size];
    String[] statuses = new String[size];
    Long[] pricingIds = new Long[size];
    Map<BucketKey, MetricDelta> minutes = new HashMap<>();
    Map<String, Long> runs = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      Change change = changes.get(i);
      ids[i] = change.eventId.toString();
      times[i] = change.occurredAt.toString();
      costs[i] = change.costing.costNanoUsd();
      statuses[i] = change.costing.status().code();
      pricingIds[i] = change.costing.pricingId();
      long unpricedDelta =
          (change.costing.status() == PriceCatalog.PricingStatus.UNPRICED ? 1 : 0)
              - ("unpriced".equals(change.oldStatus) ? 1 : 0);
      minutes
          .computeIfAbsent(
              BucketKey.of(
                  workspaceId, change.agentId, "llm_call", change.subject, change.occurredAt),
              key -> new MetricDelta())
          .addCostCorrection(change.costing.costNanoUsd() - change.oldCost, unpricedDelta);
      if (change.runId != null) {
        runs.merge(change.runId, change.costing.costNanoUsd() - change.oldCost, Long::sum);
      }
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE obs.events e SET cost_nano_usd = t.cost, pricing_status = t.status,"
                + " pricing_id = t.pricing_id"
                + " FROM unnest(?::uuid[], ?::timestamptz[], ?::int8[], ?::text[], ?::int8[])"
                + " AS t(event_id, occurred_at, cost, status, pricing_id)"
                + " WHERE e.workspace_id = ? AND e.event_id = t.event_id"
                + " AND e.occurred_at = t.occurred_at")) {
      update.setArray(1, connection.createArrayOf("text", ids));
      update.setArray(2, connection.createArrayOf("text", times));
      update.setArray(3, connection.createArrayOf("int8", costs));
      update.setArray(4, connection.createArrayOf("text", statuses));
      update.setArray(5, connection.createArrayOf("int8", pricingIds));
      update.setString(6, workspaceId);
      update.executeUpdate();
    }
    if (!runs.isEmpty()) {
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE obs.runs r SET cost_nano_usd = r.cost_nano_usd + t.delta"
                  + " FROM unnest(?::text[], ?::int8[]) AS t(run_id, delta)"
                  + " WHERE r.workspace_id = ? AND r.run_id = t.run_id")) {
        update.setArray(1, connection.createArrayOf("text", runs.keySet().toArray()));
        update.setArray(2, connection.createArrayOf("int8", runs.values().toArray()));
        update.setString(3, workspaceId);
        update.executeUpdate();
      }
    }
    return MetricsWriter.apply(
        connection, minutes, minute -> MetricsWriter.UNSHARDED, minuteFloor, hourFloor);
  }

  private record Change(
      UUID eventId,
      Instant occurredAt,
      String agentId,
      String subject,
      String runId,
      long oldCost,
      String oldStatus,
      Long oldPricingId,
      Costing costing) {

    boolean changed() {
      return oldCost != costing.costNanoUsd()
          || !costing.status().code().equals(oldStatus)
          || !Objects.equals(oldPricingId, costing.pricingId());
    }
  }

  /**
   * What a re-costing changed.
   *
   * @param eventsExamined LLM events in the range
   * @param eventsChanged events whose cost, status or price row changed
   * @param costBeforeNanoUsd their total cost before, over all examined events
   * @param costAfterNanoUsd and after
   * @param differenceNanoUsd after minus before
   * @param changedEventIds up to 100 of the changed events
   */
  record RecostReport(
      long eventsExamined,
      long eventsChanged,
      long costBeforeNanoUsd,
      long costAfterNanoUsd,
      long differenceNanoUsd,
      List<UUID> changedEventIds) {}
}
