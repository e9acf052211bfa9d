package dev.beacon.integrations.events;

import dev.beacon.events.ErrorDetails;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.ServiceDetails;
import dev.beacon.events.ToolDetails;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.sdk.BeaconClient;
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
 * Publishes integrations-service's events through one {@link BeaconClient} with the Kafka
 * transport. Emitting returns at once and never fails; the SDK buffers while Kafka is slow or down.
 */
@Component
public class IntegrationEvents implements DisposableBean {

  private final BeaconClient client;
  private final Clock clock;

  public IntegrationEvents(IntegrationsProperties properties, KafkaProperties kafka, Clock clock) {
    this.clock = clock;
    IntegrationsProperties.Events settings = properties.events();
    if (!settings.enabled()) {
      this.client = null;
      return;
    }
    Map<String, Object> producer = new HashMap<>();
    producer.put("bootstrap.servers", String.join(",", kafka.getBootstrapServers()));
    producer.put("client.id", "integrations-service-events");
    // the SDK waits for a lost broker's metadata as long as a delivery is retried (max.block.ms)
    producer.put("delivery.timeout.ms", (int) settings.deliveryTimeout().toMillis());
    this.client =
        BeaconClient.builder()
            .transport(Transport.kafka(producer, null))
            .serviceName("integrations-service")
            .bufferCapacity(settings.bufferCapacity())
            .shutdownHook(false)
            .build();
  }

  /**
   * One outside HTTP call a tool made.
   *
   * @param call who the call was made for and where it belongs in their trace
   * @param service the outside service, e.g. {@code web}
   * @param operation what was called on it, e.g. {@code fetch}
   * @param durationMs from the request to its answer or failure
   * @param error why it failed, or {@code null}
   * @param metadata context such as the host and the HTTP status
   */
  public void serviceCall(
      CallContext call,
      String service,
      String operation,
      long durationMs,
      ErrorDetails error,
      Map<String, Object> metadata) {
    if (client == null) {
      return;
    }
    client.emit(
        new ObsEvent(
            UUID.randomUUID(),
            EventType.SERVICE_CALL,
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
            call.workspaceId(),
            call.agentId(),
            call.runId(),
            call.traceId(),
            CallContext.newSpanId(),
            call.parentSpanId(),
            error == null ? EventStatus.OK : EventStatus.ERROR,
            error,
            durationMs,
            null,
            null,
            null,
            new ServiceDetails(service, operation),
            metadata,
            null));
  }

  /**
   * One execution of a tool for a caller that does not publish its own {@code tool_call}: an MCP
   * client (ADR 0027). chat-service publishes its executions' {@code tool_call} itself (ADR 0019).
   *
   * @param call the caller's workspace, agent, run and trace; the caller's span, if any, is the
   *     parent
   * @param spanId the execution's own span, the parent of its {@code service_call}s
   * @param tool the tool's name
   * @param integration the integration it belongs to ({@code web}, {@code google} …)
   * @param durationMs from the call to its result
   * @param error why it failed, or {@code null}
   * @param metadata context such as the transport and the call id
   */
  public void toolCall(
      CallContext call,
      String spanId,
      String tool,
      String integration,
      long durationMs,
      ErrorDetails error,
      Map<String, Object> metadata) {
    if (client == null) {
      return;
    }
    client.emit(
        new ObsEvent(
            UUID.randomUUID(),
            EventType.TOOL_CALL,
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
            call.workspaceId(),
            call.agentId(),
            call.runId(),
            call.traceId(),
            spanId,
            call.parentSpanId(),
            error == null ? EventStatus.OK : EventStatus.ERROR,
            error,
            durationMs,
            null,
            new ToolDetails(tool, integration),
            null,
            null,
            metadata,
            null));
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
}
