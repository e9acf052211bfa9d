package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class DemoProviderTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
  private static final String TOOLS =
      """
      [{"type":"function","function":{"name":"demo_lookup_order","parameters":{"type":"object"}}},
       {"type":"function","function":{"name":"demo_send_email","parameters":{"type":"object"}}}]""";
  private static final String GITHUB_TOOLS =
      """
      [{"type":"function","function":{"name":"github_create_issue","parameters":{"type":"object"}}},
       {"type":"function","function":{"name":"github_get_pull_request",
        "parameters":{"type":"object"}}}]""";

  private static DemoProvider provider;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    provider = DemoProvider.start(0, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  @Test
  void listsItsOneModel() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(provider.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer anything")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"object":"list","data":[{"id":"beacon-demo","object":"model",
                 "created":%d,"owned_by":"beacon-demo"}]}"""
                    .formatted(NOW.getEpochSecond())));
  }

  @Test
  void answersAPlainMessageAsAChatCompletionThatSaysItIsTheDemo() throws Exception {
    JsonNode completion = complete(request(user("Hello there"), false));

    assertThat(completion.path("id").asString()).startsWith("chatcmpl-demo-");
    assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
    assertThat(completion.path("created").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(completion.path("model").asString()).isEqualTo("beacon-demo");
    assertThat(completion.path("choices")).hasSize(1);
    JsonNode choice = completion.path("choices").get(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    JsonNode message = choice.path("message");
    assertThat(message.path("role").asString()).isEqualTo("assistant");
    assertThat(message.has("tool_calls")).isFalse();
    String content = message.path("content").asString();
    assertThat(content)
        .startsWith("**Demo provider**")
        .contains("local script", "not from a model", "> Hello there")
        .contains("try: *send an email to the team*");
    assertUsage(completion.path("usage"), 3, DemoScript.tokens(content.length()));
  }

  @Test
  void streamsAPlainAnswerInChunksThenUsageThenDone() throws Exception {
    List<String> events = stream(request(user("Hello there"), true));

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = chunks(events);
    for (JsonNode chunk : chunks) {
      assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("model").asString()).isEqualTo("beacon-demo");
      assertThat(chunk.path("id").asString()).isEqualTo(chunks.get(0).path("id").asString());
      assertThat(chunk.path("created").asLong()).isEqualTo(NOW.getEpochSecond());
    }
    JsonNode first = chunks.get(0).path("choices").get(0);
    assertThat(first.path("delta").path("role").asString()).isEqualTo("assistant");
    assertThat(first.path("delta").path("content").asString()).isEmpty();
    assertThat(first.path("finish_reason").isNull()).isTrue();

    JsonNode usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.path("choices").isArray()).isTrue();
    assertThat(usageChunk.path("choices")).isEmpty();
    JsonNode finalChunk = chunks.get(chunks.size() - 2);
    assertThat(finalChunk.path("choices").get(0).path("finish_reason").asString())
        .isEqualTo("stop");
    assertThat(finalChunk.path("choices").get(0).path("delta").isEmpty()).isTrue();
    assertThat(finalChunk.path("usage").isNull()).isTrue();

    StringBuilder content = new StringBuilder();
    List<JsonNode> contentChunks = chunks.subList(1, chunks.size() - 2);
    assertThat(contentChunks).hasSizeGreaterThan(5);
    for (JsonNode chunk : contentChunks) {
      String piece = chunk.path("choices").get(0).path("delta").path("content").asString();
      assertThat(piece.strip().split("\\s+")).hasSizeLessThanOrEqualTo(3);
      content.append(piece);
    }
    String nonStreamed =
        complete(request(user("Hello there"), false))
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asString();
    assertThat(content.toString()).isEqualTo(nonStreamed);
    assertUsage(usageChunk.path("usage"), 3, DemoScript.tokens(nonStreamed.length()));
  }

  @Test
  void aStreamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    ObjectNode request = request(user("Hello there"), true);
    request.remove("stream_options");

    List<JsonNode> chunks = chunks(stream(request));

    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.has("usage")).isFalse());
    assertThat(
            chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").asString())
        .isEqualTo("stop");
  }

  @Test
  void asksToSendAnEmailWhenTheToolIsOfferedAndTheMessageMentionsIt() throws Exception {
    ObjectNode request = request(user("Please send an email to the team: release is out"), false);
    request.set("tools", JSON.readTree(TOOLS));

    JsonNode completion = complete(request);

    JsonNode choice = completion.path("choices").get(0);
    assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
    JsonNode message = choice.path("message");
    assertThat(message.path("content").isNull()).isTrue();
    assertThat(message.path("tool_calls")).hasSize(1);
    JsonNode call = message.path("tool_calls").get(0);
    assertThat(call.path("id").asString()).matches("call_demo_[0-9a-f]{24}");
    assertThat(call.path("type").asString()).isEqualTo("function");
    assertThat(call.path("function").path("name").asString()).isEqualTo("demo_send_email");
    String arguments = call.path("function").path("arguments").asString();
    JsonNode parsed = JSON.readTree(arguments);
    assertThat(parsed.path("to").asString()).isEqualTo("team@example.com");
    assertThat(parsed.path("subject").asString())
        .isEqualTo("Beacon demo: Please send an email to the team: release is out");
    assertThat(parsed.path("body").asString())
        .contains("Please send an email to the team: release is out", "demo provider");
    assertUsage(completion.path("usage"), 12, DemoScript.tokens(arguments.length()));
  }

  @Test
  void streamsTheEmailToolCallAsDeltasThatReassembleIntoItsArguments() throws Exception {
    ObjectNode request = request(user("send an email to the team"), true);
    request.set("tools", JSON.readTree(TOOLS));

    List<JsonNode> chunks = chunks(stream(request));

    JsonNode firstDelta = chunks.get(0).path("choices").get(0).path("delta");
    assertThat(firstDelta.path("role").asString()).isEqualTo("assistant");
    assertThat(firstDelta.path("content").isNull()).isTrue();
    JsonNode opening = chunks.get(1).path("choices").get(0).path("delta").path("tool_calls").get(0);
    assertThat(opening.path("index").asInt()).isZero();
    assertThat(opening.path("id").asString()).startsWith("call_demo_");
    assertThat(opening.path("type").asString()).isEqualTo("function");
    assertThat(opening.path("function").path("name").asString()).isEqualTo("demo_send_email");
    assertThat(opening.path("function").path("arguments").asString()).isEmpty();

    StringBuilder arguments = new StringBuilder();
    List<JsonNode> fragments = chunks.subList(2, chunks.size() - 2);
    assertThat(fragments).hasSizeGreaterThan(3);
    for (JsonNode chunk : fragments) {
      JsonNode delta = chunk.path("choices").get(0).path("delta").path("tool_calls").get(0);
      assertThat(delta.path("index").asInt()).isZero();
      assertThat(delta.has("id")).isFalse();
      arguments.append(delta.path("function").path("arguments").asString());
    }
    JsonNode parsed = JSON.readTree(arguments.toString());
    assertThat(parsed.path("to").asString()).isEqualTo("team@example.com");
    assertThat(parsed.path("body").asString()).contains("send an email to the team");
    assertThat(
            chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asString())
        .isEqualTo("tool_calls");
    assertUsage(
        chunks.get(chunks.size() - 1).path("usage"),
        DemoScript.tokens("send an email to the team".length()),
        DemoScript.tokens(arguments.length()));
  }

  @Test
  void withoutTheEmailToolOfferedItAnswersInsteadOfCallingIt() throws Exception {
    JsonNode completion = complete(request(user("send an email to the team"), false));

    JsonNode choice = completion.path("choices").get(0);
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(choice.path("message").path("content").asString()).startsWith("**Demo provider**");
  }

  @Test
  void looksUpTheFirstOrderIdInTheMessageOrADefaultOne() throws Exception {
    for (String[] example :
        new String[][] {
          {"Where is my order B-2002? Not A-1", "B-2002"}, {"status of my order please", "A-1001"}
        }) {
      ObjectNode request = request(user(example[0]), false);
      request.set("tools", JSON.readTree(TOOLS));

      JsonNode call = complete(request).path("choices").get(0).path("message").path("tool_calls");

      assertThat(call.get(0).path("function").path("name").asString())
          .isEqualTo("demo_lookup_order");
      assertThat(call.get(0).path("function").path("arguments").asString())
          .isEqualTo("{\"order_id\":\"" + example[1] + "\"}");
    }
  }

  @Test
  void opensAGitHubIssueInTheNamedRepositoryWhenTheToolIsOffered() throws Exception {
    for (String[] example :
        new String[][] {
          {"open an issue in acme/web about the flaky login test", "acme", "web"},
          {"Please file an issue: the docs are stale", "beacon-demo", "playground"}
        }) {
      ObjectNode request = request(user(example[0]), false);
      request.set("tools", JSON.readTree(GITHUB_TOOLS));

      JsonNode call =
          complete(request).path("choices").get(0).path("message").path("tool_calls").get(0);

      assertThat(call.path("function").path("name").asString()).isEqualTo("github_create_issue");
      JsonNode arguments = JSON.readTree(call.path("function").path("arguments").asString());
      assertThat(arguments.path("owner").asString()).isEqualTo(example[1]);
      assertThat(arguments.path("repo").asString()).isEqualTo(example[2]);
      assertThat(arguments.path("title").asString()).isEqualTo(example[0]);
      assertThat(arguments.path("body").asString()).contains("demo agent");
    }
  }

  @Test
  void readsTheNamedPullRequestAndWithoutGitHubToolsJustAnswers() throws Exception {
    ObjectNode request = request(user("summarise PR #42 in acme/web"), false);
    request.set("tools", JSON.readTree(GITHUB_TOOLS));

    JsonNode call =
        complete(request).path("choices").get(0).path("message").path("tool_calls").get(0);

    assertThat(call.path("function").path("name").asString()).isEqualTo("github_get_pull_request");
    assertThat(call.path("function").path("arguments").asString())
        .isEqualTo("{\"owner\":\"acme\",\"repo\":\"web\",\"number\":42}");
    JsonNode plain = complete(request(user("open an issue in acme/web"), false));
    assertThat(plain.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
  }

  @Test
  void answersWithTheToolResultAfterTheEmailWasSent() throws Exception {
    ObjectNode request =
        afterToolCall(
            "demo_send_email",
            "Email to team@example.com accepted by the demo outbox (demo: nothing left this machine).");

    JsonNode completion = complete(request);

    JsonNode choice = completion.path("choices").get(0);
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(choice.path("message").path("content").asString())
        .isEqualTo("The email was sent (demo: nothing left this machine).");
  }

  @Test
  void acknowledgesARejectedOrExpiredCallWithoutClaimingItRan() throws Exception {
    for (String result :
        List.of(
            "rejected: a person rejected this call: not now. It was not executed.",
            "expired: nobody approved this call in time. It was not executed.")) {
      JsonNode completion = complete(afterToolCall("demo_send_email", result));

      assertThat(completion.path("choices").get(0).path("message").path("content").asString())
          .as(result)
          .isEqualTo("Understood — I did not send the email.");
    }
  }

  @Test
  void reportsTheLookedUpOrderStatus() throws Exception {
    JsonNode completion =
        complete(
            afterToolCall(
                "demo_lookup_order",
                "{\"order_id\":\"A-1001\",\"status\":\"shipped\",\"carrier\":\"Demo Post\",\"demo\":true}"));

    assertThat(completion.path("choices").get(0).path("message").path("content").asString())
        .isEqualTo("Order A-1001 is **shipped** with Demo Post (demo data, not a real shop).");
  }

  @Test
  void countsTokensAsCodePointsOfEveryMessageDividedByFourRoundedUp() throws Exception {
    ObjectNode request = request(user("12345"), false);
    ArrayNode messages = (ArrayNode) request.get("messages");
    messages.insert(0, JSON.readTree("{\"role\":\"system\",\"content\":\"abc\"}"));
    messages.add(
        JSON.readTree(
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"xyz\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}"));

    JsonNode usage = complete(request).path("usage");

    // 3 + 5 + 3 = 11 code points -> 3 tokens
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(3);
    assertThat(DemoScript.tokens(0)).isEqualTo(1);
    assertThat(DemoScript.tokens(4)).isEqualTo(1);
    assertThat(DemoScript.tokens(5)).isEqualTo(2);
  }

  @Test
  void handlesUnicodeWithoutSplittingCharacters() throws Exception {
    String message = "Grüße 👋🏽 — 日本語のテキスト, send it by e-mail 📧";
    ObjectNode request = request(user(message), true);
    request.set("tools", JSON.readTree(TOOLS));

    List<String> events = stream(request);

    StringBuilder arguments = new StringBuilder();
    for (JsonNode chunk : chunks(events)) {
      for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
        String fragment = call.path("function").path("arguments").asString();
        assertThat(fragment).doesNotContain("\uFFFD");
        if (!fragment.isEmpty()) {
          assertThat(Character.isLowSurrogate(fragment.charAt(0))).isFalse();
          assertThat(Character.isHighSurrogate(fragment.charAt(fragment.length() - 1))).isFalse();
        }
        arguments.append(fragment);
      }
    }
    assertThat(JSON.readTree(arguments.toString()).path("body").asString()).contains(message);
    JsonNode usage = chunks(events).get(chunks(events).size() - 1).path("usage");
    assertThat(usage.path("prompt_tokens").asInt())
        .isEqualTo(DemoScript.tokens(message.codePointCount(0, message.length())));

    JsonNode plain = complete(request(user(message.replace("send it by e-mail", "")), false));
    assertThat(plain.path("choices").get(0).path("message").path("content").asString())
        .contains("> Grüße 👋🏽 — 日本語のテキスト");
  }

  @Test
  void rejectsABodyThatIsNotJsonOrHasNoMessagesWithOpenAisErrorShape() throws Exception {
    for (String body : List.of("not json", "{\"model\":\"beacon-demo\"}", "[1,2]")) {
      HttpResponse<String> response = post(body);

      assertThat(response.statusCode()).as(body).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertThat(error.path("message").asString()).isNotBlank();
      assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
      assertThat(error.has("param") && error.path("param").isNull()).isTrue();
      assertThat(error.has("code") && error.path("code").isNull()).isTrue();
    }
  }

  @Test
  void answersAnUnknownModelWithModelNotFound() throws Exception {
    ObjectNode request = request(user("hi"), false);
    request.put("model", "gpt-4o");

    HttpResponse<String> response = post(request.toString());

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("message").asString()).contains("`gpt-4o` does not exist");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").isNull()).isTrue();
    assertThat(error.path("code").asString()).isEqualTo("model_not_found");
  }

  private static ObjectNode request(JsonNode userMessage, boolean stream) {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", "beacon-demo");
    request.putArray("messages").add(userMessage);
    request.put("stream", stream);
    if (stream) {
      request.putObject("stream_options").put("include_usage", true);
    }
    return request;
  }

  private static JsonNode user(String content) {
    ObjectNode message = JSON.createObjectNode();
    message.put("role", "user");
    message.put("content", content);
    return message;
  }

  private static ObjectNode afterToolCall(String tool, String result) {
    ObjectNode request = request(user("do it"), false);
    request.set("tools", JSON.readTree(TOOLS));
    ArrayNode messages = (ArrayNode) request.get("messages");
    ObjectNode assistant = messages.addObject();
    assistant.put("role", "assistant");
    assistant.putNull("content");
    ObjectNode call = assistant.putArray("tool_calls").addObject();
    call.put("id", "call_1");
    call.put("type", "function");
    call.putObject("function").put("name", tool).put("arguments", "{}");
    ObjectNode toolMessage = messages.addObject();
    toolMessage.put("role", "tool");
    toolMessage.put("tool_call_id", "call_1");
    toolMessage.put("content", result);
    return request;
  }

  private static JsonNode complete(ObjectNode request) throws Exception {
    HttpResponse<String> response = post(request.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return JSON.readTree(response.body());
  }

  /** The data of every server-sent event, in order. */
  private static List<String> stream(ObjectNode request) throws Exception {
    HttpResponse<String> response = post(request.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body()).endsWith("\n\n");
    List<String> events = new ArrayList<>();
    for (String event : response.body().split("\n\n")) {
      assertThat(event).startsWith("data: ").doesNotContain("\n");
      events.add(event.substring("data: ".length()));
    }
    return events;
  }

  private static List<JsonNode> chunks(List<String> events) {
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    return events.subList(0, events.size() - 1).stream().map(JSON::readTree).toList();
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(provider.baseUrl() + "/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer no-key-needed")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertUsage(JsonNode usage, int promptTokens, int completionTokens) {
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(promptTokens);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(completionTokens);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(promptTokens + completionTokens);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").isIntegralNumber())
        .isTrue();
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isZero();
  }
}
