package dev.beacon.ingest.otlp;

import static dev.beacon.ingest.otlp.OtlpTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.otlp.OtlpTestKit.TRACES_PATH;
import static dev.beacon.ingest.otlp.OtlpTestKit.publishedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * OTLP/HTTP's answers: {@code google.rpc.Status} errors with the JSON intake's codes, partial
 * success for rejected spans, and nothing of a refused request on Kafka.
 */
@IntegrationTest
class OtlpTraceWebFluxTests {

  static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");
  static final HexFormat HEX = HexFormat.of();

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  /** A decoded {@code google.rpc.Status} with its {@code ErrorInfo.reason}. */
  record Status(int code, String message, String reason) {

    static Status ofProtobuf(byte[] body) {
      try {
        UnknownFieldSet status = UnknownFieldSet.parseFrom(body);
        UnknownFieldSet any =
            UnknownFieldSet.parseFrom(status.getField(3).getLengthDelimitedList().get(0));
        assertThat(any.getField(1).getLengthDelimitedList().get(0).toStringUtf8())
            .isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        UnknownFieldSet errorInfo =
            UnknownFieldSet.parseFrom(any.getField(2).getLengthDelimitedList().get(0));
        return new Status(
            status.getField(1).getVarintList().get(0).intValue(),
            status.getField(2).getLengthDelimitedList().get(0).toStringUtf8(),
            errorInfo.getField(1).getLengthDelimitedList().get(0).toStringUtf8());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("not a google.rpc.Status", e);
      }
    }

    static Status ofJson(byte[] body) {
      JsonNode status = OtlpTestKit.JSON.readTree(body);
      JsonNode details = status.get("details").get(0);
      assertThat(details.get("@type").asString())
          .isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
      return new Status(
          status.get("code").asInt(),
          status.get("message").asString(),
          details.get("reason").asString());
    }
  }

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue attribute(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1;
    return HEX.formatHex(id);
  }

  static Span.Builder chatSpan(Instant start) {
    long startNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    return Span.newBuilder()
        .setTraceId(ByteString.fromHex(randomHex(16)))
        .setSpanId(ByteString.fromHex(randomHex(8)))
        .setName("chat gpt-4o")
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(startNanos + 1_500_000_000L)
        .addAttributes(attribute("gen_ai.operation.name", "chat"))
        .addAttributes(attribute("gen_ai.provider.name", "openai"))
        .addAttributes(attribute("gen_ai.request.model", "gpt-4o"))
        .addAttributes(attribute("gen_ai.usage.input_tokens", 120))
        .addAttributes(attribute("gen_ai.usage.output_tokens", 12));
  }

  static byte[] request(String serviceName, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(attribute("service.name", serviceName)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
        .build()
        .toByteArray();
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

  WebTestClient.ResponseSpec post(String key, MediaType type, byte[] body) {
    return web.post()
        .uri(TRACES_PATH)
        .header("Authorization", "Bearer " + key)
        .contentType(type)
        .bodyValue(body)
        .exchange();
  }

  static byte[] body(WebTestClient.ResponseSpec response, int status, MediaType type) {
    EntityExchangeResult<byte[]> result =
        response
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentTypeCompatibleWith(type)
            .expectBody()
            .returnResult();
    return result.getResponseBody() == null ? new byte[0] : result.getResponseBody();
  }

  @Test
  void acceptsProtobufAndAnswersAnEmptyExportResponse() throws Exception {
    String agent = "otlp-" + UUID.randomUUID();
    byte[] response =
        body(
            post(BOOTSTRAP_KEY, PROTOBUF, request(agent, List.of(chatSpan(Instant.now()).build()))),
            200,
            PROTOBUF);

    assertThat(ExportTraceServiceResponse.parseFrom(response).hasPartialSuccess()).isFalse();
    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(p -> assertThat(p.type()).isEqualTo("llm_call"));
  }

  @Test
  void reportsRejectedSpansAsPartialSuccessAndPublishesTheRest() throws Exception {
    String agent = "otlp-" + UUID.randomUUID();
    Span good = chatSpan(Instant.now().minusSeconds(5)).build();
    Span future = chatSpan(Instant.parse("2099-01-01T00:00:00Z")).build();
    Span badId = chatSpan(Instant.now()).setSpanId(ByteString.fromHex("0102")).build();
    Span negativeTokens =
        chatSpan(Instant.now()).addAttributes(attribute("gen_ai.usage.input_tokens", -5)).build();

    byte[] response =
        body(
            post(
                BOOTSTRAP_KEY,
                PROTOBUF,
                request(agent, List.of(good, future, badId, negativeTokens))),
            200,
            PROTOBUF);

    ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(response);
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
    assertThat(parsed.getPartialSuccess().getErrorMessage())
        .contains("occurred_at_in_future", "invalid_span_id");
    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.value().get("span_id").asString())
                    .isEqualTo(HEX.formatHex(good.getSpanId().toByteArray())));
  }

  @Test
  void acceptsOtlpJsonWithHexIdsStringIntegersAndEnumNumbers() {
    String agent = "otlp-" + UUID.randomUUID();
    String traceId = randomHex(16);
    String spanId = randomHex(8);
    String parentId = randomHex(8);
    long start = (Instant.now().minusSeconds(30).toEpochMilli()) * 1_000_000L;
    String json =
        """
        {"resourceSpans": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "%s"}}]},
          "scopeSpans": [{
            "scope": {"name": "openai-instrumentation", "version": "1.0"},
            "spans": [
              {"traceId": "%s", "spanId": "%s", "parentSpanId": "%s", "name": "chat claude",
               "kind": 3, "startTimeUnixNano": "%d", "endTimeUnixNano": %d,
               "attributes": [
                 {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                 {"key": "gen_ai.provider.name", "value": {"stringValue": "anthropic"}},
                 {"key": "gen_ai.request.model", "value": {"stringValue": "claude-sonnet-4-5"}},
                 {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "1200"}},
                 {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 80}},
                 {"key": "gen_ai.request.temperature", "value": {"doubleValue": 0.2}},
                 {"key": "gen_ai.request.stop_sequences",
                  "value": {"arrayValue": {"values": [{"stringValue": "END"}]}}}
               ],
               "status": {"code": 2, "message": "overloaded"}},
              {"traceId": "not-hex-at-all-not-hex-at-all-xx", "spanId": "%s", "name": "bad"}
            ]}]}]}
        """
            .formatted(agent, traceId, spanId, parentId, start, start + 700_000_000L, randomHex(8));

    byte[] response =
        body(
            post(BOOTSTRAP_KEY, MediaType.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8)),
            200,
            MediaType.APPLICATION_JSON);

    JsonNode partial = OtlpTestKit.JSON.readTree(response).get("partialSuccess");
    assertThat(partial.get("rejectedSpans").asString()).isEqualTo("1");
    assertThat(partial.get("errorMessage").asString()).contains("invalid_span_id");
    assertThat(publishedFor(agent))
        .singleElement()
        .satisfies(
            p -> {
              JsonNode event = p.value();
              assertThat(event.get("trace_id").asString()).isEqualTo(traceId);
              assertThat(event.get("span_id").asString()).isEqualTo(spanId);
              assertThat(event.get("parent_span_id").asString()).isEqualTo(parentId);
              assertThat(event.get("status").asString()).isEqualTo("error");
              assertThat(event.get("error").get("message").asString()).isEqualTo("overloaded");
              assertThat(event.get("duration_ms").asLong()).isEqualTo(700);
              assertThat(event.get("llm").get("provider").asString()).isEqualTo("anthropic");
              assertThat(event.get("llm").get("input_tokens").asLong()).isEqualTo(1200);
              assertThat(event.get("llm").get("output_tokens").asLong()).isEqualTo(80);
              assertThat(event.get("metadata").get("otel.span.kind").asString())
                  .isEqualTo("client");
              assertThat(event.get("metadata").get("otel.scope.name").asString())
                  .isEqualTo("openai-instrumentation");
              assertThat(event.get("metadata").get("gen_ai.request.temperature").asDouble())
                  .isEqualTo(0.2);
              assertThat(
                      event.get("metadata").get("gen_ai.request.stop_sequences").get(0).asString())
                  .isEqualTo("END");
            });
  }

  @Test
  void acceptsAnExportWithoutSpans() throws Exception {
    byte[] response =
        body(
            post(
                BOOTSTRAP_KEY,
                PROTOBUF,
                ExportTraceServiceRequest.getDefaultInstance().toByteArray()),
            200,
            PROTOBUF);

    assertThat(ExportTraceServiceResponse.parseFrom(response).hasPartialSuccess()).isFalse();
  }

  @Test
  void refusesAnUnsupportedContentTypeWith415() {
    Status status =
        Status.ofJson(
            body(
                post(BOOTSTRAP_KEY, MediaType.TEXT_PLAIN, "hello".getBytes(StandardCharsets.UTF_8)),
                415,
                MediaType.APPLICATION_JSON));

    assertThat(status.reason()).isEqualTo("unsupported_media_type");
    assertThat(status.code()).isEqualTo(3);
  }

  @Test
  void refusesAnUnsupportedContentEncodingWith415() {
    String agent = "otlp-" + UUID.randomUUID();
    byte[] response =
        body(
            web.post()
                .uri(TRACES_PATH)
                .header("Authorization", "Bearer " + BOOTSTRAP_KEY)
                .header("Content-Encoding", "br")
                .contentType(PROTOBUF)
                .bodyValue(request(agent, List.of(chatSpan(Instant.now()).build())))
                .exchange(),
            415,
            PROTOBUF);

    assertThat(Status.ofProtobuf(response).reason()).isEqualTo("unsupported_content_encoding");
    assertThat(publishedFor(agent)).isEmpty();
  }

  @Test
  void refusesMalformedProtobufWith400AndAProtobufStatus() {
    Status status =
        Status.ofProtobuf(
            body(
                post(BOOTSTRAP_KEY, PROTOBUF, new byte[] {0x0a, (byte) 0xff, 0x01}),
                400,
                PROTOBUF));

    assertThat(status.code()).isEqualTo(3);
    assertThat(status.reason()).isEqualTo("malformed_protobuf");
    assertThat(status.message()).contains("ExportTraceServiceRequest");
  }

  @Test
  void refusesMalformedJsonWith400() {
    for (String json : List.of("{\"resourceSpans\": [", "{\"resourceSpans\": {}}", "[]")) {
      Status status =
          Status.ofJson(
              body(
                  post(
                      BOOTSTRAP_KEY,
                      MediaType.APPLICATION_JSON,
                      json.getBytes(StandardCharsets.UTF_8)),
                  400,
                  MediaType.APPLICATION_JSON));
      assertThat(status.reason()).as(json).isEqualTo("malformed_json");
    }
  }

  @Test
  void refusesAnUnknownKeyWith401() {
    String agent = "otlp-" + UUID.randomUUID();
    byte[] response =
        body(
            post(
                    "bcn_" + "x".repeat(32) + "000000",
                    PROTOBUF,
                    request(agent, List.of(chatSpan(Instant.now()).build())))
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer realm=\"beacon-ingest\""),
            401,
            PROTOBUF);

    Status status = Status.ofProtobuf(response);
    assertThat(status.code()).isEqualTo(16);
    assertThat(status.reason()).isEqualTo("invalid_api_key");
    assertThat(publishedFor(agent)).isEmpty();
  }

  @Test
  void refusesABodyOverTheLimitWith413() {
    byte[] tooLarge = new byte[5 * 1024 * 1024 + 1];

    assertThat(
            Status.ofProtobuf(body(post(BOOTSTRAP_KEY, PROTOBUF, tooLarge), 413, PROTOBUF))
                .reason())
        .isEqualTo("payload_too_large");
  }

  @Test
  void refusesAGzipBombWith413() {
    byte[] bomb = gzip(new byte[6 * 1024 * 1024]);

    byte[] response =
        body(
            web.post()
                .uri(TRACES_PATH)
                .header("Authorization", "Bearer " + BOOTSTRAP_KEY)
                .header("Content-Encoding", "gzip")
                .contentType(PROTOBUF)
                .bodyValue(bomb)
                .exchange(),
            413,
            PROTOBUF);

    assertThat(Status.ofProtobuf(response).reason()).isEqualTo("payload_too_large");
  }

  @Test
  void refusesMoreSpansThanABatchMayHoldWith413() {
    String agent = "otlp-" + UUID.randomUUID();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      spans.add(chatSpan(Instant.now()).build());
    }

    Status status =
        Status.ofProtobuf(
            body(post(BOOTSTRAP_KEY, PROTOBUF, request(agent, spans)), 413, PROTOBUF));

    assertThat(status.reason()).isEqualTo("too_many_events");
    assertThat(publishedFor(agent)).isEmpty();
  }

  @Test
  void answers429WithRetryAfterWhenTheKeyExceedsItsRate() {
    String key = newKey(Map.of("rate_limit_per_second", 1));
    byte[] body = request("otlp-" + UUID.randomUUID(), List.of());
    EntityExchangeResult<byte[]> limited = null;
    for (int attempt = 0; attempt < 10 && limited == null; attempt++) {
      EntityExchangeResult<byte[]> result = post(key, PROTOBUF, body).expectBody().returnResult();
      if (result.getStatus().value() == 429) {
        limited = result;
      }
    }

    assertThat(limited).as("a 429 within 10 requests at 1 request/s").isNotNull();
    assertThat(Long.parseLong(limited.getResponseHeaders().getFirst("Retry-After")))
        .isGreaterThanOrEqualTo(1);
    assertThat(Status.ofProtobuf(limited.getResponseBody()).reason()).isEqualTo("rate_limited");
  }

  @Test
  void keyBoundToAnAgentStampsSpansWithoutOneAndRejectsSpansOfAnother() throws Exception {
    String agent = "otlp-bound-" + UUID.randomUUID();
    String other = "otlp-other-" + UUID.randomUUID();
    String key = newKey(Map.of("agent_id", agent));
    Span asService = chatSpan(Instant.now().minusSeconds(5)).build();
    Span withoutService = chatSpan(Instant.now().minusSeconds(4)).build();
    Span ofOtherService = chatSpan(Instant.now().minusSeconds(3)).build();
    Span namingTheAgent =
        chatSpan(Instant.now().minusSeconds(2))
            .addAttributes(attribute("gen_ai.agent.id", agent))
            .build();
    // the SDKs' fallback when no service name is configured names no agent
    Span ofUnnamedService = chatSpan(Instant.now().minusSeconds(1)).build();
    byte[] export =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans(agent, asService))
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder())
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(withoutService)))
            .addResourceSpans(resourceSpans(other, ofOtherService))
            .addResourceSpans(resourceSpans(other, namingTheAgent))
            .addResourceSpans(resourceSpans("unknown_service:java", ofUnnamedService))
            .build()
            .toByteArray();

    ExportTraceServiceResponse response =
        ExportTraceServiceResponse.parseFrom(body(post(key, PROTOBUF, export), 200, PROTOBUF));

    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo(
            "agent_id_mismatch: span 2 (llm_call): agent_id \""
                + other
                + "\" is not the agent this API key speaks for (\""
                + agent
                + "\"); leave agent_id out or send \""
                + agent
                + "\".");
    assertThat(publishedFor(other)).isEmpty();
    assertThat(publishedFor(agent))
        .extracting(p -> p.value().get("span_id").asString())
        .containsExactlyInAnyOrder(
            HEX.formatHex(asService.getSpanId().toByteArray()),
            HEX.formatHex(withoutService.getSpanId().toByteArray()),
            HEX.formatHex(namingTheAgent.getSpanId().toByteArray()),
            HEX.formatHex(ofUnnamedService.getSpanId().toByteArray()));
    assertThat(publishedFor(agent))
        .allSatisfy(p -> assertThat(p.key()).isEqualTo("ws-otlp:" + agent));
  }

  static ResourceSpans resourceSpans(String serviceName, Span span) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", serviceName)))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))
        .build();
  }

  private String newKey(Map<String, Object> request) {
    Map<String, Object> body = new java.util.HashMap<>(request);
    body.put("name", "otlp test key");
    byte[] response =
        web.post()
            .uri("/api/obs/keys")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", "ws-otlp", Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return OtlpTestKit.JSON.readTree(response).get("secret").asString();
  }
}
