package dev.beacon.aggregator.pipeline;

import dev.beacon.aggregator.metrics.write.BucketKey;
import dev.beacon.aggregator.pricing.PriceCatalog;
import dev.beacon.aggregator.pricing.PriceCatalog.Costing;
import dev.beacon.aggregator.pricing.TokenUsage;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import java.util.Locale;

/**
 * An event as the log stores it: the envelope plus what the aggregator derives once, at insert time
 * — the metrics subject, normalised token usage and the exact cost.
 *
 * @param event the decoded event
 * @param subject provider/model, tool name, action kind, service/operation, or the empty string
 * @param usage normalised token usage
 * @param costing cost and pricing status; {@code null} for events that are not LLM calls
 * @param partition the Kafka partition the event was consumed from
 */
record StoredEvent(
    ObsEvent event, String subject, TokenUsage usage, Costing costing, int partition) {

  static StoredEvent of(ObsEvent event, int partition, PriceCatalog prices) {
    TokenUsage usage = TokenUsage.normalise(event.llm());
    Costing costing =
        event.llm() == null
            ? null
            : prices.cost(event.workspaceId(), event.llm(), usage, event.occurredAt().toInstant());
    return new StoredEvent(event, subjectOf(event), usage, costing, partition);
  }

  /** What metrics are broken down by within a type. */
  static String subjectOf(ObsEvent event) {
    return switch (event.type()) {
      case LLM_CALL -> event.llm().provider() + "/" + event.llm().model();
      case TOOL_CALL -> event.tool().name();
      case ACTION -> event.action().kind();
      case SERVICE_CALL -> event.service().name() + "/" + event.service().operation();
      case RUN_START, RUN_END, CUSTOM -> "";
    };
  }

  String agentId() {
    return event.agentId() == null ? "" : event.agentId();
  }

  String typeCode() {
    return typeCode(event.type());
  }

  static String typeCode(EventType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  boolean isError() {
    return event.status() == EventStatus.ERROR;
  }

  long costNanoUsd() {
    return costing == null ? 0 : costing.costNanoUsd();
  }

  boolean isUnpriced() {
    return costing != null && costing.status() == PriceCatalog.PricingStatus.UNPRICED;
  }

  BucketKey bucketKey() {
    return BucketKey.of(
        event.workspaceId(), agentId(), typeCode(), subject, event.occurredAt().toInstant());
  }
}
