package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.metrics.read.MetricValues.Sums;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The dashboard metrics of one workspace, read from the minute, hourly and daily pre-aggregates
 * only, never from raw events. Hours and days are UTC. Reads by hour and by day use the rollups by
 * agent or by subject whenever the query does not need both (ADR 0010, 0011).
 */
@Component
class MetricsQuery {

  private final DatabaseClient db;

  MetricsQuery(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Today, yesterday, month to date, the average daily cost of the 7 full days before today
   * (rounded down, for people) and the {@linkplain MonthEndProjection projected month-end cost}.
   */
  Mono<Summary> summary(String workspaceId, LocalDate today) {
    LocalDate monthStart = today.withDayOfMonth(1);
    LocalDate trailingStart = today.minusDays(7);
    LocalDate from = monthStart.isBefore(trailingStart) ? monthStart : trailingStart;
    return db.sql(
            "SELECT day, "
                + MetricValues.AGGREGATES
                + " FROM obs.metrics_daily_agent WHERE workspace_id = :workspace"
                + " AND day BETWEEN :from AND :today GROUP BY day")
        .bind("workspace", workspaceId)
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
              long projected =
                  MonthEndProjection.nanoUsd(
                      monthSums.costNanoUsd(), trailingSums.costNanoUsd(), daysLeft);
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

  /** Daily rows of a date range (inclusive), grouped and filtered as {@code filters} say. */
  Mono<Daily> daily(MetricFilters filters, LocalDate from, LocalDate to) {
    String groupBy = filters.groupBy();
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
   * One measure over {@code [from, to)}. Step {@code 1m} reads minute rows; {@code 1h} hourly rows
   * or their rollups; {@code 1d} daily rows or their rollups. A point is a whole hour or day: every
   * hour or day that overlaps {@code [from, to)} has one, the minutes that start in it do.
   */
  Mono<Timeseries> timeseries(
      MetricFilters filters, Step step, String metric, Instant from, Instant to) {
    String groupBy = filters.groupBy();
    String bucket =
        switch (step) {
          case MINUTE -> "minute_start";
          case HOUR -> "hour_start";
          case DAY -> "(day::timestamp AT TIME ZONE 'UTC')";
        };
    String table =
        switch (step) {
          case MINUTE -> "metrics_minute";
          case HOUR -> filters.table("metrics_hourly");
          case DAY -> filters.table("metrics_daily");
        };
    String range =
        switch (step) {
          case MINUTE -> " AND minute_start >= :from AND minute_start < :to";
          case HOUR -> " AND hour_start >= :from AND hour_start < :to";
          case DAY -> " AND day BETWEEN :fromDay AND :toDay";
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
    Instant bucketFrom = step == Step.HOUR ? from.truncatedTo(ChronoUnit.HOURS) : from;
    var spec = filters.bind(db.sql(sql));
    spec =
        step == Step.DAY
            ? spec.bind("fromDay", LocalDate.ofInstant(from, ZoneOffset.UTC))
                .bind("toDay", LocalDate.ofInstant(to, ZoneOffset.UTC))
            : spec.bind("from", bucketFrom.atOffset(ZoneOffset.UTC))
                .bind("to", to.atOffset(ZoneOffset.UTC));
    return spec.map(
            (row, meta) ->
                new Point(
                    row.get("bucket", OffsetDateTime.class).toInstant(),
                    row.get("grp", String.class),
                    Sums.of(row).values().measure(metric)))
        .all()
        .collectList()
        .map(
            points -> {
              Map<String, List<SeriesPoint>> series = new TreeMap<>();
              for (Point point : points) {
                series
                    .computeIfAbsent(groupBy == null ? "" : point.group(), g -> new ArrayList<>())
                    .add(new SeriesPoint(point.time(), point.value()));
              }
              List<Series> out = new ArrayList<>();
              series.forEach(
                  (group, values) -> out.add(new Series(groupBy == null ? null : group, values)));
              return new Timeseries(from, to, step.code(), metric, groupBy, out);
            });
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

  private record Point(Instant time, String group, Object value) {}

  record SeriesPoint(Instant time, Object value) {}

  record Series(String group, List<SeriesPoint> points) {}

  record Timeseries(
      Instant from, Instant to, String step, String metric, String groupBy, List<Series> series) {}
}
