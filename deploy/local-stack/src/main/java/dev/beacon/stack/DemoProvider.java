package dev.beacon.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The local stack's demo LLM provider: a local script ({@link DemoScript}), not a model, served in
 * OpenAI's Chat Completions wire format so that chat-service reaches it through the same OpenAI SDK
 * as any OpenAI-compatible provider. A newcomer without API keys can chat, see a streamed answer
 * and a tool call that waits for approval. It listens on 127.0.0.1 only, needs no key (an {@code
 * Authorization} header is accepted and ignored) and serves:
 *
 * <ul>
 *   <li>{@code GET /v1/models} and {@code GET /v1/models/beacon-demo};
 *   <li>{@code POST /v1/chat/completions}, as one {@code chat.completion} or, with {@code stream},
 *       as server-sent {@code chat.completion.chunk}s (a usage chunk with no choices last when
 *       {@code stream_options.include_usage} is set), ended by {@code data: [DONE]};
 *   <li>OpenAI's error body for anything else: 400 for a body that is not JSON or has no {@code
 *       messages}, 404 {@code model_not_found} for another model than {@code beacon-demo}.
 * </ul>
 */
final class DemoProvider implements AutoCloseable {

  static final String OWNER = "beacon-demo";

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final int WORDS_PER_CHUNK = 3;
  private static final int ARGUMENT_CODE_POINTS_PER_CHUNK = 16;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final Duration chunkPause;

  private DemoProvider(
      HttpServer server, ExecutorService executor, Clock clock, Duration chunkPause) {
    this.server = server;
    this.executor = executor;
    this.clock = clock;
    this.chunkPause = chunkPause;
  }

  /**
   * Starts serving on {@code 127.0.0.1:port} ({@code 0} picks a free port).
   *
   * @param chunkPause the pause between two streamed chunks, so that a streamed answer is seen
   *     arriving a few words at a time; zero in tests
   */
  static DemoProvider start(int port, Clock clock, Duration chunkPause) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (BindException e) {
      throw new StackException(
          "demo LLM provider",
          "port " + port + " is in use; set BEACON_DEMO_LLM_PORT to a free one",
          "");
    } catch (IOException e) {
      throw new StackException("demo LLM provider", "cannot listen: " + e.getMessage(), "");
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            task -> {
              Thread thread = new Thread(task, "beacon-demo-llm-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    DemoProvider provider = new DemoProvider(server, executor, clock, chunkPause);
    server.createContext("/", provider::handle);
    server.setExecutor(executor);
    server.start();
    return provider;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The base URL chat-service is given; the OpenAI SDK appends {@code /v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if ("GET".equals(method) && "/v1/models".equals(path)) {
        ObjectNode list = JSON.createObjectNode();
        list.put("object", "list");
        list.putArray("data").add(model());
        sendJson(exchange, 200, list);
      } else if ("GET".equals(method) && ("/v1/models/" + DemoScript.MODEL).equals(path)) {
        sendJson(exchange, 200, model());
      } else if ("GET".equals(method) && path.startsWith("/v1/models/")) {
        sendJson(exchange, 404, modelNotFound(path.substring("/v1/models/".length())));
      } else if ("POST".equals(method) && "/v1/chat/completions".equals(path)) {
        chatCompletion(exchange);
      } else {
        sendJson(
            exchange, 404, error("Invalid URL (" + method + " " + path + ")", null, "unknown_url"));
      }
    } catch (IOException e) {
      // the client went away mid-answer; nothing to tell anyone
    } finally {
      exchange.close();
    }
  }

  private void chatCompletion(HttpExchange exchange) throws IOException {
    JsonNode request;
    try {
      request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    } catch (JacksonException e) {
      sendJson(
          exchange,
          400,
          error(
              "We could not parse the JSON body of your request. The demo provider expects a"
                  + " JSON payload, as the OpenAI API does.",
              null,
              null));
      return;
    }
    if (request == null || !request.isObject()) {
      sendJson(exchange, 400, error("The request body must be a JSON object.", null, null));
      return;
    }
    if (!request.path("messages").isArray()) {
      sendJson(exchange, 400, error("Missing required parameter: 'messages'.", null, null));
      return;
    }
    if (request.path("messages").isEmpty()) {
      sendJson(
          exchange,
          400,
          error(
              "Invalid 'messages': empty array. Expected an array with minimum length 1.",
              null,
              null));
      return;
    }
    if (!request.path("model").isString()) {
      sendJson(exchange, 400, error("You must provide a model parameter.", null, null));
      return;
    }
    String model = request.path("model").asString();
    if (!DemoScript.MODEL.equals(model)) {
      sendJson(exchange, 404, modelNotFound(model));
      return;
    }
    DemoScript.Reply reply = DemoScript.reply(request, DemoProvider::newToolCallId);
    String id = "chatcmpl-demo-" + randomHex(12);
    long created = clock.instant().getEpochSecond();
    if (request.path("stream").asBoolean(false)) {
      boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
      stream(exchange, reply, id, created, includeUsage);
    } else {
      sendJson(exchange, 200, completion(reply, id, created));
    }
  }

  private ObjectNode completion(DemoScript.Reply reply, String id, long created) {
    ObjectNode completion = JSON.createObjectNode();
    completion.put("id", id);
    completion.put("object", "chat.completion");
    completion.put("created", created);
    completion.put("model", DemoScript.MODEL);
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", reply.content());
    message.putNull("refusal");
    message.putArray("annotations");
    if (!reply.toolCalls().isEmpty()) {
      ArrayNode toolCalls = message.putArray("tool_calls");
      for (DemoScript.ToolCall call : reply.toolCalls()) {
        ObjectNode toolCall = toolCalls.addObject();
        toolCall.put("id", call.id());
        toolCall.put("type", "function");
        ObjectNode function = toolCall.putObject("function");
        function.put("name", call.name());
        function.put("arguments", call.arguments());
      }
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", reply.finishReason());
    completion.set("usage", usage(reply));
    return completion;
  }

  private void stream(
      HttpExchange exchange, DemoScript.Reply reply, String id, long created, boolean includeUsage)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    List<ObjectNode> chunks = new ArrayList<>();

    ObjectNode first = chunk(id, created, includeUsage);
    ObjectNode firstDelta = choice(first).putObject("delta");
    firstDelta.put("role", "assistant");
    firstDelta.put("content", reply.content() == null ? null : "");
    firstDelta.putNull("refusal");
    chunks.add(first);

    if (reply.content() != null) {
      for (String piece : wordGroups(reply.content())) {
        ObjectNode chunk = chunk(id, created, includeUsage);
        choice(chunk).putObject("delta").put("content", piece);
        chunks.add(chunk);
      }
    }
    for (int index = 0; index < reply.toolCalls().size(); index++) {
      DemoScript.ToolCall call = reply.toolCalls().get(index);
      ObjectNode opening = chunk(id, created, includeUsage);
      ObjectNode toolCall = choice(opening).putObject("delta").putArray("tool_calls").addObject();
      toolCall.put("index", index);
      toolCall.put("id", call.id());
      toolCall.put("type", "function");
      toolCall.putObject("function").put("name", call.name()).put("arguments", "");
      chunks.add(opening);
      for (String fragment : fragments(call.arguments())) {
        ObjectNode chunk = chunk(id, created, includeUsage);
        ObjectNode part = choice(chunk).putObject("delta").putArray("tool_calls").addObject();
        part.put("index", index);
        part.putObject("function").put("arguments", fragment);
        chunks.add(chunk);
      }
    }
    ObjectNode last = chunk(id, created, includeUsage);
    ObjectNode lastChoice = choice(last);
    lastChoice.putObject("delta");
    lastChoice.put("finish_reason", reply.finishReason());
    chunks.add(last);

    if (includeUsage) {
      ObjectNode usage = JSON.createObjectNode();
      usage.put("id", id);
      usage.put("object", "chat.completion.chunk");
      usage.put("created", created);
      usage.put("model", DemoScript.MODEL);
      usage.putArray("choices");
      usage.set("usage", usage(reply));
      chunks.add(usage);
    }

    for (ObjectNode chunk : chunks) {
      send(out, "data: " + chunk + "\n\n");
      pause();
    }
    send(out, "data: [DONE]\n\n");
  }

  /** A chunk with one choice whose delta the caller fills in. */
  private static ObjectNode chunk(String id, long created, boolean includeUsage) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", DemoScript.MODEL);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    if (includeUsage) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  private static ObjectNode choice(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0);
  }

  private static ObjectNode usage(DemoScript.Reply reply) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", reply.promptTokens());
    usage.put("completion_tokens", reply.completionTokens());
    usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    return usage;
  }

  private ObjectNode model() {
    ObjectNode model = JSON.createObjectNode();
    model.put("id", DemoScript.MODEL);
    model.put("object", "model");
    model.put("created", clock.instant().getEpochSecond());
    model.put("owned_by", OWNER);
    return model;
  }

  private static ObjectNode modelNotFound(String model) {
    return error(
        "The model `"
            + model
            + "` does not exist or you do not have access to it. The demo provider has one"
            + " model: "
            + DemoScript.MODEL
            + ".",
        null,
        "model_not_found");
  }

  private static ObjectNode error(String message, String param, String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", "invalid_request_error");
    error.put("param", param);
    error.put("code", code);
    return body;
  }

  /** The text in pieces of a few words, each word keeping the whitespace after it. */
  static List<String> wordGroups(String text) {
    String[] words = text.split("(?<=\\s)(?=\\S)");
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < words.length; i += WORDS_PER_CHUNK) {
      groups.add(
          String.join("", List.of(words).subList(i, Math.min(words.length, i + WORDS_PER_CHUNK))));
    }
    return groups;
  }

  /** The arguments in pieces of a few code points, never splitting a surrogate pair. */
  static List<String> fragments(String arguments) {
    List<String> fragments = new ArrayList<>();
    int start = 0;
    while (start < arguments.length()) {
      int end =
          arguments.offsetByCodePoints(
              start,
              Math.min(
                  ARGUMENT_CODE_POINTS_PER_CHUNK,
                  arguments.codePointCount(start, arguments.length())));
      fragments.add(arguments.substring(start, end));
      start = end;
    }
    return fragments;
  }

  private void pause() {
    if (chunkPause.isZero()) {
      return;
    }
    try {
      Thread.sleep(chunkPause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(OutputStream out, String event) throws IOException {
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body)
      throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String newToolCallId() {
    return "call_demo_" + randomHex(12);
  }

  private static String randomHex(int bytes) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      hex.append(String.format("%02x", ThreadLocalRandom.current().nextInt(256)));
    }
    return hex.toString();
  }
}
