package dev.beacon.chat.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.chat.OpenAiWire;
import dev.beacon.chat.approval.domain.ApprovalService;
import dev.beacon.events.ActionState;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The tool loop against an OpenAI stand-in speaking Chat Completions streams and a tool registry
 * stand-in: answers, read tools, approvals (approve, reject, expire, two in one turn), bounds,
 * tenancy, and the events each turn publishes to Kafka.
 */
@IntegrationTest
class ToolLoopApplicationTests extends ChatStandIns {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired ApprovalService approvals;

  /** A workspace with OpenAI configured (this test's key) and an agent with the three tools. */
  private record Setup(String ws, String key, String agentId, String conversation) {}

  private Setup setup() {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "openai", key, STAND_INS.baseUrl());
    String agentId =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of(
                    "name",
                    "Assistant",
                    "provider",
                    "openai",
                    "model",
                    "gpt-4o-mini",
                    "system_prompt",
                    "Be brief.",
                    "tools",
                    List.of(
                        Map.of("name", "weather.lookup", "requires_approval", false),
                        Map.of("name", "gmail.send", "requires_approval", true),
                        Map.of("name", "todoist.create_task", "requires_approval", true))))
            .get("id")
            .asString();
    return new Setup(ws, key, agentId, ChatTestKit.converse(web, signer, ws, agentId));
  }

  private static MappingBuilder completions(String key) {
    return post(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + key));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder stream(
      String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withBody(body);
  }

  private static List<String> names(List<Sse> events) {
    return events.stream().map(Sse::event).toList();
  }

  private static JsonNode last(List<Sse> events, String name) {
    JsonNode found = null;
    for (Sse e : events) {
      if (e.event().equals(name)) {
        found = e.data();
      }
    }
    return found;
  }

  private List<ObsEvent> events(String ws, int atLeast) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> EventLog.of(ws), found -> found.size() >= atLeast);
  }

  @Test
  void aPlainAnswerStreamsIsStoredAndIsOneRunOnKafkaWithTheProvidersUsage() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(stream(OpenAiWire.text("Hello **there**, héllo ✓.", 12, 7, 3, 2))));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hi there");

    assertThat(names(turn)).first().isEqualTo("run");
    assertThat(names(turn)).contains("delta", "message").last().isEqualTo("done");
    String streamed =
        turn.stream()
            .filter(e -> e.event().equals("delta"))
            .map(e -> e.data().get("text").asString())
            .collect(Collectors.joining());
    assertThat(streamed).isEqualTo("Hello **there**, héllo ✓.");
    JsonNode message = last(turn, "message").get("message");
    assertThat(message.get("role").asString()).isEqualTo("assistant");
    assertThat(message.get("usage").get("input_tokens").asLong()).isEqualTo(12);
    assertThat(message.get("usage").get("output_tokens").asLong()).isEqualTo(7);
    assertThat(message.get("usage").get("cached_input_tokens").asLong()).isEqualTo(3);
    assertThat(message.get("usage").get("reasoning_tokens").asLong()).isEqualTo(2);
    assertThat(last(turn, "done").get("state").asString()).isEqualTo("idle");
    String runId = last(turn, "run").get("run_id").asString();

    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + s.key()))
            .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
            .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
            .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
            .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("Be brief.")))
            .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Hi there")))
            .withRequestBody(
                matchingJsonPath("$.tools[0].function.name", equalTo("weather_lookup"))));

    JsonNode stored =
        ChatTestKit.get(web, signer, s.ws(), "/api/chat/conversations/" + s.conversation());
    assertThat(stored.get("conversation").get("title").asString()).isEqualTo("Hi there");
    assertThat(stored.get("conversation").get("state").asString()).isEqualTo("idle");
    assertThat(stored.get("conversation").get("last_run_id").asString()).isEqualTo(runId);
    assertThat(stored.get("messages")).hasSize(2);
    assertThat(stored.get("messages").get(1).get("content").asString())
        .isEqualTo("Hello **there**, héllo ✓.");

    List<ObsEvent> published = events(s.ws(), 3);
    assertThat(published)
        .extracting(ObsEvent::type)
        .containsExactlyInAnyOrder(EventType.RUN_START, EventType.LLM_CALL, EventType.RUN_END);
    ObsEvent llm = published.stream().filter(e -> e.type() == EventType.LLM_CALL).findFirst().get();
    assertThat(llm.llm().provider()).isEqualTo("openai");
    assertThat(llm.llm().model()).isEqualTo("gpt-4o-mini");
    assertThat(llm.llm().inputTokens()).isEqualTo(12);
    assertThat(llm.llm().outputTokens()).isEqualTo(7);
    assertThat(llm.llm().cachedInputTokens()).isEqualTo(3);
    assertThat(llm.llm().reasoningTokens()).isEqualTo(2);
    ObsEvent start =
        published.stream().filter(e -> e.type() == EventType.RUN_START).findFirst().get();
    assertThat(published)
        .allSatisfy(
            e -> {
              assertThat(e.runId()).isEqualTo(runId);
              assertThat(e.agentId()).isEqualTo(s.agentId());
              assertThat(e.traceId()).isEqualTo(start.traceId()).hasSize(32);
            });
    assertThat(llm.parentSpanId()).isEqualTo(start.spanId());
    assertThat(start.metadata()).containsEntry("conversation_id", s.conversation());
  }

  @Test
  void theToolListOffersTheRegistrysToolsToEveryRole() {
    String ws = workspace();
    byte[] body =
        web.get()
            .uri("/api/chat/tools")
            .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode tools = ChatTestKit.JSON.readTree(body).get("tools");
    assertThat(tools)
        .extracting(t -> t.get("name").asString())
        .containsExactly("weather.lookup", "gmail.send", "todoist.create_task");
    assertThat(tools.get(1).get("kind").asString()).isEqualTo("write");
    assertThat(tools.get(1).get("integration").asString()).isEqualTo("gmail");
    assertThat(tools.get(1).get("requires_approval").asBoolean()).isFalse();
    assertThat(tools.get(2).get("requires_approval").asBoolean()).isTrue();
    assertThat(tools.get(0).get("parameters").get("properties").has("city")).isTrue();
    // outside the local stack there are no demo tools
    assertThat(tools).noneMatch(t -> t.get("integration").asString().equals("demo"));
    STAND_INS.verify(
        getRequestedFor(urlPathEqualTo("/api/integrations/tools"))
            .withHeader(ForwardedIdentity.HEADER, containing(".")));
  }

  @Test
  void aReadToolRunsAtOnceAndTheLoopGoesOnWithItsResult() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        20,
                        9,
                        new String[] {"call_w1", "weather_lookup", "{\"city\":\"Zürich\"}"}))));
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(stream(OpenAiWire.text("It is sunny in Zürich.", 40, 6, 0, 0))));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Weather in Zürich?");

    assertThat(names(turn))
        .containsSubsequence(
            "run", "message", "tool_call", "tool_result", "delta", "message", "done");
    JsonNode call = last(turn, "tool_call");
    assertThat(call.get("name").asString()).isEqualTo("weather.lookup");
    assertThat(call.get("kind").asString()).isEqualTo("read");
    assertThat(call.get("arguments").get("city").asString()).isEqualTo("Zürich");
    JsonNode result = last(turn, "tool_result");
    assertThat(result.get("status").asString()).isEqualTo("ok");
    assertThat(result.get("result").asString()).isEqualTo("Sunny, 21 °C");
    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo("/api/integrations/tools/weather.lookup/execute"))
            .withHeader(ForwardedIdentity.HEADER, containing("."))
            .withRequestBody(matchingJsonPath("$.call_id", equalTo("call_w1")))
            .withRequestBody(matchingJsonPath("$.arguments.city", equalTo("Zürich"))));
    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + s.key()))
            .withRequestBody(matchingJsonPath("$.messages[2].tool_calls[0].id", equalTo("call_w1")))
            .withRequestBody(matchingJsonPath("$.messages[3].role", equalTo("tool")))
            .withRequestBody(matchingJsonPath("$.messages[3].tool_call_id", equalTo("call_w1")))
            .withRequestBody(matchingJsonPath("$.messages[3].content", equalTo("Sunny, 21 °C"))));
    assertThat(last(turn, "done").get("usage").get("input_tokens").asLong()).isEqualTo(60);

    List<ObsEvent> published = events(s.ws(), 5);
    assertThat(published)
        .extracting(ObsEvent::type)
        .containsExactlyInAnyOrder(
            EventType.RUN_START,
            EventType.LLM_CALL,
            EventType.TOOL_CALL,
            EventType.LLM_CALL,
            EventType.RUN_END);
    ObsEvent tool =
        published.stream().filter(e -> e.type() == EventType.TOOL_CALL).findFirst().get();
    assertThat(tool.tool().name()).isEqualTo("weather.lookup");
    assertThat(tool.tool().integration()).isEqualTo("weather");
    // the registry is told the agent, and the tool call's span as the parent of what it calls
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> executed =
        STAND_INS.findAll(
            postRequestedFor(urlPathEqualTo("/api/integrations/tools/weather.lookup/execute"))
                .withRequestBody(matchingJsonPath("$.agent_id", equalTo(s.agentId()))));
    assertThat(executed).hasSize(1);
    assertThat(executed.get(0).getHeader("traceparent"))
        .isEqualTo("00-" + tool.traceId() + "-" + tool.spanId() + "-01");
    assertThat(
            ChatTestKit.JSON.readTree(executed.get(0).getBodyAsString()).get("run_id").asString())
        .isEqualTo(tool.runId());
  }

  @Test
  void anApprovedWriteToolRunsAndTheTurnGoesOnToItsFinalAnswer() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        30,
                        12,
                        new String[] {"call_m1", "gmail_send", "{\"to\":\"team@example.com\"}"}))));
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(stream(OpenAiWire.text("The email is sent.", 50, 5, 0, 0))));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Email the team");

    assertThat(names(turn)).containsSubsequence("run", "message", "approval", "done");
    assertThat(names(turn)).doesNotContain("tool_call");
    assertThat(last(turn, "done").get("state").asString()).isEqualTo("awaiting_approval");
    JsonNode approval = last(turn, "approval").get("approval");
    assertThat(approval.get("state").asString()).isEqualTo("pending");
    assertThat(approval.get("tool").asString()).isEqualTo("gmail.send");
    assertThat(approval.get("agent_name").asString()).isEqualTo("Assistant");
    assertThat(approval.get("arguments").get("to").asString()).isEqualTo("team@example.com");
    STAND_INS.verify(
        0,
        postRequestedFor(urlPathEqualTo("/api/integrations/tools/gmail.send/execute"))
            .withRequestBody(matchingJsonPath("$.call_id", equalTo("call_m1"))));

    JsonNode pending = ChatTestKit.get(web, signer, s.ws(), "/api/chat/approvals?state=pending");
    assertThat(pending.get("approvals")).hasSize(1);
    String id = approval.get("id").asString();
    // a second message while the turn waits is refused
    web.post()
        .uri("/api/chat/conversations/{id}/messages", s.conversation())
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("content", "hello?"))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("turn_in_progress");

    web.post()
        .uri("/api/chat/approvals/{id}/approve", id)
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.ADMIN))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("approved")
        .jsonPath("$.decided_by")
        .isEqualTo("user-admin");

    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ChatTestKit.get(
                        web, signer, s.ws(), "/api/chat/conversations/" + s.conversation()),
                c -> c.get("conversation").get("state").asString().equals("idle"));
    JsonNode messages = done.get("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(2).get("role").asString()).isEqualTo("tool");
    assertThat(messages.get(2).get("status").asString()).isEqualTo("ok");
    assertThat(messages.get(3).get("content").asString()).isEqualTo("The email is sent.");
    assertThat(done.get("approvals").get(0).get("state").asString()).isEqualTo("executed");
    assertThat(done.get("approvals").get(0).get("result").asString())
        .isEqualTo("Sent to team@example.com");
    assertThat(ChatTestKit.follow(web, signer, s.ws(), s.conversation()))
        .extracting(Sse::event)
        .containsExactly("done");

    List<ObsEvent> published = events(s.ws(), 8);
    List<ObsEvent> actions = published.stream().filter(e -> e.type() == EventType.ACTION).toList();
    assertThat(actions)
        .extracting(e -> e.action().state())
        .containsExactlyInAnyOrder(
            ActionState.PROPOSED, ActionState.APPROVED, ActionState.EXECUTED);
    assertThat(actions)
        .allSatisfy(
            e -> {
              assertThat(e.action().actionId()).isEqualTo(id);
              assertThat(e.action().kind()).isEqualTo("gmail.send");
            });
    assertThat(published.stream().filter(e -> e.type() == EventType.RUN_END)).hasSize(1);
    assertThat(published.stream().map(ObsEvent::runId).collect(Collectors.toSet())).hasSize(1);
  }

  @Test
  void aToolTheRegistrySaysAlwaysWaitsWaitsForApprovalWhateverTheAgentSays() {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "openai", key, STAND_INS.baseUrl());
    String agentId =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of(
                    "name",
                    "Trader",
                    "provider",
                    "openai",
                    "model",
                    "gpt-4o-mini",
                    "tools",
                    List.of(Map.of("name", "todoist.create_task", "requires_approval", false))))
            .get("id")
            .asString();
    String conversation = ChatTestKit.converse(web, signer, ws, agentId);
    STAND_INS.stubFor(
        completions(key)
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        30,
                        12,
                        new String[] {"call_t1", "todoist_create_task", "{\"title\":\"Buy\"}"}))));

    List<Sse> turn = ChatTestKit.send(web, signer, ws, conversation, "Add a task");

    assertThat(names(turn)).containsSubsequence("run", "approval", "done");
    assertThat(last(turn, "approval").get("approval").get("tool").asString())
        .isEqualTo("todoist.create_task");
    assertThat(last(turn, "done").get("state").asString()).isEqualTo("awaiting_approval");
    STAND_INS.verify(
        0,
        postRequestedFor(urlPathEqualTo("/api/integrations/tools/todoist.create_task/execute"))
            .withRequestBody(matchingJsonPath("$.call_id", equalTo("call_t1"))));
  }

  @Test
  void aRejectedCallIsToldToTheModelWithTheReasonAndNeverRuns() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        30,
                        12,
                        new String[] {"call_r1", "gmail_send", "{\"to\":\"all@example.com\"}"}))));
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(stream(OpenAiWire.text("Understood, I did not send it.", 50, 8, 0, 0))));
    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Email everyone");
    String id = last(turn, "approval").get("approval").get("id").asString();

    web.post()
        .uri("/api/chat/approvals/{id}/reject", id)
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("reason", "Not to everyone — ask first"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("rejected")
        .jsonPath("$.reason")
        .isEqualTo("Not to everyone — ask first");
    // deciding twice is a conflict
    web.post()
        .uri("/api/chat/approvals/{id}/approve", id)
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("approval_decided")
        .jsonPath("$.state")
        .isEqualTo("rejected");

    List<Sse> rest = ChatTestKit.follow(web, signer, s.ws(), s.conversation());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ChatTestKit.get(web, signer, s.ws(), "/api/chat/conversations/" + s.conversation()),
            c -> c.get("conversation").get("state").asString().equals("idle"));
    assertThat(names(rest)).last().isEqualTo("done");
    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + s.key()))
            .withRequestBody(matchingJsonPath("$.messages[3].role", equalTo("tool")))
            .withRequestBody(
                matchingJsonPath(
                    "$.messages[3].content",
                    containing(
                        "rejected: a person rejected this call: Not to everyone — ask first"))));
    STAND_INS.verify(
        0,
        postRequestedFor(urlPathEqualTo("/api/integrations/tools/gmail.send/execute"))
            .withRequestBody(matchingJsonPath("$.call_id", equalTo("call_r1"))));
    List<ObsEvent> actions =
        events(s.ws(), 6).stream().filter(e -> e.type() == EventType.ACTION).toList();
    assertThat(actions)
        .extracting(e -> e.action().state())
        .containsExactlyInAnyOrder(ActionState.PROPOSED, ActionState.REJECTED);
  }

  @Test
  void twoApprovalsInOneTurnWaitForBothAndAnExpiredOneIsToldAsExpired() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        30,
                        20,
                        new String[] {"call_a", "gmail_send", "{\"to\":\"a@example.com\"}"},
                        new String[] {
                          "call_b", "todoist_create_task", "{\"title\":\"Follow up\"}"
                        }))));
    STAND_INS.stubFor(
        completions(s.key())
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
            .willReturn(
                stream(OpenAiWire.text("Email sent; the task was not created.", 60, 9, 0, 0))));
    List<Sse> turn =
        ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Email A and add a task");
    List<JsonNode> requested =
        turn.stream()
            .filter(e -> e.event().equals("approval"))
            .map(e -> e.data().get("approval"))
            .toList();
    assertThat(requested).hasSize(2);
    assertThat(requested)
        .extracting(a -> a.get("tool").asString())
        .containsExactly("gmail.send", "todoist.create_task");

    web.post()
        .uri("/api/chat/approvals/{id}/approve", requested.get(0).get("id").asString())
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("approved");
    JsonNode waiting =
        ChatTestKit.get(web, signer, s.ws(), "/api/chat/conversations/" + s.conversation());
    assertThat(waiting.get("conversation").get("state").asString()).isEqualTo("awaiting_approval");

    // the second one is never decided: the sweep expires it once it is due
    approvals.expireDue(Instant.now().plus(Duration.ofDays(2))).block();

    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ChatTestKit.get(
                        web, signer, s.ws(), "/api/chat/conversations/" + s.conversation()),
                c -> c.get("conversation").get("state").asString().equals("idle"));
    Map<String, String> states = new java.util.HashMap<>();
    done.get("approvals")
        .forEach(a -> states.put(a.get("tool").asString(), a.get("state").asString()));
    assertThat(states)
        .containsEntry("gmail.send", "executed")
        .containsEntry("todoist.create_task", "expired");
    List<String> toolStatuses = new java.util.ArrayList<>();
    done.get("messages")
        .forEach(
            m -> {
              if (m.get("role").asString().equals("tool")) {
                toolStatuses.add(m.get("tool_name").asString() + ":" + m.get("status").asString());
              }
            });
    assertThat(toolStatuses).containsExactly("gmail.send:ok", "todoist.create_task:expired");
    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + s.key()))
            .withRequestBody(
                matchingJsonPath("$.messages[4].content", containing("expired: nobody approved"))));
    List<ObsEvent> taskActions =
        events(s.ws(), 10).stream()
            .filter(
                e ->
                    e.type() == EventType.ACTION && e.action().kind().equals("todoist.create_task"))
            .toList();
    assertThat(taskActions)
        .extracting(e -> e.action().state())
        .containsExactlyInAnyOrder(ActionState.PROPOSED, ActionState.REJECTED);
    assertThat(taskActions)
        .filteredOn(e -> e.action().state() == ActionState.REJECTED)
        .singleElement()
        .satisfies(e -> assertThat(e.action().expired()).isTrue());
  }

  @Test
  void aViewerSeesTheQueueButCannotDecideAndAnotherWorkspaceSeesNothing() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        30,
                        12,
                        new String[] {"call_v1", "gmail_send", "{\"to\":\"x@example.com\"}"}))));
    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Email x");
    String id = last(turn, "approval").get("approval").get("id").asString();

    web.get()
        .uri("/api/chat/approvals?state=pending")
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.approvals[0].id")
        .isEqualTo(id);
    web.post()
        .uri("/api/chat/approvals/{id}/approve", id)
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.VIEWER))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");

    String other = workspace();
    for (String uri :
        List.of("/api/chat/approvals/" + id, "/api/chat/conversations/" + s.conversation())) {
      web.get()
          .uri(uri)
          .header(ForwardedIdentity.HEADER, as(signer, other, Role.OWNER))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("not_found");
    }
    web.post()
        .uri("/api/chat/approvals/{id}/approve", id)
        .header(ForwardedIdentity.HEADER, as(signer, other, Role.OWNER))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    web.post()
        .uri("/api/chat/conversations")
        .header(ForwardedIdentity.HEADER, as(signer, other, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("agent_id", s.agentId()))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("agent_not_found");
    assertThat(ChatTestKit.get(web, signer, other, "/api/chat/approvals").get("approvals"))
        .isEmpty();
    assertThat(
            ChatTestKit.get(web, signer, s.ws(), "/api/chat/approvals/" + id)
                .get("state")
                .asString())
        .isEqualTo("pending");
  }

  @Test
  void aModelThatKeepsCallingToolsIsStoppedAtTheTurnsBound() {
    Setup s = setup();
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        10,
                        5,
                        new String[] {"call_loop", "weather_lookup", "{\"city\":\"Bern\"}"}))));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Loop forever");

    JsonNode error = last(turn, "error");
    assertThat(error.get("code").asString()).isEqualTo("loop_limit");
    assertThat(error.get("message").asString()).contains("8 model calls");
    assertThat(names(turn).stream().filter("tool_call"::equals)).hasSize(8);
    assertThat(last(turn, "done").get("state").asString()).isEqualTo("idle");
    JsonNode stored =
        ChatTestKit.get(web, signer, s.ws(), "/api/chat/conversations/" + s.conversation());
    JsonNode lastMessage = stored.get("messages").get(stored.get("messages").size() - 1);
    assertThat(lastMessage.get("error").get("code").asString()).isEqualTo("loop_limit");
  }

  @Test
  void badMessagesAreRefusedWithDocumentedErrors() {
    Setup s = setup();
    for (Object body :
        List.of(
            Map.of("content", ""),
            Map.of("content", "x".repeat(32_001)),
            Map.of("content", 42),
            Map.of("content", "before\u0000after"),
            List.of())) {
      web.post()
          .uri("/api/chat/conversations/{id}/messages", s.conversation())
          .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(body)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_message");
    }
    web.post()
        .uri("/api/chat/conversations/{id}/messages", "not-a-uuid")
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("content", "hi"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    // another workspace's conversation is not found, for reading, following and writing alike
    String stranger = ChatTestKit.workspace();
    for (String uri :
        List.of(
            "/api/chat/conversations/" + s.conversation(),
            "/api/chat/conversations/" + s.conversation() + "/stream")) {
      web.get()
          .uri(uri)
          .header(ForwardedIdentity.HEADER, as(signer, stranger, Role.OWNER))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("not_found");
    }
    web.post()
        .uri("/api/chat/conversations/{id}/messages", s.conversation())
        .header(ForwardedIdentity.HEADER, as(signer, stranger, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("content", "hi"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    for (String cursor : List.of("garbage", "eyJ4IjoxfQ", "%F0%9F%92%A5")) {
      web.get()
          .uri("/api/chat/conversations?cursor=" + cursor)
          .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_cursor");
    }
    web.get()
        .uri("/api/chat/approvals?state=maybe")
        .header(ForwardedIdentity.HEADER, as(signer, s.ws(), Role.MEMBER))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("state");
    JsonNode stored =
        ChatTestKit.get(web, signer, s.ws(), "/api/chat/conversations/" + s.conversation());
    assertThat(stored.get("messages")).isEmpty();
    assertThat(stored.get("conversation").get("state").asString()).isEqualTo("idle");
  }
}
