package dev.beacon.aggregator.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.events.EventType;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@IntegrationTest
class MetricStreamWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;
  @Autowired MetricUpdateHub hub;

  final String workspace = Events.newWorkspace();
  final String otherWorkspace = Events.newWorkspace();

  @BeforeEach
  void streamConsumerIsLive() {
    await().atMost(Duration.ofSeconds(30)).until(hub::isLive);
  }

  @Test
  void streamsTheWorkspacesUpdatesFromEveryReplicaAndNeverAnotherWorkspaces() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    EventStream events = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    // what another aggregator replica published after a batch this one never saw
    MetricUpdate fromAnotherReplica = update(workspace, "replica-2-agent", now);
    Set<String> expectedAgents = Set.of("support-bot", "replica-2-agent");
    Set<String> seenAgents = new HashSet<>();
    List<JsonNode> foreign = new ArrayList<>();

    StepVerifier.create(metricsEvents(workspace, Role.VIEWER))
        .then(
            () -> {
              events.publish(
                  List.of(
                      Events.toolCall(workspace, "support-bot", "slack.post", now, 20, true),
                      Events.toolCall(otherWorkspace, "intruder", "slack.post", now, 20, true)));
              kafka.send(
                  Topics.METRIC_UPDATES.name(),
                  Topics.eventKey(workspace, fromAnotherReplica.agentId()),
                  json.writeValueAsBytes(fromAnotherReplica));
              kafka.send(
                  Topics.METRIC_UPDATES.name(),
                  Topics.eventKey(otherWorkspace, "intruder-2"),
                  json.writeValueAsBytes(update(otherWorkspace, "intruder-2", now)));
            })
        .thenConsumeWhile(
            event -> {
              assertThat(event.get("at").asString()).isNotBlank();
              for (JsonNode update : event.get("updates")) {
                if (!workspace.equals(update.get("workspace_id").asString())) {
                  foreign.add(update);
                }
                seenAgents.add(update.get("agent_id").asString());
              }
              return !seenAgents.containsAll(expectedAgents);
            })
        .thenCancel()
        .verify(Duration.ofSeconds(60));

    assertThat(seenAgents).containsAll(expectedAgents).doesNotContain("intruder", "intruder-2");
    assertThat(foreign).isEmpty();
  }

  @Test
  void carriesTheMetricUpdateJsonOfTheContract() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    MetricUpdate sent = update(workspace, "shape-check", now);
    StepVerifier.create(metricsEvents(workspace, Role.OWNER))
        .then(
            () ->
                kafka.send(
                    Topics.METRIC_UPDATES.name(),
                    Topics.eventKey(workspace, sent.agentId()),
                    json.writeValueAsBytes(sent)))
        .assertNext(
            event -> {
              JsonNode update = event.get("updates").get(0);
              assertThat(json.treeToValue(update, MetricUpdate.class)).isEqualTo(sent);
              assertThat(update.get("minute_totals").get("calls").asLong()).isEqualTo(3);
              assertThat(update.has("day_totals")).isTrue();
            })
        .thenCancel()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void refusesACallerWithoutIdentity() {
    web.get()
        .uri("/api/obs/metrics/stream")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("identity_missing");
  }

  /** The {@code metrics} events' data of a stream opened with a signed identity. */
  private Flux<JsonNode> metricsEvents(String workspaceId, Role role) {
    return web.mutate()
        .responseTimeout(Duration.ofSeconds(60))
        .build()
        .get()
        .uri("/api/obs/metrics/stream")
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", workspaceId, role))
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
        .getResponseBody()
        .filter(event -> MetricStreamController.EVENT.equals(event.event()))
        .map(event -> json.readTree(event.data()));
  }

  private static MetricUpdate update(String workspaceId, String agentId, OffsetDateTime now) {
    MetricTotals totals = new MetricTotals(3, 1, 10, 20, 0, 0, 4_000, 300, 200);
    OffsetDateTime minute = now.truncatedTo(ChronoUnit.MINUTES);
    return new MetricUpdate(
        workspaceId, agentId, EventType.CUSTOM, "", minute, totals, minute.toLocalDate(), totals);
  }
}
