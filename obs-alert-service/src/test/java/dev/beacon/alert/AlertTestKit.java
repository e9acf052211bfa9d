package dev.beacon.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.events.EventType;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import dev.beacon.events.Topics;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.BeaconInfrastructure;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared fixture of the alert service's integration tests: one application context (real Kafka,
 * real PostgreSQL) with the short timings of {@link SlackStub}, the WireMock server playing Slack
 * (and the aggregator), a Kafka producer for metric updates, and helpers to act as the gateway.
 */
@IntegrationTest
public abstract class AlertTestKit {

  /** Slack (and the aggregator's read API), for every test class in this JVM. */
  public static final WireMockServer wiremock = SlackStub.server();

  private static KafkaProducer<String, byte[]> producer;

  protected static final ObjectMapper JSON = JsonMapper.builder().build();

  @Autowired protected WebTestClient web;
  @Autowired protected IdentitySigner signer;

  /** Generous timeouts: the shared test machines are slow and the first requests run cold. */
  @org.junit.jupiter.api.BeforeEach
  void patientClient() {
    web = web.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
  }

  /** A fresh workspace id, so tests never see each other's rules. */
  protected static String newWorkspace() {
    return "ws_" + UUID.randomUUID().toString().substring(0, 12);
  }

  protected String identity(String workspaceId, Role role) {
    return signer.sign("user-" + workspaceId, workspaceId, role, java.time.Duration.ofMinutes(10));
  }

  protected String owner(String workspaceId) {
    return identity(workspaceId, Role.OWNER);
  }

  /** A fresh webhook path on the WireMock server, answering 200 ok unless stubbed otherwise. */
  protected static String newWebhook() {
    String path = "/services/T" + UUID.randomUUID().toString().substring(0, 8) + "/B1/secret";
    wiremock.stubFor(
        post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody("ok")));
    return path;
  }

  protected static String webhookUrl(String path) {
    return wiremock.baseUrl() + path;
  }

  protected static List<LoggedRequest> slackRequests(String path) {
    return wiremock.findAll(postRequestedFor(urlPathEqualTo(path)));
  }

  /** Creates a rule from JSON as the owner; returns its id. */
  protected String createRule(String workspaceId, String json) {
    byte[] body =
        web.post()
            .uri("/api/obs/alerts/rules")
            .header("X-Beacon-Identity", owner(workspaceId))
            .header("Content-Type", "application/json")
            .bodyValue(json)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body).get("id").asString();
  }

  /** A rule JSON with the given parts and a Slack channel plus in-app. */
  protected static String ruleJson(
      String metric,
      String window,
      String comparator,
      String critical,
      String webhookPath,
      String extra) {
    return """
        {"name": "rule %s", "metric": "%s", "window": "%s", "comparator": "%s",
         "critical_threshold": "%s", "renotify_minutes": 0, "cooldown_minutes": 0,
         "channels": [{"type": "slack", "webhook_url": "%s"}, {"type": "in_app"}]%s}
        """
        .formatted(metric, metric, window, comparator, critical, webhookUrl(webhookPath), extra);
  }

  /** The workspace's alert events, newest first, as JSON. */
  protected tools.jackson.databind.JsonNode events(String workspaceId, String ruleId) {
    byte[] body =
        web.get()
            .uri("/api/obs/alerts/events?limit=200&rule_id=" + ruleId)
            .header("X-Beacon-Identity", owner(workspaceId))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body).get("events");
  }

  protected tools.jackson.databind.JsonNode rule(String workspaceId, String ruleId) {
    byte[] body =
        web.get()
            .uri("/api/obs/alerts/rules/" + ruleId)
            .header("X-Beacon-Identity", owner(workspaceId))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  /** Publishes metric updates as the aggregator does (key workspace:agent, JSON value). */
  protected static void publish(MetricUpdate... updates) {
    for (MetricUpdate update : updates) {
      try {
        producer()
            .send(
                new ProducerRecord<>(
                    Topics.METRIC_UPDATES.name(),
                    Topics.eventKey(update.workspaceId(), update.agentId()),
                    JSON.writeValueAsBytes(update)))
            .get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  BeaconInfrastructure.get().kafkaBootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new ByteArraySerializer());
    }
    return producer;
  }

  /** Totals with the given calls, errors and cost. */
  protected static MetricTotals totals(long calls, long errors, long costNanoUsd) {
    return new MetricTotals(
        calls, errors, calls * 100, calls * 10, 0, 0, costNanoUsd, calls * 200, 300);
  }

  /** When this test started: {@link #update} pins every update of one test to its minute. */
  private final Instant testStart = Instant.now();

  /**
   * An update for the minute and day this test started in, with the same totals for both. Updates
   * carry absolute totals, so a later update of the same series replaces an earlier one, even when
   * the test runs across a minute boundary (an update for the next minute would add to the window
   * instead).
   */
  protected MetricUpdate update(
      String workspaceId, String agent, EventType type, String subject, MetricTotals totals) {
    return updateAt(workspaceId, agent, type, subject, testStart, totals);
  }

  /** An update for the minute containing {@code at}. */
  protected static MetricUpdate updateAt(
      String workspaceId,
      String agent,
      EventType type,
      String subject,
      Instant at,
      MetricTotals totals) {
    Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
    return new MetricUpdate(
        workspaceId,
        agent,
        type,
        subject,
        minute.atOffset(ZoneOffset.UTC),
        totals,
        LocalDate.ofInstant(minute, ZoneOffset.UTC),
        totals);
  }

  /** Direct SQL against the service's schema, for assertions on outbox rows. */
  protected static JdbcTemplate jdbc() {
    var infra = BeaconInfrastructure.get();
    return new JdbcTemplate(
        new DriverManagerDataSource(infra.jdbcUrl(), infra.username(), infra.password()));
  }
}
