package dev.beacon.chat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.events.TurnStop;
import dev.beacon.testsupport.BeaconInfrastructure;
import dev.beacon.testsupport.EntitlementsTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outside world of the chat tests, once per JVM: one WireMock server that plays every LLM
 * provider (their paths differ: {@code /v1/chat/completions}, {@code /v1/messages}, {@code
 * /v1beta/models/…}, {@code /api/chat}) and integrations-service's tool registry ({@code
 * /api/integrations/tools}, three tools stubbed for all) and obs-ingest's key API ({@code PATCH
 * /api/obs/keys/{id}}); stubs are told apart by each test's own API key. The platform has a hosted
 * OpenAI key ({@link #HOSTED_OPENAI_KEY}) that calls this WireMock too, so a workspace without
 * OpenAI settings of its own is hosted; billing's compacted {@code billing.entitlements.v1} is
 * created here, before any context reads it ({@link Entitlements}). Tests that extend this class
 * share one application context pointed at it.
 */
public abstract class ChatStandIns {

  public static final WireMockServer STAND_INS =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  /** The platform's own OpenAI key in these contexts ({@code beacon.chat.hosted.openai}). */
  public static final String HOSTED_OPENAI_KEY =
      "sk-hosted-SECRET-" + UUID.randomUUID().toString().replace("-", "");

  static {
    STAND_INS.start();
    Entitlements.createTopic();
    // integrations-service's tool registry: three tools (a read, two writes; one write fails and
    // always waits for approval, whatever the agent's settings say)
    STAND_INS.stubFor(
        WireMock.get(WireMock.urlPathEqualTo("/api/integrations/tools"))
            .atPriority(10)
            .willReturn(
                WireMock.okJson(
                    """
                    {"tools": [
                      {"name": "weather.lookup", "description": "Weather of a city", "kind": "read",
                       "integration": "weather",
                       "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}},
                      {"name": "gmail.send", "description": "Send an email", "kind": "write",
                       "integration": "gmail",
                       "parameters": {"type": "object", "properties": {"to": {"type": "string"}}}},
                      {"name": "todoist.create_task", "description": "Create a task", "kind": "write",
                       "integration": "todoist", "requires_approval": true,
                       "parameters": {"type": "object", "properties": {"title": {"type": "string"}}}}
                    ]}
                    """)));
    tool("weather.lookup", "{\"status\": \"ok\", \"result\": \"Sunny, 21 °C\"}");
    tool("gmail.send", "{\"status\": \"ok\", \"result\": \"Sent to team@example.com\"}");
    tool(
        "todoist.create_task",
        "{\"status\": \"error\", \"error\": {\"code\": \"quota\", \"message\": \"Todoist"
            + " quota reached\"}}");
    // obs-ingest's key API: binding a key to an agent succeeds unless a test stubs its key
    // otherwise
    STAND_INS.stubFor(
        WireMock.patch(WireMock.urlPathMatching("/api/obs/keys/[^/]+"))
            .atPriority(10)
            .willReturn(WireMock.okJson("{}")));
    Runtime.getRuntime().addShutdownHook(new Thread(STAND_INS::stop, "chat-stand-ins-stop"));
  }

  @DynamicPropertySource
  static void standIns(DynamicPropertyRegistry registry) {
    registry.add("beacon.chat.tools.integrations-url", STAND_INS::baseUrl);
    registry.add("beacon.chat.ingest.url", STAND_INS::baseUrl);
    registry.add("beacon.chat.approvals.sweep-interval", () -> "1h");
    registry.add("beacon.chat.models.max-retries", () -> "2");
    registry.add("beacon.chat.hosted.openai.api-key", () -> HOSTED_OPENAI_KEY);
    registry.add("beacon.chat.hosted.openai.base-url", STAND_INS::baseUrl);
    registry.add("beacon.chat.hosted.openai.default-model", () -> "gpt-4o-mini");
  }

  private static void tool(String name, String answer) {
    STAND_INS.stubFor(
        WireMock.post(WireMock.urlPathEqualTo("/api/integrations/tools/" + name + "/execute"))
            .atPriority(10)
            .willReturn(WireMock.okJson(answer)));
  }

  /** A key no other test uses, so that this test's stubs answer only this test. */
  public static String key() {
    return "sk-test-" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Reads every Beacon event topic from the start, in the background, for the tests' asserts. */
  public static final class EventLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<ObsEvent> EVENTS = new CopyOnWriteArrayList<>();
    private static volatile boolean started;

    private EventLog() {}

    /** Every event of the workspace seen on Kafka so far. */
    public static List<ObsEvent> of(String workspaceId) {
      start();
      List<ObsEvent> found = new ArrayList<>();
      for (ObsEvent event : EVENTS) {
        if (workspaceId.equals(event.workspaceId())) {
          found.add(event);
        }
      }
      return found;
    }

    private static synchronized void start() {
      if (started) {
        return;
      }
      started = true;
      Thread reader = new Thread(EventLog::read, "chat-test-event-log");
      reader.setDaemon(true);
      reader.start();
    }

    private static void read() {
      Map<String, Object> config =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              BeaconInfrastructure.get().kafkaBootstrapServers(),
              ConsumerConfig.GROUP_ID_CONFIG,
              "chat-tests-" + UUID.randomUUID(),
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "earliest",
              ConsumerConfig.METADATA_MAX_AGE_CONFIG,
              1000);
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(Topics.eventTopics().stream().map(t -> t.name()).toList());
        while (true) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            EVENTS.add(JSON.readValue(record.value(), ObsEvent.class));
          }
        }
      }
    }
  }

  /** Reads {@code chat.turn-stops.v1} from the start, in the background, for the tests' asserts. */
  public static final class TurnStopLog {

    /** One record read: its key and its stop. */
    public record Received(String key, TurnStop stop) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Received> STOPS = new CopyOnWriteArrayList<>();
    private static volatile boolean started;

    private TurnStopLog() {}

    /** Every stop of the run seen on Kafka so far, in the order read. */
    public static List<Received> of(String runId) {
      start();
      List<Received> found = new ArrayList<>();
      for (Received received : STOPS) {
        if (runId.equals(received.stop().runId())) {
          found.add(received);
        }
      }
      return found;
    }

    /** Starts reading before the stops a test waits for are published. */
    public static synchronized void start() {
      if (started) {
        return;
      }
      started = true;
      Thread reader = new Thread(TurnStopLog::read, "chat-test-turn-stops");
      reader.setDaemon(true);
      reader.start();
    }

    private static void read() {
      Map<String, Object> config =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              BeaconInfrastructure.get().kafkaBootstrapServers(),
              ConsumerConfig.GROUP_ID_CONFIG,
              "chat-tests-stops-" + UUID.randomUUID(),
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "earliest",
              ConsumerConfig.METADATA_MAX_AGE_CONFIG,
              1000);
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(Topics.CHAT_TURN_STOPS.name()));
        while (true) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            STOPS.add(new Received(record.key(), JSON.readValue(record.value(), TurnStop.class)));
          }
        }
      }
    }
  }

  /** billing's side of {@code billing.entitlements.v1} (libs/test-support's EntitlementsTopic). */
  public static final class Entitlements {

    public static final String TOPIC = EntitlementsTopic.NAME;

    private Entitlements() {}

    static void createTopic() {
      EntitlementsTopic.get();
    }

    /** Publishes the workspace's absolute state, Free's limits, as billing does; waits for acks. */
    public static void publish(String workspaceId, boolean hostedLlmAllowed, long revision) {
      EntitlementsTopic.get()
          .publish(
              workspaceId,
              EntitlementsTopic.record(
                  workspaceId,
                  "free",
                  Map.of(
                      "retention_days", 7,
                      "events_per_month", 100_000,
                      "alert_rules", 3,
                      "members", 3,
                      "api_keys", 2,
                      "hosted_credit_allowance", 1_000_000,
                      "hosted_llm_allowed", hostedLlmAllowed),
                  revision));
    }
  }
}
