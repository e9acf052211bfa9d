package dev.beacon.chat.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.chat.OpenAiWire;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Hosted calls: a workspace without OpenAI settings of its own calls OpenAI with the platform's key
 * ({@link ChatStandIns#HOSTED_OPENAI_KEY}), its {@code llm_call} events say {@code metadata.billing
 * = "hosted"}, and billing's {@code hosted_llm_allowed: false} on {@code billing.entitlements.v1}
 * stops its next hosted call before the provider is asked; a workspace's own key always wins, is
 * marked {@code byok} and is never blocked. The hosted key is in no answer and no log line.
 */
@IntegrationTest
class HostedCallsApplicationTests extends ChatStandIns {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired WorkspaceEntitlements entitlements;

  /** A conversation with an OpenAI agent that names no model: the hosted default is used. */
  private String conversation(String ws) {
    return conversation(ws, Map.of("name", "Hosted helper", "provider", "openai"));
  }

  /** A conversation with an OpenAI agent naming its model (own settings have no default). */
  private String conversationWithModel(String ws) {
    return conversation(
        ws, Map.of("name", "Own key helper", "provider", "openai", "model", "gpt-4o-mini"));
  }

  private String conversation(String ws, Map<String, ?> agentBody) {
    String agent = ChatTestKit.createAgent(web, signer, ws, agentBody).get("id").asString();
    return ChatTestKit.converse(web, signer, ws, agent);
  }

  /** OpenAI answers a message holding {@code token} when it comes with {@code key}. */
  private static void answers(String key, String token, String answer) {
    STAND_INS.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + key))
            .withRequestBody(containing(token))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(OpenAiWire.text(answer, 12, 4, 0, 0))));
  }

  /** Every chat call WireMock received for the message holding {@code token}. */
  private static List<LoggedRequest> calls(String token) {
    return STAND_INS.findAll(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withRequestBody(containing(token)));
  }

  private static String answer(List<Sse> turn) {
    return turn.stream()
        .filter(e -> e.event().equals("delta"))
        .map(e -> e.data().get("text").asString())
        .collect(Collectors.joining());
  }

  private List<ObsEvent> llmCalls(String ws, int count) {
    return await()
        .atMost(WAIT)
        .until(
            () -> EventLog.of(ws).stream().filter(e -> e.type() == EventType.LLM_CALL).toList(),
            found -> found.size() >= count);
  }

  private JsonNode provider(String ws, String id) {
    JsonNode providers = ChatTestKit.get(web, signer, ws, "/api/chat/providers");
    for (JsonNode provider : providers.get("providers")) {
      if (provider.get("id").asString().equals(id)) {
        return provider;
      }
    }
    throw new AssertionError("no provider " + id + " in " + providers);
  }

  @Test
  void aHostedCallUsesThePlatformKeyAndItsEventIsMarkedHosted() {
    String ws = workspace();
    String token = "hosted-" + UUID.randomUUID();
    answers(HOSTED_OPENAI_KEY, token, "Hosted hello.");

    JsonNode openai = provider(ws, "openai");
    assertThat(openai.get("configured").asBoolean()).isFalse();
    assertThat(openai.get("hosted").asBoolean()).isTrue();
    assertThat(openai.get("hosted_available").asBoolean()).isTrue();
    assertThat(openai.get("api_key").isNull()).isTrue();
    assertThat(openai.get("base_url").isNull()).isTrue();
    assertThat(openai.get("default_model").asString()).isEqualTo("gpt-4o-mini");
    JsonNode anthropic = provider(ws, "anthropic");
    assertThat(anthropic.get("hosted").asBoolean()).isFalse();
    assertThat(anthropic.get("hosted_available").asBoolean()).isFalse();

    List<Sse> turn = ChatTestKit.send(web, signer, ws, conversation(ws), "Say hi " + token);

    assertThat(turn).noneMatch(e -> e.event().equals("error"));
    assertThat(answer(turn)).isEqualTo("Hosted hello.");
    assertThat(calls(token))
        .singleElement()
        .satisfies(
            call ->
                assertThat(call.getHeader("Authorization"))
                    .isEqualTo("Bearer " + HOSTED_OPENAI_KEY));
    ObsEvent call = llmCalls(ws, 1).get(0);
    assertThat(call.llm().provider()).isEqualTo("openai");
    assertThat(call.llm().model()).isEqualTo("gpt-4o-mini");
    assertThat(call.llm().inputTokens()).isEqualTo(12);
    assertThat(call.metadata())
        .containsEntry("billing", "hosted")
        .containsEntry("source", "chat-service");
  }

  @Test
  void aWorkspaceKeyWinsOverTheHostedKeyAndIsMarkedByok() {
    String ws = workspace();
    String key = key();
    String token = "byok-" + UUID.randomUUID();
    ChatTestKit.configure(web, signer, ws, "openai", key, STAND_INS.baseUrl());
    answers(key, token, "Your own key.");

    JsonNode openai = provider(ws, "openai");
    assertThat(openai.get("configured").asBoolean()).isTrue();
    assertThat(openai.get("hosted").asBoolean()).isFalse();
    assertThat(openai.get("hosted_available").asBoolean()).isTrue();

    List<Sse> turn =
        ChatTestKit.send(web, signer, ws, conversationWithModel(ws), "Model? " + token);
    assertThat(turn).noneMatch(e -> e.event().equals("error"));
    assertThat(answer(turn)).isEqualTo("Your own key.");
    assertThat(calls(token))
        .singleElement()
        .satisfies(call -> assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + key));
    assertThat(llmCalls(ws, 1).get(0).metadata()).containsEntry("billing", "byok");
  }

  @Test
  void creditsUsedUpBlockTheNextHostedTurnWithoutCallingTheProviderUntilATopUp() {
    String ws = workspace();
    String conversation = conversation(ws);
    Entitlements.publish(ws, false, 2);
    await().atMost(WAIT).until(() -> !entitlements.of(ws).hostedLlmAllowed());

    String blocked = "blocked-" + UUID.randomUUID();
    answers(HOSTED_OPENAI_KEY, blocked, "Should not be asked.");
    List<Sse> turn = ChatTestKit.send(web, signer, ws, conversation, "Hello " + blocked);

    assertThat(turn.stream().map(Sse::event).toList()).containsExactly("run", "error", "done");
    JsonNode error = turn.get(1).data();
    assertThat(error.get("code").asString()).isEqualTo("hosted_credits_exhausted");
    assertThat(error.get("message").asString())
        .isEqualTo(
            "This workspace has used up its hosted credits, so Beacon did not call OpenAI with its"
                + " hosted key. Buy credits on the Billing page (/billing), or add your own OpenAI"
                + " API key under Settings → Model providers.");
    assertThat(turn.get(2).data().get("state").asString()).isEqualTo("idle");
    assertThat(calls(blocked)).isEmpty();
    JsonNode stored =
        ChatTestKit.get(web, signer, ws, "/api/chat/conversations/" + conversation).get("messages");
    assertThat(stored.get(stored.size() - 1).get("error").get("code").asString())
        .isEqualTo("hosted_credits_exhausted");
    ObsEvent end =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    EventLog.of(ws).stream()
                        .filter(e -> e.type() == EventType.RUN_END)
                        .findFirst()
                        .orElse(null),
                found -> found != null);
    assertThat(end.error().type()).isEqualTo("hosted_credits_exhausted");
    assertThat(EventLog.of(ws)).noneMatch(e -> e.type() == EventType.LLM_CALL);

    Entitlements.publish(ws, true, 3);
    await().atMost(WAIT).until(() -> entitlements.of(ws).hostedLlmAllowed());
    String toppedUp = "topped-up-" + UUID.randomUUID();
    answers(HOSTED_OPENAI_KEY, toppedUp, "Back again.");
    List<Sse> next = ChatTestKit.send(web, signer, ws, conversation, "Hello " + toppedUp);

    assertThat(next).noneMatch(e -> e.event().equals("error"));
    assertThat(answer(next)).isEqualTo("Back again.");
    assertThat(calls(toppedUp)).hasSize(1);
    assertThat(llmCalls(ws, 1).get(0).metadata()).containsEntry("billing", "hosted");
  }

  @Test
  void aWorkspaceWithItsOwnKeyIsNotBlockedWhenItsCreditsAreUsedUp() {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "openai", key, STAND_INS.baseUrl());
    Entitlements.publish(ws, false, 4);
    await().atMost(WAIT).until(() -> !entitlements.of(ws).hostedLlmAllowed());
    String token = "own-key-" + UUID.randomUUID();
    answers(key, token, "Still here.");

    List<Sse> turn = ChatTestKit.send(web, signer, ws, conversationWithModel(ws), "Hi " + token);

    assertThat(turn).noneMatch(e -> e.event().equals("error"));
    assertThat(answer(turn)).isEqualTo("Still here.");
    assertThat(calls(token))
        .singleElement()
        .satisfies(call -> assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + key));
    assertThat(llmCalls(ws, 1).get(0).metadata()).containsEntry("billing", "byok");
  }

  @Test
  void theHostedKeyIsInNoResponseAndNoLogLine() {
    String ws = workspace();
    String token = "secret-" + UUID.randomUUID();
    // the provider echoes the key it was sent in its refusal, as OpenAI does (partly)
    STAND_INS.stubFor(
        get(urlPathEqualTo("/v1/models"))
            .withHeader("Authorization", equalTo("Bearer " + HOSTED_OPENAI_KEY))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"message\": \"Incorrect API key provided: "
                            + HOSTED_OPENAI_KEY
                            + " (…"
                            + HOSTED_OPENAI_KEY.substring(HOSTED_OPENAI_KEY.length() - 4)
                            + ")\", \"code\": \"invalid_api_key\"}}")));
    answers(HOSTED_OPENAI_KEY, token, "Nothing to see.");
    String conversation = conversation(ws);

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> bodies = new ArrayList<>();
    try {
      bodies.add(
          body(
              web.get()
                  .uri("/api/chat/providers")
                  .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))));
      bodies.add(
          body(
              web.post()
                  .uri("/api/chat/providers/openai/test")
                  .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))));
      List<Sse> turn = ChatTestKit.send(web, signer, ws, conversation, "Go " + token);
      bodies.add(turn.toString());
      bodies.add(
          ChatTestKit.get(web, signer, ws, "/api/chat/conversations/" + conversation).toString());
      llmCalls(ws, 1);
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }

    assertThat(bodies)
        .hasSize(4)
        .allSatisfy(body -> assertThat(body).doesNotContain(HOSTED_OPENAI_KEY));
    // nothing of the provider's words, which may hold part of the key
    assertThat(bodies.get(0)).contains("\"hosted\":true").doesNotContain("Incorrect API key");
    assertThat(bodies.get(1))
        .doesNotContain("Incorrect API key")
        .contains("\"ok\":false")
        .contains("provider_key_refused")
        .contains("Beacon's hosted key");
    assertThat(bodies.get(2)).contains("Nothing to see.");
    List<ILoggingEvent> seen;
    // appends hold the appender's lock: a Kafka thread may still be logging into it
    synchronized (logs) {
      seen = List.copyOf(logs.list);
    }
    assertThat(seen).isNotEmpty();
    for (ILoggingEvent event : seen) {
      assertThat(event.getFormattedMessage()).doesNotContain(HOSTED_OPENAI_KEY);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        assertThat(ThrowableProxyUtil.asString(thrown)).doesNotContain(HOSTED_OPENAI_KEY);
      }
    }
  }

  private static String body(WebTestClient.RequestHeadersSpec<?> request) {
    byte[] body =
        request.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
    return new String(body, StandardCharsets.UTF_8);
  }
}
