package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.metrics.read.MetricValues.Sums;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Dashboard metrics of the caller's workspace, computed from the minute, hourly and daily
 * pre-aggregates only, never from raw events. Hours and days are UTC. Reads by hour and by day use
 * the rollups by agent or by subject whenever the query does not need both (ADR 0010, 0011).
 */
@RestController
@RequestMapping("/api/obs/metrics")
class MetricsController {

  private static final int MAX_DAYS = 400;
  private static final int MAX_POINTS = 3_000;
  private static final Set<String> STEPS = Set.of("1m", "1h", "1d");

  private final DatabaseClient db;
  private final Clock clock;
  private final AggregatorProperties properties;

  MetricsController(DatabaseClient db, Clock clock, AggregatorProperties properties) {
    this.db = db;
    this.clock = clock;
    this.properties = properties;
  }

  /**
   * Today, yesterday, month to date and the projected month-end cost: month to date plus the
   * average daily cost of the 7 full days before today times the days left after today.
   */
  @GetMapping("/summary")
  Mono<Summary> summary(@AuthenticationPrincipal ForwardedIdentity identity) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate monthStart = today.withDayOfMonth(1);
    LocalDate trailingStart = today.minusDays(7);
    LocalDate from = monthStart.isBefore(trailingStart) ? monthStart : trailingStart;
    return db.sql(
            "SELECT day, "
                + MetricValues.AGGREGATES
                + " FROM obs.metrics_daily_agent WHERE workspace_id = :workspace"
                + " AND day BETWEEN :from AND :today GROUP BY day")
        .bind("workspace", identity.workspaceId())
        .bind("from", from)
        .bind("today", today)
        .map((row, meta) -> Map.entry(row.get("day", LocalDate.class), Sums.of(row)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .map(
            byDay -> {
              Sums todaySums = new Sums();
              Sums yesterdaySums = new Sums();
              Sums monthSums = new Sums();
              Sums trailingSums = new Sums();
              byDay.forEach(
                  (day, sums) -> {
                    if (day.equals(today)) {
                      todaySums.add(sums);
                    }
                    if (day.equals(today.minusDays(1))) {
                      yesterdaySums.add(sums);
                    }
                    if (!day.isBefore(monthStart)) {
                      monthSums.add(sums);
                    }
                    if (!day.isBefore(trailingStart) && day.isBefore(today)) {
                      trailingSums.add(sums);
                    }
                  });
              long dailyAverage = trailingSums.costNanoUsd() / 7;
              long daysLeft = today.lengthOfMonth() - today.getDayOfMonth();
              long projected = monthSums.costNanoUsd() + dailyAverage * daysLeft;
              return new Summary(
                  today,
                  todaySums.values(),
                  yesterdaySums.values(),
                  monthSums.values(),
                  dailyAverage,
                  MetricValues.usd(dailyAverage),
                  projected,
                  MetricValues.usd(projected));
            });
  }

  /** Daily rows of a date range (inclusive), optionally grouped and filtered. */
  @GetMapping("/daily")
  Mono<Daily> daily(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate from = Params.date("from", query.getFirst("from"), today.minusDays(29));
    LocalDate to = Params.date("to", query.getFirst("to"), today);
    Params.range(
        "from", "to", !from.isAfter(to), ChronoUnit.DAYS.between(from, to) + 1, MAX_DAYS, "days");
    String groupBy =
        Params.oneOf("group_by", query.getFirst("group_by"), MetricFilters.GROUPS, null);
    MetricFilters filters = new MetricFilters(identity.workspaceId(), groupBy, query);
    String sql =
        "SELECT day, "
            + filters.groupExpression()
            + " AS grp, "
            + MetricValues.AGGREGATES
            + " FROM obs."
            + filters.table("metrics_daily")
            + " WHERE "
            + filters.where()
            + " AND day BETWEEN :from AND :to GROUP BY day, grp ORDER BY day, grp";
    return filters
        .bind(db.sql(sql))
        .bind("from", from)
        .bind("to", to)
        .map(
            (row, meta) ->
                new DailyRow(
                    row.get("day", LocalDate.class),
                    groupBy == null ? null : row.get("grp", String.class),
                    Sums.of(row).values()))
        .all()
        .collectList()
        .map(rows -> new Daily(from, to, groupBy, rows));
  }

  /**
   * One measure over time. Step {@code 1m} reads minute rows, kept for {@code
   * beacon.aggregator.minute-retention}; {@code 1h} reads hourly rows or their rollups, kept for
   * {@code beacon.aggregator.hourly-retention}; {@code 1d} reads daily rows or their rollups. A
   * point is a whole hour or day: every hour or day that overlaps {@code [from, to)} has one, the
   * minutes that start in it do.
   */
  @GetMapping("/timeseries")
  Mono<Timeseries> timeseries(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    String step = Params.oneOf("step", query.getFirst("step"), STEPS, "1h");
    String metric =
        Params.oneOf("metric", query.getFirst("metric"), MetricValues.MEASURES, "calls");
    String groupBy =
        Params.oneOf("group_by", query.getFirst("group_by"), MetricFilters.GROUPS, null);
    Instant now = clock.instant();
    Duration stepLength =
        switch (step) {
          case "1m" -> Duration.ofMinutes(1);
          case "1h" -> Duration.ofHours(1);
          default -> Duration.ofDays(1);
        };
    Instant to = Params.instant("to", query.getFirst("to"), now);
    Instant from =
        Params.instant(
            "from",
            query.getFirst("from"),
            to.minus(stepLength.multipliedBy(step.equals("1d") ? 30 : 60)));
    long points = Duration.between(from, to).dividedBy(stepLength);
    Params.range("from", "to", from.isBefore(to), points, MAX_POINTS, "steps of " + step);
    if (step.equals("1m") && from.isBefore(now.minus(properties.minuteRetention()))) {
      throw Params.invalid(
          "Steps of 1m reach back "
              + properties.minuteRetention().toHours()
              + " hours; use step=1h or step=1d for older data.");
    }
    if (step.equals("1h") && from.isBefore(now.minus(properties.hourlyRetention()))) {
      throw Params.invalid(
          "Steps of 1h reach back "
              + properties.hourlyRetention().toHours()
              + " hours; use step=1d for older data.");
    }
    MetricFilters filters = new MetricFilters(identity.workspaceId(), groupBy, query);
    String bucket =
        switch (step) {
          case "1m" -> "minute_start";
          case "1h" -> "hour_start";
          default -> "(day::timestamp AT TIME ZONE 'UTC')";
        };
    String table =
        switch (step) {
          case "1m" -> "metrics_minute";
          case "1h" -> filters.table("metrics_hourly");
          default -> filters.table("metrics_daily");
        };
    Instant bucketFrom = step.equals("1h") ? from.truncatedTo(ChronoUnit.HOURS) : from;
    String range =
        switch (step) {
          case "1m" -> " AND minute_start >= :from AND minute_start < :to";
          case "1h" -> " AND hour_start >= :from AND hour_start < :to";
          default -> " AND day BETWEEN :fromDay AND :toDay";
        };
    String sql =
        "SELECT "
            + bucket
            + " AS bucket, "
            + filters.groupExpression()
            + " AS grp, "
            + (MetricValues.PERCENTILE_MEASURES.contains(metric)
                ? MetricValues.AGGREGATES
                : MetricValues.AGGREGATES_WITHOUT_PERCENTILES)
            + " FROM obs."
            + table
            + " WHERE "
            + filters.where()
            + range
            + " GROUP BY bucket, grp ORDER BY bucket, grp";
    var spec = filters.bind(db.sql(sql));
    spec =
        step.equals("1d")
            ? spec.bind("fromDay", LocalDate.ofInstant(from, ZoneOffset.UTC))
                .bind("toDay", LocalDate.ofInstant(to, ZoneOffset.UTC))
            : spec.bind("from", bucketFrom.atOffset(ZoneOffset.UTC))
                .bind("to", to.atOffset(ZoneOffset.UTC));
    return spec.map(
            (row, meta) ->
                new Point(
                    row.get("bucket", java.time.OffsetDateTime.class).toInstant(),
                    row.get("grp", String.class),
                    Sums.of(row).values().measure(metric)))
        .all()
        .collectList()
        .map(
            points1 -> {
              Map<String, List<SeriesPoint>> series = new TreeMap<>();
              for (Point point : points1) {
                series
                    .computeIfAbsent(groupBy == null ? "" : point.group(), g -> new ArrayList<>())
                    .add(new SeriesPoint(point.time(), point.value()));
              }
              List<Series> out = new ArrayList<>();
              series.forEach(
                  (group, values) -> out.add(new Series(groupBy == null ? null : group, values)));
              return new Timeseries(from, to, step, metric, groupBy, out);
            });
  }

  /** Reliability scorecard: per tool and per service operation over a date range. */
  static Mono<List<ToolScore>> tools(
      DatabaseClient db, Clock clock, String workspaceId, MultiValueMap<String, String> query) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate from = Params.date("from", query.getFirst("from"), today.minusDays(6));
    LocalDate to = Params.date("to", query.getFirst("to"), today);
    Params.range(
        "from", "to", !from.isAfter(to), ChronoUnit.DAYS.between(from, to) + 1, MAX_DAYS, "days");
    return db.sql(
            "SELECT type, subject, count(DISTINCT agent_id) FILTER (WHERE calls > 0) AS agents, "
                + MetricValues.AGGREGATES
                + " FROM obs.metrics_daily WHERE workspace_id = :workspace"
                + " AND type IN ('tool_call', 'service_call') AND day BETWEEN :from AND :to"
                + " GROUP BY type, subject ORDER BY sum(errors) DESC, sum(calls) DESC, subject")
        .bind("workspace", workspaceId)
        .bind("from", from)
        .bind("to", to)
        .map(
            (row, meta) -> {
              MetricValues values = Sums.of(row).values();
              return new ToolScore(
                  row.get("type", String.class),
                  row.get("subject", String.class),
                  values.calls(),
                  values.errors(),
                  values.errorRate(),
                  values.p50Ms(),
                  values.p95Ms(),
                  ((Number) row.get("agents")).longValue());
            })
        .all()
        .collectList();
  }

  record Summary(
      LocalDate today,
      MetricValues todayTotals,
      MetricValues yesterday,
      MetricValues monthToDate,
      long trailing7DayAverageCostNanoUsd,
      String trailing7DayAverageCostUsd,
      long projectedMonthEndCostNanoUsd,
      String projectedMonthEndCostUsd) {}

  record DailyRow(LocalDate day, String group, MetricValues metrics) {}

  record Daily(LocalDate from, LocalDate to, String groupBy, List<DailyRow> rows) {}

  record Point(Instant time, String group, Object value) {}

  record SeriesPoint(Instant time, Object value) {}

  record Series(String group, List<SeriesPoint> points) {}

  record Timeseries(
      Instant from, Instant to, String step, String metric, String groupBy, List<Series> series) {}

  /**
   * One tool or service operation.
   *
   * @param type {@code tool_call} or {@code service_call}
   * @param name tool name, or service/operation
   */
  record ToolScore(
      String type,
      String name,
      long calls,
      long errors,
      double errorRate,
      Long p50Ms,
      Long p95Ms,
      long agentsAffected) {}
}
