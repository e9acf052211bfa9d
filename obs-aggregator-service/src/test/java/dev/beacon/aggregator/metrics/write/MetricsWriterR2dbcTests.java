package dev.beacon.aggregator.metrics.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.testsupport.IntegrationTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link MetricsWriter} against the real schema (the writer itself never reads a clock). */
@IntegrationTest
class MetricsWriterR2dbcTests {

  /**
   * Yesterday 22:30 UTC: the generated minutes span two UTC days, and all of them are younger than
   * the minute retention whenever the test runs, so the retention job never interferes.
   */
  private static final Instant BASE =
      LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(22, 30).toInstant(ZoneOffset.UTC);

  @Autowired DataSource dataSource;

  @Test
  void hourRowsAreTheSumsOfTheirMinuteRowsAndAddUpToTheirDays() throws SQLException {
    String workspace = Events.newWorkspace();
    Random random = new Random(11);
    List<Map<BucketKey, MetricDelta>> batches = new ArrayList<>();
    for (int b = 0; b < 6; b++) {
      Map<BucketKey, MetricDelta> batch = new HashMap<>();
      for (int e = 0; e < 80; e++) {
        // batches overlap in time and arrive in no particular order, like late events do
        Instant at = BASE.plusSeconds(random.nextInt(4 * 3600));
        BucketKey key =
            BucketKey.of(
                workspace,
                "agent-" + random.nextInt(3),
                random.nextBoolean() ? "llm_call" : "tool_call",
                "s-" + random.nextInt(2),
                at);
        batch
            .computeIfAbsent(key, k -> new MetricDelta())
            .addEvent(
                random.nextInt(10) == 0,
                random.nextInt(5000),
                random.nextInt(500),
                random.nextInt(100),
                random.nextInt(50),
                random.nextInt(1_000_000),
                random.nextInt(20) == 0,
                random.nextInt(10) == 0 ? null : (long) random.nextInt(120_000));
      }
      batches.add(batch);
    }

    for (Map<BucketKey, MetricDelta> batch : batches) {
      write(batch, Instant.MIN, Instant.MIN);
    }

    EventStream rows = EventStream.standalone(new JdbcTemplate(dataSource));
    List<String> hours = rows.hoursOf(workspace, "metrics_hourly");
    assertThat(hours).hasSizeGreaterThan(10);
    assertThat(hours).isEqualTo(rows.hoursOf(workspace, "metrics_minute"));
    assertThat(rows.daysOf(workspace, "metrics_hourly"))
        .hasSize(rows.daysOf(workspace, "metrics_daily").size())
        .hasSizeGreaterThan(1)
        .isEqualTo(rows.daysOf(workspace, "metrics_daily"));
    assertThat(rows.subjectDaysOf(workspace, "metrics_daily_subject")).hasSizeGreaterThan(4);
    assertThat(rows.agentDaysOf(workspace, "metrics_daily_agent")).hasSizeGreaterThan(6);
    assertThat(rows.subjectHoursOf(workspace, "metrics_hourly_subject")).hasSizeGreaterThan(10);
    assertThat(rows.agentHoursOf(workspace, "metrics_hourly_agent")).hasSizeGreaterThan(10);
    rows.assertRollupsAddUp(workspace);
    for (String rollup : List.of("metrics_daily_subject", "metrics_hourly_subject")) {
      assertThat(
              new JdbcTemplate(dataSource)
                  .queryForList(
                      "SELECT DISTINCT shard FROM obs."
                          + rollup
                          + " WHERE workspace_id = ?"
                          + " ORDER BY shard",
                      Integer.class,
                      workspace))
          .as("each subject's hour and day has a row per shard its agents' events came from")
          .containsExactly(0, 1, 2);
    }
  }

  @Test
  void correctionsOlderThanARetentionMoveOnlyTheRowsStillKept() throws SQLException {
    String workspace = Events.newWorkspace();
    Instant oldHour = BASE.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    Instant keptHour = BASE.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    Map<BucketKey, MetricDelta> corrections = new HashMap<>();
    for (Instant at : List.of(oldHour.plusSeconds(60), keptHour.plusSeconds(60), BASE)) {
      corrections
          .computeIfAbsent(
              BucketKey.of(workspace, "a", "llm_call", "m", at), k -> new MetricDelta())
          .addCostCorrection(1_000, 0);
    }

    // minutes before BASE and hours before keptHour are past their retention
    write(corrections, BASE, keptHour);

    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    assertThat(costs(jdbc, "metrics_minute", "minute_start", workspace))
        .containsExactly(Map.entry(BASE, 1_000L));
    assertThat(costs(jdbc, "metrics_hourly", "hour_start", workspace))
        .containsExactly(
            Map.entry(keptHour, 1_000L), Map.entry(BASE.truncatedTo(ChronoUnit.HOURS), 1_000L));
    EventStream rows = EventStream.standalone(jdbc);
    assertThat(rows.daily(workspace, "cost_nano_usd")).isEqualTo(3_000);
    assertThat(costs(jdbc, "metrics_hourly_agent", "hour_start", workspace))
        .isEqualTo(costs(jdbc, "metrics_hourly", "hour_start", workspace));
    rows.assertRollupsAddUp(workspace);
  }

  @Test
  void theInlineHistogramMergeAddsLikeAddBuckets() throws SQLException {
    String workspace = Events.newWorkspace();
    Random random = new Random(5);
    BucketKey key = BucketKey.of(workspace, "a", "tool_call", "t", BASE);
    long[] stored = new long[LatencyHistogram.BUCKETS];
    List<long[]> deltas = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      MetricDelta delta = new MetricDelta();
      for (int e = 0; e < 200; e++) {
        delta.addEvent(false, 0, 0, 0, 0, 0, false, (long) random.nextInt(3_600_000));
      }
      deltas.add(delta.latencyBuckets.clone());
      write(Map.of(key, delta), Instant.MIN, Instant.MIN);
    }
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    String expected = LatencyHistogram.toSqlLiteral(deltas.get(0));
    for (long[] delta : deltas.subList(1, deltas.size())) {
      expected =
          jdbc.queryForObject(
              "SELECT obs.add_buckets(?::bigint[], ?::bigint[])::text",
              String.class,
              expected,
              LatencyHistogram.toSqlLiteral(delta));
    }
    for (long[] delta : deltas) {
      for (int i = 0; i < stored.length; i++) {
        stored[i] += delta[i];
      }
    }
    assertThat(bucketsOf(jdbc, "metrics_minute", "minute_start", workspace))
        .isEqualTo(expected)
        .isEqualTo(LatencyHistogram.toSqlLiteral(stored));
    assertThat(bucketsOf(jdbc, "metrics_hourly", "hour_start", workspace)).isEqualTo(expected);
    assertThat(bucketsOf(jdbc, "metrics_daily", "day", workspace)).isEqualTo(expected);
    assertThat(bucketsOf(jdbc, "metrics_daily_subject", "day", workspace)).isEqualTo(expected);
    assertThat(bucketsOf(jdbc, "metrics_daily_agent", "day", workspace)).isEqualTo(expected);
    assertThat(bucketsOf(jdbc, "metrics_hourly_subject", "hour_start", workspace))
        .isEqualTo(expected);
    assertThat(bucketsOf(jdbc, "metrics_hourly_agent", "hour_start", workspace))
        .isEqualTo(expected);
  }

  @Test
  void aStoredHistogramOfAnotherLengthStillMergesLikeAddBuckets() throws SQLException {
    String workspace = Events.newWorkspace();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    for (String histogram : List.of("{}", "{4,0,2}")) {
      jdbc.update(
          "INSERT INTO obs.metrics_minute VALUES (?, ?::timestamptz, ?, 'tool_call', 't',"
              + " 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?::bigint[])",
          workspace,
          BASE.toString(),
          histogram,
          histogram);
      MetricDelta delta = new MetricDelta();
      delta.addEvent(false, 0, 0, 0, 0, 0, false, 0L);
      delta.addEvent(false, 0, 0, 0, 0, 0, false, 5_000L);

      write(
          Map.of(BucketKey.of(workspace, histogram, "tool_call", "t", BASE), delta),
          Instant.MIN,
          Instant.MIN);

      assertThat(
              jdbc.queryForObject(
                  "SELECT latency_buckets::text FROM obs.metrics_minute"
                      + " WHERE workspace_id = ? AND agent_id = ?",
                  String.class,
                  workspace,
                  histogram))
          .isEqualTo(
              jdbc.queryForObject(
                  "SELECT obs.add_buckets(?::bigint[], ?::bigint[])::text",
                  String.class,
                  histogram,
                  LatencyHistogram.toSqlLiteral(delta.latencyBuckets)));
    }
  }

  private void write(Map<BucketKey, MetricDelta> minutes, Instant minuteFloor, Instant hourFloor)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      MetricsWriter.apply(
          connection, minutes, MetricsWriterR2dbcTests::shardOf, minuteFloor, hourFloor);
      connection.commit();
    }
  }

  /** Like the pipeline: all events of an agent come from the same partition. */
  private static int shardOf(BucketKey minute) {
    return Math.floorMod(minute.agentId().hashCode(), 3);
  }

  private static List<Map.Entry<Instant, Long>> costs(
      JdbcTemplate jdbc, String table, String bucketColumn, String workspace) {
    return jdbc.query(
        "SELECT "
            + bucketColumn
            + " AS bucket, cost_nano_usd FROM obs."
            + table
            + " WHERE workspace_id = ? ORDER BY bucket",
        (row, n) ->
            Map.entry(
                row.getObject("bucket", OffsetDateTime.class).toInstant(),
                row.getLong("cost_nano_usd")),
        workspace);
  }

  private static String bucketsOf(
      JdbcTemplate jdbc, String table, String bucketColumn, String workspace) {
    return jdbc.queryForObject(
        "SELECT latency_buckets::text FROM obs."
            + table
            + " WHERE workspace_id = ? ORDER BY "
            + bucketColumn
            + " LIMIT 1",
        String.class,
        workspace);
  }
}
