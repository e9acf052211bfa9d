package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.config.AggregatorProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the event log within each workspace's retention — its plan's {@code retention_days} ({@link
 * PlanRetention}; Free's without a record), or the shorter retention the workspace chose ({@code
 * obs.workspace_settings}) — minute metrics within {@code beacon.aggregator.minute-retention} and
 * hourly metrics (with their rollups) within {@code beacon.aggregator.hourly-retention} (an hour is
 * kept while any part of it is within the retention, so {@code step=1h} reaches back the whole
 * retention). Partitions hold one UTC day of every workspace, so:
 *
 * <ol>
 *   <li>partitions whose day is older than the LONGEST retention any plan allows are dropped whole,
 *       with their dedupe keys;
 *   <li>in the remaining partitions older than the SHORTEST retention, the rows of workspaces whose
 *       retention has passed are deleted with their dedupe keys, in bounded batches: each batch is
 *       one transaction over a fixed range of heap pages (a TID range scan), so the work per
 *       transaction is bounded whatever the partition's size, and the whole pass reads each page
 *       once. The plans that differ from Free's are put in a session temporary table first, so each
 *       row's retention is two primary-key lookups.
 * </ol>
 *
 * Retention is in whole UTC days: a workspace with {@code n} days keeps today and the {@code n}
 * days before. A downgrade takes effect at the next run. Daily metrics and runs are kept
 * (aggregates without content). Late events older than the longest retention are dead-lettered as
 * {@code expired}, so a dropped day is never refilled. The scheduled run waits until billing's
 * entitlements have been read to their end: before that every workspace looks like Free.
 */
@Component
class RetentionJob {

  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  /** The hourly metrics and their rollups (ADR 0011), kept for the hourly retention. */
  private static final List<String> HOURLY_TABLES =
      List.of("metrics_hourly", "metrics_hourly_subject", "metrics_hourly_agent");

  /** Heap pages per delete transaction (8 KiB each: at most 8 MiB of events per batch). */
  static final int PAGES_PER_BATCH = 1024;

  private static final String DELETE_EXPIRED_ROWS =
      """
      WITH gone AS (
        DELETE FROM obs.%s e
        WHERE e.ctid >= ?::tid AND e.ctid < ?::tid
          AND e.occurred_at < (CAST(CAST(? AS date) - least(
                (SELECT s.retention_days FROM obs.workspace_settings s
                 WHERE s.workspace_id = e.workspace_id),
                coalesce((SELECT p.retention_days FROM pg_temp.plan_retention p
                          WHERE p.workspace_id = e.workspace_id), ?)) AS timestamp)
              AT TIME ZONE 'UTC')
        RETURNING e.workspace_id, e.event_id),
      ids AS (
        DELETE FROM obs.event_ids i USING gone
        WHERE i.workspace_id = gone.workspace_id AND i.event_id = gone.event_id)
      SELECT count(*) FROM gone
      """;

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final RetentionHorizon horizon;
  private final PlanRetention plans;
  private final AggregatorProperties properties;
  private final Clock clock;

  RetentionJob(
      DataSource dataSource,
      PartitionManager partitions,
      RetentionHorizon horizon,
      PlanRetention plans,
      AggregatorProperties properties,
      Clock clock) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.horizon = horizon;
    this.plans = plans;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(cron = "${beacon.aggregator.retention-cron}", zone = "UTC")
  void scheduled() {
    if (!plans.known()) {
      log.warn(
          "Retention skipped: billing's entitlements are not read to their end yet, so paying"
              + " workspaces would look like Free; next try at the next schedule");
      return;
    }
    try {
      run();
    } catch (SQLException e) {
      log.warn("Retention run failed, will retry at the next schedule: {}", e.toString());
    }
  }

  /**
   * Applies the retention once.
   *
   * @return the days whose partitions were dropped and the events deleted from the others
   */
  public Result run() throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    LocalDate today = now.toLocalDate();
    List<LocalDate> dropped = new ArrayList<>();
    TreeSet<LocalDate> remaining = new TreeSet<>();
    Bounds bounds;
    try (Connection connection = dataSource.getConnection()) {
      bounds = bounds(connection);
      horizon.refresh();
      LocalDate firstKeptDay = today.minusDays(bounds.longest());
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + PartitionManager.DDL_LOCK + ")");
        for (LocalDate day : partitionDays(statement)) {
          (day.isBefore(firstKeptDay) ? dropped : remaining).add(day);
        }
        for (LocalDate day : dropped) {
          statement.execute("DROP TABLE obs." + PartitionManager.partitionName(day));
        }
        try (PreparedStatement ids =
            connection.prepareStatement("DELETE FROM obs.event_ids WHERE occurred_at < ?")) {
          ids.setObject(1, firstKeptDay.atStartOfDay().atOffset(ZoneOffset.UTC));
          ids.executeUpdate();
        }
        try (PreparedStatement minutes =
            connection.prepareStatement("DELETE FROM obs.metrics_minute WHERE minute_start < ?")) {
          minutes.setObject(
              1, now.minus(properties.minuteRetention()).truncatedTo(ChronoUnit.MILLIS));
          minutes.executeUpdate();
        }
        OffsetDateTime firstKeptHour =
            now.minus(properties.hourlyRetention()).truncatedTo(ChronoUnit.HOURS);
        for (String table : HOURLY_TABLES) {
          try (PreparedStatement hours =
              connection.prepareStatement("DELETE FROM obs." + table + " WHERE hour_start < ?")) {
            hours.setObject(1, firstKeptHour);
            hours.executeUpdate();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
      dropped.forEach(partitions::forget);
      if (!dropped.isEmpty()) {
        log.info("Retention dropped event partitions of {}", dropped);
      }
      connection.setAutoCommit(true);
      long deleted = 0;
      LocalDate firstDayOfAll = today.minusDays(bounds.shortest());
      SortedSet<LocalDate> sweep = remaining.headSet(firstDayOfAll);
      if (!sweep.isEmpty()) {
        loadPlans(connection);
        try {
          for (LocalDate day : sweep) {
            deleted += deleteExpiredRows(connection, day, today);
          }
        } finally {
          try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS pg_temp.plan_retention");
          }
        }
      }
      if (deleted > 0) {
        log.info("Retention deleted {} events of workspaces with a shorter retention", deleted);
      }
      return new Result(dropped, deleted);
    }
  }

  private long deleteExpiredRows(Connection connection, LocalDate day, LocalDate today)
      throws SQLException {
    String table = PartitionManager.partitionName(day);
    long pages;
    try (PreparedStatement size =
        connection.prepareStatement(
            "SELECT pg_relation_size(to_regclass(?)) / current_setting('block_size')::bigint")) {
      size.setString(1, "obs." + table);
      try (ResultSet row = size.executeQuery()) {
        row.next();
        pages = row.getLong(1);
      }
    }
    long deleted = 0;
    try (PreparedStatement delete =
        connection.prepareStatement(DELETE_EXPIRED_ROWS.formatted(table))) {
      for (long first = 0; first < pages; first += PAGES_PER_BATCH) {
        delete.setString(1, "(" + first + ",0)");
        delete.setString(2, "(" + (first + PAGES_PER_BATCH) + ",0)");
        delete.setObject(3, today);
        delete.setInt(4, plans.freeDays());
        try (ResultSet row = delete.executeQuery()) {
          row.next();
          deleted += row.getLong(1);
        }
      }
    }
    return deleted;
  }

  /**
   * The longest and shortest retention of any workspace: a setting only shortens a plan's, so the
   * longest is the longest plan's and the shortest the shortest of the plans' and the settings.
   */
  private Bounds bounds(Connection connection) throws SQLException {
    int shortest = plans.shortestDays();
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery("SELECT min(retention_days) FROM obs.workspace_settings")) {
      row.next();
      if (row.getObject(1) != null) {
        shortest = Math.min(shortest, row.getInt(1));
      }
    }
    return new Bounds(plans.longestDays(), shortest);
  }

  /** The plans that differ from Free's, in a temporary table of this session. */
  private void loadPlans(Connection connection) throws SQLException {
    Map<String, Integer> days = plans.daysDifferentFromFree();
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS pg_temp.plan_retention");
      statement.execute(
          "CREATE TEMPORARY TABLE plan_retention"
              + " (workspace_id text PRIMARY KEY, retention_days integer NOT NULL)");
    }
    if (days.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pg_temp.plan_retention SELECT * FROM unnest(?::text[], ?::integer[])")) {
      insert.setArray(1, connection.createArrayOf("text", days.keySet().toArray()));
      insert.setArray(
          2,
          connection.createArrayOf(
              "integer", days.keySet().stream().map(days::get).toArray(Integer[]::new)));
      insert.executeUpdate();
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("ANALYZE pg_temp.plan_retention");
    }
  }

  private static List<LocalDate> partitionDays(Statement statement) throws SQLException {
    List<LocalDate> days = new ArrayList<>();
    try (ResultSet rows =
        statement.executeQuery(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " JOIN pg_class p ON p.oid = i.inhparent"
                + " JOIN pg_namespace n ON n.oid = p.relnamespace"
                + " WHERE n.nspname = 'obs' AND p.relname = 'events'")) {
      while (rows.next()) {
        String name = rows.getString(1);
        if (name.matches("events_p\\d{8}")) {
          days.add(LocalDate.parse(name.substring(8), DateTimeFormatter.BASIC_ISO_DATE));
        }
      }
    }
    return days;
  }

  private record Bounds(int longest, int shortest) {}

  /**
   * What one run removed.
   *
   * @param droppedDays days whose partitions were dropped whole
   * @param deletedEvents events deleted from the remaining partitions
   */
  record Result(List<LocalDate> droppedDays, long deletedEvents) {}
}
