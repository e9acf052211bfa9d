package dev.beacon.chat.conversation.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code chat.messages}; {@code toolCalls} is the JSON array of an assistant message's
 * tool calls, {@code []} otherwise.
 */
public record MessageRow(
    UUID id,
    UUID conversationId,
    int seq,
    String role,
    String content,
    UUID runId,
    String toolCalls,
    String toolCallId,
    String toolName,
    String status,
    String provider,
    String model,
    Long inputTokens,
    Long outputTokens,
    Long cachedInputTokens,
    Long reasoningTokens,
    String errorCode,
    String errorMessage,
    Instant createdAt) {}
