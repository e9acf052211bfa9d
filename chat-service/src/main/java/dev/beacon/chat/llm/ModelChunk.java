package dev.beacon.chat.llm;

import dev.beacon.chat.events.TokenUsage;
import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;

/** What one streamed model call gives: text as it arrives, then the whole answer once. */
public sealed interface ModelChunk {

  /** Answer text as it arrives. */
  record Text(String delta) implements ModelChunk {}

  /**
   * The call's whole answer, last.
   *
   * @param text the answer's text, may be empty
   * @param toolCalls the tools the model asked to call, in its order
   * @param usage tokens as the provider reported them
   * @param durationMs the call's time, retries included
   */
  record Done(
      String text, List<AssistantMessage.ToolCall> toolCalls, TokenUsage usage, long durationMs)
      implements ModelChunk {}
}
