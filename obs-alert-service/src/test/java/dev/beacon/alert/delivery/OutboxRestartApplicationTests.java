package dev.beacon.alert.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.beacon.alert.AlertApplication;
import dev.beacon.alert.SlackStub;
import dev.beacon.events.EventType;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import dev.beacon.events.Topics;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox survives the process: a notification that is pending when the service stops is
 * delivered by the next process, exactly once as a transition (replaying the metric updates on
 * start raises no second alert). Runs two applications one after the other against a database of
 * their own, so the shared test context never touches their rows.
 */
class OutboxRestartApplicationTests {

  private final WireMockServer slack = SlackStub.server();

  @Test
  void aNotificationPendingAtShutdownIsDeliveredAfterRestart() throws Exception {
    String database = "alert_restart_" + UUID.randomUUID().toString().substring(0, 8);
    admin().execute("CREATE DATABASE " + database);
    String hook = "/services/TRESTART/B1/" + UUID.randomUUID();
    slack.stubFor(post(urlPathEqualTo(hook)).willReturn(aResponse().withStatus(503)));
    String ws = "ws_restart_" + UUID.randomUUID().toString().substring(0, 8);
    String ruleId;

    try (ConfigurableApplicationContext first = start(database)) {
      ruleId = createRule(first, ws, slack.baseUrl() + hook);
      publish(ws);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> deliveryStatus(database, ruleId).equals("retrying"));
    }
    int failedRequests = slack.findAll(postRequestedFor(urlPathEqualTo(hook))).size();
    assertThat(failedRequests).isPositive();
    assertThat(deliveryStatus(database, ruleId)).isIn("pending", "retrying");

    slack.stubFor(
        post(urlPathEqualTo(hook)).willReturn(aResponse().withStatus(200).withBody("ok")));
    try (ConfigurableApplicationContext second = start(database)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> deliveryStatus(database, ruleId).equals("delivered"));
      JdbcTemplate db = jdbc(database);
      assertThat(
              db.queryForObject(
                  "SELECT count(*) FROM obs_alert.alert_events WHERE rule_id = ?::uuid",
                  Integer.class,
                  ruleId))
          .as("replaying the metric updates on start raised no second transition")
          .isEqualTo(1);
      List<Map<String, Object>> attempts =
          db.queryForList(
              "SELECT a.attempt, a.status, a.status_code FROM obs_alert.delivery_attempts a JOIN"
                  + " obs_alert.deliveries d ON d.id = a.delivery_id WHERE d.rule_id = ?::uuid AND"
                  + " d.channel_type = 'slack' ORDER BY a.attempt",
              ruleId);
      assertThat(attempts.get(attempts.size() - 1).get("status")).isEqualTo("delivered");
      assertThat(attempts)
          .as("the first process's failed attempts are kept")
          .extracting(a -> a.get("status_code"))
          .contains(503, 200);
      assertThat(attempts).extracting(a -> a.get("attempt")).doesNotHaveDuplicates();
    }
    assertThat(slack.findAll(postRequestedFor(urlPathEqualTo(hook))))
        .filteredOn(r -> r.getLoggedDate() != null)
        .hasSize(failedRequests + 1);
  }

  private static ConfigurableApplicationContext start(String database) {
    Map<String, Object> properties = new HashMap<>(BeaconInfrastructure.springProperties());
    properties.put(
        "spring.r2dbc.url",
        BeaconInfrastructure.get().r2dbcUrl().replaceAll("/[^/?]+$", "/" + database));
    properties.put("spring.flyway.url", jdbcUrl(database));
    properties.put("spring.kafka.consumer.group-id", "alert-restart-" + database);
    properties.put("server.port", "0");
    String[] arguments =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(AlertApplication.class).run(arguments);
  }

  private static String createRule(ConfigurableApplicationContext app, String ws, String webhook) {
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    String identity = app.getBean(IdentitySigner.class).sign("u-1", ws, Role.OWNER);
    byte[] body =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .build()
            .post()
            .uri("/api/obs/alerts/rules")
            .header("X-Beacon-Identity", identity)
            .header("Content-Type", "application/json")
            .bodyValue(
                """
                {"name": "restart", "metric": "calls", "window": "1h", "comparator": "gte",
                 "critical_threshold": "1", "renotify_minutes": 0,
                 "channels": [{"type": "slack", "webhook_url": "%s"}]}
                """
                    .formatted(webhook))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JsonMapper.builder().build().readTree(body).get("id").asString();
  }

  private static void publish(String ws) throws Exception {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    MetricTotals totals = new MetricTotals(3, 0, 0, 0, 0, 0, 0, 0, 0);
    MetricUpdate update =
        new MetricUpdate(
            ws,
            "bot",
            EventType.TOOL_CALL,
            "search",
            minute.atOffset(ZoneOffset.UTC),
            totals,
            LocalDate.ofInstant(minute, ZoneOffset.UTC),
            totals);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BeaconInfrastructure.get().kafkaBootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.METRIC_UPDATES.name(),
                  Topics.eventKey(ws, "bot"),
                  JsonMapper.builder().build().writeValueAsBytes(update)))
          .get();
    }
  }

  private static String deliveryStatus(String database, String ruleId) {
    List<String> statuses =
        jdbc(database)
            .queryForList(
                "SELECT status FROM obs_alert.deliveries WHERE rule_id = ?::uuid",
                String.class,
                ruleId);
    return statuses.isEmpty() ? "none" : statuses.get(0);
  }

  private static JdbcTemplate admin() {
    var infra = BeaconInfrastructure.get();
    return new JdbcTemplate(
        new DriverManagerDataSource(infra.jdbcUrl(), infra.username(), infra.password()));
  }

  private static JdbcTemplate jdbc(String database) {
    var infra = BeaconInfrastructure.get();
    return new JdbcTemplate(
        new DriverManagerDataSource(jdbcUrl(database), infra.username(), infra.password()));
  }

  private static String jdbcUrl(String database) {
    return BeaconInfrastructure.get().jdbcUrl().replaceAll("/[^/?]+(\\?|$)", "/" + database + "$1");
  }
}
