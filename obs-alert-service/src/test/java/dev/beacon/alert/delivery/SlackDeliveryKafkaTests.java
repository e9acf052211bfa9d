package dev.beacon.alert.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.alert.AlertTestKit;
import dev.beacon.events.EventType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Slack delivery end to end: metric update → transition → outbox → WireMock playing Slack. */
class SlackDeliveryKafkaTests extends AlertTestKit {

  @Test
  void honoursRetryAfterOn429ThenDeliversOnce() {
    String ws = newWorkspace();
    String hook =
        scripted(
            aResponse().withStatus(429).withHeader("Retry-After", "2").withBody("rate_limited"),
            aResponse().withStatus(200).withBody("ok"));
    String rule = fire(ws, hook);

    JsonNode delivery = awaitSlackDelivery(ws, rule, "delivered");
    List<LoggedRequest> requests = chronological(hook);
    assertThat(requests).hasSize(2);
    assertThat(
            Duration.between(
                requests.get(0).getLoggedDate().toInstant(),
                requests.get(1).getLoggedDate().toInstant()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    List<JsonNode> attempts = slackAttempts(ws, rule);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(429);
    assertThat(attempts.get(0).get("status").asString()).isEqualTo("retrying");
    assertThat(attempts.get(1).get("status_code").asInt()).isEqualTo(200);
    assertThat(delivery.get("status").asString()).isEqualTo("delivered");
    assertThat(channelStatus(ws, rule)).isEqualTo("ok");
  }

  @Test
  void retriesServerErrorsWithBackoffThenDeliversOnce() {
    String ws = newWorkspace();
    String hook =
        scripted(
            aResponse().withStatus(500).withBody("boom"),
            aResponse().withStatus(500).withBody("boom"),
            aResponse().withStatus(500).withBody("boom"),
            aResponse().withStatus(200).withBody("ok"));
    String rule = fire(ws, hook);

    awaitSlackDelivery(ws, rule, "delivered");
    List<LoggedRequest> requests = chronological(hook);
    assertThat(requests).hasSize(4);
    Duration firstGap = gap(requests, 0);
    Duration lastGap = gap(requests, 2);
    assertThat(firstGap).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(lastGap).as("exponential back-off: later waits are longer").isGreaterThan(firstGap);
    assertThat(slackAttempts(ws, rule))
        .extracting(a -> a.get("status").asString())
        .containsExactly("retrying", "retrying", "retrying", "delivered");
  }

  @ParameterizedTest(name = "{0} {1} is permanent")
  @CsvSource({
    "400, invalid_payload",
    "403, invalid_token",
    "404, channel_not_found",
    "404, no_service",
    "410, channel_is_archived",
    "200, invalid_token",
  })
  void permanentAnswersAreNotRetriedAndMarkTheChannelBroken(int status, String body) {
    String ws = newWorkspace();
    String hook = scripted(aResponse().withStatus(status).withBody(body));
    String rule = fire(ws, hook);

    JsonNode delivery = awaitSlackDelivery(ws, rule, "failed");
    await().atMost(Duration.ofSeconds(10)).until(() -> channelStatus(ws, rule).equals("broken"));
    EvaluationQuiet.assertStaysTrue(() -> chronological(hook).size() == 1);
    assertThat(delivery.get("status_code").asInt()).isEqualTo(status);
    assertThat(delivery.get("error").asString()).contains(body);
    assertThat(rule(ws, rule).get("channels").get(0).get("last_error").asString()).contains(body);
  }

  @Test
  void disablesAChannelAfterFiveConsecutiveFailedDeliveries() {
    String ws = newWorkspace();
    String hook = newWebhook();
    wiremock.stubFor(post(urlPathEqualTo(hook)).willReturn(aResponse().withStatus(503)));
    String rule =
        createRule(
            ws,
            ruleJson("calls", "1h", "gte", "1", hook, "")
                .replace("\"renotify_minutes\": 0", "\"renotify_minutes\": 1"));
    publish(update(ws, "bot", EventType.TOOL_CALL, "search", totals(3, 0, 0)));

    await().atMost(Duration.ofSeconds(90)).until(() -> channelStatus(ws, rule).equals("disabled"));
    // a disabled channel stays disabled and, once an attempt in flight has landed, is not tried
    EvaluationQuiet.assertStaysTrue(() -> channelStatus(ws, rule).equals("disabled"));
    int requests = chronological(hook).size();
    EvaluationQuiet.assertStaysTrue(() -> chronological(hook).size() == requests);
    assertThat(
            jdbc()
                .queryForObject(
                    "SELECT consecutive_failures FROM obs_alert.channels WHERE rule_id = ?::uuid AND"
                        + " type = 'slack'",
                    Integer.class,
                    rule))
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void sendsABlockKitMessageWithRuleScopeValueThresholdWindowAndLink() {
    String ws = newWorkspace();
    String hook = newWebhook();
    String rule = fire(ws, hook);
    awaitSlackDelivery(ws, rule, "delivered");

    JsonNode message = JSON.readTree(chronological(hook).get(0).getBodyAsString());
    assertThat(message.get("text").asString()).contains("[CRITICAL]");
    String blocks = message.get("blocks").toString();
    assertThat(blocks)
        .contains("\"type\":\"header\"")
        .contains("*Rule*")
        .contains("*Scope*")
        .contains("*Value*\\n3")
        .contains("*Threshold*\\ngte 1")
        .contains("*Window*\\n1h")
        .contains("https://beacon.example.com/alerts?rule=" + rule);
  }

  @Test
  void testEndpointReportsEachChannelsOutcome() {
    String ws = newWorkspace();
    String hook = scripted(aResponse().withStatus(404).withBody("channel_not_found"));
    String rule = createRule(ws, ruleJson("calls", "1h", "gt", "1000", hook, ""));

    web.post()
        .uri("/api/obs/alerts/rules/" + rule + "/test")
        .header("X-Beacon-Identity", owner(ws))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.results[0].channel")
        .isEqualTo("slack")
        .jsonPath("$.results[0].status")
        .isEqualTo("failed")
        .jsonPath("$.results[0].status_code")
        .isEqualTo(404)
        .jsonPath("$.results[0].error")
        .value(error -> assertThat(error.toString()).contains("channel_not_found"))
        .jsonPath("$.results[1].channel")
        .isEqualTo("in_app")
        .jsonPath("$.results[1].status")
        .isEqualTo("delivered");
    assertThat(chronological(hook)).hasSize(1);
    assertThat(channelStatus(ws, rule)).as("a test does not break the channel").isEqualTo("ok");
  }

  private String fire(String ws, String hook) {
    String rule = createRule(ws, ruleJson("calls", "1h", "gte", "1", hook, ""));
    publish(update(ws, "bot", EventType.TOOL_CALL, "search", totals(3, 0, 0)));
    return rule;
  }

  /** A fresh webhook that answers the given responses in order, then keeps the last one. */
  private static String scripted(ResponseDefinitionBuilder... responses) {
    String hook = newWebhook();
    String scenario = "script " + hook;
    for (int i = 0; i < responses.length; i++) {
      var stub =
          post(urlPathEqualTo(hook))
              .atPriority(1)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? STARTED : "step " + i)
              .willReturn(responses[i]);
      if (i < responses.length - 1) {
        stub = stub.willSetStateTo("step " + (i + 1));
      }
      wiremock.stubFor(stub);
    }
    return hook;
  }

  private static List<LoggedRequest> chronological(String hook) {
    return slackRequests(hook).stream()
        .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
  }

  private static Duration gap(List<LoggedRequest> requests, int index) {
    return Duration.between(
        requests.get(index).getLoggedDate().toInstant(),
        requests.get(index + 1).getLoggedDate().toInstant());
  }

  /**
   * Waits for the first event's slack delivery to reach a final status; returns its last attempt.
   */
  private JsonNode awaitSlackDelivery(String ws, String rule, String status) {
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                jdbc()
                    .queryForList(
                        "SELECT status FROM obs_alert.deliveries WHERE rule_id = ?::uuid AND"
                            + " channel_type = 'slack'",
                        String.class,
                        rule)
                    .contains(status));
    List<JsonNode> attempts = slackAttempts(ws, rule);
    return attempts.get(attempts.size() - 1);
  }

  private List<JsonNode> slackAttempts(String ws, String rule) {
    JsonNode events = events(ws, rule);
    JsonNode first = events.get(events.size() - 1);
    List<JsonNode> attempts = new java.util.ArrayList<>();
    first
        .get("deliveries")
        .forEach(
            d -> {
              if (d.get("channel").asString().equals("slack")) {
                attempts.add(d);
              }
            });
    return attempts;
  }

  private String channelStatus(String ws, String rule) {
    return rule(ws, rule).get("channels").get(0).get("status").asString();
  }

  /** Asserts that a condition holds through a few evaluation and outbox rounds (3 s). */
  static final class EvaluationQuiet {
    static void assertStaysTrue(java.util.concurrent.Callable<Boolean> stillTrue) {
      org.awaitility.Awaitility.await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(stillTrue);
    }
  }
}
