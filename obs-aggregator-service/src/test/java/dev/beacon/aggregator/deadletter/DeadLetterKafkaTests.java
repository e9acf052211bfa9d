package dev.beacon.aggregator.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Dead letters listed and replayed by a platform admin (owner of the ops workspace "ops-test"). */
@IntegrationTest
class DeadLetterKafkaTests {

  static final String OPS = "ops-test";

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;
  @Autowired MeterRegistry meters;

  @Test
  void aPoisonRecordLandsInTheDeadLetterTopicAndIsListedWithItsReasonAndOrigin() {
    String workspace = Events.newWorkspace();
    String poison = "{not json " + UUID.randomUUID();
    EventStream stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    stream.publishRaw(
        Topics.LLM_CALLS.name(),
        Topics.eventKey(workspace, "a"),
        poison.getBytes(StandardCharsets.UTF_8));

    JsonNode letter =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> find(list("obs.llm-calls.v1", 500), poison), found -> found != null);

    assertThat(letter.get("topic").asString()).isEqualTo("obs.llm-calls.v1.dlt");
    assertThat(letter.get("reason").asString()).isEqualTo("undecodable");
    assertThat(letter.get("original_topic").asString()).isEqualTo("obs.llm-calls.v1");
    assertThat(letter.get("original_offset").isNumber()).isTrue();
    assertThat(letter.get("original_partition").asInt()).isEqualTo(letter.get("partition").asInt());
    assertThat(letter.get("key").asString()).isEqualTo(workspace + ":a");
    assertThat(letter.get("payload_bytes").asInt()).isEqualTo(poison.length());
    assertThat(letter.get("payload_truncated").asBoolean()).isFalse();
    assertThat(find(list(null, 500), poison)).isNotNull();
  }

  @Test
  void aReplayedRecordIsStoredOnceEvenWhenReplayedTwice() throws Exception {
    String workspace = Events.newWorkspace();
    ObsEvent event =
        Events.llmCall(
            workspace,
            "agent-r",
            "openai",
            "gpt-4o",
            OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS),
            1000,
            100,
            0,
            0,
            50);
    // dead-lettered earlier for a transient cause, as the recoverer writes it
    ProducerRecord<String, byte[]> letter =
        new ProducerRecord<>(
            Topics.LLM_CALLS.deadLetterName(),
            Topics.eventKey(workspace, "agent-r"),
            json.writeValueAsBytes(event));
    letter.headers().add(new RecordHeader("beacon-dlt-reason", bytes("unexpected")));
    letter
        .headers()
        .add(new RecordHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC, bytes("obs.llm-calls.v1")));
    RecordMetadata at = kafka.send(letter).get(30, TimeUnit.SECONDS).getRecordMetadata();
    EventStream stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));

    replay(
            Map.of(
                "topic",
                "obs.llm-calls.v1.dlt",
                "partition",
                at.partition(),
                "offsets",
                new long[] {at.offset()}))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.replayed")
        .isEqualTo(1)
        .jsonPath("$.records[0].outcome")
        .isEqualTo("replayed")
        .jsonPath("$.records[0].original_topic")
        .isEqualTo("obs.llm-calls.v1");
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 1);

    double duplicatesBefore = duplicates();
    replay(
            Map.of(
                "topic",
                "obs.llm-calls.v1",
                "partition",
                at.partition(),
                "from_offset",
                at.offset(),
                "up_to_offset",
                at.offset()))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.replayed")
        .isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() > duplicatesBefore);

    assertThat(stream.storedEvents(workspace)).isOne();
    assertThat(stream.daily(workspace, "calls")).isOne();
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(3_500_000);
  }

  @Test
  void reportsOffsetsThatAreNotInThePartition() {
    replay(
            Map.of(
                "topic",
                "obs.tool-calls.v1.dlt",
                "partition",
                0,
                "offsets",
                new long[] {999_999_999L}))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.replayed")
        .isEqualTo(0)
        .jsonPath("$.records[0].outcome")
        .isEqualTo("not_found");
  }

  @Test
  void onlyOwnersAndAdminsOfTheOpsWorkspaceAreAdmins() {
    for (ForwardedRole caller :
        new ForwardedRole[] {
          new ForwardedRole(Events.newWorkspace(), Role.OWNER),
          new ForwardedRole(OPS, Role.MEMBER),
          new ForwardedRole(OPS, Role.VIEWER)
        }) {
      web.get()
          .uri("/api/obs/admin/dlt")
          .header(ForwardedIdentity.HEADER, signer.sign("u", caller.workspace(), caller.role()))
          .exchange()
          .expectStatus()
          .isForbidden()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("platform_admin_required");
    }
    web.post()
        .uri("/api/obs/admin/dlt/replay")
        .header(ForwardedIdentity.HEADER, signer.sign("u", Events.newWorkspace(), Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("topic", "obs.llm-calls.v1.dlt", "partition", 0, "up_to_offset", 5))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("platform_admin_required");
    web.get()
        .uri("/api/obs/admin/dlt")
        .header(ForwardedIdentity.HEADER, signer.sign("u", OPS, Role.ADMIN))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.dead_letters")
        .isArray();
  }

  @Test
  void rejectsUnknownTopicsAndAmbiguousOrMissingSelections() {
    web.get()
        .uri("/api/obs/admin/dlt?topic=obs.secrets.v1")
        .header(ForwardedIdentity.HEADER, admin())
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter");
    web.get()
        .uri("/api/obs/admin/dlt?limit=0")
        .header(ForwardedIdentity.HEADER, admin())
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter");
    for (Map<String, Object> body :
        java.util.List.<Map<String, Object>>of(
            Map.of("topic", "obs.llm-calls.v1.dlt", "partition", 0),
            Map.of(
                "topic",
                "obs.llm-calls.v1.dlt",
                "partition",
                0,
                "offsets",
                new long[] {1},
                "up_to_offset",
                3),
            Map.of("topic", "obs.llm-calls.v1.dlt", "offsets", new long[] {1}),
            Map.of("topic", "obs.llm-calls.v1.dlt", "partition", 0, "offsets", new long[] {}),
            Map.of(
                "topic",
                "obs.llm-calls.v1.dlt",
                "partition",
                0,
                "from_offset",
                9,
                "up_to_offset",
                3),
            Map.of("topic", "nope", "partition", 0, "up_to_offset", 3))) {
      replay(body)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter");
    }
    replay(Map.of("topic", "obs.llm-calls.v1.dlt", "partition", 99, "up_to_offset", 3))
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  private JsonNode list(String topic, int limit) {
    byte[] body =
        web.get()
            .uri(
                builder ->
                    builder
                        .path("/api/obs/admin/dlt")
                        .queryParamIfPresent("topic", java.util.Optional.ofNullable(topic))
                        .queryParam("limit", limit)
                        .build())
            .header(ForwardedIdentity.HEADER, admin())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return json.readTree(body).get("dead_letters");
  }

  private static JsonNode find(JsonNode letters, String payload) {
    for (JsonNode letter : letters) {
      if (payload.equals(letter.get("payload_preview").asString())) {
        return letter;
      }
    }
    return null;
  }

  private WebTestClient.ResponseSpec replay(Map<String, ?> body) {
    return web.post()
        .uri("/api/obs/admin/dlt/replay")
        .header(ForwardedIdentity.HEADER, admin())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private String admin() {
    return signer.sign("ops-user", OPS, Role.OWNER);
  }

  private double duplicates() {
    return meters.counter("beacon.aggregator.events", "outcome", "duplicate").count();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private record ForwardedRole(String workspace, Role role) {}
}
