package dev.beacon.aggregator.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.aggregator.Events;
import dev.beacon.entitlements.Entitlements;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.testsupport.IntegrationTest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class RetentionR2dbcTests {

  @Autowired DataSource dataSource;
  @Autowired RetentionJob retention;
  @Autowired WorkspaceEntitlements entitlements;

  @Test
  void dropsEventPartitionsMinuteAndHourRowsPastTheirWindowAndKeepsDailyRows() throws Exception {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    String workspace = Events.newWorkspace();
    LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(40);
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS obs."
            + PartitionManager.partitionName(old)
            + " PARTITION OF obs.events FOR VALUES FROM ('"
            + old
            + "T00:00:00Z') TO ('"
            + old.plusDays(1)
            + "T00:00:00Z')");
    OffsetDateTime oldTime = old.atTime(12, 0).atOffset(ZoneOffset.UTC);
    jdbc.update(
        "INSERT INTO obs.event_ids VALUES (?, ?, ?)", workspace, UUID.randomUUID(), oldTime);
    OffsetDateTime threeDaysAgo =
        OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).withSecond(0).withNano(0);
    for (String table : new String[] {"metrics_minute", "metrics_daily"}) {
      jdbc.update(
          "INSERT INTO obs."
              + table
              + " VALUES (?, "
              + (table.equals("metrics_daily") ? "?::date" : "?")
              + ", 'a', 'custom', '', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}')",
          workspace,
          table.equals("metrics_daily") ? threeDaysAgo.toLocalDate().toString() : threeDaysAgo);
    }

    OffsetDateTime thisHour = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    // each hourly table with the key columns that follow (workspace, hour_start)
    Map<String, String> hourlyTables =
        Map.of(
            "metrics_hourly", "'a', 'custom', ''",
            "metrics_hourly_subject", "'custom', '', -1",
            "metrics_hourly_agent", "'a', 'custom'");
    for (OffsetDateTime hour :
        List.of(thisHour.minusDays(31), thisHour.minusDays(29), thisHour.minusDays(3))) {
      hourlyTables.forEach(
          (table, keys) ->
              jdbc.update(
                  "INSERT INTO obs."
                      + table
                      + " VALUES (?, ?, "
                      + keys
                      + ", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}')",
                  workspace,
                  hour));
    }

    assertThat(retention.run().droppedDays()).contains(old);

    assertThat(
            jdbc.queryForObject(
                "SELECT to_regclass(?) IS NULL",
                Boolean.class,
                "obs." + PartitionManager.partitionName(old)))
        .isTrue();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM obs.event_ids WHERE workspace_id = ?", Long.class, workspace))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM obs.metrics_minute WHERE workspace_id = ?",
                Long.class,
                workspace))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM obs.metrics_daily WHERE workspace_id = ?",
                Long.class,
                workspace))
        .isOne();
    for (String table : hourlyTables.keySet()) {
      assertThat(
              jdbc.queryForList(
                  "SELECT hour_start FROM obs."
                      + table
                      + " WHERE workspace_id = ?"
                      + " ORDER BY hour_start",
                  OffsetDateTime.class,
                  workspace))
          .as(table)
          .extracting(OffsetDateTime::toInstant)
          .containsExactly(thisHour.minusDays(29).toInstant(), thisHour.minusDays(3).toInstant());
    }
  }

  @Test
  void deletesTheEventsOfEachWorkspaceOlderThanItsOwnRetentionAndKeepsTheRest() throws Exception {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    String shortLived = Events.newWorkspace();
    String longLived = Events.newWorkspace();
    String byDefault = Events.newWorkspace();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    // a 60-day plan (set in the store as the listener would) under a 100-day setting from before
    // plans: the plan caps it
    entitlements.apply(longLived, plan("business", 60, 1));
    jdbc.update(
        "INSERT INTO obs.workspace_settings (workspace_id, retention_days, updated_by)"
            + " VALUES (?, 2, 't'), (?, 100, 't')",
        shortLived,
        longLived);
    try {
      UUID shortOld = store(jdbc, shortLived, today.minusDays(5));
      UUID shortKept = store(jdbc, shortLived, today.minusDays(2));
      UUID defaultKept = store(jdbc, byDefault, today.minusDays(5));
      UUID defaultOld = store(jdbc, byDefault, today.minusDays(50));
      UUID longKept = store(jdbc, longLived, today.minusDays(50));
      UUID longOld = store(jdbc, longLived, today.minusDays(61));

      RetentionJob.Result result = retention.run();

      assertThat(result.deletedEvents()).isGreaterThanOrEqualTo(2);
      assertThat(result.droppedDays())
          .as("older than the longest plan's 60 days")
          .contains(today.minusDays(61))
          .doesNotContain(today.minusDays(50));
      assertThat(stored(jdbc, shortLived)).containsExactly(shortKept);
      assertThat(stored(jdbc, byDefault)).containsExactly(defaultKept);
      assertThat(stored(jdbc, longLived)).containsExactly(longKept);
      assertThat(
              jdbc.queryForList(
                  "SELECT event_id FROM obs.event_ids WHERE workspace_id IN (?, ?, ?)",
                  UUID.class,
                  shortLived,
                  byDefault,
                  longLived))
          .containsExactlyInAnyOrder(shortKept, defaultKept, longKept)
          .doesNotContain(shortOld, defaultOld, longOld);
    } finally {
      jdbc.update(
          "DELETE FROM obs.workspace_settings WHERE workspace_id IN (?, ?)", shortLived, longLived);
      // back to Free's retention, so that the other tests' partitions are dropped by their age
      entitlements.apply(longLived, plan("free", 7, 2));
    }
  }

  private static Entitlements plan(String plan, int retentionDays, long revision) {
    return new Entitlements(plan, retentionDays, 100_000, 3, 3, 2, 0, true, revision);
  }

  private static UUID store(JdbcTemplate jdbc, String workspace, LocalDate day) {
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS obs."
            + PartitionManager.partitionName(day)
            + " PARTITION OF obs.events FOR VALUES FROM ('"
            + day
            + "T00:00:00Z') TO ('"
            + day.plusDays(1)
            + "T00:00:00Z')");
    UUID id = UUID.randomUUID();
    OffsetDateTime at = day.atTime(12, 0).atOffset(ZoneOffset.UTC);
    jdbc.update(
        "INSERT INTO obs.events (workspace_id, event_id, occurred_at, type) VALUES (?, ?, ?, 'custom')",
        workspace,
        id,
        at);
    jdbc.update("INSERT INTO obs.event_ids VALUES (?, ?, ?)", workspace, id, at);
    return id;
  }

  private static List<UUID> stored(JdbcTemplate jdbc, String workspace) {
    return jdbc.queryForList(
        "SELECT event_id FROM obs.events WHERE workspace_id = ?", UUID.class, workspace);
  }
}
