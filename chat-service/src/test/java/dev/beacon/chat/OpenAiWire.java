package dev.beacon.chat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI Chat Completions stream bodies as the API sends them: {@code chat.completion.chunk}
 * events, the usage chunk with empty choices (the client asks for it with {@code
 * stream_options.include_usage}), then {@code [DONE]}.
 */
public final class OpenAiWire {

  private static final JsonMapper JSON = JsonMapper.shared();

  private OpenAiWire() {}

  /** A streamed text answer, a few characters per chunk, with this usage. */
  public static String text(
      String answer, long prompt, long completion, long cached, long reasoning) {
    List<ObjectNode> chunks = new ArrayList<>();
    ObjectNode first = chunk();
    first
        .withArray("choices")
        .addObject()
        .put("index", 0)
        .putNull("finish_reason")
        .putObject("delta")
        .put("role", "assistant")
        .put("content", "");
    chunks.add(first);
    for (int i = 0; i < answer.length(); i += 4) {
      ObjectNode piece = chunk();
      piece
          .withArray("choices")
          .addObject()
          .put("index", 0)
          .putNull("finish_reason")
          .putObject("delta")
          .put("content", answer.substring(i, Math.min(answer.length(), i + 4)));
      chunks.add(piece);
    }
    ObjectNode stop = chunk();
    ObjectNode choice =
        stop.withArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    choice.putObject("delta");
    chunks.add(stop);
    chunks.add(usage(prompt, completion, cached, reasoning));
    return sse(chunks);
  }

  /** A streamed answer that calls tools: {@code calls} are (id, function name, arguments JSON). */
  public static String toolCalls(long prompt, long completion, String[]... calls) {
    List<ObjectNode> chunks = new ArrayList<>();
    for (int index = 0; index < calls.length; index++) {
      String[] call = calls[index];
      ObjectNode start = chunk();
      ObjectNode delta =
          start
              .withArray("choices")
              .addObject()
              .put("index", 0)
              .putNull("finish_reason")
              .putObject("delta");
      if (index == 0) {
        delta.put("role", "assistant").putNull("content");
      }
      ArrayNode toolCalls = delta.putArray("tool_calls");
      toolCalls
          .addObject()
          .put("index", index)
          .put("id", call[0])
          .put("type", "function")
          .putObject("function")
          .put("name", call[1])
          .put("arguments", "");
      chunks.add(start);
      String arguments = call[2];
      int half = arguments.length() / 2;
      for (String part : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
        ObjectNode piece = chunk();
        piece
            .withArray("choices")
            .addObject()
            .put("index", 0)
            .putNull("finish_reason")
            .putObject("delta")
            .putArray("tool_calls")
            .addObject()
            .put("index", index)
            .putObject("function")
            .put("arguments", part);
        chunks.add(piece);
      }
    }
    ObjectNode stop = chunk();
    stop.withArray("choices")
        .addObject()
        .put("index", 0)
        .put("finish_reason", "tool_calls")
        .putObject("delta");
    chunks.add(stop);
    chunks.add(usage(prompt, completion, 0, 0));
    return sse(chunks);
  }

  private static ObjectNode chunk() {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", "chatcmpl-test");
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", 1_765_000_000L);
    chunk.put("model", "gpt-4o-mini");
    return chunk;
  }

  private static ObjectNode usage(long prompt, long completion, long cached, long reasoning) {
    ObjectNode chunk = chunk();
    chunk.putArray("choices");
    ObjectNode usage = chunk.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
    return chunk;
  }

  private static String sse(List<ObjectNode> chunks) {
    StringBuilder body = new StringBuilder();
    for (ObjectNode chunk : chunks) {
      body.append("data: ").append(chunk).append("\n\n");
    }
    return body.append("data: [DONE]\n\n").toString();
  }
}
