package dev.beacon.chat.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The loop over each provider family's own stream format: Anthropic Messages events with {@code
 * tool_use} blocks, Gemini {@code streamGenerateContent} with {@code functionCall} parts, Ollama
 * {@code /api/chat} NDJSON with {@code tool_calls}. Each turn calls a read tool, then streams the
 * final answer; the {@code llm_call} events carry exactly the usage the stand-in reported.
 */
@IntegrationTest
class ProviderFamiliesApplicationTests extends ChatStandIns {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private String agent(String ws, String provider, String model) {
    String id =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of(
                    "name",
                    "Weather " + provider,
                    "provider",
                    provider,
                    "model",
                    model,
                    "tools",
                    List.of(Map.of("name", "weather.lookup", "requires_approval", false))))
            .get("id")
            .asString();
    return ChatTestKit.converse(web, signer, ws, id);
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder body(
      String contentType, String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
  }

  private static String sse(String... events) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < events.length; i += 2) {
      if (events[i] != null) {
        body.append("event: ").append(events[i]).append('\n');
      }
      body.append("data: ").append(events[i + 1]).append("\n\n");
    }
    return body.toString();
  }

  private List<ObsEvent> llmCalls(String ws, int count) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> EventLog.of(ws).stream().filter(e -> e.type() == EventType.LLM_CALL).toList(),
            found -> found.size() >= count);
  }

  private static void assertToolTurn(List<Sse> turn, String answer) {
    assertThat(turn).noneMatch(e -> e.event().equals("error"));
    assertThat(turn.stream().map(Sse::event).toList())
        .containsSubsequence(
            "run", "message", "tool_call", "tool_result", "delta", "message", "done");
    Sse call = turn.stream().filter(e -> e.event().equals("tool_call")).findFirst().get();
    assertThat(call.data().get("name").asString()).isEqualTo("weather.lookup");
    assertThat(call.data().get("arguments").get("city").asString()).isEqualTo("Paris");
    String streamed =
        turn.stream()
            .filter(e -> e.event().equals("delta"))
            .map(e -> e.data().get("text").asString())
            .collect(Collectors.joining());
    assertThat(streamed).isEqualTo(answer);
  }

  @Test
  void anthropicMessagesStreamWithToolUse() {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "anthropic", key, STAND_INS.baseUrl());
    String conversation = agent(ws, "anthropic", "claude-haiku-4-5");
    java.util.function.Supplier<MappingBuilder> messages =
        () -> post(urlPathEqualTo("/v1/messages")).withHeader("x-api-key", equalTo(key));
    STAND_INS.stubFor(
        messages
            .get()
            .atPriority(5)
            .willReturn(
                body(
                    "text/event-stream",
                    sse(
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1,\"cache_read_input_tokens\":4}}}",
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather_lookup\",\"input\":{}}}",
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
                        "content_block_stop",
                        "{\"type\":\"content_block_stop\",\"index\":0}",
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":17}}",
                        "message_stop",
                        "{\"type\":\"message_stop\"}"))));
    STAND_INS.stubFor(
        messages
            .get()
            .atPriority(1)
            .withRequestBody(
                matchingJsonPath(
                    "$.messages[?(@.role == 'user')].content[?(@.type == 'tool_result')]"))
            .willReturn(
                body(
                    "text/event-stream",
                    sse(
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":60,\"output_tokens\":1}}}",
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sunny in \"}}",
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris.\"}}",
                        "content_block_stop",
                        "{\"type\":\"content_block_stop\",\"index\":0}",
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}",
                        "message_stop",
                        "{\"type\":\"message_stop\"}"))));

    assertToolTurn(
        ChatTestKit.send(web, signer, ws, conversation, "Weather in Paris?"), "Sunny in Paris.");

    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo("/v1/messages"))
            .withHeader("x-api-key", equalTo(key))
            .withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("weather_lookup")))
            .withRequestBody(matchingJsonPath("$.messages[1].content[0].type", equalTo("tool_use")))
            .withRequestBody(
                matchingJsonPath("$.messages[2].content[0].tool_use_id", equalTo("toolu_01"))));
    List<ObsEvent> calls = llmCalls(ws, 2);
    assertThat(calls).extracting(e -> e.llm().inputTokens()).containsExactlyInAnyOrder(25L, 60L);
    assertThat(calls).extracting(e -> e.llm().outputTokens()).containsExactlyInAnyOrder(17L, 5L);
    assertThat(calls).allSatisfy(e -> assertThat(e.llm().provider()).isEqualTo("anthropic"));
  }

  @Test
  void geminiStreamGenerateContentWithFunctionCall() {
    String ws = workspace();
    String model = "gemini-test-" + UUID.randomUUID().toString().substring(0, 8);
    ChatTestKit.configure(web, signer, ws, "google", key(), STAND_INS.baseUrl());
    String conversation = agent(ws, "google", model);
    String path = "/v1beta/models/" + model + ":streamGenerateContent";
    STAND_INS.stubFor(
        post(urlPathEqualTo(path))
            .atPriority(5)
            .willReturn(
                body(
                    "text/event-stream",
                    sse(
                        null,
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"weather_lookup\",\"args\":{\"city\":\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":31,\"candidatesTokenCount\":9,\"totalTokenCount\":40,\"thoughtsTokenCount\":3},\"modelVersion\":\""
                            + model
                            + "\"}"))));
    STAND_INS.stubFor(
        post(urlPathEqualTo(path))
            .atPriority(1)
            .withRequestBody(
                matchingJsonPath("$.contents[?(@.role == 'user')].parts[?(@.functionResponse)]"))
            .willReturn(
                body(
                    "text/event-stream",
                    sse(
                        null,
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Sunny in \"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":70,\"candidatesTokenCount\":2,\"totalTokenCount\":72},\"modelVersion\":\""
                            + model
                            + "\",\"responseId\":\"resp-2\"}",
                        null,
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Paris.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":70,\"candidatesTokenCount\":4,\"totalTokenCount\":74},\"modelVersion\":\""
                            + model
                            + "\",\"responseId\":\"resp-2\"}"))));

    assertToolTurn(
        ChatTestKit.send(web, signer, ws, conversation, "Weather in Paris?"), "Sunny in Paris.");

    List<ObsEvent> calls = llmCalls(ws, 2);
    assertThat(calls).extracting(e -> e.llm().inputTokens()).containsExactlyInAnyOrder(31L, 70L);
    assertThat(calls).extracting(e -> e.llm().outputTokens()).containsExactlyInAnyOrder(9L, 4L);
    assertThat(calls).extracting(e -> e.llm().reasoningTokens()).contains(3L);
  }

  @Test
  void ollamaChatNdjsonWithToolCalls() {
    String ws = workspace();
    String model = "llama-test-" + UUID.randomUUID().toString().substring(0, 8);
    ChatTestKit.configure(web, signer, ws, "ollama", key(), STAND_INS.baseUrl());
    String conversation = agent(ws, "ollama", model);
    java.util.function.Supplier<MappingBuilder> chat =
        () ->
            post(urlPathEqualTo("/api/chat"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    STAND_INS.stubFor(
        chat.get()
            .atPriority(5)
            .willReturn(
                body(
                    "application/x-ndjson",
                    "{\"model\":\""
                        + model
                        + "\",\"created_at\":\"2026-12-07T10:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"weather_lookup\",\"arguments\":{\"city\":\"Paris\"}}}]},\"done\":false}\n"
                        + "{\"model\":\""
                        + model
                        + "\",\"created_at\":\"2026-12-07T10:00:01Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1000,\"prompt_eval_count\":26,\"eval_count\":11}\n")));
    STAND_INS.stubFor(
        chat.get()
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(
                body(
                    "application/x-ndjson",
                    "{\"model\":\""
                        + model
                        + "\",\"created_at\":\"2026-12-07T10:00:02Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Sunny in \"},\"done\":false}\n"
                        + "{\"model\":\""
                        + model
                        + "\",\"created_at\":\"2026-12-07T10:00:03Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Paris.\"},\"done\":false}\n"
                        + "{\"model\":\""
                        + model
                        + "\",\"created_at\":\"2026-12-07T10:00:04Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1000,\"prompt_eval_count\":48,\"eval_count\":6}\n")));

    assertToolTurn(
        ChatTestKit.send(web, signer, ws, conversation, "Weather in Paris?"), "Sunny in Paris.");

    List<ObsEvent> calls = llmCalls(ws, 2);
    assertThat(calls).extracting(e -> e.llm().inputTokens()).containsExactlyInAnyOrder(26L, 48L);
    assertThat(calls).extracting(e -> e.llm().outputTokens()).containsExactlyInAnyOrder(11L, 6L);
  }
}
