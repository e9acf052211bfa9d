package dev.beacon.alert.evaluation;

import dev.beacon.events.LatencyBuckets;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric windows the rules need, in memory: per workspace and series {@code (agent, type,
 * subject)}, the latest absolute totals of each minute of the last 25 hours and of each day of the
 * last 40 days, including their latency histograms (so {@code latency_p95_ms} is the percentile of
 * the merged counts over the window). Updates carry absolute totals, so applying one twice, or an
 * old one again during replay, changes nothing.
 */
final class MetricStore {

  /** Minutes kept: the longest rolling window (24 h) plus a margin for late updates. */
  static final Duration MINUTE_RETENTION = Duration.ofHours(25);

  /** Days kept: a calendar month plus the 7 days before it the projection averages over. */
  static final int DAY_RETENTION_DAYS = 40;

  /**
   * One series of a workspace.
   *
   * @param agent agent id ("" if none)
   * @param type event type wire name
   * @param subject provider/model, tool name, … ("" if none)
   */
  record SeriesKey(String agent, String type, String subject) {}

  /**
   * Totals summed over some buckets.
   *
   * @param calls events
   * @param errors error events
   * @param tokens input plus output tokens
   * @param costNanoUsd exact cost
   * @param latencyBuckets merged {@link LatencyBuckets} counts of the buckets that carried a
   *     histogram, or {@code null} when none did
   * @param durationMsMax largest duration in the buckets
   */
  record Sum(
      long calls,
      long errors,
      long tokens,
      long costNanoUsd,
      long[] latencyBuckets,
      long durationMsMax) {
    static final Sum ZERO = new Sum(0, 0, 0, 0, null, 0);

    /** Sums totals; allocates one histogram for the whole set, not one per bucket. */
    static Sum of(Collection<MetricTotals> buckets) {
      long calls = 0;
      long errors = 0;
      long tokens = 0;
      long cost = 0;
      long max = 0;
      long[] latency = null;
      for (MetricTotals t : buckets) {
        calls += t.calls();
        errors += t.errors();
        tokens += t.inputTokens() + t.outputTokens();
        cost += t.costNanoUsd();
        max = Math.max(max, t.durationMsMax());
        if (t.latencyBuckets() != null) {
          if (latency == null) {
            latency = new long[LatencyBuckets.COUNT];
          }
          LatencyBuckets.addInto(latency, t.latencyBuckets());
        }
      }
      return new Sum(calls, errors, tokens, cost, latency, max);
    }

    Sum plus(Sum s) {
      long[] latency = null;
      if (latencyBuckets != null || s.latencyBuckets != null) {
        latency = new long[LatencyBuckets.COUNT];
        LatencyBuckets.addInto(latency, latencyBuckets);
        LatencyBuckets.addInto(latency, s.latencyBuckets);
      }
      return new Sum(
          calls + s.calls,
          errors + s.errors,
          tokens + s.tokens,
          costNanoUsd + s.costNanoUsd,
          latency,
          Math.max(durationMsMax, s.durationMsMax));
    }

    /** The 95th percentile latency, or {@code null} when no bucket carried a duration. */
    Long p95Ms() {
      return LatencyBuckets.quantileMs(latencyBuckets, 0.95, durationMsMax);
    }
  }

  /** The buckets of one series. */
  static final class Series {
    private final NavigableMap<Instant, MetricTotals> minutes = new TreeMap<>();
    private final NavigableMap<LocalDate, MetricTotals> days = new TreeMap<>();

    synchronized void put(
        Instant minute, MetricTotals minuteTotals, LocalDate day, MetricTotals dayTotals) {
      if (minute != null && minuteTotals != null) {
        minutes.put(minute, minuteTotals);
      }
      if (day != null && dayTotals != null) {
        days.put(day, dayTotals);
      }
    }

    /** Sum of the minutes that start at {@code from} or later. */
    synchronized Sum minutesFrom(Instant from) {
      return Sum.of(minutes.tailMap(from, true).values());
    }

    /** Sum of the days {@code from..to}, inclusive. */
    synchronized Sum days(LocalDate from, LocalDate to) {
      if (from.isAfter(to)) {
        return Sum.ZERO;
      }
      return Sum.of(days.subMap(from, true, to, true).values());
    }

    synchronized boolean prune(Instant minutesBefore, LocalDate daysBefore) {
      minutes.headMap(minutesBefore, false).clear();
      days.headMap(daysBefore, false).clear();
      return minutes.isEmpty() && days.isEmpty();
    }
  }

  private final Map<String, Map<SeriesKey, Series>> workspaces = new ConcurrentHashMap<>();

  /** Records the absolute totals of an update, replacing what was there. */
  void apply(MetricUpdate update) {
    if (update.workspaceId() == null || update.type() == null) {
      return;
    }
    SeriesKey key =
        new SeriesKey(
            update.agentId() == null ? "" : update.agentId(),
            update.type().name().toLowerCase(java.util.Locale.ROOT),
            update.subject() == null ? "" : update.subject());
    workspaces
        .computeIfAbsent(update.workspaceId(), ws -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new Series())
        .put(
            update.minuteStart() == null ? null : update.minuteStart().toInstant(),
            update.minuteTotals(),
            update.day(),
            update.dayTotals());
  }

  /** The series of a workspace (a live view). */
  Map<SeriesKey, Series> workspace(String workspaceId) {
    return workspaces.getOrDefault(workspaceId, Map.of());
  }

  /** Forgets buckets no window can reach any more. */
  void prune(Instant now) {
    Instant minutesBefore = now.minus(MINUTE_RETENTION);
    LocalDate daysBefore = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(DAY_RETENTION_DAYS);
    for (Map<SeriesKey, Series> series : workspaces.values()) {
      series.values().removeIf(s -> s.prune(minutesBefore, daysBefore));
    }
    workspaces.values().removeIf(Map::isEmpty);
  }

  /** Workspaces with any data. */
  List<String> workspaceIds() {
    return List.copyOf(workspaces.keySet());
  }
}
