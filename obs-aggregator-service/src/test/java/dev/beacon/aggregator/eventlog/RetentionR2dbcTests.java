package dev.beacon.aggregator.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.aggregator.Events;
import dev.beacon.aggregator.pipeline.PartitionManager;
import dev.beacon.testsupport.IntegrationTest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class RetentionR2dbcTests {

  @Autowired DataSource dataSource;
  @Autowired RetentionJob retention;

  @Test
  void dropsEventPartitionsAndMinuteRowsPastTheirWindowAndKeepsDailyRows() throws Exception {
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

    assertThat(retention.run()).contains(old);

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
  }
}
