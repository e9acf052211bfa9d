package dev.beacon.sdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.LlmDetails;
import dev.beacon.events.ObsEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP transport against WireMock standing in for the ingest API, speaking its wire format. */
class HttpTransportClientTests {

  private static final String PATH = "/api/obs/v1/events";
  private static final String API_KEY = "bcn_test_key";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration LONG = Duration.ofSeconds(30);

  private WireMockServer ingest;
  private final List<BeaconClient> clients = new ArrayList<>();

  @BeforeEach
  void startIngest() {
    ingest = new WireMockServer(wireMockConfig().dynamicPort());
    ingest.start();
  }

  @AfterEach
  void stopIngest() {
    clients.forEach(BeaconClient::close);
    ingest.stop();
  }

  @Test
  void batchesBySize() {
    acceptEverything();
    BeaconClient beacon = client(builder().batchSize(10).batchDelay(Duration.ofMinutes(5)));

    List<UUID> ids = emit(beacon, 25);

    await().atMost(LONG).until(() -> requests().size() == 2);
    assertThat(requests()).allSatisfy(request -> assertThat(batch(request)).hasSize(10));
    assertThat(beacon.flush(LONG)).isTrue();
    assertThat(requests()).hasSize(3);
    assertThat(batch(requests().get(2))).hasSize(5);
    assertThat(sentEventIds()).containsExactlyElementsOf(ids);
    assertThat(beacon.stats().delivered()).isEqualTo(25);
  }

  @Test
  void batchesByTime() {
    acceptEverything();
    BeaconClient beacon = client(builder().batchSize(1000).batchDelay(Duration.ofMillis(200)));

    List<UUID> ids = emit(beacon, 3);

    await().atMost(LONG).until(() -> requests().size() == 1);
    assertThat(sentEventIds()).containsExactlyElementsOf(ids);
    await().atMost(LONG).until(() -> beacon.stats().delivered() == 3);
  }

  @Test
  void sendsGzippedJsonInTheIngestFormat() {
    acceptEverything();
    BeaconClient beacon = client(builder());
    ObsEvent event = llmCall();

    beacon.emit(event);
    assertThat(beacon.flush(LONG)).isTrue();

    LoggedRequest request = requests().get(0);
    assertThat(request.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
    JsonNode sent = batch(request).get(0);
    assertThat(sent.get("event_id").asString()).isEqualTo(event.eventId().toString());
    assertThat(sent.get("type").asString()).isEqualTo("llm_call");
    assertThat(sent.get("occurred_at").asString()).isEqualTo("2026-11-25T09:15:30.123Z");
    assertThat(sent.get("agent_id").asString()).isEqualTo("support-bot");
    assertThat(sent.get("llm").get("model").asString()).isEqualTo("gpt-4o");
    assertThat(sent.get("llm").get("input_tokens").asLong()).isEqualTo(1850);
    assertThat(sent.has("workspace_id")).isFalse();
    assertThat(sent.has("tool")).isFalse();
  }

  @Test
  void honoursRetryAfterOn429AndResendsTheSameEventIds() {
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("rate limited")
            .whenScenarioStateIs(STARTED)
            .willReturn(error(429, "rate_limited").withHeader("Retry-After", "2"))
            .willSetStateTo("open"));
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("rate limited")
            .whenScenarioStateIs("open")
            .willReturn(okJson("{\"accepted\": 3, \"rejected\": 0}")));
    BeaconClient beacon = client(builder());

    List<UUID> ids = emit(beacon, 3);
    assertThat(beacon.flush(LONG)).isTrue();

    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(2);
    assertThat(eventIds(requests.get(0))).containsExactlyElementsOf(ids);
    assertThat(eventIds(requests.get(1))).containsExactlyElementsOf(ids);
    long waitedMillis =
        requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(waitedMillis).isGreaterThanOrEqualTo(2000);
    assertThat(beacon.stats().delivered()).isEqualTo(3);
    assertThat(beacon.stats().retries()).isEqualTo(1);
  }

  @Test
  void retries503ThenDelivers() {
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("kafka down")
            .whenScenarioStateIs(STARTED)
            .willReturn(error(503, "kafka_unavailable").withHeader("Retry-After", "1"))
            .willSetStateTo("up"));
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("kafka down")
            .whenScenarioStateIs("up")
            .willReturn(okJson("{\"accepted\": 2, \"rejected\": 0}")));
    BeaconClient beacon = client(builder());

    List<UUID> ids = emit(beacon, 2);
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(requests()).hasSize(2);
    assertThat(eventIds(requests().get(1))).containsExactlyElementsOf(ids);
    assertThat(beacon.stats().delivered()).isEqualTo(2);
    assertThat(beacon.droppedEvents()).isZero();
  }

  @Test
  void retriesServerErrorsWithBackoffThenDelivers() {
    String state = STARTED;
    for (int i = 1; i <= 3; i++) {
      ingest.stubFor(
          post(urlEqualTo(PATH))
              .inScenario("flaky")
              .whenScenarioStateIs(state)
              .willReturn(error(500, "internal"))
              .willSetStateTo("failed-" + i));
      state = "failed-" + i;
    }
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(state)
            .willReturn(okJson("{\"accepted\": 1, \"rejected\": 0}")));
    BeaconClient beacon =
        client(builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).maxAttempts(5));

    List<UUID> ids = emit(beacon, 1);
    assertThat(beacon.flush(LONG)).isTrue();

    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(4);
    assertThat(requests).allSatisfy(r -> assertThat(eventIds(r)).containsExactlyElementsOf(ids));
    // backoff: at least half of 100, 200 and 400 ms between the attempts
    long firstToLast =
        requests.get(3).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(firstToLast).isGreaterThanOrEqualTo(350);
    assertThat(beacon.stats().retries()).isEqualTo(3);
    assertThat(beacon.stats().delivered()).isEqualTo(1);
  }

  @Test
  void givesUpAfterMaxAttemptsAndCountsTheBatch() {
    ingest.stubFor(post(urlEqualTo(PATH)).willReturn(error(500, "internal")));
    BeaconClient beacon =
        client(builder().backoff(Duration.ofMillis(20), Duration.ofMillis(50)).maxAttempts(3));

    emit(beacon, 4);
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(requests()).hasSize(3);
    assertThat(beacon.stats().droppedUndeliverable()).isEqualTo(4);
  }

  @Test
  void partialSuccessCountsRejectedEventsAndDoesNotRetryThem() {
    BeaconClient beacon = client(builder());
    List<UUID> ids = emitLater(3);
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(207)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"accepted": 2, "rejected": 1, "results": [
                          {"index": 0, "event_id": "%s", "status": "accepted"},
                          {"index": 1, "event_id": "%s", "status": "rejected",
                           "code": "schema_violation", "message": "/llm: required"},
                          {"index": 2, "event_id": "%s", "status": "accepted"}]}
                        """
                            .formatted(ids.get(0), ids.get(1), ids.get(2)))));

    ids.forEach(id -> beacon.emit(custom(id)));
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(requests()).hasSize(1);
    assertThat(beacon.stats().rejected()).isEqualTo(1);
    assertThat(beacon.stats().delivered()).isEqualTo(2);
    assertThat(beacon.stats().retries()).isZero();
  }

  @Test
  void refusedKeyDropsAndCountsWithoutRetrying() {
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                error(401, "invalid_api_key")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"beacon-ingest\"")));
    BeaconClient beacon = client(builder());

    emit(beacon, 5);
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(requests()).hasSize(1);
    assertThat(beacon.stats().droppedUndeliverable()).isEqualTo(5);
    assertThat(beacon.droppedEvents()).isEqualTo(5);
    assertThat(beacon.stats().retries()).isZero();
  }

  @Test
  void splitsABatchTheServerFindsTooLarge() {
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("too large")
            .whenScenarioStateIs(STARTED)
            .willReturn(error(413, "payload_too_large"))
            .willSetStateTo("split"));
    ingest.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("too large")
            .whenScenarioStateIs("split")
            .willReturn(okJson("{\"accepted\": 2, \"rejected\": 0}")));
    BeaconClient beacon = client(builder());

    List<UUID> ids = emit(beacon, 4);
    assertThat(beacon.flush(LONG)).isTrue();

    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(3);
    assertThat(eventIds(requests.get(0))).containsExactlyElementsOf(ids);
    assertThat(eventIds(requests.get(1))).containsExactlyElementsOf(ids.subList(0, 2));
    assertThat(eventIds(requests.get(2))).containsExactlyElementsOf(ids.subList(2, 4));
    assertThat(beacon.stats().delivered()).isEqualTo(4);
  }

  @Test
  void badRequestIsNotRetried() {
    ingest.stubFor(post(urlEqualTo(PATH)).willReturn(error(415, "unsupported_media_type")));
    BeaconClient beacon = client(builder());

    emit(beacon, 2);
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(requests()).hasSize(1);
    assertThat(beacon.stats().droppedUndeliverable()).isEqualTo(2);
  }

  @Test
  void deadBackendNeverBlocksTheCallerAndCountsDrops() {
    ingest.stubFor(
        post(urlEqualTo(PATH)).willReturn(okJson("{\"accepted\": 1}").withFixedDelay(60_000)));
    BeaconClient beacon =
        client(
            builder()
                .bufferCapacity(10)
                .batchSize(5)
                .batchDelay(Duration.ofMillis(10))
                .closeTimeout(Duration.ofMillis(500)));
    await()
        .atMost(LONG)
        .until(
            () -> {
              beacon.emit(custom(UUID.randomUUID()));
              return requests().size() == 1;
            });

    long started = System.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      beacon.emit(custom(UUID.randomUUID()));
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(elapsedMillis).isLessThan(5_000);
    assertThat(beacon.droppedEvents()).isGreaterThanOrEqualTo(1_000 - 10);
    long closeStarted = System.nanoTime();
    beacon.close();
    assertThat((System.nanoTime() - closeStarted) / 1_000_000).isLessThan(15_000);
    DeliveryStats stats = beacon.stats();
    assertThat(stats.emitted())
        .isEqualTo(stats.delivered() + stats.dropped() + stats.rejected() + stats.filtered());
  }

  @Test
  void closeDeliversWhatIsBuffered() {
    acceptEverything();
    BeaconClient beacon =
        BeaconClient.builder()
            .transport(Transport.http(URI.create(ingest.baseUrl()), API_KEY))
            .batchSize(1000)
            .batchDelay(Duration.ofMinutes(10))
            .build();

    List<UUID> ids = emit(beacon, 7);
    beacon.close();

    assertThat(requests()).hasSize(1);
    assertThat(sentEventIds()).containsExactlyElementsOf(ids);
    assertThat(beacon.stats().delivered()).isEqualTo(7);
  }

  @Test
  void flushDeliversWhatIsBuffered() {
    acceptEverything();
    BeaconClient beacon = client(builder().batchSize(1000).batchDelay(Duration.ofMinutes(10)));

    List<UUID> ids = emit(beacon, 4);
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(sentEventIds()).containsExactlyElementsOf(ids);
  }

  @Test
  void omitsContentAndAppliesTheMaskBeforeSending() {
    acceptEverything();
    BeaconClient beacon =
        client(
            builder()
                .captureContent(false)
                .masker(
                    event -> {
                      if (event.tags() != null && event.tags().contains("secret")) {
                        return null;
                      }
                      Map<String, Object> metadata = new LinkedHashMap<>(event.metadata());
                      metadata.computeIfPresent("email", (key, value) -> "***");
                      return Events.copy(
                          event,
                          event.agentId(),
                          event.runId(),
                          event.traceId(),
                          event.spanId(),
                          event.parentSpanId(),
                          metadata);
                    }));

    try (LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
      call.metadata("prompt", "What is my balance?")
          .metadata("response", "42")
          .metadata("email", "ann@example.com")
          .metadata("conversation_id", "conv_1");
    }
    try (Span hidden = beacon.trackToolCall("vault.read", "vault")) {
      hidden.tag("secret").metadata("k", "v");
    }
    assertThat(beacon.flush(LONG)).isTrue();

    List<JsonNode> sent = requests().stream().flatMap(r -> batch(r).stream()).toList();
    assertThat(sent).hasSize(1);
    JsonNode metadata = sent.get(0).get("metadata");
    assertThat(metadata.has("prompt")).isFalse();
    assertThat(metadata.has("response")).isFalse();
    assertThat(metadata.get("email").asString()).isEqualTo("***");
    assertThat(metadata.get("conversation_id").asString()).isEqualTo("conv_1");
    assertThat(beacon.stats().filtered()).isEqualTo(1);
  }

  @Test
  void aFailingMaskDropsTheEventInsteadOfSendingItUnmasked() {
    acceptEverything();
    BeaconClient beacon =
        client(
            builder()
                .masker(
                    event -> {
                      throw new IllegalStateException("mask bug");
                    }));

    emit(beacon, 2);
    assertThat(beacon.flush(LONG)).isTrue();

    assertThat(requests()).isEmpty();
    assertThat(beacon.stats().droppedUndeliverable()).isEqualTo(2);
  }

  private BeaconClient.Builder builder() {
    return BeaconClient.builder()
        .transport(Transport.http(URI.create(ingest.baseUrl()), API_KEY))
        .agentId("support-bot")
        .batchDelay(Duration.ofMillis(100))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  private BeaconClient client(BeaconClient.Builder builder) {
    BeaconClient client = builder.build();
    clients.add(client);
    return client;
  }

  private void acceptEverything() {
    ingest.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"accepted\": 1, \"rejected\": 0}")));
  }

  private static ResponseDefinitionBuilder error(int status, String code) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"code\": \"" + code + "\", \"message\": \"test\"}");
  }

  private List<LoggedRequest> requests() {
    return ingest.findAll(postRequestedFor(urlEqualTo(PATH)));
  }

  private List<UUID> sentEventIds() {
    return requests().stream().flatMap(request -> eventIds(request).stream()).toList();
  }

  private static List<UUID> eventIds(LoggedRequest request) {
    return batch(request).stream()
        .map(event -> UUID.fromString(event.get("event_id").asString()))
        .toList();
  }

  private static List<JsonNode> batch(LoggedRequest request) {
    JsonNode body = JSON.readTree(decoded(request.getBody()));
    List<JsonNode> events = new ArrayList<>();
    body.get("batch").forEach(events::add);
    return events;
  }

  /** The request body as JSON text, un-gzipping it if WireMock kept it compressed. */
  private static String decoded(byte[] body) {
    if (body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static List<UUID> emit(BeaconClient beacon, int count) {
    List<UUID> ids = emitLater(count);
    ids.forEach(id -> beacon.emit(custom(id)));
    return ids;
  }

  private static List<UUID> emitLater(int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.randomUUID());
    }
    return ids;
  }

  private static ObsEvent custom(UUID id) {
    return new ObsEvent(
        id,
        EventType.CUSTOM,
        OffsetDateTime.now(),
        null,
        null,
        null,
        null,
        null,
        null,
        EventStatus.OK,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("name", "test"),
        null);
  }

  private static ObsEvent llmCall() {
    return new ObsEvent(
        UUID.randomUUID(),
        EventType.LLM_CALL,
        OffsetDateTime.parse("2026-11-25T09:15:30.123Z"),
        null,
        null,
        null,
        null,
        null,
        null,
        EventStatus.OK,
        null,
        2184L,
        new LlmDetails("openai", "gpt-4o", 1850L, 312L, null, null, null),
        null,
        null,
        null,
        null,
        null);
  }
}
