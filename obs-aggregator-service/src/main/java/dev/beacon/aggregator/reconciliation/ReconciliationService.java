package dev.beacon.aggregator.reconciliation;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.entitlements.WorkspaceEntitlements;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks that the event log and every metrics table tell the same story (ADR 0012). All are written
 * in one transaction, so any difference is a bug.
 *
 * <ul>
 *   <li>{@link #check}, behind {@code GET /api/obs/reconciliation}: one workspace's events per UTC
 *       day against its daily metrics, and the rollups against the tables they roll up.
 *   <li>{@link #checkLog}, every minute: the events of the minute that closed two minutes ago, and
 *       of the minute an hour before that, against their minute rows, for every workspace: a read
 *       of those minutes through the log's {@code (workspace_id, occurred_at)} index, paced, never
 *       of a whole day.
 *   <li>{@link #checkMetrics}, hourly: without the log, the hour that closed in minute rows against
 *       its hour rows, and the recent days' hour rows against their day rows, each with its
 *       rollups.
 * </ul>
 *
 * The scheduled checks feed the gauges {@code beacon.aggregator.reconciliation.drift.events} and
 * {@code beacon.aggregator.reconciliation.drift.rollups}.
 */
@Service
class ReconciliationService {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

  /** The event log as a source: events instead of calls, no cost. */
  static final String EVENTS = "events";

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

  /** How many slices of a minute the log check counts one after another. */
  static final int PIECES = 6;

  private static final List<String> HOURLY_ROLLUPS =
      ROLLUPS.stream().filter(r -> r.startsWith("metrics_hourly")).toList();

  /**
   * Every workspace with events or metrics: loose scans of the dedupe table's and the daily table's
   * keys, one probe per workspace each. Each check reads the tables for exactly these, through
   * their keys, which start with the workspace.
   */
  private static final String WORKSPACES =
      """
      WITH RECURSIVE logged(id) AS (
          SELECT min(workspace_id) FROM obs.event_ids
          UNION ALL
          SELECT (SELECT min(workspace_id) FROM obs.event_ids WHERE workspace_id > logged.id)
          FROM logged WHERE logged.id IS NOT NULL),
      counted(id) AS (
          SELECT min(workspace_id) FROM obs.metrics_daily
          UNION ALL
          SELECT (SELECT min(workspace_id) FROM obs.metrics_daily WHERE workspace_id > counted.id)
          FROM counted WHERE counted.id IS NOT NULL)
      SELECT id FROM logged WHERE id IS NOT NULL
      UNION
      SELECT id FROM counted WHERE id IS NOT NULL
      """;

  private final DatabaseClient db;
  private final TransactionalOperator serial;
  private final Clock clock;
  private final AggregatorProperties properties;
  private final WorkspaceEntitlements entitlements;

  /** |events - minute calls| per checked minute, for the minutes checked in the last two hours. */
  private final Map<Instant, Long> minuteDrift = new ConcurrentHashMap<>();

  private final AtomicLong rollupDrift = new AtomicLong();
  private final Timer logCheckTime;
  private final Timer metricsCheckTime;

  ReconciliationService(
      DatabaseClient db,
      ConnectionFactory connections,
      Clock clock,
      AggregatorProperties properties,
      WorkspaceEntitlements entitlements,
      MeterRegistry meters) {
    this.db = db;
    this.entitlements = entitlements;
    this.serial = TransactionalOperator.create(new R2dbcTransactionManager(connections));
    this.clock = clock;
    this.properties = properties;
    Gauge.builder("beacon.aggregator.reconciliation.drift.events", this, s -> s.eventDrift())
        .description(
            "Sum over workspaces and the minutes checked in the last two hours of |events logged"
                + " - calls counted in minute rows|")
        .register(meters);
    Gauge.builder("beacon.aggregator.reconciliation.drift.rollups", rollupDrift, AtomicLong::get)
        .description(
            "Workspace hours and days of the last hourly check whose minute, hour or day rows or"
                + " rollups do not add up")
        .register(meters);
    logCheckTime = checkTimer("log", meters);
    metricsCheckTime = checkTimer("metrics", meters);
  }

  private static Timer checkTimer(String check, MeterRegistry meters) {
    return Timer.builder("beacon.aggregator.reconciliation.duration")
        .description("How long a scheduled reconciliation run takes")
        .tag("check", check)
        .register(meters);
  }

  /** The earliest day the log still holds completely for the workspace, by its plan's retention. */
  LocalDate firstCompleteDay(String workspaceId) {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC))
        .minusDays(entitlements.of(workspaceId).retentionDays());
  }

  // --- on demand: one workspace, per day, against the log -----------------------------------

  /** Per-day comparison for one workspace. */
  public Flux<DayCheck> check(String workspaceId, LocalDate from, LocalDate toInclusive) {
    List<Source> sources = new ArrayList<>(daySources());
    sources.add(Source.events("1 day"));
    Instant start = from.atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant end = toInclusive.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    String scope = "workspace_id = :workspace";
    return sums(sources, start, end, scope, Map.of("workspace", workspaceId))
        .map(
            slice -> {
              long logged = slice.totals(EVENTS).calls();
              long counted = slice.totals("metrics_daily").calls();
              return new DayCheck(
                  slice.workspaceId(),
                  LocalDate.ofInstant(slice.start(), ZoneOffset.UTC),
                  logged,
                  counted,
                  logged - counted,
                  ROLLUPS.stream().allMatch(rollup -> slice.adds(rollup, base(rollup))));
            });
  }

  // --- every minute: two closed minutes against the log --------------------------------------

  @Scheduled(cron = "${beacon.aggregator.reconciliation-log-cron}", zone = "UTC")
  void scheduledLogCheck() {
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    for (Duration age : List.of(Duration.ofMinutes(3), Duration.ofMinutes(63))) {
      logCheckTime.record(() -> checkLog(minute.minus(age)).block(Duration.ofMinutes(5)));
    }
  }

  /**
   * Compares the events that occurred in the minute starting at {@code minute} with the calls of
   * its minute rows, per workspace; records the total difference for the gauge and returns the
   * workspaces that differ.
   *
   * <p>The log is counted in {@link #PIECES} slices of the minute, one after another, each followed
   * by a pause as long as it took: at 10,000 events/s a minute is 600,000 events, and one statement
   * counting them held a core for up to 5 s on the two-core local stack (docs/benchmarks.md, run
   * S9-2), while the pipeline needs both. The pieces see different snapshots, so a late event
   * committed meanwhile can make them differ from the minute rows; any difference is therefore
   * counted again in one statement (one snapshot) before it is reported.
   */
  public Mono<List<Mismatch>> checkLog(Instant minute) {
    Instant next = minute.plus(1, ChronoUnit.MINUTES);
    String scope = "workspace_id = ANY(:workspaces)";
    return workspaces()
        .flatMap(
            workspaces -> {
              Map<String, Object> binds = Map.of("workspaces", workspaces);
              Mono<Map<String, Long>> logged = loggedInSlices(minute, scope, binds);
              Mono<Map<String, Long>> counted =
                  sums(List.of(Source.minute("1 minute")), minute, next, scope, binds)
                      .collect(
                          Collectors.toMap(
                              Slice::workspaceId,
                              slice -> slice.totals("metrics_minute").calls(),
                              Long::sum));
              return logged
                  .zipWhen(byWorkspace -> counted)
                  .flatMap(
                      totals ->
                          totals.getT1().equals(totals.getT2())
                              ? Mono.just(List.<Mismatch>of())
                              : sums(
                                      List.of(Source.events("1 minute"), Source.minute("1 minute")),
                                      minute,
                                      next,
                                      scope,
                                      binds)
                                  .filter(slice -> !slice.adds(EVENTS, "metrics_minute"))
                                  .map(slice -> slice.mismatch(EVENTS, "metrics_minute"))
                                  .collectList());
            })
        .doOnNext(
            mismatches -> {
              long drift =
                  mismatches.stream()
                      .mapToLong(m -> Math.abs(m.totals().calls() - m.expected().calls()))
                      .sum();
              minuteDrift.put(minute, drift);
              minuteDrift.keySet().removeIf(m -> m.isBefore(minute.minus(Duration.ofHours(2))));
              if (drift != 0) {
                log.error(
                    "Reconciliation: {} events differ between the log and the minute rows of {}:"
                        + " {}",
                    drift,
                    minute,
                    mismatches);
              }
            });
  }

  /**
   * The events of each workspace in the minute starting at {@code minute}, counted in {@link
   * #PIECES} slices one after another, each followed by a pause as long as it took.
   */
  private Mono<Map<String, Long>> loggedInSlices(
      Instant minute, String scope, Map<String, Object> binds) {
    Duration piece = Duration.ofMinutes(1).dividedBy(PIECES);
    AtomicLong lastPieceNanos = new AtomicLong();
    return Flux.range(0, PIECES)
        .concatMap(
            i ->
                Mono.delay(Duration.ofNanos(lastPieceNanos.get()))
                    .thenMany(
                        Flux.defer(
                            () -> {
                              long start = System.nanoTime();
                              return sums(
                                      List.of(Source.events("1 minute")),
                                      minute.plus(piece.multipliedBy(i)),
                                      minute.plus(piece.multipliedBy(i + 1L)),
                                      scope,
                                      binds)
                                  .doOnComplete(
                                      () -> lastPieceNanos.set(System.nanoTime() - start));
                            })))
        .collect(
            Collectors.groupingBy(
                Slice::workspaceId, Collectors.summingLong(slice -> slice.totals(EVENTS).calls())));
  }

  private long eventDrift() {
    return minuteDrift.values().stream().mapToLong(Long::longValue).sum();
  }

  // --- hourly: the metrics tables against each other -----------------------------------------

  @Scheduled(cron = "${beacon.aggregator.reconciliation-cron}", zone = "UTC")
  void scheduledMetricsCheck() {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    metricsCheckTime.record(
        () ->
            checkMetrics(hour, today.minusDays(properties.reconciliationDays() - 1L), today)
                .block(Duration.ofMinutes(1)));
  }

  /**
   * Without the log: the minute rows of the hour starting at {@code hour} against its hour rows,
   * and for the days {@code from}–{@code toInclusive} whose hours are all kept, the hour rows
   * against the day rows; each table with its rollups. Records the number of differing workspace
   * hours and days for the gauge and returns them.
   */
  public Mono<List<Mismatch>> checkMetrics(Instant hour, LocalDate from, LocalDate toInclusive) {
    LocalDate firstHourlyDay =
        LocalDate.ofInstant(clock.instant().minus(properties.hourlyRetention()), ZoneOffset.UTC)
            .plusDays(1);
    LocalDate fromDay = from.isBefore(firstHourlyDay) ? firstHourlyDay : from;
    return workspaces()
        .flatMapMany(
            workspaces -> {
              Map<String, Object> binds = Map.of("workspaces", workspaces);
              String scope = "workspace_id = ANY(:workspaces)";
              List<Source> hourSources = new ArrayList<>();
              hourSources.add(Source.minute("1 hour"));
              hourSources.add(Source.hourly("metrics_hourly", "1 hour"));
              HOURLY_ROLLUPS.forEach(rollup -> hourSources.add(Source.of(rollup, "1 hour")));
              Flux<Mismatch> hours =
                  sums(hourSources, hour, hour.plus(1, ChronoUnit.HOURS), scope, binds)
                      .flatMapIterable(
                          slice ->
                              slice.mismatches(
                                  pairs("metrics_minute", "metrics_hourly", HOURLY_ROLLUPS)));
              if (fromDay.isAfter(toInclusive)) {
                return hours;
              }
              Flux<Mismatch> days =
                  sums(
                          daySources(),
                          fromDay.atStartOfDay().toInstant(ZoneOffset.UTC),
                          toInclusive.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                          scope,
                          binds)
                      .flatMapIterable(
                          slice ->
                              slice.mismatches(pairs("metrics_hourly", "metrics_daily", ROLLUPS)));
              return Flux.concat(hours, days);
            })
        .collectList()
        .doOnNext(
            mismatches -> {
              long slices =
                  mismatches.stream()
                      .map(m -> m.workspaceId() + "@" + m.start())
                      .distinct()
                      .count();
              rollupDrift.set(slices);
              if (slices != 0) {
                log.error("Reconciliation: metrics that do not add up: {}", mismatches);
              }
            });
  }

  /** The day rows, the hour rows and every rollup, per UTC day. */
  private static List<Source> daySources() {
    List<Source> sources = new ArrayList<>();
    sources.add(Source.daily("metrics_daily"));
    sources.add(Source.hourly("metrics_hourly", "1 day"));
    ROLLUPS.forEach(rollup -> sources.add(Source.of(rollup, "1 day")));
    return sources;
  }

  /** {@code finer} must add up to {@code coarser}, and each rollup to its base table. */
  private static Map<String, String> pairs(String finer, String coarser, List<String> rollups) {
    Map<String, String> pairs = new LinkedHashMap<>();
    pairs.put(finer, coarser);
    rollups.forEach(rollup -> pairs.put(rollup, base(rollup)));
    return pairs;
  }

  /** The table a rollup rolls up: its name without the last suffix. */
  private static String base(String rollup) {
    return rollup.substring(0, rollup.lastIndexOf('_'));
  }

  private Mono<String[]> workspaces() {
    return db.sql(WORKSPACES)
        .map(row -> row.get("id", String.class))
        .all()
        .collectList()
        .map(ids -> ids.toArray(String[]::new));
  }

  // --- the sums every check compares ---------------------------------------------------------

  /**
   * One query: each source's calls and cost per workspace and slice in {@code [from, to)}, its rows
   * restricted by {@code scope} (a condition on the workspace, which every key starts with). It
   * runs without parallel workers: on a small machine they would take every core from the pipeline
   * for as long as the query runs.
   */
  private Flux<Slice> sums(
      List<Source> sources,
      Instant from,
      Instant to,
      String scope,
      Map<String, Object> scopeBinds) {
    String sql =
        sources.stream()
            .map(source -> source.select(scope))
            .collect(Collectors.joining("\nUNION ALL\n"));
    Map<String, Object> binds = new LinkedHashMap<>(scopeBinds);
    binds.put("from", from.atOffset(ZoneOffset.UTC));
    binds.put("to", to.atOffset(ZoneOffset.UTC));
    binds.put("fromDay", LocalDate.ofInstant(from, ZoneOffset.UTC));
    binds.put("toDay", LocalDate.ofInstant(to, ZoneOffset.UTC));
    var spec = db.sql(sql);
    for (Map.Entry<String, Object> bind : binds.entrySet()) {
      if (Pattern.compile(":" + bind.getKey() + "\\b").matcher(sql).find()) {
        spec = spec.bind(bind.getKey(), bind.getValue());
      }
    }
    Flux<Row> rows =
        spec.map(
                row ->
                    new Row(
                        row.get("source", String.class),
                        row.get("workspace_id", String.class),
                        row.get("slice", OffsetDateTime.class).toInstant(),
                        new Totals(
                            ((Number) row.get("n")).longValue(),
                            ((Number) row.get("cost")).longValue())))
            .all();
    return db.sql("SET LOCAL max_parallel_workers_per_gather = 0")
        .then()
        .thenMany(rows)
        .collectList()
        .as(serial::transactional)
        .flatMapIterable(ReconciliationService::slices);
  }

  private static List<Slice> slices(List<Row> rows) {
    Map<String, Map<Instant, Map<String, Totals>>> byWorkspace = new TreeMap<>();
    for (Row row : rows) {
      byWorkspace
          .computeIfAbsent(row.workspaceId(), w -> new TreeMap<>())
          .computeIfAbsent(row.start(), s -> new LinkedHashMap<>())
          .put(row.source(), row.totals());
    }
    List<Slice> slices = new ArrayList<>();
    byWorkspace.forEach(
        (workspace, starts) ->
            starts.forEach((start, totals) -> slices.add(new Slice(workspace, start, totals))));
    return slices;
  }

  /**
   * A table (or the log) summed per workspace and slice of time.
   *
   * @param name the table (or {@link #EVENTS})
   * @param slice the SQL of the slice's start, a {@code timestamptz}
   * @param range the SQL that keeps the rows in {@code [:from, :to)} (or the days)
   * @param measures the SQL of the count and the cost
   */
  private record Source(String name, String slice, String range, String measures) {

    private static final String CALLS = "sum(calls) AS n, sum(cost_nano_usd) AS cost";

    static Source events(String stride) {
      return new Source(
          EVENTS,
          bin(stride, "occurred_at"),
          "occurred_at >= :from AND occurred_at < :to",
          "count(*) AS n, 0 AS cost");
    }

    static Source minute(String stride) {
      return new Source(
          "metrics_minute",
          bin(stride, "minute_start"),
          "minute_start >= :from AND minute_start < :to",
          CALLS);
    }

    static Source hourly(String table, String stride) {
      return new Source(
          table, bin(stride, "hour_start"), "hour_start >= :from AND hour_start < :to", CALLS);
    }

    static Source daily(String table) {
      return new Source(
          table, "day::timestamp AT TIME ZONE 'UTC'", "day >= :fromDay AND day < :toDay", CALLS);
    }

    /** A rollup, by its name's table. */
    static Source of(String rollup, String stride) {
      return rollup.startsWith("metrics_hourly") ? hourly(rollup, stride) : daily(rollup);
    }

    private static String bin(String stride, String column) {
      return "date_bin('" + stride + "', " + column + ", TIMESTAMPTZ '1970-01-01 00:00:00+00')";
    }

    String select(String scope) {
      return "SELECT '%s' AS source, workspace_id, %s AS slice, %s FROM obs.%s WHERE %s AND %s GROUP BY 2, 3"
          .formatted(name, slice, measures, name, range, scope);
    }
  }

  private record Row(String source, String workspaceId, Instant start, Totals totals) {}

  /** Calls (events, for the log) and cost in nano-USD. */
  record Totals(long calls, long cost) {

    static final Totals NONE = new Totals(0, 0);
  }

  /** One workspace's sums per source over one slice of time. */
  private record Slice(String workspaceId, Instant start, Map<String, Totals> bySource) {

    Totals totals(String source) {
      return bySource.getOrDefault(source, Totals.NONE);
    }

    /**
     * Whether {@code part}'s rows add up to {@code whole}'s: the calls, and the cost if both have
     * one.
     */
    boolean adds(String part, String whole) {
      Totals a = totals(part);
      Totals b = totals(whole);
      return a.calls() == b.calls()
          && (part.equals(EVENTS) || whole.equals(EVENTS) || a.cost() == b.cost());
    }

    Mismatch mismatch(String part, String whole) {
      return new Mismatch(workspaceId, start, part, totals(part), whole, totals(whole));
    }

    List<Mismatch> mismatches(Map<String, String> pairs) {
      return pairs.entrySet().stream()
          .filter(pair -> !adds(pair.getKey(), pair.getValue()))
          .map(pair -> mismatch(pair.getKey(), pair.getValue()))
          .toList();
    }
  }

  /**
   * A slice of one workspace where {@code source}'s totals differ from {@code expectedSource}'s.
   *
   * @param start the slice's start (a minute, an hour or a UTC day)
   */
  record Mismatch(
      String workspaceId,
      Instant start,
      String source,
      Totals totals,
      String expectedSource,
      Totals expected) {}

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
  record DayCheck(
      String workspaceId,
      LocalDate day,
      long eventsLogged,
      long eventsCounted,
      long drift,
      boolean rollupsMatch) {}
}
