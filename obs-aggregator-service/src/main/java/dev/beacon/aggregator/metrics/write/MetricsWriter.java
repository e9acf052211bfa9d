package dev.beacon.aggregator.metrics.write;

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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Applies {@link MetricDelta}s to the metrics tables inside the caller's transaction: {@code
 * obs.metrics_minute}, {@code obs.metrics_hourly}, {@code obs.metrics_daily} and their rollups by
 * subject and by agent ({@code obs.metrics_hourly_subject}, {@code obs.metrics_hourly_agent},
 * {@code obs.metrics_daily_subject}, {@code obs.metrics_daily_agent}; ADR 0010 and 0011). One
 * set-based {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE} per table, additive. Hour,
 * day and rollup deltas are the sums of the minute deltas, computed here, so all tables always move
 * together.
 */
public final class MetricsWriter {

  /**
   * The shard of the rows written outside the pipeline (migration backfill, re-costing), in the
   * rollups by subject.
   */
  public static final int UNSHARDED = -1;

  private static final String UPSERT =
      """
      INSERT INTO obs.%1$s AS m (%2$s, calls, errors, input_tokens, output_tokens,
          cached_input_tokens, reasoning_tokens, cost_nano_usd, unpriced_calls, duration_count,
          duration_ms_sum, duration_ms_max, latency_buckets)
      SELECT %3$s, t.calls, t.errors, t.input_tokens, t.output_tokens, t.cached_input_tokens,
          t.reasoning_tokens, t.cost_nano_usd, t.unpriced_calls, t.duration_count,
          t.duration_ms_sum, t.duration_ms_max, t.latency_buckets::bigint[]
      FROM unnest(%4$s, ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[],
          ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::text[])
        AS t(%5$s, calls, errors, input_tokens, output_tokens, cached_input_tokens,
          reasoning_tokens, cost_nano_usd, unpriced_calls, duration_count, duration_ms_sum,
          duration_ms_max, latency_buckets)
      ON CONFLICT (%2$s) DO UPDATE SET
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
          latency_buckets = %6$s
      %7$s
      """;

  /** The absolute totals of the minute and day rows, for the metric updates. */
  private static final String RETURNING =
      """
      RETURNING workspace_id, %s AS bucket, agent_id, type, subject, calls, errors,
          input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_nano_usd,
          duration_ms_sum, duration_ms_max, latency_buckets""";

  /**
   * The element-wise sum of the stored and the incoming histogram, spelled out per bucket: much
   * cheaper per conflicting row than {@code obs.add_buckets}, which unnests both arrays and builds
   * the result with a sub-select. The incoming histogram always has {@link
   * LatencyHistogram#BUCKETS} elements (it is written from a {@link MetricDelta}); a stored one of
   * another length (only ever written by hand, e.g. {@code '{}'}) falls back to {@code
   * obs.add_buckets}, which pads the shorter array with zeros.
   */
  static final String MERGE_BUCKETS = mergeBuckets(LatencyHistogram.BUCKETS);

  /** Lexicographic order of row keys, the order rows are written in. */
  private static final Comparator<List<String>> KEY_ORDER =
      (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
          int order = a.get(i).compareTo(b.get(i));
          if (order != 0) {
            return order;
          }
        }
        return 0;
      };

  /**
   * The metrics tables, always written in this order, each in {@link #KEY_ORDER} of its key
   * columns, so concurrent batches cannot deadlock each other.
   */
  private enum Table {
    MINUTE(
        "metrics_minute",
        "minute_start",
        "workspace_id text, minute_start timestamptz, agent_id text, type text, subject text"),
    HOUR(
        "metrics_hourly",
        null,
        "workspace_id text, hour_start timestamptz, agent_id text, type text, subject text"),
    HOUR_BY_SUBJECT(
        "metrics_hourly_subject",
        null,
        "workspace_id text, hour_start timestamptz, type text, subject text, shard integer"),
    HOUR_BY_AGENT(
        "metrics_hourly_agent",
        null,
        "workspace_id text, hour_start timestamptz, agent_id text, type text"),
    DAY(
        "metrics_daily",
        "day",
        "workspace_id text, day date, agent_id text, type text, subject text"),
    DAY_BY_SUBJECT(
        "metrics_daily_subject",
        null,
        "workspace_id text, day date, type text, subject text, shard integer"),
    DAY_BY_AGENT(
        "metrics_daily_agent", null, "workspace_id text, day date, agent_id text, type text");

    final String upsert;
    final int keyColumns;
    final boolean returning;

    /**
     * @param returnedBucket the bucket column returned with the totals, or null for none
     * @param keys the key columns with their types, in primary key order
     */
    Table(String name, String returnedBucket, String keys) {
      List<String> columns = new ArrayList<>();
      List<String> casts = new ArrayList<>();
      List<String> arrays = new ArrayList<>();
      for (String key : keys.split(", ")) {
        String[] columnAndType = key.split(" ");
        columns.add(columnAndType[0]);
        casts.add("t." + columnAndType[0] + "::" + columnAndType[1]);
        arrays.add("?::text[]");
      }
      this.keyColumns = columns.size();
      this.returning = returnedBucket != null;
      this.upsert =
          UPSERT.formatted(
              name,
              String.join(", ", columns),
              String.join(", ", casts),
              String.join(", ", arrays),
              String.join(", ", columns),
              MERGE_BUCKETS,
              returning ? RETURNING.formatted(returnedBucket) : "");
    }

    /** Whether this table holds hours, kept for {@code beacon.aggregator.hourly-retention}. */
    boolean hourly() {
      return this == HOUR || this == HOUR_BY_SUBJECT || this == HOUR_BY_AGENT;
    }

    /**
     * The key of the row of this table a minute row's delta adds to.
     *
     * @param shard the shard of the rollups by subject
     */
    List<String> keyOf(BucketKey minute, int shard) {
      String hour = minute.hourKey().minuteStart().toString();
      String day = minute.day().toString();
      return switch (this) {
        case MINUTE ->
            List.of(
                minute.workspaceId(),
                minute.minuteStart().toString(),
                minute.agentId(),
                minute.type(),
                minute.subject());
        case HOUR ->
            List.of(minute.workspaceId(), hour, minute.agentId(), minute.type(), minute.subject());
        case HOUR_BY_SUBJECT ->
            List.of(
                minute.workspaceId(), hour, minute.type(), minute.subject(), String.valueOf(shard));
        case HOUR_BY_AGENT -> List.of(minute.workspaceId(), hour, minute.agentId(), minute.type());
        case DAY ->
            List.of(minute.workspaceId(), day, minute.agentId(), minute.type(), minute.subject());
        case DAY_BY_SUBJECT ->
            List.of(
                minute.workspaceId(), day, minute.type(), minute.subject(), String.valueOf(shard));
        case DAY_BY_AGENT -> List.of(minute.workspaceId(), day, minute.agentId(), minute.type());
      };
    }
  }

  private MetricsWriter() {}

  /**
   * Adds the minute deltas to their minute rows and to the rows of their hours, days and daily
   * rollups.
   *
   * @param shardOf the shard of each minute row's rows in the rollups by subject: the Kafka
   *     partition its events were consumed from
   * @return one absolute update per touched minute row, with its day's totals
   */
  public static List<MetricUpdate> apply(
      Connection connection, Map<BucketKey, MetricDelta> minutes, ToIntFunction<BucketKey> shardOf)
      throws SQLException {
    return apply(connection, minutes, shardOf, Instant.MIN, Instant.MIN);
  }

  /**
   * Like {@link #apply(Connection, Map, ToIntFunction)}, for corrections of old events
   * (re-costing), which must not recreate rows retention removed: minutes before {@code
   * minuteFloor} move only their hour and day rows (with their rollups), and hours starting before
   * {@code hourFloor} only their day rows. Every hour and day row that is still retained moves by
   * the same deltas, so hours keep adding up to their days.
   *
   * @param minuteFloor the oldest minute retention may have kept
   * @param hourFloor the start of the oldest hour retention may have kept
   */
  public static List<MetricUpdate> apply(
      Connection connection,
      Map<BucketKey, MetricDelta> minutes,
      ToIntFunction<BucketKey> shardOf,
      Instant minuteFloor,
      Instant hourFloor)
      throws SQLException {
    if (minutes.isEmpty()) {
      return List.of();
    }
    Map<Table, SortedMap<List<String>, MetricDelta>> rows = new EnumMap<>(Table.class);
    for (Table table : Table.values()) {
      rows.put(table, new TreeMap<>(KEY_ORDER));
    }
    SortedSet<BucketKey> kept = new TreeSet<>();
    minutes.forEach(
        (key, delta) -> {
          boolean minuteKept = !key.minuteStart().isBefore(minuteFloor);
          boolean hourKept = !key.hourKey().minuteStart().isBefore(hourFloor);
          int shard = shardOf.applyAsInt(key);
          for (Table table : Table.values()) {
            if ((table == Table.MINUTE && !minuteKept) || (table.hourly() && !hourKept)) {
              continue;
            }
            merge(
                rows.get(table).computeIfAbsent(table.keyOf(key, shard), k -> new MetricDelta()),
                delta);
          }
          if (minuteKept) {
            kept.add(key);
          }
        });

    Map<BucketKey, MetricTotals> minuteTotals = Map.of();
    Map<BucketKey, MetricTotals> dayTotals = Map.of();
    for (Table table : Table.values()) {
      Map<BucketKey, MetricTotals> totals = upsert(connection, table, rows.get(table));
      if (table == Table.MINUTE) {
        minuteTotals = totals;
      } else if (table == Table.DAY) {
        dayTotals = totals;
      }
    }

    List<MetricUpdate> updates = new ArrayList<>(minuteTotals.size());
    for (BucketKey key : kept) {
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

  /**
   * Upserts the rows of one table.
   *
   * @return for {@link Table#MINUTE} and {@link Table#DAY}, the totals the rows now hold, by the
   *     {@link BucketKey} of their minute or day start; otherwise empty
   */
  private static Map<BucketKey, MetricTotals> upsert(
      Connection connection, Table table, SortedMap<List<String>, MetricDelta> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return Map.of();
    }
    int size = rows.size();
    String[][] keys = new String[table.keyColumns][size];
    Long[][] measures = new Long[11][size];
    String[] histograms = new String[size];
    int i = 0;
    for (Map.Entry<List<String>, MetricDelta> row : rows.entrySet()) {
      List<String> key = row.getKey();
      for (int k = 0; k < keys.length; k++) {
        keys[k][i] = key.get(k);
      }
      MetricDelta delta = row.getValue();
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
    try (PreparedStatement statement = connection.prepareStatement(table.upsert)) {
      int p = 1;
      for (String[] key : keys) {
        statement.setArray(p++, connection.createArrayOf("text", key));
      }
      for (Long[] measure : measures) {
        statement.setArray(p++, connection.createArrayOf("int8", measure));
      }
      statement.setArray(p, connection.createArrayOf("text", histograms));
      if (!table.returning) {
        statement.executeUpdate();
        return Map.of();
      }
      Map<BucketKey, MetricTotals> totals = new HashMap<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          BucketKey key =
              new BucketKey(
                  result.getString("workspace_id"),
                  result.getString("agent_id"),
                  result.getString("type"),
                  result.getString("subject"),
                  table == Table.DAY
                      ? result
                          .getObject("bucket", LocalDate.class)
                          .atStartOfDay()
                          .toInstant(ZoneOffset.UTC)
                      : result.getObject("bucket", OffsetDateTime.class).toInstant());
          totals.put(key, totalsOf(result));
        }
      }
      return totals;
    }
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
