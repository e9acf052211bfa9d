package dev.beacon.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.metrics.read.MetricValues;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.ObjectMapper;

@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadApiWebFluxTests {

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;
  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  final String workspace = Events.newWorkspace();
  final String otherWorkspace = Events.newWorkspace();
  final OffsetDateTime now = nowAwayFromMidnight();
  final List<ObsEvent> events = new ArrayList<>();
  ObsEvent failedTool;

  /**
   * The test's "now", at least two minutes into the UTC day, so that the "recent" events (at 00:01
   * at the earliest) are today's and in the past. Waits only when run in a day's first two minutes.
   */
  private static OffsetDateTime nowAwayFromMidnight() {
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> LocalTime.now(ZoneOffset.UTC).isAfter(LocalTime.of(0, 2)));
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
  }

  @BeforeAll
  void publishAWorkspacesDay() {
    // the start of a minute, so the two tool calls 30 and 31 s later share one; never before 00:01
    // UTC, so every "recent" event is today's
    OffsetDateTime tenMinutesAgo = now.minusMinutes(10).truncatedTo(ChronoUnit.MINUTES);
    OffsetDateTime earliestToday = now.truncatedTo(ChronoUnit.DAYS).plusMinutes(1);
    OffsetDateTime recent = tenMinutesAgo.isBefore(earliestToday) ? earliestToday : tenMinutesAgo;
    for (int i = 0; i < 6; i++) {
      events.add(
          Events.inRun(
              Events.llmCall(
                  workspace,
                  "support-bot",
                  "openai",
                  "gpt-4o",
                  recent.plusSeconds(i),
                  1000,
                  100,
                  0,
                  0,
                  100L * (i + 1)),
              "run-a"));
    }
    events.add(
        Events.llmCall(
            workspace,
            "sales-bot",
            "anthropic",
            "claude-haiku-4-5",
            recent,
            1000,
            1000,
            0,
            0,
            700));
    events.add(
        Events.llmCall(workspace, "sales-bot", "nobody", "unknown", recent, 10, 10, 0, 0, 70));
    failedTool =
        Events.inRun(
            Events.toolCall(
                workspace, "support-bot", "slack.post_message", recent.plusSeconds(30), 250, false),
            "run-a");
    events.add(failedTool);
    events.add(
        Events.toolCall(
            workspace, "sales-bot", "slack.post_message", recent.plusSeconds(31), 50, true));
    events.add(
        Events.inRun(
            Events.event(
                workspace,
                "support-bot",
                EventType.RUN_START,
                recent.minusSeconds(1),
                EventStatus.OK,
                null,
                null,
                null,
                null,
                null),
            "run-a"));
    events.add(
        Events.llmCall(
            workspace, "support-bot", "openai", "gpt-4o", now.minusDays(1), 2000, 0, 0, 0, 10));
    events.add(Events.serviceCall(workspace, "support-bot", recent));
    events.add(
        Events.llmCall(otherWorkspace, "intruder", "openai", "gpt-4o", recent, 1, 1, 0, 0, 1));
    EventStream stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    stream.publish(events);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stream.daily(workspace, "calls") == 13
                    && stream.daily(otherWorkspace, "calls") == 1);
  }

  @Test
  void summaryShowsTodayYesterdayMonthToDateAndAProjection() {
    // 6 x gpt-4o (1000 in, 100 out) + haiku-4.5 (1000 in, 1000 out)
    long today = 6 * 3_500_000 + 6_000_000;
    long yesterday = 5_000_000;
    long monthToDate = today + (now.getDayOfMonth() > 1 ? yesterday : 0);
    long daysLeft = now.toLocalDate().lengthOfMonth() - now.getDayOfMonth();
    get("/api/obs/metrics/summary")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.today_totals.calls")
        .isEqualTo(12)
        .jsonPath("$.today_totals.errors")
        .isEqualTo(1)
        .jsonPath("$.today_totals.unpriced_calls")
        .isEqualTo(1)
        .jsonPath("$.today_totals.cost_nano_usd")
        .isEqualTo(today)
        .jsonPath("$.today_totals.cost_usd")
        .isEqualTo("0.027000000")
        .jsonPath("$.today_totals.p95_ms")
        .isNotEmpty()
        .jsonPath("$.yesterday.calls")
        .isEqualTo(1)
        .jsonPath("$.yesterday.cost_nano_usd")
        .isEqualTo(yesterday)
        .jsonPath("$.month_to_date.cost_nano_usd")
        .isEqualTo(monthToDate)
        // yesterday is the only cost of the 7 full days before today
        .jsonPath("$.trailing7_day_average_cost_nano_usd")
        .isEqualTo(yesterday / 7)
        // month to date + floor(5,000,000 x days left / 7), rounded once, at the end
        .jsonPath("$.projected_month_end_cost_nano_usd")
        .isEqualTo(monthToDate + yesterday * daysLeft / 7);
  }

  @Test
  void dailyGroupsAndFiltersWithinARange() {
    get("/api/obs/metrics/daily?from="
            + now.toLocalDate()
            + "&to="
            + now.toLocalDate()
            + "&group_by=model")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rows.length()")
        .isEqualTo(3)
        .jsonPath("$.rows[?(@.group == 'openai/gpt-4o')].metrics.calls")
        .isEqualTo(6)
        .jsonPath("$.rows[?(@.group == 'openai/gpt-4o')].metrics.p50_ms")
        .isEqualTo(499);
    get("/api/obs/metrics/daily?from="
            + now.toLocalDate().minusDays(1)
            + "&group_by=agent&type=tool_call")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rows.length()")
        .isEqualTo(2)
        .jsonPath("$.rows[?(@.group == 'support-bot')].metrics.errors")
        .isEqualTo(1);
  }

  @Test
  void serviceCallsAreFilteredAndGroupedByTheirService() {
    String today = "from=" + now.toLocalDate() + "&to=" + now.toLocalDate();
    get("/api/obs/metrics/daily?" + today + "&group_by=service")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rows.length()")
        .isEqualTo(1)
        .jsonPath("$.rows[0].group")
        .isEqualTo("stripe")
        .jsonPath("$.rows[0].metrics.calls")
        .isEqualTo(1);
    get("/api/obs/metrics/daily?" + today + "&service=stripe")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rows[0].metrics.calls")
        .isEqualTo(1);
    get("/api/obs/metrics/daily?" + today + "&service=github")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rows.length()")
        .isEqualTo(0);
    String hours = "from=" + now.minusHours(3).toInstant() + "&to=" + now.toInstant();
    String series =
        okBody("/api/obs/metrics/timeseries?" + hours + "&step=1h&metric=calls&service=stripe");
    long calls = 0;
    for (var row : json.readTree(series).path("series").path(0).path("points")) {
      calls += row.path("value").asLong();
    }
    assertThat(calls).as(series).isEqualTo(1);
    for (String bad :
        List.of(
            "service=stripe&type=llm_call",
            "service=stripe&tool=search",
            "group_by=service&provider=openai")) {
      get("/api/obs/metrics/daily?" + today + "&" + bad)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter");
    }
  }

  @Test
  void dailyReadsAddUpTheSameWhicheverTableAnswersThem() {
    String today = "&from=" + now.toLocalDate() + "&to=" + now.toLocalDate();
    assertSameTotalsWhicheverTableAnswers(
        query -> {
          long calls = 0;
          long cost = 0;
          long inputTokens = 0;
          for (var row :
              json.readTree(okBody("/api/obs/metrics/daily?" + query + today)).path("rows")) {
            calls += row.path("metrics").path("calls").asLong();
            cost += row.path("metrics").path("cost_nano_usd").asLong();
            inputTokens += row.path("metrics").path("input_tokens").asLong();
          }
          return List.of(calls, cost, inputTokens);
        });
  }

  @Test
  void hourlyReadsAddUpTheSameWhicheverTableAnswersThem() {
    // every event but yesterday's
    String lastHours = "&from=" + now.minusHours(3).toInstant() + "&to=" + now.toInstant();
    assertSameTotalsWhicheverTableAnswers(
        query -> {
          List<Long> totals = new ArrayList<>();
          for (String metric : List.of("calls", "cost_nano_usd", "input_tokens")) {
            String body =
                okBody(
                    "/api/obs/metrics/timeseries?step=1h&metric="
                        + metric
                        + "&"
                        + query
                        + lastHours);
            long total = 0;
            for (var series : json.readTree(body).path("series")) {
              for (var point : series.path("points")) {
                total += point.path("value").asLong();
              }
            }
            totals.add(total);
          }
          return totals;
        });
  }

  /**
   * The same LLM calls, cost and input tokens for today from queries answered by the rollup by
   * agent, the rollup by subject and the rows by agent and subject (one agent and a subject).
   *
   * @param totalsOf calls, cost and input tokens summed over the answer to a query
   */
  private void assertSameTotalsWhicheverTableAnswers(Function<String, List<Long>> totalsOf) {
    List<Long> expected = List.of(8L, 6 * 3_500_000L + 6_000_000L, 7_010L);
    for (String query :
        List.of(
            "type=llm_call",
            "type=llm_call&group_by=agent",
            "group_by=model",
            "group_by=provider")) {
      assertThat(totalsOf.apply(query)).as(query).isEqualTo(expected);
    }
    List<Long> supportBot = totalsOf.apply("agent=support-bot&group_by=model");
    List<Long> salesBot = totalsOf.apply("agent=sales-bot&group_by=model");
    List<Long> byAgents = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      byAgents.add(supportBot.get(i) + salesBot.get(i));
    }
    assertThat(byAgents).isEqualTo(expected);
  }

  @Test
  void timeseriesReturnsOneMeasurePerStepAndGroup() {
    get("/api/obs/metrics/timeseries?step=1m&metric=calls&group_by=type&from="
            + now.minusHours(1).toInstant())
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.series[?(@.group == 'tool_call')].points[0].value")
        .isEqualTo(2);
    get("/api/obs/metrics/timeseries?step=1d&metric=cost_nano_usd&from="
            + now.toLocalDate().minusDays(3))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.series[0].points.length()")
        .isEqualTo(2)
        .jsonPath("$.series[0].points[0].value")
        .isEqualTo(5_000_000);
  }

  @Test
  void everyTimeseriesMeasureEqualsTheDailyValueOfTheSameDay() {
    String day = "from=" + now.toLocalDate() + "&to=" + now.toLocalDate();
    var daily =
        json.readTree(okBody("/api/obs/metrics/daily?" + day)).path("rows").path(0).path("metrics");
    assertThat(daily.path("calls").asLong()).isEqualTo(12);
    for (String measure : MetricValues.MEASURES) {
      var point =
          json.readTree(
                  okBody(
                      "/api/obs/metrics/timeseries?step=1d&metric="
                          + measure
                          + "&from="
                          + now.truncatedTo(ChronoUnit.DAYS).toInstant()
                          + "&to="
                          + now.toInstant()))
              .path("series")
              .path(0)
              .path("points")
              .path(0)
              .path("value");
      double expected =
          measure.equals("tokens")
              ? daily.path("input_tokens").asLong() + daily.path("output_tokens").asLong()
              : daily.path(measure).asDouble();
      assertThat(point.isNumber()).as(measure).isTrue();
      assertThat(point.asDouble()).as(measure).isEqualTo(expected);
    }
  }

  @Test
  void hourlyTimeseriesIsServedFromHourRows() {
    String body =
        okBody(
            "/api/obs/metrics/timeseries?step=1h&metric=calls&from="
                + now.minusHours(3).toInstant());
    long calls = 0;
    for (var point : json.readTree(body).path("series").path(0).path("points")) {
      calls += point.path("value").asLong();
    }
    // every event of the last few minutes, none of yesterday's
    assertThat(calls).isEqualTo(12);
    // the default range, 60 hours, reaches further back than the minute retention
    get("/api/obs/metrics/timeseries")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.series")
        .isArray();
  }

  @Test
  void hourlyTimeseriesReachesBackTheHourlyRetentionNotTheMinuteOne() {
    String past = Events.newWorkspace();
    OffsetDateTime fiveDaysAgo = now.minusDays(5).truncatedTo(ChronoUnit.HOURS);
    // the hour's row and its rollup by agent, which answers the queries below
    String measures = " 7, 1, 0, 0, 0, 0, 0, 0, 7, 70, 10, '{}')";
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.update(
        "INSERT INTO obs.metrics_hourly VALUES (?, ?, 'old-bot', 'tool_call', 'x'," + measures,
        past,
        fiveDaysAgo);
    jdbc.update(
        "INSERT INTO obs.metrics_hourly_agent VALUES (?, ?, 'old-bot', 'tool_call'," + measures,
        past,
        fiveDaysAgo);
    String identity = signer.sign("u-3", past, Role.VIEWER);

    getAs(
            identity,
            "/api/obs/metrics/timeseries?step=1h&metric=calls&from="
                + now.minusDays(6).toInstant()
                + "&to="
                + now.minusDays(4).toInstant())
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.series[0].points.length()")
        .isEqualTo(1)
        .jsonPath("$.series[0].points[0].time")
        .isEqualTo(fiveDaysAgo.toInstant().toString())
        .jsonPath("$.series[0].points[0].value")
        .isEqualTo(7);
    // a point is the whole hour when the range starts inside it
    getAs(
            identity,
            "/api/obs/metrics/timeseries?step=1h&metric=errors&from="
                + fiveDaysAgo.plusMinutes(30).toInstant()
                + "&to="
                + now.toInstant())
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.series[0].points[0].value")
        .isEqualTo(1);
    getAs(
            identity,
            "/api/obs/metrics/timeseries?step=1m&from="
                + now.minusDays(3).toInstant()
                + "&to="
                + now.minusDays(3).plusHours(1).toInstant())
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.message")
        .isEqualTo("Steps of 1m reach back 48 hours; use step=1h or step=1d for older data.");
    getAs(identity, "/api/obs/metrics/timeseries?step=1h&from=" + now.minusDays(40).toInstant())
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.message")
        .isEqualTo("Steps of 1h reach back 720 hours; use step=1d for older data.");
  }

  @Test
  void eventsArePagedNewestFirstWithAKeysetCursor() {
    Set<String> seen = new HashSet<>();
    String cursor = null;
    String previousTime = null;
    for (int page = 0; page < 10; page++) {
      Map<?, ?> body =
          get("/api/obs/events?limit=5" + (cursor == null ? "" : "&cursor=" + cursor))
              .expectStatus()
              .isOk()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      for (Object item : (List<?>) body.get("items")) {
        Map<?, ?> event = (Map<?, ?>) item;
        assertThat(seen.add((String) event.get("event_id"))).isTrue();
        String time = (String) event.get("occurred_at");
        if (previousTime != null) {
          assertThat(OffsetDateTime.parse(time))
              .isBeforeOrEqualTo(OffsetDateTime.parse(previousTime));
        }
        previousTime = time;
      }
      cursor = (String) body.get("next_cursor");
      if (cursor == null) {
        break;
      }
    }
    assertThat(seen).hasSize(13);
    get("/api/obs/events?type=tool_call&status=error&q=TIMED")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(1)
        .jsonPath("$.items[0].event_id")
        .isEqualTo(failedTool.eventId().toString());
  }

  @Test
  void anEventAndARunWithItsEventsInTimeOrder() {
    get("/api/obs/events/" + failedTool.eventId())
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.tool_name")
        .isEqualTo("slack.post_message")
        .jsonPath("$.error_message")
        .isEqualTo("upstream timed out")
        .jsonPath("$.metadata.source")
        .isEqualTo("test");
    get("/api/obs/runs/run-a")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.run.events")
        .isEqualTo(8)
        .jsonPath("$.run.errors")
        .isEqualTo(1)
        .jsonPath("$.run.status")
        .isEqualTo("running")
        .jsonPath("$.run.cost_nano_usd")
        .isEqualTo(6 * 3_500_000)
        .jsonPath("$.events.length()")
        .isEqualTo(8)
        .jsonPath("$.events[0].type")
        .isEqualTo("run_start")
        .jsonPath("$.events[7].type")
        .isEqualTo("tool_call");
    get("/api/obs/runs?status=running")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(1);
  }

  @Test
  void toolsScorecardShowsErrorRateLatencyAndAgentsAffected() {
    get("/api/obs/tools")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$[?(@.name == 'slack.post_message')].calls")
        .isEqualTo(2)
        .jsonPath("$[?(@.name == 'slack.post_message')].error_rate")
        .isEqualTo(0.5)
        .jsonPath("$[?(@.name == 'slack.post_message')].agents_affected")
        .isEqualTo(2)
        .jsonPath("$[?(@.name == 'stripe/checkout.sessions.create')].type")
        .isEqualTo("service_call");
  }

  @Test
  void exportStreamsCsvAndNdjson() {
    String csv = okBody("/api/obs/export?format=csv&from=" + now.minusDays(2).toInstant());
    assertThat(csv.lines()).hasSize(14).first().asString().startsWith("event_id,type,occurred_at");
    String ndjson = okBody("/api/obs/export?format=ndjson&type=tool_call");
    assertThat(ndjson.lines())
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("{\"event_id\""));
  }

  @Test
  void reconciliationFindsNoDrift() {
    get("/api/obs/reconciliation")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.consistent")
        .isEqualTo(true)
        .jsonPath("$.days.length()")
        .isEqualTo(2);
  }

  @Test
  void reconciliationReportsARollupThatNoLongerAddsUp() {
    String tampered = Events.newWorkspace();
    EventStream stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    stream.publish(
        List.of(Events.llmCall(tampered, "bot", "openai", "gpt-4o", now, 10, 10, 0, 0, 5)));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(tampered, "calls") == 1);
    String identity = signer.sign("u-4", tampered, Role.VIEWER);
    getAs(identity, "/api/obs/reconciliation")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.consistent")
        .isEqualTo(true)
        .jsonPath("$.days[0].rollups_match")
        .isEqualTo(true);

    for (String rollup : List.of("metrics_daily_subject", "metrics_hourly_agent")) {
      int changed =
          stream
              .jdbc()
              .update(
                  "UPDATE obs."
                      + rollup
                      + " SET cost_nano_usd = cost_nano_usd + 1"
                      + " WHERE workspace_id = ?",
                  tampered);
      assertThat(changed).isOne();

      getAs(identity, "/api/obs/reconciliation")
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.consistent")
          .isEqualTo(false)
          .jsonPath("$.days[0].drift")
          .isEqualTo(0)
          .jsonPath("$.days[0].rollups_match")
          .isEqualTo(false);

      stream
          .jdbc()
          .update(
              "UPDATE obs."
                  + rollup
                  + " SET cost_nano_usd = cost_nano_usd - 1"
                  + " WHERE workspace_id = ?",
              tampered);
      getAs(identity, "/api/obs/reconciliation")
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.days[0].rollups_match")
          .isEqualTo(true);
    }
  }

  @Test
  void rejectsInvalidParametersWithAClearCode() {
    for (String uri :
        List.of(
            "/api/obs/metrics/daily?from=yesterday",
            "/api/obs/metrics/daily?from=2026-02-01&to=2026-01-01",
            "/api/obs/metrics/daily?group_by=planet",
            "/api/obs/metrics/timeseries?step=5m",
            "/api/obs/metrics/timeseries?metric=vibes",
            "/api/obs/metrics/timeseries?step=1m&from=2020-01-01T00:00:00Z",
            "/api/obs/events?limit=0",
            "/api/obs/events?cursor=garbage",
            "/api/obs/events?status=meh",
            "/api/obs/events/not-a-uuid",
            "/api/obs/export?format=xlsx")) {
      get(uri)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter")
          .jsonPath("$.message")
          .isNotEmpty();
    }
  }

  @Test
  void everyReadEndpointIsScopedToTheCallersWorkspace() {
    String intruder = signer.sign("u-2", otherWorkspace, Role.OWNER);
    getAs(intruder, "/api/obs/events/" + failedTool.eventId())
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    getAs(intruder, "/api/obs/runs/run-a")
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    getAs(intruder, "/api/obs/metrics/summary")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.today_totals.calls")
        .isEqualTo(1);
    getAs(intruder, "/api/obs/events")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(1)
        .jsonPath("$.items[0].agent_id")
        .isEqualTo("intruder");
    getAs(intruder, "/api/obs/metrics/daily?group_by=agent")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rows.length()")
        .isEqualTo(1);
    getAs(intruder, "/api/obs/metrics/timeseries?step=1d&group_by=agent")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.series.length()")
        .isEqualTo(1);
    getAs(intruder, "/api/obs/runs")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(0);
    getAs(intruder, "/api/obs/tools")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.length()")
        .isEqualTo(0);
    String export = okBodyAs(intruder, "/api/obs/export?format=ndjson");
    assertThat(export.lines()).hasSize(1);
    getAs(intruder, "/api/obs/reconciliation")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.days.length()")
        .isEqualTo(1);
  }

  /** The body of a 200 answer to a viewer of the test workspace. */
  private String okBody(String uri) {
    return okBodyAs(signer.sign("u-1", workspace, Role.VIEWER), uri);
  }

  private String okBodyAs(String identity, String uri) {
    return getAs(identity, uri)
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private WebTestClient.ResponseSpec get(String uri) {
    return getAs(signer.sign("u-1", workspace, Role.VIEWER), uri);
  }

  private WebTestClient.ResponseSpec getAs(String identity, String uri) {
    return web.get().uri(uri).header(ForwardedIdentity.HEADER, identity).exchange();
  }
}
