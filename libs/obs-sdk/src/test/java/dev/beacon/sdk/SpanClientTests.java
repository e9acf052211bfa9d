package dev.beacon.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanClientTests {

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

  private RecordingTransport recording;
  private BeaconClient beacon;

  @BeforeEach
  void startClient() {
    recording = new RecordingTransport();
    beacon =
        BeaconClient.builder()
            .transport(recording.transport())
            .agentId("support-bot")
            .batchDelay(Duration.ofMillis(50))
            .build();
  }

  @AfterEach
  void closeClient() {
    beacon.close();
  }

  @Test
  void trackLlmCallRecordsDurationStatusAndUsage() {
    try (LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
      await().pollDelay(Duration.ofMillis(60)).until(() -> true);
      call.usage(1850, 312).cachedInputTokens(1024).reasoningTokens(0).model("gpt-4o-2024-08-06");
      call.costUsd(new BigDecimal("0.006465")).metadata("conversation_id", "conv_1").tag("chat");
    }

    ObsEvent event = single();
    assertThat(event.type()).isEqualTo(EventType.LLM_CALL);
    assertThat(event.status()).isEqualTo(EventStatus.OK);
    assertThat(event.error()).isNull();
    assertThat(event.durationMs()).isGreaterThanOrEqualTo(60);
    assertThat(event.agentId()).isEqualTo("support-bot");
    assertThat(event.eventId()).isNotNull();
    assertThat(event.occurredAt()).isNotNull();
    assertThat(event.llm().provider()).isEqualTo("openai");
    assertThat(event.llm().model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(event.llm().inputTokens()).isEqualTo(1850);
    assertThat(event.llm().outputTokens()).isEqualTo(312);
    assertThat(event.llm().cachedInputTokens()).isEqualTo(1024);
    assertThat(event.llm().reasoningTokens()).isZero();
    assertThat(event.llm().costUsd()).isEqualByComparingTo("0.006465");
    assertThat(event.metadata()).containsEntry("conversation_id", "conv_1");
    assertThat(event.tags()).containsExactly("chat");
    assertThat(event.traceId()).matches(TRACE_ID);
    assertThat(event.spanId()).matches(SPAN_ID);
    assertThat(event.parentSpanId()).isNull();
  }

  @Test
  void failedLlmCallRecordsErrorAndStatus() {
    try (LlmCallSpan call = beacon.trackLlmCall("anthropic", "claude-sonnet-4")) {
      try {
        throw new IllegalStateException("provider answered 529 overloaded");
      } catch (IllegalStateException e) {
        call.fail(e);
      }
    }

    ObsEvent event = single();
    assertThat(event.status()).isEqualTo(EventStatus.ERROR);
    assertThat(event.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(event.error().message()).isEqualTo("provider answered 529 overloaded");
    assertThat(event.llm().model()).isEqualTo("claude-sonnet-4");
  }

  @Test
  void nestedScopesPropagateRunTraceAndParentSpan() {
    String runSpanId;
    String llmSpanId;
    String runId;
    try (RunSpan run = beacon.startRun("research-agent", null)) {
      runId = run.runId();
      runSpanId = run.context().spanId();
      try (LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
        llmSpanId = call.context().spanId();
        try (Span tool = beacon.trackToolCall("slack.post_message", "slack")) {
          tool.metadata("channel", "C04");
        }
        beacon.emit(custom("retrieval.hit"));
      }
      assertThat(TraceContext.current()).contains(run.context());
    }
    assertThat(TraceContext.current()).isEmpty();

    await().until(() -> recording.events().size() == 5);
    Map<EventType, ObsEvent> byType = byType(recording.events());
    ObsEvent start = byType.get(EventType.RUN_START);
    ObsEvent end = byType.get(EventType.RUN_END);
    ObsEvent llm = byType.get(EventType.LLM_CALL);
    ObsEvent tool = byType.get(EventType.TOOL_CALL);
    ObsEvent custom = byType.get(EventType.CUSTOM);

    assertThat(recording.events())
        .allSatisfy(
            event -> {
              assertThat(event.runId()).isEqualTo(runId);
              assertThat(event.traceId()).isEqualTo(start.traceId()).matches(TRACE_ID);
              assertThat(event.agentId()).isEqualTo("research-agent");
              assertThat(event.spanId()).matches(SPAN_ID);
            });
    assertThat(start.spanId()).isEqualTo(runSpanId);
    assertThat(end.spanId()).isEqualTo(runSpanId);
    assertThat(end.status()).isEqualTo(EventStatus.OK);
    assertThat(end.durationMs()).isNotNull();
    assertThat(llm.parentSpanId()).isEqualTo(runSpanId);
    assertThat(llm.spanId()).isEqualTo(llmSpanId);
    assertThat(tool.parentSpanId()).isEqualTo(llmSpanId);
    assertThat(tool.tool().integration()).isEqualTo("slack");
    assertThat(custom.parentSpanId()).isEqualTo(llmSpanId);
    assertThat(custom.spanId()).isNotIn(runSpanId, llmSpanId);
  }

  @Test
  void contextCarriesToAnotherThread() throws Exception {
    AtomicReference<TraceContext> captured = new AtomicReference<>();
    String runId;
    try (RunSpan run = beacon.startRun()) {
      runId = run.runId();
      captured.set(TraceContext.current().orElseThrow());
    }
    CompletableFuture.runAsync(
            () -> {
              try (TraceContext.Scope scope = captured.get().makeCurrent()) {
                beacon.trackServiceCall("stripe.checkout.sessions.create").close();
              }
            })
        .get();

    await().until(() -> recording.events().size() == 3);
    ObsEvent call = byType(recording.events()).get(EventType.SERVICE_CALL);
    assertThat(call.runId()).isEqualTo(runId);
    assertThat(call.parentSpanId()).isEqualTo(captured.get().spanId());
    assertThat(call.service().name()).isEqualTo("stripe");
    assertThat(call.service().operation()).isEqualTo("checkout.sessions.create");
    assertThat(call.agentId()).isEqualTo("support-bot");
  }

  @Test
  void traceparentContinuesARemoteTrace() {
    TraceContext remote =
        TraceContext.fromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .orElseThrow();
    try (TraceContext.Scope scope = remote.makeCurrent()) {
      beacon.emit(custom("inbound"));
    }

    ObsEvent event = single();
    assertThat(event.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(event.parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(remote.traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(
            TraceContext.fromTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        .isEmpty();
    assertThat(TraceContext.fromTraceparent("garbage")).isEmpty();
    assertThat(TraceContext.fromTraceparent(null)).isEmpty();
  }

  @Test
  void emitFillsIdTimeAndAgentButKeepsWhatTheCallerSet() {
    beacon.emit(custom("first"));
    ObsEvent own = custom("second");
    beacon.emit(
        new ObsEvent(
            own.eventId(),
            own.type(),
            own.occurredAt(),
            null,
            "other-agent",
            "run_7",
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
            Map.of("name", "second"),
            null));

    await().until(() -> recording.events().size() == 2);
    ObsEvent first = recording.events().get(0);
    ObsEvent second = recording.events().get(1);
    assertThat(first.eventId()).isNotNull();
    assertThat(first.occurredAt()).isNotNull();
    assertThat(first.agentId()).isEqualTo("support-bot");
    assertThat(first.traceId()).isNull();
    assertThat(second.agentId()).isEqualTo("other-agent");
    assertThat(second.runId()).isEqualTo("run_7");
  }

  @Test
  void emitNeverThrowsEvenOnNullOrAfterClose() {
    beacon.emit(null);
    beacon.close();
    beacon.emit(custom("late"));
    try (LlmCallSpan call = beacon.trackLlmCall(null, null)) {
      call.usage(-1, -1);
    }
    assertThat(beacon.stats().droppedBufferFull()).isEqualTo(2);
    assertThat(beacon.droppedEvents()).isEqualTo(2);
  }

  private ObsEvent single() {
    await().until(() -> recording.events().size() == 1);
    return recording.events().get(0);
  }

  private static Map<EventType, ObsEvent> byType(List<ObsEvent> events) {
    return events.stream()
        .collect(java.util.stream.Collectors.toMap(ObsEvent::type, event -> event));
  }

  static ObsEvent custom(String name) {
    return new ObsEvent(
        null,
        EventType.CUSTOM,
        null,
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
        Map.of("name", name),
        null);
  }
}
