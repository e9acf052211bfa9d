package dev.beacon.aggregator.eventlog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One stored event as the read API and the export show it ({@link EventQuery} reads it). */
record EventView(
    UUID eventId,
    String type,
    OffsetDateTime occurredAt,
    String agentId,
    String subject,
    String runId,
    String traceId,
    String spanId,
    String parentSpanId,
    String status,
    String errorType,
    String errorMessage,
    Long durationMs,
    String provider,
    String model,
    Long inputTokens,
    Long outputTokens,
    Long cachedInputTokens,
    Long reasoningTokens,
    List<String> usageFlags,
    Long reportedCostNanoUsd,
    long costNanoUsd,
    String costUsd,
    String pricingStatus,
    Long pricingId,
    String toolName,
    String toolIntegration,
    String actionKind,
    String actionState,
    String serviceName,
    String serviceOperation,
    Map<String, Object> metadata,
    List<String> tags) {}
