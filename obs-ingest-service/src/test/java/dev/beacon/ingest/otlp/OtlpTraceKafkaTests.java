package dev.beacon.ingest.otlp;

import static dev.beacon.ingest.otlp.OtlpTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.otlp.OtlpTestKit.JSON;
import static dev.beacon.ingest.otlp.OtlpTestKit.publishedFor;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.BootstrapWorkspace;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.ingest.otlp.OtlpTestKit.CollectingExporter;
import dev.beacon.ingest.otlp.OtlpTestKit.Encoding;
import dev.beacon.ingest.otlp.OtlpTestKit.Published;
import dev.beacon.testsupport.IntegrationTest;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The real OpenTelemetry SDK exports GenAI spans to the running endpoint; the resulting Beacon
 * events are on Kafka with their types, models, tokens, agent, ids and run grouping.
 */
@IntegrationTest
class OtlpTraceKafkaTests {

  static final String WORKSPACE = BootstrapWorkspace.idFor("demo").toString();

  @LocalServerPort int port;
  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  /** Spans of one agent run, ended, with the ids the test needs. */
  record AgentRun(List<SpanData> spans, String traceId, String runSpanId, Instant start) {

    SpanData span(String name) {
      return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
  }

  /**
   * invoke_agent (10 s) → chat (2 s), a legacy Gemini call without an operation name, a failed tool
   * call, and a plain internal span.
   */
  static AgentRun agentRun(String serviceName, String agentId) {
    CollectingExporter collected = new CollectingExporter();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.create(Attributes.of(stringKey("service.name"), serviceName))))
            .addSpanProcessor(SimpleSpanProcessor.create(collected))
            .build();
    Tracer tracer = provider.get("beacon-otlp-test");
    Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    Span run =
        tracer
            .spanBuilder("invoke_agent support-bot")
            .setStartTimestamp(start)
            .setAttribute("gen_ai.operation.name", "invoke_agent")
            .setAttribute("gen_ai.agent.id", agentId)
            .setAttribute("gen_ai.agent.name", "Support bot")
            .setAttribute("gen_ai.conversation.id", "conv-42")
            .startSpan();
    Context inRun = Context.current().with(run);
    tracer
        .spanBuilder("chat gpt-4o")
        .setParent(inRun)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(start.plusSeconds(1))
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
        .setAttribute("gen_ai.usage.input_tokens", 1000L)
        .setAttribute("gen_ai.usage.output_tokens", 200L)
        .setAttribute("gen_ai.usage.cache_read.input_tokens", 400L)
        .setAttribute("gen_ai.usage.reasoning.output_tokens", 50L)
        .setAttribute(stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
        .startSpan()
        .end(start.plusSeconds(3));
    tracer
        .spanBuilder("generate gemini")
        .setParent(inRun)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(start.plusSeconds(3))
        .setAttribute("gen_ai.system", "vertex_ai")
        .setAttribute("gen_ai.request.model", "gemini-2.5-flash")
        .setAttribute("gen_ai.usage.prompt_tokens", 300L)
        .setAttribute("gen_ai.usage.completion_tokens", 30L)
        .setAttribute("gen_ai.usage.cache_read_input_tokens", 100L)
        .startSpan()
        .end(start.plusSeconds(4));
    Span tool =
        tracer
            .spanBuilder("execute_tool web_search")
            .setParent(inRun)
            .setStartTimestamp(start.plusSeconds(4))
            .setAttribute("gen_ai.operation.name", "execute_tool")
            .setAttribute("gen_ai.tool.name", "web_search")
            .setAttribute("gen_ai.tool.call.id", "call_1")
            .setAttribute("error.type", "timeout")
            .startSpan();
    tool.recordException(new IllegalStateException("no answer in 5 s"));
    tool.setStatus(StatusCode.ERROR, "search backend down");
    tool.end(start.plusSeconds(9));
    tracer
        .spanBuilder("load conversation")
        .setParent(inRun)
        .setStartTimestamp(start.plusMillis(100))
        .setAttribute("db.system.name", "postgresql")
        .setAttribute("rows", 3L)
        .startSpan()
        .end(start.plusMillis(150));
    run.end(start.plusSeconds(10));
    provider.close();
    return new AgentRun(
        List.copyOf(collected.spans),
        run.getSpanContext().getTraceId(),
        run.getSpanContext().getSpanId(),
        start);
  }

  static String eventId(SpanData span, String role) {
    return UUID.nameUUIDFromBytes(
            ("otlp:" + span.getTraceId() + ":" + span.getSpanId() + ":" + role)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void mapsAnAgentRunOfGenAiSpansToEventsOnKafka(Encoding encoding) {
    String agent = "otel-agent-" + UUID.randomUUID();
    AgentRun run = agentRun(agent, agent);

    assertThat(OtlpTestKit.export(OtlpTestKit.exporter(port, BOOTSTRAP_KEY, encoding), run.spans()))
        .as("the OpenTelemetry exporter reports success")
        .isTrue();

    List<Published> published = publishedFor(agent);
    assertThat(published)
        .extracting(Published::type)
        .containsExactlyInAnyOrder(
            "run_start", "run_end", "llm_call", "llm_call", "tool_call", "custom");
    assertThat(published)
        .allSatisfy(
            p -> {
              assertThat(p.key()).isEqualTo(WORKSPACE + ":" + agent);
              assertThat(p.value().get("workspace_id").asString()).isEqualTo(WORKSPACE);
              assertThat(p.value().get("run_id").asString()).isEqualTo(run.traceId());
              assertThat(p.value().get("trace_id").asString()).isEqualTo(run.traceId());
              assertThat(p.value().get("tags").get(0).asString()).isEqualTo("otlp");
            });
    Map<String, JsonNode> bySpan =
        published.stream()
            .filter(p -> !p.type().startsWith("run_"))
            .collect(Collectors.toMap(p -> p.value().get("span_id").asString(), Published::value));

    SpanData chatSpan = run.span("chat gpt-4o");
    JsonNode chat = bySpan.get(chatSpan.getSpanId());
    assertThat(chat.get("type").asString()).isEqualTo("llm_call");
    assertThat(chat.get("event_id").asString()).isEqualTo(eventId(chatSpan, "span"));
    assertThat(chat.get("parent_span_id").asString()).isEqualTo(run.runSpanId());
    assertThat(chat.get("status").asString()).isEqualTo("ok");
    assertThat(chat.get("duration_ms").asLong()).isEqualTo(2000);
    assertThat(OffsetDateTime.parse(chat.get("occurred_at").asString()).toInstant())
        .isEqualTo(run.start().plusSeconds(1));
    JsonNode llm = chat.get("llm");
    assertThat(llm.get("provider").asString()).isEqualTo("openai");
    assertThat(llm.get("model").asString()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(llm.get("input_tokens").asLong()).isEqualTo(1000);
    assertThat(llm.get("output_tokens").asLong()).isEqualTo(200);
    assertThat(llm.get("cached_input_tokens").asLong()).isEqualTo(400);
    assertThat(llm.get("reasoning_tokens").asLong()).isEqualTo(50);
    assertThat(chat.get("metadata").get("gen_ai.request.model").asString()).isEqualTo("gpt-4o");
    assertThat(chat.get("metadata").get("gen_ai.response.finish_reasons").get(0).asString())
        .isEqualTo("stop");
    assertThat(chat.get("metadata").has("gen_ai.usage.input_tokens")).isFalse();

    JsonNode gemini = bySpan.get(run.span("generate gemini").getSpanId()).get("llm");
    assertThat(gemini.get("provider").asString()).isEqualTo("google");
    assertThat(gemini.get("model").asString()).isEqualTo("gemini-2.5-flash");
    assertThat(gemini.get("input_tokens").asLong()).isEqualTo(300);
    assertThat(gemini.get("output_tokens").asLong()).isEqualTo(30);
    assertThat(gemini.get("cached_input_tokens").asLong()).isEqualTo(100);

    JsonNode tool = bySpan.get(run.span("execute_tool web_search").getSpanId());
    assertThat(tool.get("type").asString()).isEqualTo("tool_call");
    assertThat(tool.get("tool").get("name").asString()).isEqualTo("web_search");
    assertThat(tool.get("status").asString()).isEqualTo("error");
    assertThat(tool.get("error").get("type").asString()).isEqualTo("timeout");
    assertThat(tool.get("error").get("message").asString()).isEqualTo("search backend down");
    assertThat(tool.get("duration_ms").asLong()).isEqualTo(5000);

    JsonNode custom = bySpan.get(run.span("load conversation").getSpanId());
    assertThat(custom.get("type").asString()).isEqualTo("custom");
    assertThat(custom.get("metadata").get("name").asString()).isEqualTo("load conversation");
    assertThat(custom.get("metadata").get("rows").asLong()).isEqualTo(3);
    assertThat(custom.get("metadata").get("db.system.name").asString()).isEqualTo("postgresql");

    Map<String, JsonNode> runEvents =
        published.stream()
            .filter(p -> p.type().startsWith("run_"))
            .collect(Collectors.toMap(Published::type, Published::value));
    SpanData runSpan = run.span("invoke_agent support-bot");
    JsonNode runStart = runEvents.get("run_start");
    assertThat(runStart.get("span_id").asString()).isEqualTo(run.runSpanId());
    assertThat(runStart.has("parent_span_id")).isFalse();
    assertThat(runStart.get("event_id").asString()).isEqualTo(eventId(runSpan, "run_start"));
    assertThat(OffsetDateTime.parse(runStart.get("occurred_at").asString()).toInstant())
        .isEqualTo(run.start());
    assertThat(runStart.get("metadata").get("gen_ai.conversation.id").asString())
        .isEqualTo("conv-42");
    JsonNode runEnd = runEvents.get("run_end");
    assertThat(runEnd.get("event_id").asString()).isEqualTo(eventId(runSpan, "run_end"));
    assertThat(runEnd.get("status").asString()).isEqualTo("ok");
    assertThat(runEnd.get("duration_ms").asLong()).isEqualTo(10_000);
    assertThat(OffsetDateTime.parse(runEnd.get("occurred_at").asString()).toInstant())
        .isEqualTo(run.start().plusSeconds(10));
  }

  @Test
  void reExportingTheSameSpansGivesTheSameEventIds() {
    String agent = "otel-agent-" + UUID.randomUUID();
    AgentRun run = agentRun(agent, agent);

    assertThat(
            OtlpTestKit.export(
                OtlpTestKit.exporter(port, BOOTSTRAP_KEY, Encoding.PROTOBUF_GZIP), run.spans()))
        .isTrue();
    assertThat(
            OtlpTestKit.export(
                OtlpTestKit.exporter(port, BOOTSTRAP_KEY, Encoding.JSON_GZIP), run.spans()))
        .isTrue();

    Map<String, Long> copies =
        publishedFor(agent).stream()
            .collect(
                Collectors.groupingBy(
                    p -> p.value().get("event_id").asString(), Collectors.counting()));
    // six events, each sent twice with the same id: the aggregator stores and counts each once
    assertThat(copies).hasSize(6).allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
  }

  @Test
  void agentComesFromGenAiAgentAttributesBeforeTheServiceName() {
    String service = "otel-service-" + UUID.randomUUID();
    String agent = "otel-agent-" + UUID.randomUUID();
    AgentRun run = agentRun(service, agent);

    assertThat(
            OtlpTestKit.export(
                OtlpTestKit.exporter(port, BOOTSTRAP_KEY, Encoding.PROTOBUF), run.spans()))
        .isTrue();

    // only the invoke_agent span names the agent; its children fall back to service.name
    assertThat(publishedFor(agent))
        .extracting(Published::type)
        .containsExactlyInAnyOrder("run_start", "run_end");
    assertThat(publishedFor(service))
        .extracting(Published::type)
        .containsExactlyInAnyOrder("llm_call", "llm_call", "tool_call", "custom");
  }

  @Test
  void keyBoundToTheAgentTakesItsSpansAndRefusesThoseOfAnotherService() {
    String agent = "otel-bound-" + UUID.randomUUID();
    String otherService = "otel-service-" + UUID.randomUUID();
    JsonNode created =
        JSON.readTree(
            web.post()
                .uri("/api/obs/keys")
                .header(ForwardedIdentity.HEADER, signer.sign("user-1", "ws-otel", Role.MEMBER))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bound otel key", "agent_id", agent))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult()
                .getResponseBody());
    assertThat(created.get("agent_id").asString()).isEqualTo(agent);
    String key = created.get("secret").asString();

    assertThat(
            OtlpTestKit.export(
                OtlpTestKit.exporter(port, key, Encoding.PROTOBUF_GZIP),
                agentRun(agent, agent).spans()))
        .isTrue();
    assertThat(publishedFor(agent))
        .hasSize(6)
        .allSatisfy(p -> assertThat(p.key()).isEqualTo("ws-otel:" + agent));

    // a service named otherwise: only the invoke_agent span names the agent; its children, which
    // fall back to service.name, are rejected (agent_id_mismatch), reported as partial success
    AgentRun misnamed = agentRun(otherService, agent);
    assertThat(
            OtlpTestKit.export(
                OtlpTestKit.exporter(port, key, Encoding.JSON_GZIP), misnamed.spans()))
        .isTrue();
    assertThat(publishedFor(otherService)).isEmpty();
    assertThat(publishedFor(agent))
        .filteredOn(p -> p.value().get("trace_id").asString().equals(misnamed.traceId()))
        .extracting(Published::type)
        .containsExactlyInAnyOrder("run_start", "run_end");
  }

  @Test
  void exporterWithAnUnknownKeyFailsAndNothingIsPublished() {
    String agent = "otel-agent-" + UUID.randomUUID();
    AgentRun run = agentRun(agent, agent);

    assertThat(
            OtlpTestKit.export(
                OtlpTestKit.exporter(
                    port, "bcn_" + "x".repeat(32) + "000000", Encoding.PROTOBUF_GZIP),
                run.spans()))
        .isFalse();

    assertThat(publishedFor(agent)).isEmpty();
  }
}
