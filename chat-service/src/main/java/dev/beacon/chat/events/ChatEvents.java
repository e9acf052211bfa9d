package dev.beacon.chat.events;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.events.ActionDetails;
import dev.beacon.events.ActionState;
import dev.beacon.events.ErrorDetails;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.LlmDetails;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.ToolDetails;
import dev.beacon.sdk.BeaconClient;
import dev.beacon.sdk.DeliveryStats;
import dev.beacon.sdk.Transport;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Publishes chat-service's events through one {@link BeaconClient} with the Kafka transport. Every
 * event carries its own workspace (the SDK's Kafka transport keys it {@code workspace_id:agent_id})
 * and joins its turn's run and trace.
 */
@Component
public class ChatEvents implements DisposableBean {

  /** {@code metadata.billing} of a call made with the platform's own key: billing debits it. */
  public static final String BILLING_HOSTED = "hosted";

  /** {@code metadata.billing} of a call made with the workspace's own key: never debited. */
  public static final String BILLING_BYOK = "byok";

  private final BeaconClient client;
  private final Clock clock;

  ChatEvents(ChatProperties properties, KafkaProperties kafka, Clock clock) {
    this.clock = clock;
    ChatProperties.Events settings = properties.events();
    if (!settings.enabled()) {
      this.client = null;
      return;
    }
    Map<String, Object> producer = new HashMap<>();
    producer.put("bootstrap.servers", String.join(",", kafka.getBootstrapServers()));
    producer.put("client.id", "chat-service-events");
    // the SDK waits for a lost broker's metadata as long as a delivery is retried (max.block.ms)
    producer.put("delivery.timeout.ms", (int) settings.deliveryTimeout().toMillis());
    this.client =
        BeaconClient.builder()
            .transport(Transport.kafka(producer, null))
            .serviceName("chat-service")
            .bufferCapacity(settings.bufferCapacity())
            .shutdownHook(false)
            .build();
  }

  /** The start of a turn; {@code metadata} says which conversation it belongs to. */
  public void runStart(RunRef run, Map<String, Object> metadata) {
    emit(
        event(EventType.RUN_START, run, run.spanId(), null, null, null).metadata(metadata).build());
  }

  /** The end of a turn, ok or with the error that ended it. */
  public void runEnd(RunRef run, long durationMs, ErrorDetails error) {
    emit(event(EventType.RUN_END, run, run.spanId(), null, durationMs, error).build());
  }

  /**
   * One call of a model, with its usage as the provider reported it, marked {@code
   * metadata.billing} {@code hosted} (the platform's key, debited as credits by billing) or {@code
   * byok}.
   */
  public void llmCall(
      RunRef run,
      String provider,
      String model,
      boolean hosted,
      TokenUsage usage,
      long durationMs,
      ErrorDetails error) {
    emit(
        event(EventType.LLM_CALL, run, RunRef.newSpanId(), run.spanId(), durationMs, error)
            .metadata(Map.of("billing", hosted ? BILLING_HOSTED : BILLING_BYOK))
            .llm(
                new LlmDetails(
                    provider,
                    model,
                    usage.inputTokens(),
                    usage.outputTokens(),
                    usage.cachedInputTokens(),
                    usage.reasoningTokens(),
                    null))
            .build());
  }

  /** One execution of a tool. */
  public void toolCall(
      RunRef run,
      String spanId,
      String name,
      String integration,
      long durationMs,
      ErrorDetails error) {
    emit(
        event(EventType.TOOL_CALL, run, spanId, run.spanId(), durationMs, error)
            .tool(
                new ToolDetails(
                    name, integration == null || integration.isEmpty() ? null : integration))
            .build());
  }

  /**
   * One state of an approval request; its id is the action id that pairs the states. An expired
   * request is {@code rejected} with {@code expired: true}.
   */
  public void action(
      RunRef run,
      UUID actionId,
      String kind,
      ActionState state,
      boolean expired,
      String decidedBy) {
    Map<String, Object> metadata = decidedBy == null ? null : Map.of("decided_by", decidedBy);
    emit(
        event(EventType.ACTION, run, RunRef.newSpanId(), run.spanId(), null, null)
            .action(
                new ActionDetails(kind, state, actionId.toString(), expired ? Boolean.TRUE : null))
            .metadata(metadata)
            .build());
  }

  /** What became of the events so far (for health and tests). */
  public DeliveryStats stats() {
    return client == null ? null : client.stats();
  }

  /** Waits up to a few seconds for the buffered events to be handed to Kafka. */
  public boolean flush() {
    return client == null || client.flush();
  }

  @Override
  public void destroy() {
    if (client != null) {
      client.close();
    }
  }

  private void emit(ObsEvent event) {
    if (client != null) {
      client.emit(event);
    }
  }

  private EventBuilder event(
      EventType type,
      RunRef run,
      String spanId,
      String parentSpanId,
      Long durationMs,
      ErrorDetails error) {
    return new EventBuilder(type, run, spanId, parentSpanId, durationMs, error, now());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The envelope of one event, filled in per type. */
  private static final class EventBuilder {
    private final EventType type;
    private final RunRef run;
    private final String spanId;
    private final String parentSpanId;
    private final Long durationMs;
    private final ErrorDetails error;
    private final OffsetDateTime occurredAt;
    private LlmDetails llm;
    private ToolDetails tool;
    private ActionDetails action;
    private Map<String, Object> metadata;

    EventBuilder(
        EventType type,
        RunRef run,
        String spanId,
        String parentSpanId,
        Long durationMs,
        ErrorDetails error,
        OffsetDateTime occurredAt) {
      this.type = type;
      this.run = run;
      this.spanId = spanId;
      this.parentSpanId = parentSpanId;
      this.durationMs = durationMs;
      this.error = error;
      this.occurredAt = occurredAt;
    }

    EventBuilder llm(LlmDetails llm) {
      this.llm = llm;
      return this;
    }

    EventBuilder tool(ToolDetails tool) {
      this.tool = tool;
      return this;
    }

    EventBuilder action(ActionDetails action) {
      this.action = action;
      return this;
    }

    EventBuilder metadata(Map<String, Object> metadata) {
      this.metadata = metadata;
      return this;
    }

    ObsEvent build() {
      return new ObsEvent(
          UUID.randomUUID(),
          type,
          occurredAt,
          run.workspaceId(),
          run.agentId(),
          run.runId(),
          run.traceId(),
          spanId,
          parentSpanId,
          error == null ? EventStatus.OK : EventStatus.ERROR,
          error,
          durationMs,
          llm,
          tool,
          action,
          null,
          metadata,
          null);
    }
  }
}
