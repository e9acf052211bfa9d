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

/** Rules for the evaluation's unit tests, built as the validator would ({@code gt}, no snooze). */
record Rules(
    Metric metric,
    Window window,
    GroupBy groupBy,
    String warning,
    String critical,
    int minSample,
    NoData noData,
    int renotifyMinutes,
    int cooldownMinutes,
    Instant snoozedUntil) {

  static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");

  /**
   * A rule on {@code metric} over {@code window}, thresholds 10 and 20, no renotify or cooldown.
   */
  static Rules of(Metric metric, Window window) {
    return new Rules(metric, window, null, "10", "20", 0, NoData.IGNORE, 0, 0, null);
  }

  Rules groupBy(GroupBy by) {
    return new Rules(
        metric,
        window,
        by,
        warning,
        critical,
        minSample,
        noData,
        renotifyMinutes,
        cooldownMinutes,
        snoozedUntil);
  }

  Rules thresholds(String warningThreshold, String criticalThreshold) {
    return new Rules(
        metric,
        window,
        groupBy,
        warningThreshold,
        criticalThreshold,
        minSample,
        noData,
        renotifyMinutes,
        cooldownMinutes,
        snoozedUntil);
  }

  Rules minSample(int calls) {
    return new Rules(
        metric,
        window,
        groupBy,
        warning,
        critical,
        calls,
        noData,
        renotifyMinutes,
        cooldownMinutes,
        snoozedUntil);
  }

  Rules noData(NoData policy) {
    return new Rules(
        metric,
        window,
        groupBy,
        warning,
        critical,
        minSample,
        policy,
        renotifyMinutes,
        cooldownMinutes,
        snoozedUntil);
  }

  Rules renotify(int minutes) {
    return new Rules(
        metric,
        window,
        groupBy,
        warning,
        critical,
        minSample,
        noData,
        minutes,
        cooldownMinutes,
        snoozedUntil);
  }

  Rules cooldown(int minutes) {
    return new Rules(
        metric,
        window,
        groupBy,
        warning,
        critical,
        minSample,
        noData,
        renotifyMinutes,
        minutes,
        snoozedUntil);
  }

  Rules snoozedUntil(Instant until) {
    return new Rules(
        metric,
        window,
        groupBy,
        warning,
        critical,
        minSample,
        noData,
        renotifyMinutes,
        cooldownMinutes,
        until);
  }

  Rule build() {
    return new Rule(
        UUID.nameUUIDFromBytes((metric + "/" + window + "/" + groupBy).getBytes()),
        "ws_test",
        "rule",
        metric,
        Rule.Filters.none(),
        groupBy,
        window,
        Comparator.GT,
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
