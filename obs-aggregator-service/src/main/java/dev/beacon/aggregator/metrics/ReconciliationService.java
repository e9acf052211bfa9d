package dev.beacon.aggregator.metrics;

import dev.beacon.aggregator.config.AggregatorProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/**
 * Compares, per workspace and UTC day, the events in the log with the calls counted in daily
 * metrics, the calls and cost of the daily metrics with those of the per-day rollups, and those of
 * the hourly metrics with those of the per-hour rollups. All are written in the same transaction,
 * so any difference is a bug; the scheduled check exposes the total as the gauges {@code
 * beacon.aggregator.reconciliation.drift.events} and {@code
 * beacon.aggregator.reconciliation.drift.rollups}.
 */
@Service
public class ReconciliationService {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

  /** Calls and cost per workspace and day of the event log, the day rows and every rollup. */
  private static final String QUERY =
      """
      WITH sums AS (
          SELECT 'events' AS source, workspace_id, (occurred_at AT TIME ZONE 'UTC')::date AS day,
                 count(*) AS n, 0 AS cost
          FROM obs.events
          WHERE occurred_at >= :from AND occurred_at < :to %1$s
          GROUP BY 2, 3
          %2$s)
      SELECT workspace_id, day,
             coalesce(sum(n) FILTER (WHERE source = 'events'), 0) AS logged,
             coalesce(sum(n) FILTER (WHERE source = 'metrics_daily'), 0) AS counted,
             %3$s AS rollups_match
      FROM sums
      GROUP BY 1, 2
      ORDER BY 1, 2
      """;

  /** Calls and cost per workspace and day of one metrics table. */
  private static final String TABLE_SUMS =
      """
      UNION ALL
          SELECT '%1$s', workspace_id, %2$s, sum(calls), sum(cost_nano_usd)
          FROM obs.%1$s
          WHERE %3$s %4$s
          GROUP BY 2, 3
      """;

  /**
   * The rollups (ADR 0010, 0011), each of which must have the totals of the table its name extends:
   * {@code metrics_daily_subject} those of {@code metrics_daily}.
   */
  private static final List<String> ROLLUPS =
      List.of(
          "metrics_daily_subject",
          "metrics_daily_agent",
          "metrics_hourly_subject",
          "metrics_hourly_agent");

  private final DatabaseClient db;
  private final Clock clock;
  private final AggregatorProperties properties;
  private final AtomicLong drift = new AtomicLong();
  private final AtomicLong rollupDrift = new AtomicLong();

  ReconciliationService(
      DatabaseClient db, Clock clock, AggregatorProperties properties, MeterRegistry meters) {
    this.db = db;
    this.clock = clock;
    this.properties = properties;
    Gauge.builder("beacon.aggregator.reconciliation.drift.events", drift, AtomicLong::get)
        .description("Sum over workspaces and recent days of |events logged - calls counted|")
        .register(meters);
    Gauge.builder("beacon.aggregator.reconciliation.drift.rollups", rollupDrift, AtomicLong::get)
        .description("Workspace days whose daily rollups differ from the daily metrics")
        .register(meters);
  }

  /** The earliest day the log still holds completely. */
  LocalDate firstCompleteDay() {
    return LocalDate.ofInstant(clock.instant().minus(properties.retention()), ZoneOffset.UTC)
        .plusDays(1);
  }

  /** Per-day comparison for a workspace, or every workspace when {@code workspaceId} is null. */
  public Flux<DayCheck> check(String workspaceId, LocalDate from, LocalDate toInclusive) {
    String scope = workspaceId == null ? "" : "AND workspace_id = :workspace";
    var spec =
        db.sql(QUERY.formatted(scope, tableSums(scope), rollupsMatch()))
            .bind("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
            .bind("to", toInclusive.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
            .bind("fromDay", from)
            .bind("toDay", toInclusive.plusDays(1));
    if (workspaceId != null) {
      spec = spec.bind("workspace", workspaceId);
    }
    return spec.map(
            (row, meta) -> {
              long logged = ((Number) row.get("logged")).longValue();
              long counted = ((Number) row.get("counted")).longValue();
              return new DayCheck(
                  row.get("workspace_id", String.class),
                  row.get("day", LocalDate.class),
                  logged,
                  counted,
                  logged - counted,
                  Boolean.TRUE.equals(row.get("rollups_match", Boolean.class)));
            })
        .all();
  }

  private static String tableSums(String scope) {
    StringBuilder sums = new StringBuilder();
    for (String table : List.of("metrics_daily", "metrics_hourly")) {
      sums.append(tableSums(table, scope));
    }
    ROLLUPS.forEach(rollup -> sums.append(tableSums(rollup, scope)));
    return sums.toString();
  }

  private static String tableSums(String table, String scope) {
    return table.startsWith("metrics_hourly")
        ? TABLE_SUMS.formatted(
            table,
            "(hour_start AT TIME ZONE 'UTC')::date",
            "hour_start >= :from AND hour_start < :to",
            scope)
        : TABLE_SUMS.formatted(table, "day", "day >= :fromDay AND day < :toDay", scope);
  }

  /** True when every rollup has its table's calls and cost. */
  private static String rollupsMatch() {
    StringJoiner match = new StringJoiner(" AND ");
    for (String rollup : ROLLUPS) {
      match.add(totalsOf(rollup) + " = " + totalsOf(rollup.substring(0, rollup.lastIndexOf('_'))));
    }
    return match.toString();
  }

  private static String totalsOf(String source) {
    return ("(coalesce(sum(n) FILTER (WHERE source = '%1$s'), 0),"
            + " coalesce(sum(cost) FILTER (WHERE source = '%1$s'), 0))")
        .formatted(source);
  }

  @Scheduled(cron = "${beacon.aggregator.reconciliation-cron}", zone = "UTC")
  void scheduled() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate from = today.minusDays(properties.reconciliationDays() - 1L);
    if (from.isBefore(firstCompleteDay())) {
      from = firstCompleteDay();
    }
    List<DayCheck> checks = check(null, from, today).collectList().block(Duration.ofMinutes(1));
    List<DayCheck> days = checks == null ? List.of() : checks;
    long total = days.stream().mapToLong(c -> Math.abs(c.drift())).sum();
    drift.set(total);
    if (total != 0) {
      log.error(
          "Reconciliation drift of {} events: {}",
          total,
          days.stream().filter(c -> c.drift() != 0).toList());
    }
    List<DayCheck> rollupMismatches = days.stream().filter(c -> !c.rollupsMatch()).toList();
    rollupDrift.set(rollupMismatches.size());
    if (!rollupMismatches.isEmpty()) {
      log.error("Rollups differ from the metrics they roll up on {}", rollupMismatches);
    }
  }

  /**
   * One workspace and day.
   *
   * @param eventsLogged events in the log
   * @param eventsCounted calls in daily metrics
   * @param drift logged minus counted; always 0 unless something is broken
   * @param rollupsMatch whether the calls and cost of the day's rollups by subject and by agent
   *     equal those of its daily metrics, and those of its hours' rollups those of its hourly
   *     metrics; always true unless something is broken
   */
  public record DayCheck(
      String workspaceId,
      LocalDate day,
      long eventsLogged,
      long eventsCounted,
      long drift,
      boolean rollupsMatch) {}
}
