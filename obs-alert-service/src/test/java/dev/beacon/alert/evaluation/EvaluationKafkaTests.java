package dev.beacon.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.events.EventType;
import dev.beacon.events.LatencyBuckets;
import dev.beacon.events.MetricTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rules evaluated on metric updates from real Kafka, state and history in real PostgreSQL. */
class EvaluationKafkaTests extends AlertTestKit {

  private static final long DOLLAR = 1_000_000_000L;

  @Test
  void budgetCrossingFiresExactlyOnceAndResolvesOnce() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule = createRule(ws, ruleJson("cost_usd", "day", "gt", "20.00", hook, ""));

    publish(update(ws, "bot", EventType.LLM_CALL, "openai/gpt-4o", totals(5, 0, 5 * DOLLAR)));
    publish(update(ws, "bot", EventType.LLM_CALL, "openai/gpt-4o", totals(25, 0, 25 * DOLLAR)));
    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 1);
    publish(update(ws, "bot", EventType.LLM_CALL, "openai/gpt-4o", totals(30, 0, 30 * DOLLAR)));
    publish(update(ws, "bot", EventType.LLM_CALL, "openai/gpt-4o", totals(3, 0, 3 * DOLLAR)));
    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 2);
    publish(update(ws, "bot", EventType.LLM_CALL, "openai/gpt-4o", totals(4, 0, 4 * DOLLAR)));

    assertStaysTrue(() -> slackRequests(hook).size() == 2);
    assertThat(slackRequests(hook))
        .extracting(r -> r.getBodyAsString())
        .anySatisfy(body -> assertThat(body).contains("[CRITICAL]").contains("25"))
        .anySatisfy(body -> assertThat(body).contains("[RESOLVED]"));
    JsonNode events = events(ws, rule);
    assertThat(events).hasSize(2);
    assertThat(events.get(1).get("from_state").asString()).isEqualTo("ok");
    assertThat(events.get(1).get("to_state").asString()).isEqualTo("critical");
    assertThat(events.get(1).get("value").asString()).isEqualTo("25");
    assertThat(events.get(1).get("threshold").asString()).isEqualTo("20");
    assertThat(events.get(1).get("window").asString()).isEqualTo("day");
    assertThat(events.get(0).get("to_state").asString()).isEqualTo("resolved");
    assertThat(deliveryStatuses(events.get(1))).contains("slack:delivered", "in_app:delivered");
  }

  @Test
  void duplicatedMetricUpdatesRaiseNoExtraAlert() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule = createRule(ws, ruleJson("cost_usd", "day", "gt", "1", hook, ""));
    var breaching =
        update(ws, "bot", EventType.LLM_CALL, "openai/gpt-4o", totals(2, 0, 2 * DOLLAR));

    publish(breaching, breaching, breaching);
    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 1);
    publish(breaching, breaching);

    assertStaysTrue(() -> slackRequests(hook).size() == 1);
    assertThat(events(ws, rule)).hasSize(1);
  }

  @Test
  void errorRateRespectsTheMinimumSample() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule =
        createRule(ws, ruleJson("error_rate", "5m", "gt", "0.5", hook, ", \"min_sample\": 10"));

    publish(update(ws, "bot", EventType.TOOL_CALL, "web_fetch", totals(4, 4, 0)));
    assertStaysTrue(() -> slackRequests(hook).isEmpty());

    publish(update(ws, "bot", EventType.TOOL_CALL, "web_fetch", totals(20, 15, 0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 1);
    JsonNode fired = events(ws, rule).get(0);
    assertThat(fired.get("to_state").asString()).isEqualTo("critical");
    assertThat(fired.get("value").asString()).isEqualTo("0.75");
  }

  @Test
  void aServiceIsARulesSubjectAndEachServiceFiresOnItsOwn() {
    String ws = newWorkspace();
    String hook = newWebhook();
    // one outside service's availability below 99.5 %: only its service_calls count
    String github =
        createRule(
            ws,
            ruleJson(
                "error_rate",
                "1h",
                "gt",
                "0.005",
                hook,
                ", \"min_sample\": 10, \"filters\": {\"service\": \"github\"}"));
    String each =
        createRule(
            ws,
            ruleJson(
                "error_rate",
                "1h",
                "gt",
                "0.005",
                hook,
                ", \"min_sample\": 10, \"group_by\": \"service\""));
    assertThat(rule(ws, github).get("filters").get("service").asString()).isEqualTo("github");
    assertThat(rule(ws, each).get("group_by").asString()).isEqualTo("service");

    publish(
        // first what must not count: a tool named like the service and an LLM provider's errors
        // are not service calls, and slack's calls are another service; counted, they would fire
        // the rules at once with another value
        update(ws, "bot", EventType.TOOL_CALL, "github/x", totals(10, 10, 0)),
        update(ws, "bot", EventType.LLM_CALL, "github/model", totals(10, 10, 0)),
        update(ws, "bot", EventType.SERVICE_CALL, "slack/chat.postMessage", totals(40, 0, 0)),
        // then github: 1 error in 20 calls over two operations (5 %)
        update(ws, "bot", EventType.SERVICE_CALL, "github/repos.pulls.get", totals(10, 0, 0)),
        update(ws, "bot", EventType.SERVICE_CALL, "github/repos.issues.create", totals(10, 1, 0)));

    await().atMost(Duration.ofSeconds(30)).until(() -> events(ws, github).size() == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> events(ws, each).size() == 1);
    assertThat(events(ws, github).get(0).get("value").asString()).isEqualTo("0.05");
    assertThat(events(ws, each).get(0).get("group").asString()).isEqualTo("github");
    assertStaysTrue(() -> events(ws, each).size() == 1 && events(ws, github).size() == 1);
  }

  @Test
  void groupByFiresOncePerBreachingGroup() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule =
        createRule(ws, ruleJson("cost_usd", "day", "gt", "1", hook, ", \"group_by\": \"agent\""));

    publish(
        update(ws, "alpha", EventType.LLM_CALL, "openai/gpt-4o", totals(1, 0, 2 * DOLLAR)),
        update(ws, "beta", EventType.LLM_CALL, "openai/gpt-4o", totals(1, 0, DOLLAR / 2)),
        update(ws, "gamma", EventType.LLM_CALL, "anthropic/claude", totals(1, 0, 3 * DOLLAR)));

    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 2);
    assertStaysTrue(() -> slackRequests(hook).size() == 2);
    List<String> groups = new ArrayList<>();
    events(ws, rule).forEach(e -> groups.add(e.get("group").asString()));
    assertThat(groups).containsExactlyInAnyOrder("alpha", "gamma");
    assertThat(slackRequests(hook)).hasSize(2);
    List<String> critical = new ArrayList<>();
    rule(ws, rule)
        .get("states")
        .forEach(
            state -> {
              if (state.get("state").asString().equals("critical")) {
                critical.add(state.get("group").asString());
              }
            });
    assertThat(critical).containsExactlyInAnyOrder("alpha", "gamma");
  }

  @Test
  void flappingIsDampedByTheCooldown() {
    String ws = newWorkspace();
    String hook = newWebhook();
    // one rule "minute" lasts a second in tests: a 4 s cooldown
    String rule =
        createRule(
            ws,
            ruleJson("cost_usd", "day", "gt", "1", hook, "")
                .replace("\"cooldown_minutes\": 0", "\"cooldown_minutes\": 4"));
    publish(update(ws, "bot", EventType.LLM_CALL, "m/x", totals(1, 0, 2 * DOLLAR)));
    await().atMost(Duration.ofSeconds(30)).until(() -> events(ws, rule).size() == 1);
    publish(update(ws, "bot", EventType.LLM_CALL, "m/x", totals(1, 0, 0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> events(ws, rule).size() == 2);
    Instant resolvedAt = Instant.parse(events(ws, rule).get(0).get("occurred_at").asString());

    publish(update(ws, "bot", EventType.LLM_CALL, "m/x", totals(1, 0, 2 * DOLLAR)));
    publish(update(ws, "bot", EventType.LLM_CALL, "m/x", totals(1, 0, 0)));
    publish(update(ws, "bot", EventType.LLM_CALL, "m/x", totals(1, 0, 2 * DOLLAR)));

    await().atMost(Duration.ofSeconds(30)).until(() -> events(ws, rule).size() == 3);
    JsonNode refired = events(ws, rule).get(0);
    assertThat(refired.get("to_state").asString()).isEqualTo("critical");
    assertThat(Instant.parse(refired.get("occurred_at").asString()))
        .as("no new firing within the cooldown after the resolve")
        .isAfterOrEqualTo(resolvedAt.plusSeconds(4));
    assertStaysTrue(() -> events(ws, rule).size() == 3);
  }

  @Test
  void renotifiesAtTheIntervalWhileStillBreached() {
    String ws = newWorkspace();
    String hook = newWebhook();
    // renotify every 3 rule "minutes" = 3 s in tests
    String rule =
        createRule(
            ws,
            ruleJson("calls", "1h", "gte", "5", hook, "")
                .replace("\"renotify_minutes\": 0", "\"renotify_minutes\": 3"));
    publish(update(ws, "bot", EventType.TOOL_CALL, "search", totals(9, 0, 0)));

    await().atMost(Duration.ofSeconds(40)).until(() -> events(ws, rule).size() >= 3);
    JsonNode events = events(ws, rule);
    Instant first = Instant.parse(events.get(events.size() - 1).get("occurred_at").asString());
    Instant second = Instant.parse(events.get(events.size() - 2).get("occurred_at").asString());
    Instant third = Instant.parse(events.get(events.size() - 3).get("occurred_at").asString());
    assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(Duration.between(second, third)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(Duration.between(first, second)).isLessThan(Duration.ofSeconds(8));
    assertThat(events.get(events.size() - 2).get("from_state").asString()).isEqualTo("critical");
    assertThat(events.get(events.size() - 2).get("to_state").asString()).isEqualTo("critical");
    await().atMost(Duration.ofSeconds(20)).until(() -> slackRequests(hook).size() >= 3);
  }

  @Test
  void noEventsFiresForASilentAgentOnly() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule =
        createRule(ws, ruleJson("no_events", "5m", "lte", "0", hook, ", \"group_by\": \"agent\""));
    Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
    publish(
        updateAt(
            ws, "quiet-bot", EventType.LLM_CALL, "openai/gpt-4o", tenMinutesAgo, totals(3, 0, 0)),
        update(ws, "busy-bot", EventType.LLM_CALL, "openai/gpt-4o", totals(3, 0, 0)));

    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 1);
    assertStaysTrue(() -> events(ws, rule).size() == 1);
    JsonNode events = events(ws, rule);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("group").asString()).isEqualTo("quiet-bot");
    assertThat(events.get(0).get("value").asString()).isEqualTo("0");
    assertThat(slackRequests(hook).get(0).getBodyAsString()).contains("quiet-bot");
  }

  @Test
  void latencyP95FiresWhenSlowCallsArriveAndResolvesWhenFastOnesDominate() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule = createRule(ws, ruleJson("latency_p95_ms", "5m", "gt", "1000", hook, ""));
    // one fixed minute, so each update replaces the previous totals of the window
    Instant minute = Instant.now();

    publish(updateAt(ws, "bot", EventType.TOOL_CALL, "web_fetch", minute, latencies(10, 0)));
    // 10 calls of 40 ms: p95 is 49 ms
    assertStaysTrue(() -> slackRequests(hook).isEmpty());

    // 10 fast + 10 slow: the 19th smallest of 20 is slow, capped at the largest duration
    publish(updateAt(ws, "bot", EventType.TOOL_CALL, "web_fetch", minute, latencies(10, 10)));
    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 1);
    JsonNode fired = events(ws, rule).get(0);
    assertThat(fired.get("to_state").asString()).isEqualTo("critical");
    assertThat(fired.get("value").asString()).isEqualTo("2400");

    // 200 fast + 10 slow: the 200th smallest of 210 is fast again
    publish(updateAt(ws, "bot", EventType.TOOL_CALL, "web_fetch", minute, latencies(200, 10)));
    await().atMost(Duration.ofSeconds(30)).until(() -> slackRequests(hook).size() == 2);
    assertStaysTrue(() -> events(ws, rule).size() == 2);
    JsonNode events = events(ws, rule);
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("to_state").asString()).isEqualTo("resolved");
    assertThat(slackRequests(hook)).hasSize(2);
  }

  /** Totals of {@code fast} 40 ms calls and {@code slow} 2.4 s calls, with their histogram. */
  private static MetricTotals latencies(int fast, int slow) {
    long[] buckets = new long[LatencyBuckets.COUNT];
    buckets[LatencyBuckets.bucketOf(40)] += fast;
    buckets[LatencyBuckets.bucketOf(2_400)] += slow;
    return new MetricTotals(
        fast + slow, 0, 0, 0, 0, 0, 0, fast * 40L + slow * 2_400L, slow > 0 ? 2_400 : 40, buckets);
  }

  private static List<String> deliveryStatuses(JsonNode event) {
    List<String> statuses = new ArrayList<>();
    event
        .get("deliveries")
        .forEach(d -> statuses.add(d.get("channel").asString() + ":" + d.get("status").asString()));
    return statuses;
  }

  /**
   * Asserts that {@code stillTrue} holds through several timer ticks and outbox polls (3 s): that
   * nothing more happens.
   */
  static void assertStaysTrue(java.util.concurrent.Callable<Boolean> stillTrue) {
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(stillTrue);
  }
}
