package dev.beacon.chat.conversation.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code chat.messages}; {@code toolCalls} is the JSON array of an assistant message's
 * tool calls, {@code []} otherwise. New rows are made with the factories, one per kind of message;
 * {@code seq} is given by {@link ConversationRepository#append}.
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
    Instant createdAt) {

  /** Token counts as the provider reported them; {@code null} where it reported none. */
  public record Tokens(Long input, Long output, Long cachedInput, Long reasoning) {}

  /** What the user wrote. */
  public static MessageRow user(UUID conversationId, UUID runId, String content, Instant at) {
    return new MessageRow(
        UUID.randomUUID(),
        conversationId,
        0,
        "user",
        content,
        runId,
        "[]",
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
        null,
        at);
  }

  /** A model's answer: its text, the tool calls it made (a JSON array) and its usage. */
  public static MessageRow assistant(
      UUID conversationId,
      UUID runId,
      String text,
      String toolCalls,
      String provider,
      String model,
      Tokens tokens,
      Instant at) {
    return new MessageRow(
        UUID.randomUUID(),
        conversationId,
        0,
        "assistant",
        text,
        runId,
        toolCalls,
        null,
        null,
        null,
        provider,
        model,
        tokens.input(),
        tokens.output(),
        tokens.cachedInput(),
        tokens.reasoning(),
        null,
        null,
        at);
  }

  /** A tool's result (or error) for one call; {@code status} is {@code ok} or {@code error}. */
  public static MessageRow tool(
      UUID conversationId,
      UUID runId,
      String callId,
      String toolName,
      String status,
      String content,
      Instant at) {
    return new MessageRow(
        UUID.randomUUID(),
        conversationId,
        0,
        "tool",
        content,
        runId,
        "[]",
        callId,
        toolName,
        status,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        at);
  }

  /** The error that ended a turn, as the conversation shows it. */
  public static MessageRow failure(
      UUID conversationId,
      UUID runId,
      String provider,
      String model,
      String errorCode,
      String errorMessage,
      Instant at) {
    return new MessageRow(
        UUID.randomUUID(),
        conversationId,
        0,
        "assistant",
        "",
        runId,
        "[]",
        null,
        null,
        null,
        provider,
        model,
        null,
        null,
        null,
        null,
        errorCode,
        errorMessage,
        at);
  }
}
