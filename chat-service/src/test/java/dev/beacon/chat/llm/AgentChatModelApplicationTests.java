package dev.beacon.chat.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.agent.domain.AgentService;
import dev.beacon.chat.agent.domain.AgentView;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import dev.beacon.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An agent's model comes from its workspace's stored settings: the decrypted key, the base URL, the
 * agent's sampling settings and, when the agent names none, the workspace's default model.
 */
@IntegrationTest
class AgentChatModelApplicationTests {

  static final WireMockServer anthropic =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired AgentService agents;
  @Autowired ChatModels chatModels;

  @BeforeAll
  static void start() {
    anthropic.start();
  }

  @AfterAll
  static void stop() {
    anthropic.stop();
  }

  private AgentView agent(String ws, Map<String, ?> body) {
    String id = ChatTestKit.createAgent(web, signer, ws, body).get("id").asString();
    return agents.get(ws, UUID.fromString(id)).block();
  }

  @Test
  void anAgentTalksToItsProviderWithTheWorkspacesKeyAndDefaultModel() {
    String ws = workspace();
    web.put()
        .uri("/api/chat/providers/anthropic/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "api_key",
                "sk-ant-agent-0000000000",
                "base_url",
                anthropic.baseUrl(),
                "default_model",
                "claude-haiku-4-5"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.default_model")
        .isEqualTo("claude-haiku-4-5");
    anthropic.stubFor(
        post(urlPathEqualTo("/v1/messages"))
            .willReturn(
                okJson(
                    """
                    {"id": "msg_02", "type": "message", "role": "assistant",
                     "model": "claude-haiku-4-5",
                     "content": [{"type": "text", "text": "Bonjour."}],
                     "stop_reason": "end_turn", "stop_sequence": null,
                     "usage": {"input_tokens": 30, "output_tokens": 3}}
                    """)));
    AgentView agent =
        agent(
            ws,
            Map.of(
                "name",
                "Translator",
                "provider",
                "anthropic",
                "system_prompt",
                "Translate to French.",
                "temperature",
                0.2,
                "max_tokens",
                64));

    AgentModel model = chatModels.forAgent(ws, agent).block();
    ChatResponse answer = model.chatModel().call(model.prompt(List.of(new UserMessage("Hello."))));

    assertThat(model.model()).isEqualTo("claude-haiku-4-5");
    assertThat(answer.getResult().getOutput().getText()).isEqualTo("Bonjour.");
    assertThat(answer.getMetadata().getUsage().getPromptTokens()).isEqualTo(30);
    assertThat(answer.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
    anthropic.verify(
        postRequestedFor(urlPathEqualTo("/v1/messages"))
            .withHeader("x-api-key", equalTo("sk-ant-agent-0000000000"))
            .withRequestBody(matchingJsonPath("$.model", equalTo("claude-haiku-4-5")))
            .withRequestBody(matchingJsonPath("$.system", equalTo("Translate to French.")))
            .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.2")))
            .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("64"))));
  }

  @Test
  void anAgentWhoseProviderIsNotConfiguredOrWhoseModelIsUnsetIsRefused() {
    String ws = workspace();
    AgentView agent = agent(ws, Map.of("name", "Orphan", "provider", "groq"));

    assertThatThrownBy(() -> chatModels.forAgent(ws, agent).block())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("provider_unconfigured"));

    web.put()
        .uri("/api/chat/providers/groq/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", "gsk-000000000000"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
    assertThatThrownBy(() -> chatModels.forAgent(ws, agent).block())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("model_unset"));
  }
}
