package dev.beacon.chat.conversation.domain;

import dev.beacon.chat.conversation.store.MessageRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored messages of a conversation as the model reads them: failed answers are left out, the
 * tool results after an assistant message form one tool response (as Anthropic and Gemini want),
 * and a tool call that has no stored result (a turn stopped by a restart) gets one saying so, since
 * every provider refuses a tool call without its result.
 */
final class PromptHistory {

  static final String INTERRUPTED = "error: no result (the call was interrupted)";

  private PromptHistory() {}

  /**
   * The history; with {@code objectResults} every tool result is a JSON object (Gemini's {@code
   * functionResponse.response} must be one): a result that is not one becomes {@code {"result":
   * text}}.
   */
  static List<Message> of(List<MessageRow> rows, boolean objectResults) {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      MessageRow row = rows.get(i);
      switch (row.role()) {
        case "user" -> messages.add(new UserMessage(row.content()));
        case "assistant" -> {
          if (row.errorCode() != null) {
            continue;
          }
          List<AssistantMessage.ToolCall> calls = toolCalls(row.toolCalls());
          messages.add(AssistantMessage.builder().content(row.content()).toolCalls(calls).build());
          if (calls.isEmpty()) {
            continue;
          }
          List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>();
          Set<String> answered = new HashSet<>();
          while (i + 1 < rows.size() && rows.get(i + 1).role().equals("tool")) {
            MessageRow tool = rows.get(++i);
            if (answered.add(tool.toolCallId())) {
              responses.add(
                  new ToolResponseMessage.ToolResponse(
                      tool.toolCallId(),
                      OfferedTool.functionName(tool.toolName()),
                      objectResults ? asObject(tool.content()) : tool.content()));
            }
          }
          for (AssistantMessage.ToolCall call : calls) {
            if (!answered.contains(call.id())) {
              responses.add(
                  new ToolResponseMessage.ToolResponse(
                      call.id(), call.name(), objectResults ? asObject(INTERRUPTED) : INTERRUPTED));
            }
          }
          messages.add(ToolResponseMessage.builder().responses(responses).build());
        }
        default -> {
          // a tool message without its assistant message is not sent
        }
      }
    }
    return messages;
  }

  private static String asObject(String result) {
    try {
      if (JsonMapper.shared().readTree(result).isObject()) {
        return result;
      }
    } catch (tools.jackson.core.JacksonException e) {
      // plain text: wrapped below
    }
    return JsonMapper.shared().createObjectNode().put("result", result).toString();
  }

  /** The stored tool calls ({@code [{"id","name","arguments"}]}) as the model made them. */
  static List<AssistantMessage.ToolCall> toolCalls(String json) {
    List<AssistantMessage.ToolCall> calls = new ArrayList<>();
    JsonNode array = JsonMapper.shared().readTree(json);
    for (JsonNode call : array) {
      JsonNode arguments = call.get("arguments");
      calls.add(
          new AssistantMessage.ToolCall(
              call.path("id").asString(),
              "function",
              OfferedTool.functionName(call.path("name").asString()),
              arguments == null || arguments.isNull()
                  ? "{}"
                  : arguments.isString() ? arguments.asString() : arguments.toString()));
    }
    return calls;
  }
}
