package dev.beacon.aggregator.metrics;

import dev.beacon.aggregator.config.AggregatorProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/**
 * Compares, per workspace and UTC day, the events in the log with the calls counted in daily
 * metrics, and the calls and cost of the daily metrics with those of the per-day rollups. All are
 * written in the same transaction, so any difference is a bug; the scheduled check exposes the
 * total as the gauges {@code beacon.aggregator.reconciliation.drift.events} and {@code
 * beacon.aggregator.reconciliation.drift.rollups}.
 */
@Service
public class ReconciliationService {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

  private static final String QUERY =
      """
      WITH logged AS (
          SELECT workspace_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
          FROM obs.events
          WHERE occurred_at >= :from AND occurred_at < :to %1$s
          GROUP BY 1, 2),
      counted AS (%2$s),
      by_subject AS (%3$s),
      by_agent AS (%4$s)
      SELECT coalesce(l.workspace_id, c.workspace_id, s.workspace_id, a.workspace_id)
                 AS workspace_id,
             coalesce(l.day, c.day, s.day, a.day) AS day,
             coalesce(l.n, 0) AS logged,
             coalesce(c.n, 0) AS counted,
             (coalesce(s.n, 0), coalesce(s.cost, 0), coalesce(a.n, 0), coalesce(a.cost, 0))
                 = (coalesce(c.n, 0), coalesce(c.cost, 0), coalesce(c.n, 0), coalesce(c.cost, 0))
                 AS rollups_match
      FROM logged l
      FULL JOIN counted c ON c.workspace_id = l.workspace_id AND c.day = l.day
      FULL JOIN by_subject s ON s.workspace_id = coalesce(l.workspace_id, c.workspace_id)
          AND s.day = coalesce(l.day, c.day)
      FULL JOIN by_agent a
          ON a.workspace_id = coalesce(l.workspace_id, c.workspace_id, s.workspace_id)
          AND a.day = coalesce(l.day, c.day, s.day)
      ORDER BY 1, 2
      """;

  /** Calls and cost per workspace and day of one daily table. */
  private static final String DAILY_SUMS =
      """
      SELECT workspace_id, day, sum(calls) AS n, sum(cost_nano_usd) AS cost
      FROM obs.%s
      WHERE day >= :fromDay AND day < :toDay %s
      GROUP BY 1, 2""";

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
        db.sql(
                QUERY.formatted(
                    scope,
                    DAILY_SUMS.formatted("metrics_daily", scope),
                    DAILY_SUMS.formatted("metrics_daily_subject", scope),
                    DAILY_SUMS.formatted("metrics_daily_agent", scope)))
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
      log.error("Daily rollups differ from the daily metrics on {}", rollupMismatches);
    }
  }

  /**
   * One workspace and day.
   *
   * @param eventsLogged events in the log
   * @param eventsCounted calls in daily metrics
   * @param drift logged minus counted; always 0 unless something is broken
   * @param rollupsMatch whether the calls and cost of the day's rollups by subject and by agent
   *     equal those of its daily metrics; always true unless something is broken
   */
  public record DayCheck(
      String workspaceId,
      LocalDate day,
      long eventsLogged,
      long eventsCounted,
      long drift,
      boolean rollupsMatch) {}
}
