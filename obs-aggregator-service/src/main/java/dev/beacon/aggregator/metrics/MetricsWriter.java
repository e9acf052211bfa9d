package dev.beacon.aggregator.metrics;

import dev.beacon.events.EventType;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Applies {@link MetricDelta}s to {@code obs.metrics_minute}, {@code obs.metrics_hourly} and {@code
 * obs.metrics_daily} inside the caller's transaction: one set-based {@code INSERT … SELECT FROM
 * unnest(…) ON CONFLICT DO UPDATE} per table, additive, returning the absolute totals the rows now
 * hold. Hour and day deltas are the sums of the minute deltas, computed here, so the three tables
 * always move together.
 */
public final class MetricsWriter {

  private static final String UPSERT =
      """
      INSERT INTO obs.%1$s AS m (workspace_id, %2$s, agent_id, type, subject, calls, errors,
          input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_nano_usd,
          unpriced_calls, duration_count, duration_ms_sum, duration_ms_max, latency_buckets)
      SELECT t.workspace_id, t.bucket::%3$s, t.agent_id, t.type, t.subject, t.calls, t.errors,
          t.input_tokens, t.output_tokens, t.cached_input_tokens, t.reasoning_tokens,
          t.cost_nano_usd, t.unpriced_calls, t.duration_count, t.duration_ms_sum,
          t.duration_ms_max, t.latency_buckets::bigint[]
      FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[],
          ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[],
          ?::int8[], ?::text[])
        AS t(workspace_id, bucket, agent_id, type, subject, calls, errors, input_tokens,
          output_tokens, cached_input_tokens, reasoning_tokens, cost_nano_usd, unpriced_calls,
          duration_count, duration_ms_sum, duration_ms_max, latency_buckets)
      ON CONFLICT (workspace_id, %2$s, agent_id, type, subject) DO UPDATE SET
          calls = m.calls + EXCLUDED.calls,
          errors = m.errors + EXCLUDED.errors,
          input_tokens = m.input_tokens + EXCLUDED.input_tokens,
          output_tokens = m.output_tokens + EXCLUDED.output_tokens,
          cached_input_tokens = m.cached_input_tokens + EXCLUDED.cached_input_tokens,
          reasoning_tokens = m.reasoning_tokens + EXCLUDED.reasoning_tokens,
          cost_nano_usd = m.cost_nano_usd + EXCLUDED.cost_nano_usd,
          unpriced_calls = m.unpriced_calls + EXCLUDED.unpriced_calls,
          duration_count = m.duration_count + EXCLUDED.duration_count,
          duration_ms_sum = m.duration_ms_sum + EXCLUDED.duration_ms_sum,
          duration_ms_max = GREATEST(m.duration_ms_max, EXCLUDED.duration_ms_max),
          latency_buckets = %4$s
      RETURNING workspace_id, %2$s AS bucket, agent_id, type, subject, calls, errors,
          input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_nano_usd,
          duration_ms_sum, duration_ms_max, latency_buckets
      """;

  /**
   * The element-wise sum of the stored and the incoming histogram, spelled out per bucket: much
   * cheaper per conflicting row than {@code obs.add_buckets}, which unnests both arrays and builds
   * the result with a sub-select. The incoming histogram always has {@link
   * LatencyHistogram#BUCKETS} elements (it is written from a {@link MetricDelta}); a stored one of
   * another length (only ever written by hand, e.g. {@code '{}'}) falls back to {@code
   * obs.add_buckets}, which pads the shorter array with zeros.
   */
  static final String MERGE_BUCKETS = mergeBuckets(LatencyHistogram.BUCKETS);

  /** The metrics tables, always written in this order, each in {@link BucketKey} order. */
  private enum Table {
    MINUTE("metrics_minute", "minute_start", "timestamptz"),
    HOUR("metrics_hourly", "hour_start", "timestamptz"),
    DAY("metrics_daily", "day", "date");

    final String upsert;
    final boolean daily;

    Table(String name, String bucketColumn, String bucketType) {
      this.upsert = UPSERT.formatted(name, bucketColumn, bucketType, MERGE_BUCKETS);
      this.daily = bucketType.equals("date");
    }
  }

  private MetricsWriter() {}

  /**
   * Adds the minute deltas to their minute rows and to the rows of their hours and days.
   *
   * @return one absolute update per touched minute row, with its day's totals
   */
  public static List<MetricUpdate> apply(Connection connection, Map<BucketKey, MetricDelta> minutes)
      throws SQLException {
    return apply(connection, minutes, Instant.MIN, Instant.MIN);
  }

  /**
   * Like {@link #apply(Connection, Map)}, for corrections of old events (re-costing), which must
   * not recreate rows retention removed: minutes before {@code minuteFloor} move only their hour
   * and day rows, and hours starting before {@code hourFloor} only their day rows. Every hour and
   * day row that is still retained moves by the same deltas, so hours keep adding up to their days.
   *
   * @param minuteFloor the oldest minute retention may have kept
   * @param hourFloor the start of the oldest hour retention may have kept
   */
  public static List<MetricUpdate> apply(
      Connection connection,
      Map<BucketKey, MetricDelta> minutes,
      Instant minuteFloor,
      Instant hourFloor)
      throws SQLException {
    if (minutes.isEmpty()) {
      return List.of();
    }
    SortedMap<BucketKey, MetricDelta> sortedMinutes = new TreeMap<>();
    SortedMap<BucketKey, MetricDelta> hours = new TreeMap<>();
    SortedMap<BucketKey, MetricDelta> days = new TreeMap<>();
    minutes.forEach(
        (key, delta) -> {
          if (!key.minuteStart().isBefore(minuteFloor)) {
            sortedMinutes.put(key, delta);
          }
          BucketKey hour = key.hourKey();
          if (!hour.minuteStart().isBefore(hourFloor)) {
            merge(hours.computeIfAbsent(hour, k -> new MetricDelta()), delta);
          }
          merge(days.computeIfAbsent(key.dayKey(), k -> new MetricDelta()), delta);
        });

    Map<BucketKey, MetricTotals> minuteTotals = upsert(connection, Table.MINUTE, sortedMinutes);
    upsert(connection, Table.HOUR, hours);
    Map<BucketKey, MetricTotals> dayTotals = upsert(connection, Table.DAY, days);

    List<MetricUpdate> updates = new ArrayList<>(minuteTotals.size());
    for (BucketKey key : sortedMinutes.keySet()) {
      updates.add(
          new MetricUpdate(
              key.workspaceId(),
              key.agentId(),
              EventType.valueOf(key.type().toUpperCase(Locale.ROOT)),
              key.subject(),
              OffsetDateTime.ofInstant(key.minuteStart(), ZoneOffset.UTC),
              minuteTotals.get(key),
              key.day(),
              dayTotals.get(key.dayKey())));
    }
    return updates;
  }

  /**
   * {@code CASE WHEN cardinality(m) = n THEN ARRAY[m[1] + EXCLUDED[1], …] ELSE add_buckets END}.
   */
  static String mergeBuckets(int buckets) {
    StringJoiner sums = new StringJoiner(", ", "ARRAY[", "]");
    for (int i = 1; i <= buckets; i++) {
      sums.add("m.latency_buckets[" + i + "] + EXCLUDED.latency_buckets[" + i + "]");
    }
    return "CASE WHEN cardinality(m.latency_buckets) = "
        + buckets
        + " THEN "
        + sums
        + " ELSE obs.add_buckets(m.latency_buckets, EXCLUDED.latency_buckets) END";
  }

  private static void merge(MetricDelta into, MetricDelta from) {
    into.calls += from.calls;
    into.errors += from.errors;
    into.inputTokens += from.inputTokens;
    into.outputTokens += from.outputTokens;
    into.cachedInputTokens += from.cachedInputTokens;
    into.reasoningTokens += from.reasoningTokens;
    into.costNanoUsd += from.costNanoUsd;
    into.unpricedCalls += from.unpricedCalls;
    into.durationCount += from.durationCount;
    into.durationMsSum += from.durationMsSum;
    into.durationMsMax = Math.max(into.durationMsMax, from.durationMsMax);
    for (int i = 0; i < into.latencyBuckets.length; i++) {
      into.latencyBuckets[i] += from.latencyBuckets[i];
    }
  }

  private static Map<BucketKey, MetricTotals> upsert(
      Connection connection, Table table, SortedMap<BucketKey, MetricDelta> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return Map.of();
    }
    int size = rows.size();
    String[] workspaces = new String[size];
    String[] buckets = new String[size];
    String[] agents = new String[size];
    String[] types = new String[size];
    String[] subjects = new String[size];
    Long[][] measures = new Long[11][size];
    String[] histograms = new String[size];
    boolean daily = table.daily;
    int i = 0;
    for (Map.Entry<BucketKey, MetricDelta> row : rows.entrySet()) {
      BucketKey key = row.getKey();
      MetricDelta delta = row.getValue();
      workspaces[i] = key.workspaceId();
      buckets[i] = daily ? key.day().toString() : key.minuteStart().toString();
      agents[i] = key.agentId();
      types[i] = key.type();
      subjects[i] = key.subject();
      long[] values = {
        delta.calls,
        delta.errors,
        delta.inputTokens,
        delta.outputTokens,
        delta.cachedInputTokens,
        delta.reasoningTokens,
        delta.costNanoUsd,
        delta.unpricedCalls,
        delta.durationCount,
        delta.durationMsSum,
        delta.durationMsMax
      };
      for (int m = 0; m < values.length; m++) {
        measures[m][i] = values[m];
      }
      histograms[i] = LatencyHistogram.toSqlLiteral(delta.latencyBuckets);
      i++;
    }
    Map<BucketKey, MetricTotals> totals = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(table.upsert)) {
      int p = 1;
      statement.setArray(p++, connection.createArrayOf("text", workspaces));
      statement.setArray(p++, connection.createArrayOf("text", buckets));
      statement.setArray(p++, connection.createArrayOf("text", agents));
      statement.setArray(p++, connection.createArrayOf("text", types));
      statement.setArray(p++, connection.createArrayOf("text", subjects));
      for (Long[] measure : measures) {
        statement.setArray(p++, connection.createArrayOf("int8", measure));
      }
      statement.setArray(p, connection.createArrayOf("text", histograms));
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          BucketKey key =
              new BucketKey(
                  result.getString("workspace_id"),
                  result.getString("agent_id"),
                  result.getString("type"),
                  result.getString("subject"),
                  daily
                      ? result
                          .getObject("bucket", LocalDate.class)
                          .atStartOfDay()
                          .toInstant(ZoneOffset.UTC)
                      : result.getObject("bucket", OffsetDateTime.class).toInstant());
          totals.put(key, totalsOf(result));
        }
      }
    }
    return totals;
  }

  private static MetricTotals totalsOf(ResultSet result) throws SQLException {
    return new MetricTotals(
        result.getLong("calls"),
        result.getLong("errors"),
        result.getLong("input_tokens"),
        result.getLong("output_tokens"),
        result.getLong("cached_input_tokens"),
        result.getLong("reasoning_tokens"),
        result.getLong("cost_nano_usd"),
        result.getLong("duration_ms_sum"),
        result.getLong("duration_ms_max"),
        LatencyHistogram.fromSqlArray(result.getArray("latency_buckets")));
  }
}
