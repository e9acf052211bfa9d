package dev.beacon.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

  /** billing's compacted topic (docs/billing.md); billing-service creates it, the tests do here. */
  private static final String TOPIC = "billing.entitlements.v1";

  private static KafkaProducer<String, byte[]> producer;

  @Autowired WorkspaceEntitlements entitlements;

  @BeforeAll
  static void compactedTopic() throws Exception {
    String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void closeProducer() {
    if (producer != null) {
      producer.close();
    }
  }

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

  /** A record in billing's format (docs/billing.md). */
  private static byte[] record(String ws, String plan, int alertRules, long revision) {
    return """
        {"workspace_id": "%s", "plan": "%s", "subscribed_plan": "%s", "status": "active",
         "current_period_end": "2027-01-07T10:00:00Z", "grace_until": null,
         "entitlements": {"retention_days": 30, "events_per_month": 1000000,
                          "alert_rules": %d, "members": 10, "api_keys": 10,
                          "hosted_credit_allowance": 5000000},
         "revision": %d}
        """
        .formatted(ws, plan, plan, alertRules, revision)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Publishes to partition 0 (so a later marker is read after it). */
  private static void publish(String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(TOPIC, 0, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes a marker record behind everything published so far and waits until it is read. */
  private void awaitMarker() {
    String marker = newWorkspace();
    publish(marker, record(marker, "pro", 20, 1));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> entitlements.of(marker).plan().equals("pro"));
  }
}
