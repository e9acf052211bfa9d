package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.metrics.read.MetricsQuery.Daily;
import dev.beacon.aggregator.metrics.read.MetricsQuery.Summary;
import dev.beacon.aggregator.metrics.read.MetricsQuery.Timeseries;
import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Dashboard metrics of the caller's workspace ({@link MetricsQuery}): the parameters, their
 * defaults and their bounds.
 */
@RestController
@RequestMapping("/api/obs/metrics")
class MetricsController {

  private static final int MAX_POINTS = 3_000;

  private final MetricsQuery metrics;
  private final Clock clock;
  private final AggregatorProperties properties;

  MetricsController(MetricsQuery metrics, Clock clock, AggregatorProperties properties) {
    this.metrics = metrics;
    this.clock = clock;
    this.properties = properties;
  }

  @GetMapping("/summary")
  Mono<Summary> summary(@AuthenticationPrincipal ForwardedIdentity identity) {
    return metrics.summary(identity.workspaceId(), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
  }

  /** Daily rows of a date range (inclusive, default the last 30 days), grouped and filtered. */
  @GetMapping("/daily")
  Mono<Daily> daily(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    DayRange days = DayRange.of(query, LocalDate.now(clock.withZone(ZoneOffset.UTC)), 30);
    String groupBy =
        Params.oneOf("group_by", query.getFirst("group_by"), MetricFilters.GROUPS, null);
    return metrics.daily(
        new MetricFilters(identity.workspaceId(), groupBy, query), days.from(), days.to());
  }

  /**
   * One measure over time. Step {@code 1m} reaches back {@code beacon.aggregator.minute-retention},
   * {@code 1h} {@code beacon.aggregator.hourly-retention}, {@code 1d} as far as daily rows go.
   */
  @GetMapping("/timeseries")
  Mono<Timeseries> timeseries(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam MultiValueMap<String, String> query) {
    Step step = Step.of(Params.oneOf("step", query.getFirst("step"), Step.CODES, "1h"));
    String metric =
        Params.oneOf("metric", query.getFirst("metric"), MetricValues.MEASURES, "calls");
    String groupBy =
        Params.oneOf("group_by", query.getFirst("group_by"), MetricFilters.GROUPS, null);
    Instant now = clock.instant();
    Instant to = Params.instant("to", query.getFirst("to"), now);
    Instant from = Params.instant("from", query.getFirst("from"), to.minus(step.defaultSpan()));
    long points = Duration.between(from, to).dividedBy(step.length());
    Params.range("from", "to", from.isBefore(to), points, MAX_POINTS, "steps of " + step.code());
    if (step == Step.MINUTE && from.isBefore(now.minus(properties.minuteRetention()))) {
      throw Params.invalid(
          "Steps of 1m reach back "
              + properties.minuteRetention().toHours()
              + " hours; use step=1h or step=1d for older data.");
    }
    if (step == Step.HOUR && from.isBefore(now.minus(properties.hourlyRetention()))) {
      throw Params.invalid(
          "Steps of 1h reach back "
              + properties.hourlyRetention().toHours()
              + " hours; use step=1d for older data.");
    }
    MetricFilters filters = new MetricFilters(identity.workspaceId(), groupBy, query);
    return metrics.timeseries(filters, step, metric, from, to);
  }
}
