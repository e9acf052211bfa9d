package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.JSON;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.publishedFor;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.ingest.IngestTestKit.Published;
import dev.beacon.ingest.usage.store.MonthlyUsageRepository;
import dev.beacon.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plan's {@code events_per_month}, from records on {@code billing.entitlements.v1}, enforced at
 * intake against the counter in PostgreSQL; what was accepted is read back from Kafka.
 */
@IntegrationTest
class MonthlyQuotaKafkaTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired WorkspaceEntitlements entitlements;
  @Autowired MonthlyUsageRepository usage;

  @BeforeAll
  static void entitlementsTopic() throws Exception {
    EntitlementsRecords.ensureTopic();
  }

  @Test
  void batchCrossingTheLimitAcceptsExactlyTheFirstValidEventsAndRejectsTheRest() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 5, 2, 1);
    String key = IngestTestKit.newKey(web, signer, ws);
    String agent = uniqueAgent();
    List<ObjectNode> events = new ArrayList<>();
    IntStream.range(0, 8).forEach(i -> events.add(IngestTestKit.llmCall(agent)));
    events.get(1).putObject("llm").put("provider", "openai"); // invalid: no model, no tokens

    JsonNode body = answer(IngestTestKit.post(web, key, batch(events)), 207);

    assertThat(body.get("accepted").asInt()).isEqualTo(5);
    assertThat(body.get("rejected").asInt()).isEqualTo(3);
    JsonNode results = body.get("results");
    assertThat(statuses(results))
        .containsExactly(
            "accepted",
            "rejected:schema_violation",
            "accepted",
            "accepted",
            "accepted",
            "accepted",
            "rejected:monthly_quota_exceeded",
            "rejected:monthly_quota_exceeded");
    assertThat(results.get(6).get("message").asString())
        .contains("free plan allows 5 events per month");
    assertThat(eventIds(publishedFor(agent)))
        .containsExactlyInAnyOrder(
            id(events, 0), id(events, 2), id(events, 3), id(events, 4), id(events, 5));
    assertThat(used(ws)).isEqualTo(5);
  }

  @Test
  void nextBatchGets429WithThePlanTheLimitAndWhenItResetsThenAProRecordLetsItIn() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 2, 2, 1);
    String key = IngestTestKit.newKey(web, signer, ws);
    answer(
        IngestTestKit.post(
            web,
            key,
            batch(IngestTestKit.llmCall(uniqueAgent()), IngestTestKit.llmCall(uniqueAgent()))),
        200);
    String agent = uniqueAgent();

    EntityExchangeResult<byte[]> refused =
        IngestTestKit.post(
                web, key, batch(IngestTestKit.llmCall(agent), IngestTestKit.toolCall(agent)))
            .expectStatus()
            .isEqualTo(429)
            .expectBody()
            .returnResult();

    Instant resetsAt =
        YearMonth.now(ZoneOffset.UTC)
            .plusMonths(1)
            .atDay(1)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC);
    JsonNode body = JSON.readTree(refused.getResponseBody());
    assertThat(body.get("code").asString()).isEqualTo("monthly_quota_exceeded");
    assertThat(body.get("limit").asLong()).isEqualTo(2);
    assertThat(body.get("plan").asString()).isEqualTo("free");
    assertThat(body.get("resets_at").asString()).isEqualTo(resetsAt.toString());
    assertThat(body.get("message").asString())
        .contains("free plan allows 2 events per month")
        .contains(resetsAt.toString());
    assertThat(body.get("accepted").asInt()).isZero();
    assertThat(statuses(body.get("results")))
        .containsExactly("rejected:monthly_quota_exceeded", "rejected:monthly_quota_exceeded");
    long retryAfter = Long.parseLong(refused.getResponseHeaders().getFirst("Retry-After"));
    long untilReset = Duration.between(Instant.now(), resetsAt).toSeconds();
    assertThat(retryAfter).isBetween(untilReset - 60, untilReset + 60);
    IngestTestKit.assertNothingPublishedFor(agent);
    assertThat(used(ws)).isEqualTo(2);

    EntitlementsRecords.publishAndAwait(entitlements, ws, "pro", 1_000_000, 10, 2);

    JsonNode accepted =
        answer(
            IngestTestKit.post(
                web, key, batch(IngestTestKit.llmCall(agent), IngestTestKit.toolCall(agent))),
            200);
    assertThat(accepted.get("accepted").asInt()).isEqualTo(2);
    assertThat(publishedFor(agent)).hasSize(2);
    assertThat(used(ws)).isEqualTo(4);
  }

  @Test
  void aRepeatedEventIdCountsOnceInABatchAndAgainInALaterBatch() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 3, 2, 1);
    String key = IngestTestKit.newKey(web, signer, ws);
    String agent = uniqueAgent();
    ObjectNode first = IngestTestKit.llmCall(agent);
    ObjectNode second = IngestTestKit.toolCall(agent);

    JsonNode once = answer(IngestTestKit.post(web, key, batch(first, first, second)), 200);
    assertThat(once.get("accepted").asInt()).isEqualTo(3);
    assertThat(used(ws)).as("two distinct events").isEqualTo(2);

    JsonNode again = answer(IngestTestKit.post(web, key, batch(first, second)), 207);
    assertThat(statuses(again.get("results")))
        .containsExactly("accepted", "rejected:monthly_quota_exceeded");
    assertThat(used(ws)).isEqualTo(3);
  }

  @Test
  void concurrentBatchesFromSeveralThreadsNeverPassTheLimitTogether() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 50, 2, 1);
    String key = IngestTestKit.newKey(web, signer, ws);
    String agent = uniqueAgent();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    int accepted = 0;
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  EntityExchangeResult<byte[]> result =
                      IngestTestKit.post(
                              web,
                              key,
                              batch(
                                  IngestTestKit.llmCall(agent),
                                  IngestTestKit.toolCall(agent),
                                  IngestTestKit.custom(agent)))
                          .expectBody()
                          .returnResult();
                  assertThat(result.getStatus().value()).isIn(200, 207, 429);
                  return JSON.readTree(result.getResponseBody());
                }));
      }
      start.countDown();
      for (Future<JsonNode> answer : answers) {
        JsonNode body = answer.get();
        accepted += body.get("accepted").asInt();
        if (body.has("results")) {
          for (JsonNode result : body.get("results")) {
            if (result.get("status").asString().equals("rejected")) {
              assertThat(result.get("code").asString()).isEqualTo("monthly_quota_exceeded");
            }
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(accepted).isEqualTo(50);
    assertThat(publishedFor(agent)).hasSize(50);
    assertThat(used(ws)).isEqualTo(50);
  }

  @Test
  void otlpSpansCountAsEventsAndAnExportOverQuotaGetsAnOtlpStatus() throws Exception {
    String ws = newWorkspace();
    EntitlementsRecords.publishAndAwait(entitlements, ws, "free", 1, 2, 1);
    String key = IngestTestKit.newKey(web, signer, ws);
    String agent = "otlp-" + UUID.randomUUID();

    JsonNode partial = JSON.readTree(otlp(key, agent, 2, 200)).get("partialSuccess");
    assertThat(partial.get("rejectedSpans").asString()).isEqualTo("1");
    assertThat(partial.get("errorMessage").asString())
        .contains("monthly_quota_exceeded")
        .contains("free plan allows 1 events per month");
    assertThat(publishedFor(agent)).hasSize(1);

    EntityExchangeResult<byte[]> refused = otlpExchange(key, agent, 1);
    assertThat(refused.getStatus().value()).isEqualTo(429);
    assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
    JsonNode status = JSON.readTree(refused.getResponseBody());
    assertThat(status.get("code").asInt()).as("RESOURCE_EXHAUSTED").isEqualTo(8);
    assertThat(status.get("message").asString()).contains("free plan allows 1 events per month");
    JsonNode info = status.get("details").get(0);
    assertThat(info.get("reason").asString()).isEqualTo("monthly_quota_exceeded");
    assertThat(info.get("metadata").get("limit").asString()).isEqualTo("1");
    assertThat(info.get("metadata").get("plan").asString()).isEqualTo("free");
    assertThat(info.get("metadata").get("resets_at").asString()).endsWith("T00:00:00Z");
    assertThat(publishedFor(agent)).hasSize(1);
    assertThat(used(ws)).isEqualTo(1);
  }

  private byte[] otlp(String key, String agent, int spans, int status) {
    EntityExchangeResult<byte[]> result = otlpExchange(key, agent, spans);
    assertThat(result.getStatus().value()).isEqualTo(status);
    return result.getResponseBody();
  }

  private EntityExchangeResult<byte[]> otlpExchange(String key, String agent, int spans) {
    long start = Instant.now().minusSeconds(30).toEpochMilli() * 1_000_000L;
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < spans; i++) {
      if (i > 0) {
        list.append(',');
      }
      list.append(
          """
          {"traceId": "%s", "spanId": "%s", "name": "chat gpt-4o", "kind": 3,
           "startTimeUnixNano": "%d", "endTimeUnixNano": "%d",
           "attributes": [
             {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
             {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
             {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
             {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "100"}},
             {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "10"}}]}
          """
              .formatted(hex(16), hex(8), start, start + 500_000_000L));
    }
    String json =
        """
        {"resourceSpans": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "%s"}}]},
          "scopeSpans": [{"spans": [%s]}]}]}
        """
            .formatted(agent, list);
    return web.post()
        .uri("/api/obs/otlp/v1/traces")
        .header("Authorization", "Bearer " + key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json.getBytes(StandardCharsets.UTF_8))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static String hex(int bytes) {
    return UUID.randomUUID().toString().replace("-", "").substring(0, bytes * 2 - 1) + "1";
  }

  private long used(String ws) {
    return usage.used(ws, YearMonth.now(ZoneOffset.UTC).atDay(1)).block(Duration.ofSeconds(10));
  }

  private static JsonNode answer(WebTestClient.ResponseSpec response, int status) {
    byte[] body =
        response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    return JSON.readTree(body);
  }

  private static List<String> statuses(JsonNode results) {
    List<String> statuses = new ArrayList<>();
    for (JsonNode result : results) {
      String status = result.get("status").asString();
      statuses.add(
          status.equals("accepted") ? status : status + ":" + result.get("code").asString());
    }
    return statuses;
  }

  private static List<String> eventIds(List<Published> published) {
    return published.stream().map(p -> p.value().get("event_id").asString()).toList();
  }

  private static String id(List<ObjectNode> events, int index) {
    return events.get(index).get("event_id").asString();
  }

  private static String newWorkspace() {
    return "ws-quota-" + UUID.randomUUID();
  }
}
