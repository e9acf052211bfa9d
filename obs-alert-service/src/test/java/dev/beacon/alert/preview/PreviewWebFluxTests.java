package dev.beacon.alert.preview;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.alert.AlertTestKit;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The backtest reads the aggregator's read API (WireMock here) with the caller's identity. */
class PreviewWebFluxTests extends AlertTestKit {

  @Test
  void reportsWhenADraftRuleWouldHaveFiredAndResolved() {
    String ws = newWorkspace();
    Instant h0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(10, ChronoUnit.HOURS);
    Instant h1 = h0.plus(1, ChronoUnit.HOURS);
    Instant h5 = h0.plus(5, ChronoUnit.HOURS);
    stubSeries("support-bot", "cost_nano_usd", h0, "2500000000", h1, "500000000", h5, "1200000000");
    stubSeries("support-bot", "calls", h0, "10", h1, "3", h5, "4");

    byte[] body =
        web.post()
            .uri("/api/obs/alerts/rules/preview")
            .header("X-Beacon-Identity", owner(ws))
            .header("Content-Type", "application/json")
            .bodyValue(
                """
                {"name": "Hourly spend", "metric": "cost_usd", "window": "1h", "comparator": "gt",
                 "warning_threshold": "1.00", "critical_threshold": "2.00", "cooldown_minutes": 0,
                 "filters": {"agent": "support-bot"}}
                """)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();

    JsonNode firings = JSON.readTree(body).get("firings");
    assertThat(firings).hasSize(4);
    assertFiring(firings.get(0), h1, "critical", "2.5", "2.00");
    assertFiring(firings.get(1), h1.plus(1, ChronoUnit.HOURS), "resolved", "0.5", "1.00");
    assertFiring(firings.get(2), h5.plus(1, ChronoUnit.HOURS), "warning", "1.2", "1.00");
    assertFiring(firings.get(3), h5.plus(2, ChronoUnit.HOURS), "resolved", "0", "1.00");
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/api/obs/metrics/timeseries"))
            .withQueryParam("agent", equalTo("support-bot"))
            .withQueryParam("step", equalTo("1h"))
            .withHeader("X-Beacon-Identity", matching(".+")));
  }

  @Test
  void projectsTheMonthEndFromTheWholeMonthAndTheWeekBeforeTheFirstDay() {
    String ws = newWorkspace();
    // the service reads its own clock: a run that crosses UTC midnight is repeated on the new day
    LocalDate today;
    JsonNode preview;
    do {
      today = LocalDate.now(ZoneOffset.UTC);
      preview = previewProjection(ws, today);
    } while (!today.equals(LocalDate.now(ZoneOffset.UTC)));
    LocalDate first = today.minusDays(7);

    assertThat(Instant.parse(preview.get("from").asString()))
        .isEqualTo(first.atStartOfDay(ZoneOffset.UTC).toInstant());
    JsonNode firings = preview.get("firings");
    assertThat(firings).hasSize(1);
    // $10 a day all month: month to date + 7 days of $10 × days left / 7 = $10 × days of the month
    assertFiring(
        firings.get(0),
        first.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        "critical",
        String.valueOf(10 * first.lengthOfMonth()),
        "100");
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/api/obs/metrics/timeseries"))
            .withQueryParam("metric", equalTo("cost_nano_usd"))
            .withQueryParam("step", equalTo("1d"))
            .withQueryParam(
                "from",
                equalTo(historyFrom(first).atStartOfDay(ZoneOffset.UTC).toInstant().toString())));
  }

  /** The earlier of the first evaluated day's month start and the 7 days before it. */
  private static LocalDate historyFrom(LocalDate first) {
    return first.withDayOfMonth(1).isBefore(first.minusDays(7))
        ? first.withDayOfMonth(1)
        : first.minusDays(7);
  }

  /** Stubs $10 and 4 calls a day up to {@code today} and previews a month-end projection rule. */
  private JsonNode previewProjection(String ws, LocalDate today) {
    List<Object> costs = new ArrayList<>();
    List<Object> calls = new ArrayList<>();
    for (LocalDate day = historyFrom(today.minusDays(7));
        !day.isAfter(today);
        day = day.plusDays(1)) {
      Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      costs.addAll(List.of(start, "10000000000"));
      calls.addAll(List.of(start, "4"));
    }
    stubSeries(ws, "cost_nano_usd", costs.toArray());
    stubSeries(ws, "calls", calls.toArray());

    byte[] body =
        web.post()
            .uri("/api/obs/alerts/rules/preview")
            .header("X-Beacon-Identity", owner(ws))
            .header("Content-Type", "application/json")
            .bodyValue(
                """
                {"name": "Forecast", "metric": "projected_month_cost_usd", "window": "month",
                 "comparator": "gt", "critical_threshold": "100", "filters": {"agent": "%s"}}
                """
                    .formatted(ws))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  @Test
  void answers502WhenTheAggregatorIsUnavailable() {
    String ws = newWorkspace();
    wiremock.stubFor(
        get(urlPathEqualTo("/api/obs/metrics/timeseries"))
            .withQueryParam("agent", equalTo(ws))
            .willReturn(aResponse().withStatus(503)));
    web.post()
        .uri("/api/obs/alerts/rules/preview")
        .header("X-Beacon-Identity", owner(ws))
        .header("Content-Type", "application/json")
        .bodyValue(
            """
            {"name": "x", "metric": "calls", "window": "1h", "critical_threshold": "1",
             "filters": {"agent": "%s"}}
            """
                .formatted(ws))
        .exchange()
        .expectStatus()
        .isEqualTo(502)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("aggregator_unavailable");
  }

  @Test
  void answers502WhenTheAggregatorDoesNotAnswerInTime() {
    String ws = newWorkspace();
    // the tests' read limit is 2 s (SlackStub); the aggregator takes 6
    wiremock.stubFor(
        get(urlPathEqualTo("/api/obs/metrics/timeseries"))
            .withQueryParam("agent", equalTo(ws))
            .willReturn(aResponse().withFixedDelay(6000).withStatus(200).withBody("{}")));
    web.post()
        .uri("/api/obs/alerts/rules/preview")
        .header("X-Beacon-Identity", owner(ws))
        .header("Content-Type", "application/json")
        .bodyValue(
            """
            {"name": "x", "metric": "calls", "window": "1h", "critical_threshold": "1",
             "filters": {"agent": "%s"}}
            """
                .formatted(ws))
        .exchange()
        .expectStatus()
        .isEqualTo(502)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("aggregator_unavailable")
        .jsonPath("$.message")
        .value(m -> assertThat((String) m).contains("too slow"));
  }

  private static void assertFiring(
      JsonNode firing, Instant at, String state, String value, String threshold) {
    assertThat(Instant.parse(firing.get("at").asString())).isEqualTo(at);
    assertThat(firing.get("state").asString()).isEqualTo(state);
    assertThat(firing.get("value").asString()).isEqualTo(value);
    assertThat(firing.get("threshold").asString()).isEqualTo(threshold);
    assertThat(firing.get("group").asString()).isEmpty();
  }

  private static void stubSeries(String agent, String metric, Object... pointPairs) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < pointPairs.length; i += 2) {
      if (i > 0) {
        points.append(',');
      }
      points.append(
          "{\"time\": \"%s\", \"value\": %s}".formatted(pointPairs[i], pointPairs[i + 1]));
    }
    wiremock.stubFor(
        get(urlPathEqualTo("/api/obs/metrics/timeseries"))
            .withQueryParam("metric", equalTo(metric))
            .withQueryParam("agent", equalTo(agent))
            .withHeader("X-Beacon-Identity", matching(".+"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"from": "x", "to": "y", "step": "1h", "metric": "%s", "group_by": null,
                         "series": [{"group": null, "points": [%s]}]}
                        """
                            .formatted(metric, points))));
  }
}
