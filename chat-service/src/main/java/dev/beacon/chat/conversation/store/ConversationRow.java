package dev.beacon.chat.conversation.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code chat.conversations}.
 *
 * @param runStops how often the current run has stopped (ended, or paused for approvals)
 */
public record ConversationRow(
    UUID id,
    String workspaceId,
    UUID agentId,
    String title,
    String state,
    UUID lastRunId,
    String runTraceId,
    String runSpanId,
    Instant runStartedAt,
    int runModelCalls,
    int runToolCalls,
    int runStops,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  public static final String IDLE = "idle";
  public static final String RUNNING = "running";
  public static final String AWAITING_APPROVAL = "awaiting_approval";
}
