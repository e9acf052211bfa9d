package dev.beacon.chat.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.chat.OpenAiWire;
import dev.beacon.chat.events.ChatEvents;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.sdk.DeliveryStats;
import dev.beacon.testsupport.BeaconInfrastructureInitializer;
import dev.beacon.testsupport.RestartableKafka;
import dev.beacon.testsupport.ThreadDumpOnTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Kafka stopped during a conversation: the answers still arrive at once and are stored, and once
 * the broker is back every event of those turns is on Kafka, each exactly once. Runs against its
 * own broker process, which the test stops and starts; the shared broker stays up for the others.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(ThreadDumpOnTimeout.class)
@ContextConfiguration(
    initializers = {
      BeaconInfrastructureInitializer.class,
      KafkaOutageApplicationTests.RestartableBroker.class
    })
@DirtiesContext
class KafkaOutageApplicationTests extends ChatStandIns {

  private static final int PARTITIONS = 3;

  /**
   * How long the broker stays down once the turns are answered: longer than the SDK producer's
   * default {@code max.block.ms} (5 s), after which an event whose topic metadata the producer has
   * lost used to be given up.
   */
  private static final Duration OUTAGE_AFTER_THE_TURNS = Duration.ofSeconds(8);

  private static final RestartableKafka kafka = startKafka();

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired ChatEvents chatEvents;
  BrokerEvents onKafka;

  private static RestartableKafka startKafka() {
    RestartableKafka broker = RestartableKafka.create();
    try {
      broker.start();
      broker.awaitReady(Duration.ofSeconds(60));
      broker.createTopics(Topics.eventTopics().stream().map(Topic::name).toList(), PARTITIONS);
      return broker;
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /** Points this context's Kafka clients, chat-service's events among them, at the broker. */
  @Order(Ordered.LOWEST_PRECEDENCE)
  static class RestartableBroker
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "restartable-broker",
                  Map.of("spring.kafka.bootstrap-servers", kafka.bootstrapServers())));
    }
  }

  @BeforeEach
  void readTheBroker() {
    onKafka = new BrokerEvents(kafka.bootstrapServers());
  }

  @AfterEach
  void stopReading() {
    onKafka.close();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void answersArriveWhileKafkaIsDownAndTheirEventsArriveOnceAfterItRestarts() {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "openai", key, STAND_INS.baseUrl());
    String agentId =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of(
                    "name",
                    "Weather",
                    "provider",
                    "openai",
                    "model",
                    "gpt-4o-mini",
                    "tools",
                    List.of(Map.of("name", "weather.lookup", "requires_approval", false))))
            .get("id")
            .asString();
    String conversation = ChatTestKit.converse(web, signer, ws, agentId);

    // Kafka up: the turn's events arrive as usual
    STAND_INS.stubFor(
        completions(key).willReturn(stream(OpenAiWire.text("Kafka is up.", 12, 7, 3, 2))));
    String beforeRun = runId(ChatTestKit.send(web, signer, ws, conversation, "Is Kafka up?"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(types(onKafka.read(ws), beforeRun))
                    .containsExactlyInAnyOrder(
                        EventType.RUN_START, EventType.LLM_CALL, EventType.RUN_END));

    kafka.stop();

    // a plain answer and a turn with a tool call, both while the broker is gone
    STAND_INS.stubFor(
        completions(key)
            .willReturn(stream(OpenAiWire.text("Kafka is down, yet here I am.", 21, 8, 1, 0))));
    long plainStarted = System.nanoTime();
    List<Sse> plain = ChatTestKit.send(web, signer, ws, conversation, "And now?");
    Duration plainTook = Duration.ofNanos(System.nanoTime() - plainStarted);
    assertThat(kafka.isRunning()).isFalse();
    assertThat(names(plain)).first().isEqualTo("run");
    assertThat(names(plain)).last().isEqualTo("done");
    assertThat(last(plain, "message").get("message").get("content").asString())
        .isEqualTo("Kafka is down, yet here I am.");

    STAND_INS.stubFor(
        completions(key)
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        20,
                        9,
                        new String[] {"call_k1", "weather_lookup", "{\"city\":\"Zürich\"}"}))));
    STAND_INS.stubFor(
        completions(key)
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(stream(OpenAiWire.text("It is sunny in Zürich.", 40, 6, 0, 0))));
    long toolStarted = System.nanoTime();
    List<Sse> tool = ChatTestKit.send(web, signer, ws, conversation, "Weather in Zürich?");
    Duration toolTook = Duration.ofNanos(System.nanoTime() - toolStarted);
    assertThat(kafka.isRunning()).isFalse();
    assertThat(names(tool))
        .containsSubsequence(
            "run", "message", "tool_call", "tool_result", "delta", "message", "done");
    assertThat(last(tool, "message").get("message").get("content").asString())
        .isEqualTo("It is sunny in Zürich.");
    assertThat(last(tool, "done").get("state").asString()).isEqualTo("idle");

    // nothing in a turn waits for Kafka: against the stand-in a turn takes well under a second,
    // and a wait for the broker would last until it is back
    assertThat(plainTook).isLessThan(Duration.ofSeconds(5));
    assertThat(toolTook).isLessThan(Duration.ofSeconds(5));

    JsonNode stored = ChatTestKit.get(web, signer, ws, "/api/chat/conversations/" + conversation);
    assertThat(stored.get("conversation").get("state").asString()).isEqualTo("idle");
    List<String> messages = new ArrayList<>();
    stored.get("messages").forEach(m -> messages.add(m.get("role").asString()));
    assertThat(messages)
        .containsExactly(
            "user", "assistant", "user", "assistant", "user", "assistant", "tool", "assistant");
    assertThat(stored.get("messages").get(3).get("content").asString())
        .isEqualTo("Kafka is down, yet here I am.");
    assertThat(stored.get("messages").get(7).get("content").asString())
        .isEqualTo("It is sunny in Zürich.");

    // an outage longer than any wait of the producer's gives up nothing: the events wait
    await()
        .during(OUTAGE_AFTER_THE_TURNS)
        .atMost(OUTAGE_AFTER_THE_TURNS.plusSeconds(5))
        .until(
            chatEvents::stats,
            stats -> !kafka.isRunning() && stats.delivered() == 3 && stats.dropped() == 0);

    String plainRun = runId(plain);
    String toolRun = runId(tool);
    kafka.start();

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInSameThread()
        .untilAsserted(
            () -> {
              List<ObsEvent> published = onKafka.read(ws);
              SoftAssertions.assertSoftly(
                  softly -> {
                    softly
                        .assertThat(types(published, plainRun))
                        .as("the plain turn's events")
                        .containsExactlyInAnyOrder(
                            EventType.RUN_START, EventType.LLM_CALL, EventType.RUN_END);
                    softly
                        .assertThat(types(published, toolRun))
                        .as("the tool turn's events")
                        .containsExactlyInAnyOrder(
                            EventType.RUN_START,
                            EventType.LLM_CALL,
                            EventType.TOOL_CALL,
                            EventType.LLM_CALL,
                            EventType.RUN_END);
                  });
            });
    // and no copy comes later: every event of the three turns, each once
    List<ObsEvent> published =
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(15))
            .pollInSameThread()
            .until(
                () -> onKafka.read(ws),
                events ->
                    events.size() == 11
                        && events.stream().map(ObsEvent::eventId).distinct().count() == 11);
    assertThat(onKafka.records(ws))
        .as("one record per event id")
        .hasSize(11)
        .extracting(r -> r.event().eventId())
        .doesNotHaveDuplicates();

    Map<String, List<ObsEvent>> byRun =
        published.stream().collect(Collectors.groupingBy(ObsEvent::runId));
    assertThat(byRun).containsOnlyKeys(beforeRun, plainRun, toolRun);
    ObsEvent plainLlm = only(byRun.get(plainRun), EventType.LLM_CALL);
    assertThat(plainLlm.llm().provider()).isEqualTo("openai");
    assertThat(plainLlm.llm().model()).isEqualTo("gpt-4o-mini");
    assertThat(plainLlm.llm().inputTokens()).isEqualTo(21);
    assertThat(plainLlm.llm().outputTokens()).isEqualTo(8);
    assertThat(plainLlm.llm().cachedInputTokens()).isEqualTo(1);
    assertThat(plainLlm.llm().reasoningTokens()).isEqualTo(0);
    assertThat(byRun.get(toolRun))
        .filteredOn(e -> e.type() == EventType.LLM_CALL)
        .extracting(e -> e.llm().inputTokens() + "/" + e.llm().outputTokens())
        .containsExactlyInAnyOrder("20/9", "40/6");
    ObsEvent toolCall = only(byRun.get(toolRun), EventType.TOOL_CALL);
    assertThat(toolCall.tool().name()).isEqualTo("weather.lookup");
    assertThat(toolCall.tool().integration()).isEqualTo("weather");
    for (String run : List.of(plainRun, toolRun)) {
      ObsEvent start = only(byRun.get(run), EventType.RUN_START);
      assertThat(start.metadata()).containsEntry("conversation_id", conversation);
      assertThat(byRun.get(run))
          .allSatisfy(
              e -> {
                assertThat(e.agentId()).isEqualTo(agentId);
                assertThat(e.traceId()).isEqualTo(start.traceId());
              });
    }

    DeliveryStats stats = chatEvents.stats();
    assertThat(stats.dropped()).isZero();
    assertThat(stats.delivered()).isEqualTo(stats.emitted()).isEqualTo(11);
  }

  private static MappingBuilder completions(String key) {
    return post(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + key));
  }

  private static ResponseDefinitionBuilder stream(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withBody(body);
  }

  private static List<String> names(List<Sse> turn) {
    return turn.stream().map(Sse::event).toList();
  }

  private static JsonNode last(List<Sse> turn, String name) {
    JsonNode found = null;
    for (Sse e : turn) {
      if (e.event().equals(name)) {
        found = e.data();
      }
    }
    return found;
  }

  private static String runId(List<Sse> turn) {
    assertThat(names(turn)).last().isEqualTo("done");
    return last(turn, "run").get("run_id").asString();
  }

  private static List<EventType> types(List<ObsEvent> events, String runId) {
    return events.stream().filter(e -> runId.equals(e.runId())).map(ObsEvent::type).toList();
  }

  private static ObsEvent only(List<ObsEvent> events, EventType type) {
    List<ObsEvent> found = events.stream().filter(e -> e.type() == type).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** One record read from the broker: where it was and the event it carried. */
  private record Received(String topic, int partition, long offset, ObsEvent event) {}

  /**
   * Reads every partition of every event topic on the restartable broker from the beginning,
   * without a consumer group (nothing to rebalance or commit across a restart). Read from the test
   * thread only.
   */
  private static final class BrokerEvents implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    BrokerEvents(String bootstrapServers) {
      consumer =
          new KafkaConsumer<>(
              Map.of(
                  "bootstrap.servers",
                  bootstrapServers,
                  "client.id",
                  "kafka-outage-tests-" + UUID.randomUUID()),
              new StringDeserializer(),
              new StringDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<String, ObsEvent> topic : Topics.eventTopics()) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
          partitions.add(new TopicPartition(topic.name(), partition));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Polls once, then returns every event of the workspace read so far. */
    List<ObsEvent> read(String workspaceId) {
      return records(workspaceId).stream().map(Received::event).toList();
    }

    /** Polls once, then returns every record of the workspace read so far. */
    List<Received> records(String workspaceId) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        received.add(
            new Received(
                record.topic(),
                record.partition(),
                record.offset(),
                ChatTestKit.JSON.readValue(record.value(), ObsEvent.class)));
      }
      return received.stream().filter(r -> workspaceId.equals(r.event().workspaceId())).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
