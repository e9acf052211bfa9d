package dev.beacon.alert.preview;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.Window;
import dev.beacon.alert.rule.RuleJson.ChannelJson;
import dev.beacon.alert.rule.RuleJson.RuleRequest;
import dev.beacon.alert.rule.RuleValidator;
import dev.beacon.alert.rule.SlackUrlPolicy;
import dev.beacon.identity.ForwardedIdentity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/obs/alerts/rules/preview}: a backtest of a draft rule against the aggregator's
 * history. Rolling windows are replayed at the aggregator's minute resolution ({@code 1m} steps for
 * 5m and 15m, {@code 1h} steps for 1h and 24h) over the last 48 hours, which is as far back as
 * minute rows are kept; calendar windows and the projection at day resolution over the last 7 days.
 * The rule is evaluated at the end of every step with the same thresholds, minimum sample and
 * cooldown as live; the answer lists when it would have fired and resolved.
 */
@RestController
class PreviewController {

  /** One would-be transition. */
  record Firing(Instant at, String group, String state, String value, String threshold) {}

  /** The backtest. */
  record Preview(Instant from, Instant to, List<Firing> firings) {}

  private static final Duration MINUTE_HISTORY = Duration.ofHours(47);
  private static final int DAY_HISTORY = 7;

  private final AggregatorClient aggregator;
  private final RuleValidator validator;
  private final AlertProperties properties;
  private final Clock clock;

  PreviewController(AlertProperties properties, Clock clock) {
    this.aggregator = new AggregatorClient(properties);
    this.validator = new RuleValidator(new SlackUrlPolicy(properties.slack().allowedUrlPrefixes()));
    this.properties = properties;
    this.clock = clock;
  }

  @PostMapping("/api/obs/alerts/rules/preview")
  Mono<Preview> preview(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestHeader(ForwardedIdentity.HEADER) String identityToken,
      @RequestBody RuleRequest request) {
    RuleRequest draft =
        request != null && (request.channels() == null || request.channels().isEmpty())
            ? withInAppChannel(request)
            : request;
    Instant now = clock.instant();
    Rule rule = validator.validate(draft, UUID.randomUUID(), identity.workspaceId(), null, now);
    boolean daily = rule.window().rolling() == null;
    Duration step =
        daily
            ? Duration.ofDays(1)
            : rule.window().rolling().compareTo(Duration.ofHours(1)) < 0
                ? Duration.ofMinutes(1)
                : Duration.ofHours(1);
    Instant to = now;
    Instant from =
        daily
            ? LocalDate.ofInstant(now, ZoneOffset.UTC)
                .minusDays(DAY_HISTORY)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
            : now.minus(MINUTE_HISTORY).truncatedTo(ChronoUnit.HOURS);
    String stepName = daily ? "1d" : step.equals(Duration.ofMinutes(1)) ? "1m" : "1h";
    Mono<Map<String, TreeMap<Instant, BigDecimal>>> calls =
        fetch(identityToken, rule, "calls", stepName, from, to);
    Mono<Map<String, TreeMap<Instant, BigDecimal>>> measure =
        switch (rule.metric()) {
          case COST_USD, PROJECTED_MONTH_COST_USD ->
              fetch(identityToken, rule, "cost_nano_usd", stepName, from, to);
          case TOKENS -> fetch(identityToken, rule, "tokens", stepName, from, to);
          case ERRORS, ERROR_RATE -> fetch(identityToken, rule, "errors", stepName, from, to);
          case LATENCY_P95_MS -> fetch(identityToken, rule, "p95_ms", stepName, from, to);
          case CALLS, NO_EVENTS -> calls;
        };
    return Mono.zip(calls, measure)
        .map(t -> new Preview(from, to, simulate(rule, t.getT1(), t.getT2(), from, to, step)));
  }

  private static RuleRequest withInAppChannel(RuleRequest r) {
    return new RuleRequest(
        r.name(),
        r.metric(),
        r.filters(),
        r.groupBy(),
        r.window(),
        r.comparator(),
        r.warningThreshold(),
        r.criticalThreshold(),
        r.minSample(),
        r.noData(),
        List.of(new ChannelJson("in_app", null, null, null, null)),
        r.renotifyMinutes(),
        r.cooldownMinutes(),
        r.enabled(),
        r.snoozedUntil());
  }

  private Mono<Map<String, TreeMap<Instant, BigDecimal>>> fetch(
      String token, Rule rule, String metric, String step, Instant from, Instant to) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("step", step);
    query.put("metric", metric);
    query.put("from", from.toString());
    query.put("to", to.toString());
    if (rule.groupBy() != null) {
      query.put("group_by", rule.groupBy().wire());
    }
    Rule.Filters f = rule.filters();
    putIfSet(query, "agent", f.agent());
    putIfSet(query, "provider", f.provider());
    putIfSet(query, "model", f.model());
    putIfSet(query, "tool", f.tool());
    putIfSet(query, "type", f.type());
    return aggregator
        .timeseries(token, query)
        .map(
            ts -> {
              Map<String, TreeMap<Instant, BigDecimal>> byGroup = new HashMap<>();
              if (ts.series() != null) {
                for (AggregatorClient.Series s : ts.series()) {
                  TreeMap<Instant, BigDecimal> points =
                      byGroup.computeIfAbsent(
                          s.group() == null ? "" : s.group(), g -> new TreeMap<>());
                  for (AggregatorClient.Point p : s.points()) {
                    if (p.time() != null && p.value() != null) {
                      points.put(p.time(), p.value());
                    }
                  }
                }
              }
              return byGroup;
            });
  }

  private static void putIfSet(Map<String, String> query, String key, String value) {
    if (value != null) {
      query.put(key, value);
    }
  }

  private List<Firing> simulate(
      Rule rule,
      Map<String, TreeMap<Instant, BigDecimal>> calls,
      Map<String, TreeMap<Instant, BigDecimal>> measure,
      Instant from,
      Instant to,
      Duration step) {
    TreeSet<String> groups = new TreeSet<>(calls.keySet());
    groups.addAll(measure.keySet());
    if (rule.groupBy() == null) {
      groups.add("");
    }
    List<Firing> firings = new ArrayList<>();
    Duration cooldown = properties.minuteLength().multipliedBy(rule.cooldownMinutes());
    for (String group : groups) {
      TreeMap<Instant, BigDecimal> groupCalls = calls.getOrDefault(group, new TreeMap<>());
      TreeMap<Instant, BigDecimal> groupMeasure = measure.getOrDefault(group, new TreeMap<>());
      Instant firstSeen = groupCalls.isEmpty() ? null : groupCalls.firstKey();
      String state = "ok";
      Instant resolvedAt = null;
      for (Instant stepStart = from; stepStart.isBefore(to); stepStart = stepStart.plus(step)) {
        Instant at = stepStart.plus(step).isAfter(to) ? to : stepStart.plus(step);
        Instant windowStart = windowStart(rule, stepStart, step);
        long callsInWindow = sum(groupCalls, windowStart, stepStart).longValue();
        BigDecimal value = value(rule, groupCalls, groupMeasure, windowStart, stepStart, step);
        if (rule.metric() == Metric.NO_EVENTS) {
          if (firstSeen == null || firstSeen.isAfter(stepStart)) {
            continue;
          }
          value = BigDecimal.valueOf(callsInWindow);
        } else if (callsInWindow < rule.minSample() || callsInWindow == 0 && ratio(rule)) {
          value = null;
        }
        if (value == null) {
          continue;
        }
        String level = level(rule, value);
        if (level.equals(state)) {
          continue;
        }
        if (!level.equals("ok")
            && state.equals("ok")
            && resolvedAt != null
            && at.isBefore(resolvedAt.plus(cooldown))) {
          continue;
        }
        BigDecimal threshold =
            level.equals("critical")
                ? rule.criticalThreshold()
                : rule.warningThreshold() != null
                    ? rule.warningThreshold()
                    : rule.criticalThreshold();
        firings.add(
            new Firing(
                at,
                group,
                level.equals("ok") ? "resolved" : level,
                value.stripTrailingZeros().toPlainString(),
                threshold.toPlainString()));
        if (level.equals("ok")) {
          resolvedAt = at;
        }
        state = level;
      }
    }
    firings.sort(Comparator.comparing(Firing::at).thenComparing(Firing::group));
    return firings;
  }

  private static boolean ratio(Rule rule) {
    return rule.metric() == Metric.ERROR_RATE || rule.metric() == Metric.LATENCY_P95_MS;
  }

  private static Instant windowStart(Rule rule, Instant stepStart, Duration step) {
    Window window = rule.window();
    if (window.rolling() != null) {
      long steps = Math.max(1, window.rolling().dividedBy(step));
      return stepStart.minus(step.multipliedBy(steps - 1));
    }
    LocalDate day = LocalDate.ofInstant(stepStart, ZoneOffset.UTC);
    if (window == Window.DAY) {
      return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static BigDecimal value(
      Rule rule,
      TreeMap<Instant, BigDecimal> calls,
      TreeMap<Instant, BigDecimal> measure,
      Instant windowStart,
      Instant stepStart,
      Duration step) {
    return switch (rule.metric()) {
      case COST_USD -> sum(measure, windowStart, stepStart).movePointLeft(9);
      case PROJECTED_MONTH_COST_USD -> {
        LocalDate today = LocalDate.ofInstant(stepStart, ZoneOffset.UTC);
        BigDecimal monthToDate = sum(measure, windowStart, stepStart);
        BigDecimal trailing =
            sum(
                measure,
                today.minusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant(),
                today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        long daysLeft = today.lengthOfMonth() - today.getDayOfMonth();
        yield monthToDate
            .add(
                trailing
                    .divide(BigDecimal.valueOf(7), 0, RoundingMode.DOWN)
                    .multiply(BigDecimal.valueOf(daysLeft)))
            .movePointLeft(9);
      }
      case TOKENS, ERRORS, CALLS, NO_EVENTS -> sum(measure, windowStart, stepStart);
      case ERROR_RATE -> {
        BigDecimal n = sum(calls, windowStart, stepStart);
        yield n.signum() == 0
            ? null
            : sum(measure, windowStart, stepStart).divide(n, 6, RoundingMode.HALF_EVEN);
      }
      case LATENCY_P95_MS ->
          measure.subMap(windowStart, true, stepStart, true).values().stream()
              .max(BigDecimal::compareTo)
              .orElse(null);
    };
  }

  private static BigDecimal sum(TreeMap<Instant, BigDecimal> points, Instant from, Instant to) {
    BigDecimal total = BigDecimal.ZERO;
    if (from.isAfter(to)) {
      return total;
    }
    for (BigDecimal v : points.subMap(from, true, to, true).values()) {
      total = total.add(v);
    }
    return total;
  }

  private static String level(Rule rule, BigDecimal value) {
    if (rule.criticalThreshold() != null
        && rule.comparator().breaches(value, rule.criticalThreshold())) {
      return "critical";
    }
    if (rule.warningThreshold() != null
        && rule.comparator().breaches(value, rule.warningThreshold())) {
      return "warning";
    }
    return "ok";
  }
}
