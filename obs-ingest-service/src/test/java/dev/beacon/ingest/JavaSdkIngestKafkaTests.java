package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.IngestTestKit.publishedFor;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.ingest.IngestTestKit.Published;
import dev.beacon.sdk.BeaconClient;
import dev.beacon.sdk.DeliveryStats;
import dev.beacon.sdk.LlmCallSpan;
import dev.beacon.sdk.RunSpan;
import dev.beacon.sdk.Span;
import dev.beacon.sdk.Transport;
import dev.beacon.testsupport.IntegrationTest;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The Java SDK's HTTP transport against the real ingest endpoint: what it reports as delivered is
 * on Kafka, each event once, also when it had to retry.
 */
@IntegrationTest
class JavaSdkIngestKafkaTests {

  @LocalServerPort int port;
  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private BeaconClient.Builder client(String key, String agent) {
    return BeaconClient.builder()
        // a generous request timeout: a request that times out after ingest stored its events is
        // retried and so published twice (the aggregator dedupes by event_id), which is not what
        // these tests look at; the first request of a fresh broker can take seconds
        .transport(
            Transport.http(
                URI.create("http://localhost:" + port), key, true, Duration.ofSeconds(60)))
        .agentId(agent)
        .shutdownHook(false);
  }

  @Test
  void deliversARunWithItsChildrenToKafkaExactlyOnce() {
    String agent = uniqueAgent();
    String runId;
    DeliveryStats stats;
    try (BeaconClient beacon = client(BOOTSTRAP_KEY, agent).build()) {
      try (RunSpan run = beacon.startRun()) {
        runId = run.runId();
        try (LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
          call.usage(1850, 312).cachedInputTokens(1024);
        }
        try (Span tool = beacon.trackToolCall("slack.post_message", "slack")) {
          tool.fail("timeout", "Slack did not answer in 5 s");
        }
      }
      assertThat(beacon.flush(Duration.ofSeconds(30))).isTrue();
      stats = beacon.stats();
    }

    assertThat(stats.delivered()).isEqualTo(4);
    assertThat(stats.dropped() + stats.rejected()).isZero();
    List<Published> published = publishedFor(agent);
    assertThat(published)
        .extracting(p -> p.value().get("type").asString())
        .containsExactlyInAnyOrder("run_start", "llm_call", "tool_call", "run_end");
    assertThat(published)
        .extracting(p -> p.value().get("event_id").asString())
        .doesNotHaveDuplicates();
    assertThat(published)
        .allSatisfy(p -> assertThat(p.value().get("run_id").asString()).isEqualTo(runId));
    Map<String, JsonNode> byType =
        published.stream()
            .collect(Collectors.toMap(p -> p.value().get("type").asString(), Published::value));
    JsonNode llm = byType.get("llm_call").get("llm");
    assertThat(llm.get("input_tokens").asLong()).isEqualTo(1850);
    assertThat(llm.get("cached_input_tokens").asLong()).isEqualTo(1024);
    assertThat(byType.get("llm_call").get("parent_span_id").asString())
        .isEqualTo(byType.get("run_start").get("span_id").asString());
    assertThat(byType.get("tool_call").get("status").asString()).isEqualTo("error");
  }

  @Test
  void retriesAfterTheRateLimitAndStillDeliversEachEventOnce() {
    String limitedKey =
        IngestTestKit.createKey(web, signer, "ws-sdk-retry", Map.of("rate_limit_per_second", 1))
            .get("secret")
            .asString();
    String agent = uniqueAgent();
    List<UUID> ids = new java.util.ArrayList<>();
    DeliveryStats stats;
    try (BeaconClient beacon =
        client(limitedKey, agent)
            .batchSize(1)
            .batchDelay(Duration.ofMillis(10))
            .maxAttempts(30)
            .backoff(Duration.ofMillis(50), Duration.ofSeconds(2))
            .build()) {
      for (int i = 0; i < 8; i++) {
        UUID id = UUID.randomUUID();
        ids.add(id);
        beacon.emit(custom(id, agent));
      }
      assertThat(beacon.flush(Duration.ofSeconds(60))).isTrue();
      stats = beacon.stats();
    }

    assertThat(stats.retries()).as("429s answered with Retry-After were retried").isPositive();
    assertThat(stats.delivered()).isEqualTo(8);
    assertThat(stats.dropped()).isZero();
    assertThat(publishedFor(agent))
        .extracting(p -> UUID.fromString(p.value().get("event_id").asString()))
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void anEventEmittedTwiceInOneBatchIsPublishedOnce() {
    String agent = uniqueAgent();
    UUID id = UUID.randomUUID();
    DeliveryStats stats;
    try (BeaconClient beacon =
        client(BOOTSTRAP_KEY, agent).batchDelay(Duration.ofSeconds(30)).build()) {
      ObsEvent event = custom(id, agent);
      beacon.emit(event);
      beacon.emit(event);
      assertThat(beacon.flush(Duration.ofSeconds(30))).isTrue();
      stats = beacon.stats();
    }

    assertThat(stats.delivered()).isEqualTo(2);
    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(p -> assertThat(p.value().get("event_id").asString()).isEqualTo(id.toString()));
  }

  private static ObsEvent custom(UUID id, String agent) {
    return new ObsEvent(
        id,
        EventType.CUSTOM,
        OffsetDateTime.now().minusSeconds(1),
        null,
        agent,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("name", "sdk.probe"),
        null);
  }
}
