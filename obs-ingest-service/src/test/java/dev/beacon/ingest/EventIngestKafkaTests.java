package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_WORKSPACE;
import static dev.beacon.ingest.IngestTestKit.JSON;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.gzip;
import static dev.beacon.ingest.IngestTestKit.publishedFor;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.IdentitySigner;
import dev.beacon.ingest.IngestTestKit.Published;
import dev.beacon.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * Accepted events are on Kafka, on their type's topic, keyed and stamped with the key's workspace.
 */
@IntegrationTest
class EventIngestKafkaTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @Test
  void publishesEachEventToItsTopicKeyedByWorkspaceAndAgent() {
    String agent = uniqueAgent();
    List<ObjectNode> events =
        List.of(
            IngestTestKit.llmCall(agent),
            IngestTestKit.toolCall(agent),
            IngestTestKit.action(agent),
            IngestTestKit.serviceCall(agent),
            IngestTestKit.runStart(agent),
            IngestTestKit.custom(agent));

    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(events))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(6)
        .jsonPath("$.rejected")
        .isEqualTo(0);

    List<Published> published = publishedFor(agent);
    assertThat(published)
        .extracting(Published::topic)
        .containsExactlyInAnyOrder(
            "obs.llm-calls.v1",
            "obs.tool-calls.v1",
            "obs.actions.v1",
            "obs.service-calls.v1",
            "obs.runs.v1",
            "obs.custom-events.v1");
    assertThat(published)
        .allSatisfy(p -> assertThat(p.key()).isEqualTo(BOOTSTRAP_WORKSPACE + ":" + agent));
    assertThat(published)
        .allSatisfy(
            p ->
                assertThat(p.value().get("workspace_id").asString())
                    .isEqualTo(BOOTSTRAP_WORKSPACE));
  }

  @Test
  void answersJsonWhateverTheAcceptHeaderAsksForOnceTheEventsAreOnKafka() {
    String agent = uniqueAgent();

    web.post()
        .uri("/api/obs/v1/events")
        .header("Authorization", "Bearer " + BOOTSTRAP_KEY)
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.TEXT_HTML)
        .bodyValue(batch(IngestTestKit.llmCall(agent)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    assertThat(publishedFor(agent)).hasSize(1);
  }

  @Test
  void ignoresClientSuppliedWorkspaceId() {
    String agent = uniqueAgent();
    ObjectNode event = IngestTestKit.llmCall(agent).put("workspace_id", "someone-elses-workspace");

    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.value().get("workspace_id").asString()).isEqualTo(BOOTSTRAP_WORKSPACE);
              assertThat(p.key()).startsWith(BOOTSTRAP_WORKSPACE + ":");
            });
  }

  @Test
  void keyOfAnotherWorkspaceWritesOnlyIntoItsOwnWorkspace() {
    String key = IngestTestKit.newKey(web, signer, "ws-other");
    String agent = uniqueAgent();

    IngestTestKit.post(
            web, key, batch(IngestTestKit.custom(agent).put("workspace_id", BOOTSTRAP_WORKSPACE)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(p -> assertThat(p.value().get("workspace_id").asString()).isEqualTo("ws-other"));
  }

  @Test
  void acceptsDuplicateEventIdsInOneBatchAndSendsThemOnce() {
    String agent = uniqueAgent();
    ObjectNode event = IngestTestKit.toolCall(agent);

    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event, event.deepCopy()))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(2);

    assertThat(publishedFor(agent)).hasSize(1);
  }

  @Test
  void acceptsTheSameEventAgainOnRetry() {
    String agent = uniqueAgent();
    String body = batch(IngestTestKit.toolCall(agent));

    IngestTestKit.post(web, BOOTSTRAP_KEY, body)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);
    IngestTestKit.post(web, BOOTSTRAP_KEY, body)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    assertThat(publishedFor(agent))
        .hasSize(2)
        .extracting(p -> p.value().get("event_id").asString())
        .containsOnly(JSON.readTree(body).get("batch").get(0).get("event_id").asString());
  }

  @Test
  void mixedBatchPublishesGoodEventsAndReportsBadOnes() {
    String agent = uniqueAgent();
    ObjectNode good = IngestTestKit.llmCall(agent);
    ObjectNode badSchema = IngestTestKit.llmCall(agent);
    ((ObjectNode) badSchema.get("llm")).put("input_tokens", -1);
    ObjectNode future = IngestTestKit.custom(agent).put("occurred_at", "2099-01-01T00:00:00Z");

    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(good, badSchema, future))
        .expectStatus()
        .isEqualTo(207)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1)
        .jsonPath("$.rejected")
        .isEqualTo(2)
        .jsonPath("$.results[0].status")
        .isEqualTo("accepted")
        .jsonPath("$.results[1].index")
        .isEqualTo(1)
        .jsonPath("$.results[1].event_id")
        .isEqualTo(badSchema.get("event_id").asString())
        .jsonPath("$.results[1].code")
        .isEqualTo("schema_violation")
        .jsonPath("$.results[1].message")
        .value(message -> assertThat((String) message).contains("/llm/input_tokens"))
        .jsonPath("$.results[2].code")
        .isEqualTo("occurred_at_in_future");

    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.value().get("event_id").asString())
                    .isEqualTo(good.get("event_id").asString()));
  }

  @Test
  void acceptsGzipEncodedBatch() {
    String agent = uniqueAgent();
    List<ObjectNode> events =
        IntStream.range(0, 100)
            .mapToObj(i -> IngestTestKit.llmCall(agent))
            .collect(Collectors.toList());

    IngestTestKit.postGzip(web, BOOTSTRAP_KEY, gzip(batch(events).getBytes(StandardCharsets.UTF_8)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(100);

    assertThat(publishedFor(agent)).hasSize(100);
  }

  @Test
  void keepsUnknownFieldsAndTheClientsOffset() {
    String agent = uniqueAgent();
    ObjectNode event =
        IngestTestKit.custom(agent)
            .put("sdk_version", "python/1.4.2")
            .put(
                "occurred_at",
                // a formatter, not toString(): that leaves the seconds out when they are zero
                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    java.time.OffsetDateTime.now()
                        .minusMinutes(1)
                        .withSecond(0)
                        .withNano(0)
                        .withOffsetSameInstant(java.time.ZoneOffset.ofHours(1))));

    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);

    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.value().get("sdk_version").asString()).isEqualTo("python/1.4.2");
              assertThat(p.value().get("occurred_at").asString())
                  .isEqualTo(event.get("occurred_at").asString());
            });
  }

  @Test
  void storesEachEventAsSentWithOnlyTheWorkspaceAdded() {
    String agent = uniqueAgent();
    ObjectNode first = IngestTestKit.custom(agent);
    first.putObject("metadata").put("note", "caf\u00e9 \u2603 \uD83D\uDE80").put("n", 1.50);
    ObjectNode second = IngestTestKit.llmCall(agent);
    // pretty-printed, with escapes and whitespace between the events, as a hand-written client
    // might
    String body =
        "{\n  \"batch\" : [\n    "
            + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(first)
            + " ,\r\n\t"
            + second.toString().replace("\"agent_id\":", "\"agent_id\" :  ")
            + "\n  ]\n}";

    IngestTestKit.post(web, BOOTSTRAP_KEY, body)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(2);

    assertThat(publishedFor(agent))
        .extracting(Published::value)
        .containsExactlyInAnyOrder(
            first.deepCopy().put("workspace_id", BOOTSTRAP_WORKSPACE),
            second.deepCopy().put("workspace_id", BOOTSTRAP_WORKSPACE));
  }
}
