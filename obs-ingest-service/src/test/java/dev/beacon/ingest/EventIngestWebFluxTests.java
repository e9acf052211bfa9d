package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.IngestTestKit.assertNothingPublishedFor;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.gzip;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.IdentitySigner;
import dev.beacon.ingest.apikey.domain.ApiKeyFormat;
import dev.beacon.testsupport.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every bad input gets its documented status and code, and nothing of a refused request reaches
 * Kafka.
 */
@IntegrationTest
class EventIngestWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private void expectError(WebTestClient.ResponseSpec response, int status, String code) {
    response.expectStatus().isEqualTo(status).expectBody().jsonPath("$.code").isEqualTo(code);
  }

  static List<String> badAuthorizations() {
    return List.of(
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-key",
        "Bearer bcn_TestBootstrapKey00000000000000010XdG8x",
        "Bearer " + ApiKeyFormat.generate());
  }

  @ParameterizedTest
  @MethodSource("badAuthorizations")
  void refusesMissingMalformedOrUnknownKeyWithTheSameAnswer(String authorization) {
    String agent = uniqueAgent();
    WebTestClient.RequestBodySpec request =
        web.post().uri("/api/obs/v1/events").contentType(MediaType.APPLICATION_JSON);
    if (!authorization.isEmpty()) {
      request.header("Authorization", authorization);
    }
    request
        .bodyValue(batch(IngestTestKit.custom(agent)))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("WWW-Authenticate", "Bearer realm=\"beacon-ingest\"")
        .expectBody()
        .json(
            "{\"code\":\"invalid_api_key\",\"message\":\"The API key is missing, malformed, unknown"
                + " or expired.\"}",
            org.springframework.test.json.JsonCompareMode.STRICT);
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesExpiredKeyLikeAnUnknownOne() {
    String key =
        IngestTestKit.createKey(
                web,
                signer,
                "ws-expiry",
                Map.of("expires_at", OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2).toString()))
            .get("secret")
            .asString();
    String agent = uniqueAgent();

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                IngestTestKit.post(web, key, batch(IngestTestKit.custom(agent)))
                    .expectStatus()
                    .isUnauthorized()
                    .expectBody()
                    .jsonPath("$.code")
                    .isEqualTo("invalid_api_key"));
  }

  @Test
  void refusesRevokedKeyWith403() {
    var created = IngestTestKit.createKey(web, signer, "ws-revoke", Map.of());
    web.delete()
        .uri("/api/obs/keys/" + created.get("id").asString())
        .header(
            dev.beacon.identity.ForwardedIdentity.HEADER,
            signer.sign("user-1", "ws-revoke", dev.beacon.identity.Role.ADMIN))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    String agent = uniqueAgent();

    expectError(
        IngestTestKit.post(
            web, created.get("secret").asString(), batch(IngestTestKit.custom(agent))),
        403,
        "api_key_revoked");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesKeyWithoutIngestScope() {
    String key =
        IngestTestKit.createKey(web, signer, "ws-read", Map.of("scopes", List.of("read")))
            .get("secret")
            .asString();

    expectError(
        IngestTestKit.post(web, key, batch(IngestTestKit.custom(uniqueAgent()))),
        403,
        "insufficient_scope");
  }

  @Test
  void refusesWrongContentTypeWith415() {
    String agent = uniqueAgent();
    expectError(
        web.post()
            .uri("/api/obs/v1/events")
            .header("Authorization", "Bearer " + BOOTSTRAP_KEY)
            .contentType(MediaType.TEXT_PLAIN)
            .bodyValue(batch(IngestTestKit.custom(agent)))
            .exchange(),
        415,
        "unsupported_media_type");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesUnknownContentEncodingWith415() {
    String agent = uniqueAgent();
    expectError(
        web.post()
            .uri("/api/obs/v1/events")
            .header("Authorization", "Bearer " + BOOTSTRAP_KEY)
            .header("Content-Encoding", "br")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(batch(IngestTestKit.custom(agent)))
            .exchange(),
        415,
        "unsupported_content_encoding");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesMalformedJsonWith400() {
    String agent = uniqueAgent();
    String truncated = batch(IngestTestKit.custom(agent));
    expectError(
        IngestTestKit.post(web, BOOTSTRAP_KEY, truncated.substring(0, truncated.length() - 3)),
        400,
        "malformed_json");
    assertNothingPublishedFor(agent);
  }

  /**
   * A duplicate property name anywhere refuses the whole request, and the valid event beside it is
   * not sent: which of the two values would count is ambiguous.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "in the event|\"type\":\"llm_call\"|\"type\":\"llm_call\",\"type\":\"custom\"",
        "in the llm object|\"model\":\"gpt-4o\"|\"model\":\"gpt-4o\",\"model\":\"o3\"",
        "in metadata|\"llm\":{|\"metadata\":{\"k\":1,\"k\":2},\"llm\":{",
        "in the body|{\"batch\":|{\"x\":1,\"x\":2,\"batch\":",
        "batch twice|{\"batch\":[|{\"batch\":[],\"batch\":[",
        "inside another body property|{\"batch\":|{\"x\":{\"a\":[{\"k\":1,\"k\":1}]},\"batch\":"
      })
  void refusesDuplicatePropertyNamesAsMalformedJson(String where) {
    String[] parts = where.split("\\|");
    String agent = uniqueAgent();
    String good = batch(IngestTestKit.custom(agent), IngestTestKit.llmCall(agent));
    assertThat(good).as(parts[0]).contains(parts[1]);
    String body = good.replaceFirst(java.util.regex.Pattern.quote(parts[1]), parts[2]);
    String answer =
        IngestTestKit.post(web, BOOTSTRAP_KEY, body)
            .expectStatus()
            .isEqualTo(400)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    JsonNode error = IngestTestKit.JSON.readTree(answer);
    assertThat(error.get("code").stringValue()).as(parts[0]).isEqualTo("malformed_json");
    assertThat(error.get("message").stringValue()).as(parts[0]).containsIgnoringCase("duplicate");
    assertNothingPublishedFor(agent);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"batch\": []}", "{\"events\": [{}]}"})
  void refusesEmptyOrMissingBatchWith400(String body) {
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, body), 400, "empty_batch");
  }

  @Test
  void refusesBatchThatIsNotAnArray() {
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, "{\"batch\": {}}"), 400, "invalid_batch");
  }

  @Test
  void rejectsBatchOverOneThousandEvents() {
    String agent = uniqueAgent();
    String body =
        batch(
            IntStream.range(0, 1001)
                .mapToObj(i -> IngestTestKit.custom(agent))
                .collect(Collectors.toList()));
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, body), 413, "too_many_events");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesUncompressedBodyOverFiveMebibytesWith413() {
    String agent = uniqueAgent();
    ObjectNode event = IngestTestKit.custom(agent);
    event.put("padding", "x".repeat(6 * 1024 * 1024));
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event)), 413, "payload_too_large");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesGzipBodyOverOneMebibyteOnTheWireWith413() {
    byte[] random = new byte[1_200_000];
    new java.util.Random(7).nextBytes(random);
    expectError(IngestTestKit.postGzip(web, BOOTSTRAP_KEY, gzip(random)), 413, "payload_too_large");
  }

  @Test
  void cutsOffGzipBombAtTheDecompressedCapWith413() throws IOException {
    String agent = uniqueAgent();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(
          ("{\"batch\":[" + IngestTestKit.custom(agent) + ",{\"pad\":\"")
              .getBytes(StandardCharsets.UTF_8));
      byte[] spaces = new byte[1024 * 1024];
      Arrays.fill(spaces, (byte) 'a');
      for (int i = 0; i < 200; i++) {
        gzip.write(spaces);
      }
      gzip.write("\"}]}".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(compressed.size()).isLessThan(1024 * 1024);

    expectError(
        IngestTestKit.postGzip(web, BOOTSTRAP_KEY, compressed.toByteArray()),
        413,
        "payload_too_large");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesCorruptGzipWith400() {
    byte[] body = gzip(batch(IngestTestKit.custom(uniqueAgent())).getBytes(StandardCharsets.UTF_8));
    body[body.length / 2] ^= 0x5a;
    body[body.length / 2 + 1] ^= 0x5a;
    expectError(IngestTestKit.postGzip(web, BOOTSTRAP_KEY, body), 400, "invalid_gzip");
  }

  @Test
  void refusesDeeplyNestedJsonWith400() {
    String agent = uniqueAgent();
    String nested = "[".repeat(100_000) + "]".repeat(100_000);
    String body =
        "{\"batch\":[{\"type\":\"custom\",\"agent_id\":\""
            + agent
            + "\",\"metadata\":{\"x\":"
            + nested
            + "}}]}";
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, body), 400, "json_limits_exceeded");
    assertNothingPublishedFor(agent);
  }

  @Test
  void refusesHugeNumberWith400() {
    String body = "{\"batch\":[{\"duration_ms\":" + "9".repeat(5000) + "}]}";
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, body), 400, "json_limits_exceeded");
  }

  @Test
  void refusesHugeStringWith400() {
    String body = "{\"batch\":[{\"agent_id\":\"" + "a".repeat(100_000) + "\"}]}";
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, body), 400, "json_limits_exceeded");
  }

  @Test
  void rejectsEventOverSixtyFourKibibytes() {
    String agent = uniqueAgent();
    ObjectNode event = IngestTestKit.custom(agent);
    ObjectNode padding = event.putObject("padding");
    for (int i = 0; i < 10; i++) {
      padding.put("p" + i, "x".repeat(8000));
    }
    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event))
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("event_too_large")
        .jsonPath("$.results[0].code")
        .isEqualTo("event_too_large");
    assertNothingPublishedFor(agent);
  }

  @Test
  void rejectsSchemaViolationWith400AndPerEventResult() {
    String agent = uniqueAgent();
    ObjectNode event = IngestTestKit.llmCall(agent).put("event_id", "not-a-uuid");
    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("schema_violation")
        .jsonPath("$.accepted")
        .isEqualTo(0)
        .jsonPath("$.results[0].event_id")
        .isEqualTo("not-a-uuid")
        .jsonPath("$.results[0].message")
        .value(message -> assertThat((String) message).contains("/event_id"));
    assertNothingPublishedFor(agent);
  }

  @Test
  void rejectsEventsFromTheFarFutureOrOlderThanRetention() {
    String agent = uniqueAgent();
    ObjectNode future =
        IngestTestKit.custom(agent)
            .put("occurred_at", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10).toString());
    ObjectNode old =
        IngestTestKit.custom(agent)
            .put("occurred_at", OffsetDateTime.now(ZoneOffset.UTC).minusDays(31).toString());
    IngestTestKit.post(web, BOOTSTRAP_KEY, batch(future, old))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("all_events_rejected")
        .jsonPath("$.results[0].code")
        .isEqualTo("occurred_at_in_future")
        .jsonPath("$.results[1].code")
        .isEqualTo("occurred_at_too_old");
    assertNothingPublishedFor(agent);
  }

  @Test
  void rejectsOversizedMetadata() {
    String agent = uniqueAgent();
    ObjectNode event = IngestTestKit.custom(agent);
    ObjectNode metadata = event.putObject("metadata");
    for (int i = 0; i < 3; i++) {
      metadata.put("k" + i, "v".repeat(6000));
    }
    expectError(IngestTestKit.post(web, BOOTSTRAP_KEY, batch(event)), 400, "metadata_too_large");
    assertNothingPublishedFor(agent);
  }

  @Test
  void answers429WithRetryAfterAndRateLimitHeadersWhenAKeyExceedsItsRate() {
    String key =
        IngestTestKit.createKey(web, signer, "ws-rate", Map.of("rate_limit_per_second", 1))
            .get("secret")
            .asString();
    String body = batch(IngestTestKit.custom(uniqueAgent()));
    List<Integer> statuses =
        IntStream.range(0, 3)
            .mapToObj(
                i -> IngestTestKit.post(web, key, body).expectBody(String.class).returnResult())
            .map(
                result -> {
                  if (result.getStatus().value() == 429) {
                    assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                    assertThat(result.getResponseHeaders().getFirst("X-RateLimit-Limit"))
                        .isEqualTo("1");
                    assertThat(result.getResponseHeaders().getFirst("X-RateLimit-Remaining"))
                        .isEqualTo("0");
                  }
                  return result.getStatus().value();
                })
            .toList();
    assertThat(statuses).contains(200, 429);
  }

  @Test
  void servesTheJsonSchema() {
    web.get()
        .uri("/api/obs/v1/schema")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.$schema")
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }
}
