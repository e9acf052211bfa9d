package dev.beacon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import dev.beacon.identity.BootstrapWorkspace;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Fixtures for the ingest tests: events, keys, requests and a look at what Kafka holds. */
final class IngestTestKit {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** The key provisioned from {@code beacon.ingest.init.*} in the test configuration. */
  static final String BOOTSTRAP_KEY = "bcn_TestBootstrapKey00000000000000010XdG8w";

  /** The id of the workspace named {@code demo} in the test configuration. */
  static final String BOOTSTRAP_WORKSPACE = BootstrapWorkspace.idFor("demo").toString();

  private IngestTestKit() {}

  static String uniqueAgent() {
    return "agent-" + UUID.randomUUID();
  }

  static ObjectNode llmCall(String agentId) {
    ObjectNode event = base("llm_call", agentId);
    ObjectNode llm = event.putObject("llm");
    llm.put("provider", "openai");
    llm.put("model", "gpt-4o");
    llm.put("input_tokens", 1850);
    llm.put("output_tokens", 312);
    return event;
  }

  static ObjectNode toolCall(String agentId) {
    ObjectNode event = base("tool_call", agentId);
    event.putObject("tool").put("name", "slack.post_message").put("integration", "slack");
    return event;
  }

  static ObjectNode action(String agentId) {
    ObjectNode event = base("action", agentId);
    event.putObject("action").put("kind", "send_email").put("state", "approved");
    return event;
  }

  static ObjectNode serviceCall(String agentId) {
    ObjectNode event = base("service_call", agentId);
    event.putObject("service").put("name", "stripe").put("operation", "charges.create");
    return event;
  }

  static ObjectNode runStart(String agentId) {
    return base("run_start", agentId).put("run_id", "run-1");
  }

  static ObjectNode custom(String agentId) {
    return base("custom", agentId);
  }

  static ObjectNode base(String type, String agentId) {
    ObjectNode event = JSON.createObjectNode();
    event.put("event_id", UUID.randomUUID().toString());
    event.put("type", type);
    event.put("occurred_at", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5).toString());
    event.put("agent_id", agentId);
    event.put("status", "ok");
    event.put("duration_ms", 120);
    return event;
  }

  static String batch(JsonNode... events) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode batch = body.putArray("batch");
    for (JsonNode event : events) {
      batch.add(event);
    }
    return JSON.writeValueAsString(body);
  }

  static String batch(List<? extends JsonNode> events) {
    return batch(events.toArray(JsonNode[]::new));
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static WebTestClient.ResponseSpec post(WebTestClient web, String key, String body) {
    return web.post()
        .uri("/api/obs/v1/events")
        .header("Authorization", "Bearer " + key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  static WebTestClient.ResponseSpec postGzip(WebTestClient web, String key, byte[] gzipped) {
    return web.post()
        .uri("/api/obs/v1/events")
        .header("Authorization", "Bearer " + key)
        .header("Content-Encoding", "gzip")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(gzipped)
        .exchange();
  }

  /** A new key in a workspace, created through the API as a member; returns the response. */
  static JsonNode createKey(
      WebTestClient web, IdentitySigner signer, String workspace, Map<String, Object> request) {
    Map<String, Object> body = new HashMap<>(request);
    body.putIfAbsent("name", "test key");
    byte[] response =
        web.post()
            .uri("/api/obs/keys")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", workspace, Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(response);
  }

  static String newKey(WebTestClient web, IdentitySigner signer, String workspace) {
    return createKey(web, signer, workspace, Map.of()).get("secret").asString();
  }

  /** {@code PATCH /api/obs/keys/{id}} with a JSON body as written, as a member of the workspace. */
  static WebTestClient.ResponseSpec patchKey(
      WebTestClient web, IdentitySigner signer, String workspace, String id, String body) {
    return web.patch()
        .uri("/api/obs/keys/" + id)
        .header(ForwardedIdentity.HEADER, signer.sign("user-1", workspace, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  /** An event without {@code agent_id}, for keys that speak for one agent. */
  static ObjectNode withoutAgent(ObjectNode event) {
    event.remove("agent_id");
    return event;
  }

  /** Every record on the event topics with this {@code event_id}. */
  static List<Published> publishedWithEventId(String eventId) {
    List<Published> found = new ArrayList<>();
    for (ConsumerRecord<String, String> record : readAllEventRecords()) {
      JsonNode value = JSON.readTree(record.value());
      if (eventId.equals(value.path("event_id").asString(null))) {
        found.add(new Published(record.topic(), record.key(), value));
      }
    }
    return found;
  }

  /** Every record on the event topics whose value names this agent, as JSON, keyed by topic. */
  static List<Published> publishedFor(String agentId) {
    List<Published> found = new ArrayList<>();
    for (ConsumerRecord<String, String> record : readAllEventRecords()) {
      JsonNode value = JSON.readTree(record.value());
      if (agentId.equals(value.path("agent_id").asString(null))) {
        found.add(new Published(record.topic(), record.key(), value));
      }
    }
    return found;
  }

  static void assertNothingPublishedFor(String agentId) {
    assertThat(publishedFor(agentId)).as("records of %s on Kafka", agentId).isEmpty();
  }

  /** One record on Kafka. */
  record Published(String topic, String key, JsonNode value) {}

  private static List<ConsumerRecord<String, String>> readAllEventRecords() {
    Properties config = new Properties();
    config.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        BeaconInfrastructure.get().kafkaBootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<String, ?> topic : Topics.eventTopics()) {
        for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))) {
          partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(reached(consumer, end)).as("read every event topic to its end").isTrue();
    }
    return records;
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
