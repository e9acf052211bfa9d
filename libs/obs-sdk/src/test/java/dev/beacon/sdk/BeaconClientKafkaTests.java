package dev.beacon.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.ServiceDetails;
import dev.beacon.events.Topics;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Kafka transport against a real broker: topic per type, workspace:agent key, v1 JSON. */
class BeaconClientKafkaTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void publishesEachEventToItsTopicWithTheAgentKey() {
    String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    String workspace = "ws_" + UUID.randomUUID().toString().substring(0, 8);
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    String llmId;
    String serviceId;

    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      consumer.subscribe(List.of(Topics.LLM_CALLS.name(), Topics.SERVICE_CALLS.name()));
      try (BeaconClient beacon =
          BeaconClient.builder()
              .transport(Transport.kafka(bootstrap, workspace))
              .agentId("support-bot")
              .batchDelay(Duration.ofMillis(50))
              .build()) {
        try (LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
          call.usage(10, 5);
        }
        ObsEvent platformCall =
            new ObsEvent(
                UUID.randomUUID(),
                EventType.SERVICE_CALL,
                OffsetDateTime.now(),
                "ws_explicit",
                null,
                null,
                null,
                null,
                null,
                EventStatus.OK,
                null,
                12L,
                null,
                null,
                null,
                new ServiceDetails("stripe", "checkout.sessions.create"),
                null,
                null);
        BeaconClient platform =
            BeaconClient.builder().transport(Transport.kafka(bootstrap, null)).build();
        platform.emit(platformCall);
        serviceId = platformCall.eventId().toString();
        assertThat(platform.flush(Duration.ofSeconds(60))).isTrue();
        platform.close();
        assertThat(beacon.flush(Duration.ofSeconds(60))).isTrue();
        assertThat(beacon.stats().delivered()).isEqualTo(1);
        assertThat(platform.stats().delivered()).isEqualTo(1);
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.stream().anyMatch(r -> r.value().contains(serviceId))
                    && received.stream().anyMatch(r -> r.value().contains(workspace));
              });
    }

    ConsumerRecord<String, String> llm =
        received.stream().filter(r -> r.value().contains(workspace)).findFirst().orElseThrow();
    JsonNode llmJson = JSON.readTree(llm.value());
    llmId = llmJson.get("event_id").asString();
    assertThat(llm.topic()).isEqualTo(Topics.LLM_CALLS.name());
    assertThat(llm.key()).isEqualTo(workspace + ":support-bot");
    assertThat(llmJson.get("type").asString()).isEqualTo("llm_call");
    assertThat(llmJson.get("workspace_id").asString()).isEqualTo(workspace);
    assertThat(llmJson.get("llm").get("input_tokens").asLong()).isEqualTo(10);
    assertThat(llmId).isNotBlank();

    ConsumerRecord<String, String> service =
        received.stream().filter(r -> r.value().contains(serviceId)).findFirst().orElseThrow();
    assertThat(service.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
    assertThat(service.key()).isEqualTo("ws_explicit:");
    assertThat(JSON.readTree(service.value()).get("service").get("name").asString())
        .isEqualTo("stripe");
  }

  @Test
  void eventsWithoutWorkspaceAreDroppedAndCounted() {
    String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    try (BeaconClient beacon =
        BeaconClient.builder().transport(Transport.kafka(bootstrap, null)).build()) {
      beacon.trackServiceCall("github.issues.create").close();
      assertThat(beacon.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(beacon.stats().droppedUndeliverable()).isEqualTo(1);
    }
  }

  @Test
  void unreachableBrokerNeverBlocksTheCaller() {
    BeaconClient beacon =
        BeaconClient.builder()
            .transport(
                Transport.kafka(
                    Map.of("bootstrap.servers", "127.0.0.1:1", "max.block.ms", 300), "ws_1"))
            .bufferCapacity(20)
            .batchSize(10)
            .batchDelay(Duration.ofMillis(10))
            .closeTimeout(Duration.ofSeconds(2))
            .build();

    long started = System.nanoTime();
    for (int i = 0; i < 500; i++) {
      beacon.trackLlmCall("openai", "gpt-4o").close();
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(elapsedMillis).isLessThan(5_000);
    assertThat(beacon.droppedEvents()).isGreaterThan(0);
    beacon.close();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(beacon.stats().dropped()).isEqualTo(beacon.stats().emitted()));
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "obs-sdk-test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest"),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
