package dev.beacon.chat.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.provider.domain.Provider;
import dev.beacon.chat.provider.domain.ProviderSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Each provider family's model, built at run time from workspace settings, against a stand-in
 * speaking the provider's real wire format: the exact request (path, auth header, model, messages
 * with the system prompt, temperature, answer bound) and the answer's text and usage. The key is in
 * none of the SDKs' log lines, every logger at DEBUG.
 */
class ChatModelsClientTests {

  static final WireMockServer provider =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());
  static final String KEY = "sk-test-0123456789abcdef";

  final ChatModels models =
      new ChatModels(
          null,
          dev.beacon.chat.ChatTestKit.properties(
              new ChatProperties.Encryption(null),
              new ChatProperties.Providers(
                  Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMinutes(1), true),
              new ChatProperties.Models(Duration.ofSeconds(10), 0)),
          new StaticListableBeanFactory()
              .getBeanProvider(io.micrometer.observation.ObservationRegistry.class));

  static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static Level rootLevel;

  @BeforeAll
  static void start() {
    provider.start();
    rootLevel = root.getLevel();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
  }

  @AfterAll
  static void stop() {
    root.setLevel(rootLevel);
    root.detachAppender(logs);
    provider.stop();
  }

  @BeforeEach
  void reset() {
    provider.resetAll();
  }

  /** Every SDK runs with every logger at DEBUG; none of them may log the key. */
  @AfterEach
  void noLogLineHoldsTheKey() {
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      assertThat(event.getFormattedMessage()).doesNotContain(KEY);
      if (event.getThrowableProxy() != null) {
        assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).doesNotContain(KEY);
      }
    }
    logs.list.clear();
  }

  private ProviderSettings settings(Provider p, String baseUrl, String key) {
    return new ProviderSettings("ws-models", p, key, baseUrl, null, Instant.now());
  }

  private ChatResponse ask(Provider p, String base, String key, String model) {
    AgentModel agent =
        new AgentModel(
            models.build(settings(p, base, key), model, new BigDecimal("0.30"), 256),
            p,
            model,
            "You are terse.",
            base);
    return agent.chatModel().call(agent.prompt(List.of(new UserMessage("Say hi"))));
  }

  static final String OPENAI_ANSWER =
      """
      {"id": "chatcmpl-1", "object": "chat.completion", "created": 1733600000, "model": "%s",
       "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "Hi there."}}],
       "usage": {"prompt_tokens": 21, "completion_tokens": 4, "total_tokens": 25}}
      """;

  private void stubOpenAi(String path, String model) {
    provider.stubFor(
        post(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(OPENAI_ANSWER.formatted(model))));
  }

  private static void assertAnswer(ChatResponse response, int input, int output) {
    assertThat(response.getResult().getOutput().getText()).isEqualTo("Hi there.");
    assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(input);
    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(output);
  }

  @Test
  void openAiSendsChatCompletionsWithBearerKeySystemPromptAndBounds() {
    stubOpenAi("/v1/chat/completions", "gpt-4o-mini");

    ChatResponse response = ask(Provider.OPENAI, provider.baseUrl(), KEY, "gpt-4o-mini");

    assertAnswer(response, 21, 4);
    provider.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withRequestBody(
                equalToJson(
                    """
                    {"model": "gpt-4o-mini",
                     "messages": [{"role": "system", "content": "You are terse."},
                                  {"role": "user", "content": "Say hi"}],
                     "temperature": 0.3, "max_completion_tokens": 256}
                    """,
                    true,
                    true)));
  }

  @Test
  void openAiCompatibleProvidersAreReachedByTheirBaseUrl() {
    record Case(Provider provider, String base, String path) {}
    for (Case c :
        List.of(
            new Case(Provider.GROQ, "/openai", "/openai/v1/chat/completions"),
            new Case(Provider.OPENROUTER, "/api", "/api/v1/chat/completions"),
            new Case(Provider.COHERE, "/compatibility", "/compatibility/v1/chat/completions"),
            new Case(Provider.CUSTOM, "/llm", "/llm/v1/chat/completions"))) {
      provider.resetAll();
      stubOpenAi(c.path(), "m-1");

      assertAnswer(ask(c.provider(), provider.baseUrl() + c.base(), KEY, "m-1"), 21, 4);

      provider.verify(
          postRequestedFor(urlPathEqualTo(c.path()))
              .withHeader("Authorization", equalTo("Bearer " + KEY))
              .withRequestBody(matchingJsonPath("$.model", equalTo("m-1")))
              .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("256"))));
    }
  }

  @Test
  void keylessCustomServerGetsNoAuthorizationHeader() {
    stubOpenAi("/v1/chat/completions", "local");

    assertAnswer(ask(Provider.CUSTOM, provider.baseUrl(), null, "local"), 21, 4);

    provider.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions")).withoutHeader("Authorization"));
  }

  @Test
  void azureOpenAiUsesTheV1PathAndTheApiKeyHeader() {
    stubOpenAi("/openai/v1/chat/completions", "my-deployment");

    assertAnswer(
        ask(Provider.AZURE_OPENAI, provider.baseUrl() + "/openai", KEY, "my-deployment"), 21, 4);

    provider.verify(
        postRequestedFor(urlPathEqualTo("/openai/v1/chat/completions"))
            .withHeader("api-key", equalTo(KEY))
            .withRequestBody(matchingJsonPath("$.model", equalTo("my-deployment"))));
  }

  @Test
  void anthropicSendsMessagesWithApiKeyHeaderAndSystemField() {
    provider.stubFor(
        post(urlPathEqualTo("/v1/messages"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"id": "msg_01", "type": "message", "role": "assistant",
                         "model": "claude-sonnet-4-5",
                         "content": [{"type": "text", "text": "Hi there."}],
                         "stop_reason": "end_turn", "stop_sequence": null,
                         "usage": {"input_tokens": 17, "output_tokens": 5}}
                        """)));

    assertAnswer(ask(Provider.ANTHROPIC, provider.baseUrl(), KEY, "claude-sonnet-4-5"), 17, 5);

    provider.verify(
        postRequestedFor(urlPathEqualTo("/v1/messages"))
            .withHeader("x-api-key", equalTo(KEY))
            .withHeader("anthropic-version", equalTo("2023-06-01"))
            .withRequestBody(
                equalToJson(
                    """
                    {"model": "claude-sonnet-4-5", "max_tokens": 256, "temperature": 0.3,
                     "system": "You are terse.",
                     "messages": [{"role": "user", "content": "Say hi"}]}
                    """)));
  }

  @Test
  void geminiSendsGenerateContentWithGoogApiKeyAndSystemInstruction() {
    provider.stubFor(
        post(urlPathEqualTo("/v1beta/models/gemini-2.5-flash:generateContent"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"candidates": [{"content": {"role": "model",
                                                     "parts": [{"text": "Hi there."}]},
                                         "finishReason": "STOP", "index": 0}],
                         "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 3,
                                           "totalTokenCount": 15},
                         "modelVersion": "gemini-2.5-flash"}
                        """)));

    assertAnswer(ask(Provider.GOOGLE, provider.baseUrl(), KEY, "gemini-2.5-flash"), 12, 3);

    provider.verify(
        postRequestedFor(urlPathEqualTo("/v1beta/models/gemini-2.5-flash:generateContent"))
            .withHeader("x-goog-api-key", equalTo(KEY))
            .withRequestBody(
                matchingJsonPath("$.systemInstruction.parts[0].text", equalTo("You are terse.")))
            .withRequestBody(matchingJsonPath("$.contents[0].role", equalTo("user")))
            .withRequestBody(matchingJsonPath("$.contents[0].parts[0].text", equalTo("Say hi")))
            .withRequestBody(matchingJsonPath("$.generationConfig.temperature", equalTo("0.3")))
            .withRequestBody(
                matchingJsonPath("$.generationConfig.maxOutputTokens", equalTo("256"))));
  }

  @Test
  void ollamaSendsApiChatWithOptions() {
    provider.stubFor(
        post(urlPathEqualTo("/api/chat"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"model": "llama3.2", "created_at": "2026-12-07T17:00:00Z",
                         "message": {"role": "assistant", "content": "Hi there."},
                         "done": true, "done_reason": "stop", "total_duration": 1000,
                         "prompt_eval_count": 26, "eval_count": 6}
                        """)));

    assertAnswer(ask(Provider.OLLAMA, provider.baseUrl(), null, "llama3.2"), 26, 6);

    provider.verify(
        postRequestedFor(urlPathEqualTo("/api/chat"))
            .withoutHeader("Authorization")
            .withRequestBody(matchingJsonPath("$.model", equalTo("llama3.2")))
            .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
            .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
            .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("You are terse.")))
            .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Say hi")))
            .withRequestBody(matchingJsonPath("$.options.temperature", equalTo("0.3")))
            .withRequestBody(matchingJsonPath("$.options.num_predict", equalTo("256"))));
  }
}
