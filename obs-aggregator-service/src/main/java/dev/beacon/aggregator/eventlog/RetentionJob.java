package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.config.AggregatorProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the event log within each workspace's retention ({@code obs.workspace_settings}, default
 * {@code beacon.aggregator.retention}), minute metrics within {@code
 * beacon.aggregator.minute-retention} and hourly metrics (with their rollups) within {@code
 * beacon.aggregator.hourly-retention} (an hour is kept while any part of it is within the
 * retention, so {@code step=1h} reaches back the whole retention). Partitions hold one UTC day of
 * every workspace, so:
 *
 * <ol>
 *   <li>partitions whose day is older than the LONGEST retention of any workspace are dropped
 *       whole, with their dedupe keys;
 *   <li>in the remaining partitions older than the SHORTEST retention, the rows of workspaces whose
 *       retention has passed are deleted with their dedupe keys, in bounded batches: each batch is
 *       one transaction over a fixed range of heap pages (a TID range scan), so the work per
 *       transaction is bounded whatever the partition's size, and the whole pass reads each page
 *       once.
 * </ol>
 *
 * Retention is in whole UTC days: a workspace with {@code n} days keeps today and the {@code n}
 * days before. Daily metrics and runs are kept (aggregates without content). Late events older than
 * the longest retention are dead-lettered as {@code expired}, so a dropped day is never refilled.
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
          AND e.occurred_at < (CAST(CAST(? AS date) - coalesce(
                (SELECT s.retention_days FROM obs.workspace_settings s
                 WHERE s.workspace_id = e.workspace_id), ?) AS timestamp) AT TIME ZONE 'UTC')
        RETURNING e.workspace_id, e.event_id),
      ids AS (
        DELETE FROM obs.event_ids i USING gone
        WHERE i.workspace_id = gone.workspace_id AND i.event_id = gone.event_id)
      SELECT count(*) FROM gone
      """;

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final RetentionHorizon horizon;
  private final AggregatorProperties properties;
  private final Clock clock;

  RetentionJob(
      DataSource dataSource,
      PartitionManager partitions,
      RetentionHorizon horizon,
      AggregatorProperties properties,
      Clock clock) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.horizon = horizon;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(cron = "${beacon.aggregator.retention-cron}", zone = "UTC")
  void scheduled() {
    try {
      run();
    } catch (SQLException e) {
      log.warn("Retention run failed, will retry at the next schedule: {}", e.toString());
    }
  }

  /** Learns the longest workspace retention at start, so late events are judged by it. */
  @EventListener(ApplicationReadyEvent.class)
  void loadHorizon() {
    try (Connection connection = dataSource.getConnection()) {
      horizon.refresh(Duration.ofDays(bounds(connection).longest()));
    } catch (SQLException e) {
      log.warn("Workspace retentions not read at start, using the default: {}", e.toString());
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
      horizon.refresh(Duration.ofDays(bounds.longest()));
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
      for (LocalDate day : remaining.headSet(firstDayOfAll)) {
        deleted += deleteExpiredRows(connection, day, today);
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
        delete.setInt(4, properties.retentionDays());
        try (ResultSet row = delete.executeQuery()) {
          row.next();
          deleted += row.getLong(1);
        }
      }
    }
    return deleted;
  }

  private Bounds bounds(Connection connection) throws SQLException {
    int fallback = properties.retentionDays();
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT max(retention_days), min(retention_days) FROM obs.workspace_settings")) {
      row.next();
      int longest = row.getObject(1) == null ? fallback : Math.max(fallback, row.getInt(1));
      int shortest = row.getObject(2) == null ? fallback : Math.min(fallback, row.getInt(2));
      return new Bounds(longest, shortest);
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
