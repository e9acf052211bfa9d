package dev.beacon.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.testsupport.EntitlementsTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * The plan's {@code alert_rules} limit, from billing's records on {@code billing.entitlements.v1}
 * as libs/entitlements reads them (real Kafka and PostgreSQL). Every record goes to partition 0, so
 * a marker record published after another one tells when the service has read it.
 */
class PlanLimitKafkaTests extends AlertTestKit {

  private final EntitlementsTopic topic = EntitlementsTopic.get();

  @Autowired WorkspaceEntitlements entitlements;

  @Test
  void noRecordMeansFreeAndTheNextRuleIsRefused() {
    String ws = newWorkspace();
    for (int i = 0; i < 3; i++) {
      assertThat(create(ws).getStatus().value()).isEqualTo(201);
    }

    EntityExchangeResult<byte[]> refused = create(ws);

    assertThat(refused.getStatus().value()).isEqualTo(403);
    JsonNode body = JSON.readTree(refused.getResponseBody());
    assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
    assertThat(body.get("limit").asInt()).isEqualTo(3);
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("message").asString()).contains("3").contains("free");
    assertThat(ruleCount(ws)).as("nothing stored").isEqualTo(3);
  }

  @Test
  void aProRecordAllowsMoreAndAnOlderRevisionDoesNotLowerIt() {
    String ws = newWorkspace();
    fill(ws, 3);

    publish(ws, record(ws, "pro", 20, 5));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> create(ws).getStatus().value() == 201);
    assertThat(ruleCount(ws)).isEqualTo(4);

    publish(ws, record(ws, "free", 3, 2));
    awaitMarker();

    assertThat(entitlements.of(ws).plan()).isEqualTo("pro");
    assertThat(entitlements.of(ws).alertRules()).isEqualTo(20);
    assertThat(entitlements.of(ws).revision()).isEqualTo(5);
    assertThat(create(ws).getStatus().value()).isEqualTo(201);
    assertThat(ruleCount(ws)).isEqualTo(5);
  }

  @Test
  void aLowerLimitGatesNewRulesOnlyAndNamesThePlan() {
    String ws = newWorkspace();
    publish(ws, record(ws, "pro", 20, 1));
    await().atMost(Duration.ofSeconds(60)).until(() -> entitlements.of(ws).revision() == 1);
    fill(ws, 4);

    publish(ws, record(ws, "free", 3, 2));
    await().atMost(Duration.ofSeconds(60)).until(() -> entitlements.of(ws).revision() == 2);

    EntityExchangeResult<byte[]> refused = create(ws);
    assertThat(refused.getStatus().value()).isEqualTo(403);
    assertThat(JSON.readTree(refused.getResponseBody()).get("code").asString())
        .isEqualTo("plan_limit_reached");
    assertThat(ruleCount(ws)).as("the four existing rules are kept").isEqualTo(4);
  }

  @Test
  void aMalformedRecordChangesNothing() {
    String ws = newWorkspace();
    publish(ws, "not json".getBytes(StandardCharsets.UTF_8));
    publish(
        ws,
        ("{\"workspace_id\": \""
                + ws
                + "\", \"plan\": \"pro\", \"entitlements\":"
                + " {\"alert_rules\": \"lots\"}, \"revision\": 9}")
            .getBytes(StandardCharsets.UTF_8));
    publish(ws, ("{\"workspace_id\": \"" + ws + "\"}").getBytes(StandardCharsets.UTF_8));
    publish(ws, null);
    awaitMarker();

    assertThat(entitlements.of(ws).plan()).isEqualTo("free");
    fill(ws, 3);
    EntityExchangeResult<byte[]> refused = create(ws);
    assertThat(refused.getStatus().value()).isEqualTo(403);
    assertThat(JSON.readTree(refused.getResponseBody()).get("limit").asInt()).isEqualTo(3);
  }

  @Test
  void concurrentCreatesAtTheLimitCreateExactlyOne() throws Exception {
    String ws = newWorkspace();
    fill(ws, 2);

    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<EntityExchangeResult<byte[]>>> results = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return create(ws);
                }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<EntityExchangeResult<byte[]>> result : results) {
        EntityExchangeResult<byte[]> answer = result.get();
        statuses.add(answer.getStatus().value());
        JsonNode body = JSON.readTree(answer.getResponseBody());
        if (answer.getStatus().value() == 403) {
          assertThat(body.get("code").asString()).isEqualTo("plan_limit_reached");
        } else {
          assertThat(body.get("id").asString()).isNotBlank();
        }
      }
      assertThat(statuses).containsExactlyInAnyOrder(201, 403, 403, 403, 403);
    } finally {
      pool.shutdownNow();
    }
    assertThat(ruleCount(ws)).isEqualTo(3);
  }

  @Test
  void anotherWorkspacesRecordDoesNotAffectThisOne() {
    String upgraded = newWorkspace();
    String other = newWorkspace();
    fill(upgraded, 3);
    fill(other, 3);

    publish(upgraded, record(upgraded, "business", 100, 3));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> create(upgraded).getStatus().value() == 201);

    EntityExchangeResult<byte[]> refused = create(other);
    assertThat(refused.getStatus().value()).isEqualTo(403);
    JsonNode body = JSON.readTree(refused.getResponseBody());
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("limit").asInt()).isEqualTo(3);
    assertThat(ruleCount(other)).isEqualTo(3);
  }

  /** Creates {@code n} rules, each of which must be accepted. */
  private void fill(String ws, int n) {
    for (int i = 0; i < n; i++) {
      EntityExchangeResult<byte[]> created = create(ws);
      assertThat(created.getStatus().value()).isEqualTo(201);
      assertThat(JSON.readTree(created.getResponseBody()).get("id").asString()).isNotBlank();
    }
  }

  private EntityExchangeResult<byte[]> create(String ws) {
    return web.post()
        .uri("/api/obs/alerts/rules")
        .header("X-Beacon-Identity", owner(ws))
        .header("Content-Type", "application/json")
        .bodyValue(
            """
            {"name": "budget", "metric": "cost_usd", "window": "day", "comparator": "gt",
             "critical_threshold": "10", "channels": [{"type": "in_app"}]}
            """)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private int ruleCount(String ws) {
    byte[] body =
        web.get()
            .uri("/api/obs/alerts/rules")
            .header("X-Beacon-Identity", owner(ws))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body).get("rules").size();
  }

  /** A record in billing's format with {@code alertRules} as the rule limit. */
  private static byte[] record(String ws, String plan, int alertRules, long revision) {
    return EntitlementsTopic.record(ws, plan, Map.of("alert_rules", alertRules), revision);
  }

  /** Publishes to partition 0 (so a later marker is read after it). */
  private void publish(String key, byte[] value) {
    topic.publish(key, value);
  }

  /** Waits until the service has read everything published so far. */
  private void awaitMarker() {
    topic.awaitRead(marker -> entitlements.of(marker).revision() == 1, Duration.ofSeconds(60));
  }
}
