package dev.beacon.alert.evaluation;

import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.Comparator;
import dev.beacon.alert.rule.RuleEnums.GroupBy;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleEnums.Window;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Rules for the evaluation's unit tests: {@code gt}, thresholds 10 and 20, no minimum sample, no
 * data ignored, no renotify or cooldown, not snoozed, unless told otherwise.
 */
final class Rules {

  private static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");

  private final Metric metric;
  private final Window window;
  private GroupBy groupBy;
  private Comparator comparator = Comparator.GT;
  private String warning = "10";
  private String critical = "20";
  private int minSample;
  private NoData noData = NoData.IGNORE;
  private int renotifyMinutes;
  private int cooldownMinutes;
  private Instant snoozedUntil;

  private Rules(Metric metric, Window window) {
    this.metric = metric;
    this.window = window;
  }

  static Rules of(Metric metric, Window window) {
    return new Rules(metric, window);
  }

  Rules groupBy(GroupBy by) {
    this.groupBy = by;
    return this;
  }

  Rules comparator(Comparator c) {
    this.comparator = c;
    return this;
  }

  /** Thresholds as decimal strings; {@code null} for none. */
  Rules thresholds(String warningThreshold, String criticalThreshold) {
    this.warning = warningThreshold;
    this.critical = criticalThreshold;
    return this;
  }

  Rules minSample(int calls) {
    this.minSample = calls;
    return this;
  }

  Rules noData(NoData policy) {
    this.noData = policy;
    return this;
  }

  Rules renotify(int minutes) {
    this.renotifyMinutes = minutes;
    return this;
  }

  Rules cooldown(int minutes) {
    this.cooldownMinutes = minutes;
    return this;
  }

  Rules snoozedUntil(Instant until) {
    this.snoozedUntil = until;
    return this;
  }

  Rule build() {
    return new Rule(
        UUID.randomUUID(),
        "ws_test",
        "rule",
        metric,
        Rule.Filters.none(),
        groupBy,
        window,
        comparator,
        warning == null ? null : new BigDecimal(warning),
        critical == null ? null : new BigDecimal(critical),
        minSample,
        noData,
        List.of(new Rule.Channel(UUID.randomUUID(), "in_app", null, "ok", null, 0)),
        renotifyMinutes,
        cooldownMinutes,
        true,
        snoozedUntil,
        CREATED,
        CREATED);
  }
}
