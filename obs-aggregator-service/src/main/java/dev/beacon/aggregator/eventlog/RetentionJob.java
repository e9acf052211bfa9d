package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.pipeline.PartitionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the log and minute metrics within their windows: drops every {@code obs.events} partition
 * whose whole day is older than {@code beacon.aggregator.retention}, deletes the matching dedupe
 * keys, and deletes minute rows older than {@code beacon.aggregator.minute-retention}. Daily
 * metrics and runs are kept. Late events older than the retention are dead-lettered as {@code
 * expired}, so a dropped day is never refilled.
 */
@Component
public class RetentionJob {

  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final AggregatorProperties properties;
  private final Clock clock;

  RetentionJob(
      DataSource dataSource,
      PartitionManager partitions,
      AggregatorProperties properties,
      Clock clock) {
    this.dataSource = dataSource;
    this.partitions = partitions;
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

  /**
   * Applies the retention once.
   *
   * @return the days whose partitions were dropped
   */
  public List<LocalDate> run() throws SQLException {
    Instant now = clock.instant();
    Instant cutoff = now.minus(properties.retention());
    LocalDate firstKeptDay = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
    List<LocalDate> dropped = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + PartitionManager.DDL_LOCK + ")");
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " JOIN pg_class p ON p.oid = i.inhparent"
                    + " JOIN pg_namespace n ON n.oid = p.relnamespace"
                    + " WHERE n.nspname = 'obs' AND p.relname = 'events'")) {
          while (rows.next()) {
            String name = rows.getString(1);
            if (name.matches("events_p\\d{8}")) {
              LocalDate day = LocalDate.parse(name.substring(8), DateTimeFormatter.BASIC_ISO_DATE);
              if (day.isBefore(firstKeptDay)) {
                dropped.add(day);
              }
            }
          }
        }
        for (LocalDate day : dropped) {
          statement.execute("DROP TABLE obs." + PartitionManager.partitionName(day));
        }
        OffsetDateTime dropBefore = firstKeptDay.atStartOfDay().atOffset(ZoneOffset.UTC);
        try (PreparedStatement ids =
            connection.prepareStatement("DELETE FROM obs.event_ids WHERE occurred_at < ?")) {
          ids.setObject(1, dropBefore);
          ids.executeUpdate();
        }
        try (PreparedStatement minutes =
            connection.prepareStatement("DELETE FROM obs.metrics_minute WHERE minute_start < ?")) {
          minutes.setObject(
              1, OffsetDateTime.ofInstant(now.minus(properties.minuteRetention()), ZoneOffset.UTC));
          minutes.executeUpdate();
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
    dropped.forEach(partitions::forget);
    if (!dropped.isEmpty()) {
      log.info("Retention dropped event partitions of {}", dropped);
    }
    return dropped;
  }
}
