package dev.beacon.alert.evaluation;

import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric windows the rules need, in memory: per workspace and series {@code (agent, type,
 * subject)}, the latest absolute totals of each minute of the last 25 hours and of each day of the
 * last 40 days. Updates carry absolute totals, so applying one twice, or an old one again during
 * replay, changes nothing.
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
   */
  record Sum(long calls, long errors, long tokens, long costNanoUsd) {
    static final Sum ZERO = new Sum(0, 0, 0, 0);

    Sum plus(MetricTotals t) {
      return t == null
          ? this
          : new Sum(
              calls + t.calls(),
              errors + t.errors(),
              tokens + t.inputTokens() + t.outputTokens(),
              costNanoUsd + t.costNanoUsd());
    }

    Sum plus(Sum s) {
      return new Sum(
          calls + s.calls, errors + s.errors, tokens + s.tokens, costNanoUsd + s.costNanoUsd);
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

    /** Sum of the minutes that start after {@code now - length}. */
    synchronized Sum rolling(Instant now, Duration length) {
      Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(length).plus(Duration.ofMinutes(1));
      Sum sum = Sum.ZERO;
      for (MetricTotals totals : minutes.tailMap(from, true).values()) {
        sum = sum.plus(totals);
      }
      return sum;
    }

    /** Sum of the days {@code from..to}, inclusive. */
    synchronized Sum days(LocalDate from, LocalDate to) {
      Sum sum = Sum.ZERO;
      if (from.isAfter(to)) {
        return sum;
      }
      for (MetricTotals totals : days.subMap(from, true, to, true).values()) {
        sum = sum.plus(totals);
      }
      return sum;
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
