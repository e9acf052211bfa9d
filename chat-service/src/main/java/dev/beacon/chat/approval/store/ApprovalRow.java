package dev.beacon.chat.approval.store;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code chat.approvals}; {@code arguments} is JSON. */
public record ApprovalRow(
    UUID id,
    String workspaceId,
    UUID conversationId,
    UUID agentId,
    UUID runId,
    String runTraceId,
    String runSpanId,
    String toolCallId,
    String tool,
    String arguments,
    String state,
    Instant requestedAt,
    Instant expiresAt,
    String decidedBy,
    Instant decidedAt,
    String reason,
    String result) {}
