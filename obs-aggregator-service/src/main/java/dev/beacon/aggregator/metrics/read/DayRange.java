package dev.beacon.aggregator.metrics.read;

import dev.beacon.aggregator.web.Params;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.springframework.util.MultiValueMap;

/**
 * The inclusive UTC days {@code from} to {@code to} of a daily read, from its query: by default the
 * last {@code defaultDays} days up to today, at most {@link MetricFilters#MAX_DAYS}.
 */
record DayRange(LocalDate from, LocalDate to) {

  static DayRange of(MultiValueMap<String, String> query, LocalDate today, int defaultDays) {
    LocalDate from = Params.date("from", query.getFirst("from"), today.minusDays(defaultDays - 1));
    LocalDate to = Params.date("to", query.getFirst("to"), today);
    Params.range(
        "from",
        "to",
        !from.isAfter(to),
        ChronoUnit.DAYS.between(from, to) + 1,
        MetricFilters.MAX_DAYS,
        "days");
    return new DayRange(from, to);
  }
}
