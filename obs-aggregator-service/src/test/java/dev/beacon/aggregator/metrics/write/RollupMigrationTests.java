package dev.beacon.aggregator.metrics.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.aggregator.EventStream;
import dev.beacon.testsupport.BeaconInfrastructure;
import dev.beacon.testsupport.Infrastructure;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The upgrades to the per-day rollups (V8) and the per-hour rollups (V9), each on a database of its
 * own migrated to the version before: the rollups start out as the exact sums of the rows the
 * install already has.
 */
class RollupMigrationTests {

  /**
   * Metrics rows of two workspaces: workspace, bucket (0 = the first day or hour, 1 = the next),
   * agent, type, subject, calls, errors, histogram; the other measures follow from the calls.
   */
  private static final String[][] ROWS = {
    {"ws", "0", "a", "llm_call", "openai/gpt-4o", "3", "1", "{1,2}"},
    {"ws", "0", "b", "llm_call", "openai/gpt-4o", "5", "0", "{0,4,1}"},
    {"ws", "0", "a", "llm_call", "anthropic/claude", "2", "2", "{2}"},
    {"ws", "0", "a", "tool_call", "search", "7", "0", "{}"},
    {"ws", "1", "b", "llm_call", "openai/gpt-4o", "1", "0", "{1}"},
    {"other", "0", "a", "llm_call", "openai/gpt-4o", "9", "9", "{9}"},
  };

  private final Infrastructure infra = BeaconInfrastructure.get();
  private final String database = "upgrade_" + UUID.randomUUID().toString().replace("-", "");
  private final JdbcTemplate server = jdbc(infra.jdbcUrl());
  private String url;

  @AfterEach
  void dropDatabase() {
    server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  @Test
  void backfillsBothRollupsFromTheDailyRows() {
    JdbcTemplate jdbc =
        databaseAt("7", "metrics_daily", "date", List.of("2026-11-20", "2026-11-21"));

    flyway(url, "latest").migrate();

    EventStream stored = EventStream.standalone(jdbc);
    for (String workspace : List.of("ws", "other")) {
      assertThat(stored.subjectDaysOf(workspace, "metrics_daily_subject"))
          .isEqualTo(stored.subjectDaysOf(workspace, "metrics_daily"));
      assertThat(stored.agentDaysOf(workspace, "metrics_daily_agent"))
          .isEqualTo(stored.agentDaysOf(workspace, "metrics_daily"));
    }
    assertThat(stored.subjectDaysOf("ws", "metrics_daily_subject"))
        .containsExactly(
            "2026-11-20 llm_call anthropic/claude 2 2 10 5 1 0 2000 0 2 80 90 {2}",
            "2026-11-20 llm_call openai/gpt-4o 8 1 20 10 2 0 8000 0 8 320 90 {1,6,1}",
            "2026-11-20 tool_call search 7 0 10 5 1 0 7000 0 7 280 90 {}",
            "2026-11-21 llm_call openai/gpt-4o 1 0 10 5 1 0 1000 0 1 40 90 {1}");
    assertThat(
            jdbc.queryForList(
                "SELECT DISTINCT shard FROM obs.metrics_daily_subject", Integer.class))
        .containsExactly(MetricsWriter.UNSHARDED);
  }

  @Test
  void backfillsBothHourlyRollupsFromTheHourlyRows() {
    JdbcTemplate jdbc =
        databaseAt(
            "8",
            "metrics_hourly",
            "timestamptz",
            List.of("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"));

    flyway(url, "latest").migrate();

    EventStream stored = EventStream.standalone(jdbc);
    for (String workspace : List.of("ws", "other")) {
      assertThat(stored.subjectHoursOf(workspace, "metrics_hourly_subject"))
          .isEqualTo(stored.subjectHoursOf(workspace, "metrics_hourly"));
      assertThat(stored.agentHoursOf(workspace, "metrics_hourly_agent"))
          .isEqualTo(stored.agentHoursOf(workspace, "metrics_hourly"));
    }
    assertThat(
            jdbc.queryForList(
                "SELECT concat_ws(' ', to_char(hour_start AT TIME ZONE 'UTC', 'HH24'), agent_id,"
                    + " type, calls, errors, cost_nano_usd, latency_buckets::text)"
                    + " FROM obs.metrics_hourly_agent WHERE workspace_id = 'ws' ORDER BY 1",
                String.class))
        .containsExactly(
            "10 a llm_call 5 3 5000 {3,2}",
            "10 a tool_call 7 0 7000 {}",
            "10 b llm_call 5 0 5000 {0,4,1}",
            "11 b llm_call 1 0 1000 {1}");
    assertThat(
            jdbc.queryForList(
                "SELECT DISTINCT shard FROM obs.metrics_hourly_subject", Integer.class))
        .containsExactly(MetricsWriter.UNSHARDED);
  }

  /**
   * A database of its own at {@code version} whose {@code table} holds {@link #ROWS}, with their
   * buckets (days or hours) taken from {@code buckets}.
   */
  private JdbcTemplate databaseAt(
      String version, String table, String bucketType, List<String> buckets) {
    server.execute("CREATE DATABASE " + database);
    url = infra.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    flyway(url, version).migrate();
    JdbcTemplate jdbc = jdbc(url);
    for (String[] row : ROWS) {
      jdbc.update(
          "INSERT INTO obs."
              + table
              + " VALUES (?, ?::"
              + bucketType
              + ", ?, ?, ?, ?::bigint, ?::bigint, 10, 5, 1, 0, ?::bigint * 1000, 0, ?::bigint,"
              + " ?::bigint * 40, 90, ?::bigint[])",
          row[0],
          buckets.get(Integer.parseInt(row[1])),
          row[2],
          row[3],
          row[4],
          row[5],
          row[6],
          row[5],
          row[5],
          row[5],
          row[7]);
    }
    return jdbc;
  }

  private Flyway flyway(String url, String target) {
    return Flyway.configure()
        .dataSource(url, infra.username(), infra.password())
        .schemas("obs")
        .defaultSchema("obs")
        .target(target)
        .load();
  }

  private JdbcTemplate jdbc(String url) {
    return new JdbcTemplate(new DriverManagerDataSource(url, infra.username(), infra.password()));
  }
}
