package dev.beacon.chat.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.chat.OpenAiWire;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.testsupport.IntegrationTest;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Provider failures as a user meets them: a 429 with {@code Retry-After} is waited out and retried,
 * repeated 5xx and an unreachable provider end the turn with a clear message, a refused key says
 * so; none of it shows a stack trace, and the key is in no response and no log line.
 */
@IntegrationTest
class ProviderFailuresApplicationTests extends ChatStandIns {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  private record Setup(String ws, String key, String conversation) {}

  private Setup setup(String baseUrl) {
    String ws = workspace();
    String key = key();
    ChatTestKit.configure(web, signer, ws, "openai", key, baseUrl);
    String agent =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of("name", "Plain", "provider", "openai", "model", "gpt-4o-mini"))
            .get("id")
            .asString();
    return new Setup(ws, key, ChatTestKit.converse(web, signer, ws, agent));
  }

  private static MappingBuilder completions(String key) {
    return post(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + key));
  }

  private static JsonNode only(List<Sse> turn, String event) {
    List<JsonNode> found =
        turn.stream().filter(e -> e.event().equals(event)).map(Sse::data).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private void assertKeyNowhere(String key, List<Sse> turn, String conversation, String ws) {
    assertThat(turn.toString()).doesNotContain(key);
    assertThat(
            ChatTestKit.get(web, signer, ws, "/api/chat/conversations/" + conversation).toString())
        .doesNotContain(key);
    List<ILoggingEvent> seen;
    // appends hold the appender's lock; the service's Kafka threads log while this reads
    synchronized (logs) {
      seen = List.copyOf(logs.list);
    }
    assertThat(seen)
        .noneMatch(
            e ->
                e.getFormattedMessage().contains(key)
                    || (e.getThrowableProxy() != null
                        && String.valueOf(e.getThrowableProxy().getMessage()).contains(key)));
  }

  @Test
  void aRateLimitWithRetryAfterIsWaitedOutAndTheAnswerArrives() {
    Setup s = setup(STAND_INS.baseUrl());
    String scenario = "rate-limit-" + s.key();
    STAND_INS.stubFor(
        completions(s.key())
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "1")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"))
            .willSetStateTo("limited once"));
    STAND_INS.stubFor(
        completions(s.key())
            .inScenario(scenario)
            .whenScenarioStateIs("limited once")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(OpenAiWire.text("After the wait.", 5, 3, 0, 0))));

    long started = System.nanoTime();
    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(turn).noneMatch(e -> e.event().equals("error"));
    assertThat(only(turn, "message").get("message").get("content").asString())
        .isEqualTo("After the wait.");
    STAND_INS.verify(
        2,
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + s.key())));
    // the provider asked for one second; the default backoff would have been 500 ms
    assertThat(tookMs).isGreaterThanOrEqualTo(1000);
    assertKeyNowhere(s.key(), turn, s.conversation(), s.ws());
  }

  @Test
  void aProviderFailingEveryTimeEndsTheTurnWithAClearMessage() {
    Setup s = setup(STAND_INS.baseUrl());
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello");

    JsonNode error = only(turn, "error");
    assertThat(error.get("code").asString()).isEqualTo("provider_error");
    assertThat(error.get("message").asString())
        .startsWith("OpenAI failed (500)")
        .doesNotContain("Exception")
        .doesNotContain("at dev.");
    // the first call and max-retries (2) retries with backoff; the stored message says the same
    STAND_INS.verify(
        3,
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + s.key())));
    JsonNode stored =
        ChatTestKit.get(web, signer, s.ws(), "/api/chat/conversations/" + s.conversation());
    JsonNode last = stored.get("messages").get(1);
    assertThat(last.get("error").get("code").asString()).isEqualTo("provider_error");
    assertThat(stored.get("conversation").get("state").asString()).isEqualTo("idle");
    assertKeyNowhere(s.key(), turn, s.conversation(), s.ws());
  }

  @Test
  void repeatedFailuresOpenTheProvidersCircuitAndLaterTurnsFailAtOnce() {
    // a base URL of its own: the circuit is per provider and base URL, so no other test shares it
    String prefix = "/circuit-" + UUID.randomUUID();
    Setup s = setup(STAND_INS.baseUrl() + prefix);
    STAND_INS.stubFor(
        post(urlPathEqualTo(prefix + "/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")));

    // 3 calls a turn (max-retries 2); the circuit opens once 10 calls have failed
    List<String> codes = new java.util.ArrayList<>();
    for (int turn = 0; turn < 6 && !codes.contains("provider_circuit_open"); turn++) {
      codes.add(
          only(ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello " + turn), "error")
              .get("code")
              .asString());
    }
    assertThat(codes).startsWith("provider_error", "provider_error", "provider_error");
    assertThat(codes).last().isEqualTo("provider_circuit_open");
    int calls =
        STAND_INS.findAll(postRequestedFor(urlPathEqualTo(prefix + "/v1/chat/completions"))).size();
    assertThat(calls).isEqualTo(10);

    // while it is open, a turn fails at once with what to do, and the provider is not called
    List<Sse> fast = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Once more");
    JsonNode error = only(fast, "error");
    assertThat(error.get("code").asString()).isEqualTo("provider_circuit_open");
    assertThat(error.get("message").asString())
        .isEqualTo(
            "OpenAI failed repeatedly just now, so Beacon pauses calls to it for a moment. Try"
                + " again shortly.");
    STAND_INS.verify(calls, postRequestedFor(urlPathEqualTo(prefix + "/v1/chat/completions")));
  }

  @Test
  void aRefusedKeySaysSo() {
    Setup s = setup(STAND_INS.baseUrl());
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"Incorrect API key provided: "
                            + s.key()
                            + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello");

    JsonNode error = only(turn, "error");
    assertThat(error.get("code").asString()).isEqualTo("provider_key_refused");
    assertThat(error.get("message").asString())
        .isEqualTo("OpenAI refused the API key (401). Check the key in the provider settings.");
    assertKeyNowhere(s.key(), turn, s.conversation(), s.ws());
  }

  @Test
  void anUnknownModelSaysSo() {
    Setup s = setup(STAND_INS.baseUrl());
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"The model `gpt-4o-mini` does not exist or you do not have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}")));

    JsonNode error =
        only(ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello"), "error");

    assertThat(error.get("code").asString()).isEqualTo("model_not_found");
  }

  @Test
  void aContextLengthErrorSaysWhatToDo() {
    Setup s = setup(STAND_INS.baseUrl());
    STAND_INS.stubFor(
        completions(s.key())
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}")));

    JsonNode error =
        only(ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello"), "error");

    assertThat(error.get("code").asString()).isEqualTo("context_length_exceeded");
    assertThat(error.get("message").asString()).contains("start a new conversation");
  }

  @Test
  void anUnreachableProviderSaysSo() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Setup s = setup("http://127.0.0.1:" + closed);

    List<Sse> turn = ChatTestKit.send(web, signer, s.ws(), s.conversation(), "Hello");

    JsonNode error = only(turn, "error");
    assertThat(error.get("code").asString()).isEqualTo("provider_unreachable");
    assertThat(error.get("message").asString()).contains("did not answer");
    assertThat(turn.get(turn.size() - 1).event()).isEqualTo("done");
    assertKeyNowhere(s.key(), turn, s.conversation(), s.ws());
  }
}
