package dev.beacon.aggregator.eventlog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Creates the daily partitions of {@code obs.events} ({@code events_pYYYYMMDD}, UTC days) before a
 * batch needs them. Creation runs in its own short transaction under an advisory lock, so
 * concurrent consumers never race on the DDL and the batch transaction takes no DDL locks.
 */
@Component
public final class PartitionManager {

  /** Advisory lock key serialising partition DDL (creation and retention drops). */
  static final long DDL_LOCK = 0x0b5e_7e47L;

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

  private final DataSource dataSource;
  private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

  PartitionManager(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The partition table name of a day. */
  static String partitionName(LocalDate day) {
    return "events_p" + day.format(SUFFIX);
  }

  public void ensure(Collection<LocalDate> days) throws SQLException {
    if (known.containsAll(days)) {
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
        for (LocalDate day : days) {
          if (!known.contains(day)) {
            statement.execute(
                "CREATE TABLE IF NOT EXISTS obs.%s PARTITION OF obs.events FOR VALUES FROM ('%s') TO ('%s')"
                    .formatted(
                        partitionName(day), day + "T00:00:00Z", day.plusDays(1) + "T00:00:00Z"));
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
    known.addAll(days);
  }

  /** Forgets every known partition, after the database said one is missing. */
  public void forgetAll() {
    known.clear();
  }

  /** Forgets a dropped partition so that a later event of that day would recreate it. */
  void forget(LocalDate day) {
    known.remove(day);
  }
}
