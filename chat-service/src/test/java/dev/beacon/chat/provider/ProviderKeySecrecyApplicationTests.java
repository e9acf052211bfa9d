package dev.beacon.chat.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.agent.domain.AgentService;
import dev.beacon.chat.llm.AgentModel;
import dev.beacon.chat.llm.ChatModels;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The provider key is never returned, never logged and never stored in plaintext: a whole cycle
 * (set, test with a provider that echoes the key, list, an agent's chat call) with every logger at
 * DEBUG, then the responses and every log line are searched for it; and the stored row.
 */
@IntegrationTest
class ProviderKeySecrecyApplicationTests {

  static final String KEY = "sk-proj-SECRET-" + UUID.randomUUID().toString().replace("-", "");
  static final WireMockServer provider =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired AgentService agents;
  @Autowired ChatModels chatModels;

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String user;

  @Value("${spring.flyway.password}")
  String password;

  @BeforeAll
  static void start() {
    provider.start();
  }

  @AfterAll
  static void stop() {
    provider.stop();
  }

  @Test
  void theKeyIsInNoResponseAndNoLogLine() {
    String ws = workspace();
    provider.stubFor(
        get(urlPathEqualTo("/v1/models"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"message\": \"Incorrect API key provided: "
                            + KEY
                            + "\", \"code\": \"invalid_api_key\"}}")));
    provider.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .willReturn(
                okJson(
                    """
                    {"id": "chatcmpl-9", "object": "chat.completion", "created": 1733600000,
                     "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": "Done."}}],
                     "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}}
                    """)));

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> bodies = new ArrayList<>();
    try {
      bodies.add(
          exchange(
              web.put()
                  .uri("/api/chat/providers/openai/settings")
                  .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
                  .contentType(MediaType.APPLICATION_JSON)
                  // bytes: the test's own client would log a Map body at DEBUG, key included
                  .bodyValue(
                      ChatTestKit.JSON.writeValueAsBytes(
                          Map.of(
                              "api_key",
                              KEY,
                              "base_url",
                              provider.baseUrl(),
                              "default_model",
                              "gpt-4o-mini")))));
      bodies.add(
          exchange(
              web.post()
                  .uri("/api/chat/providers/openai/test")
                  .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))));
      bodies.add(
          exchange(
              web.get()
                  .uri("/api/chat/providers")
                  .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))));

      String agentId =
          ChatTestKit.createAgent(
                  web,
                  signer,
                  ws,
                  Map.of("name", "Secretive", "provider", "openai", "system_prompt", "Be brief."))
              .get("id")
              .asString();
      AgentModel model =
          agents
              .get(ws, UUID.fromString(agentId))
              .flatMap(agent -> chatModels.forAgent(ws, agent))
              .block();
      ChatResponse answer = model.chatModel().call(model.prompt(List.of(new UserMessage("Go"))));
      assertThat(answer.getResult().getOutput().getText()).isEqualTo("Done.");
      assertThat(model.model()).isEqualTo("gpt-4o-mini");
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }

    assertThat(bodies).hasSize(3).allSatisfy(body -> assertThat(body).doesNotContain(KEY));
    assertThat(bodies.get(1)).contains("provider_key_refused").contains("••••");
    List<ILoggingEvent> seen;
    // appends hold the appender's lock: a Kafka thread may still be logging into it
    synchronized (logs) {
      seen = List.copyOf(logs.list);
    }
    assertThat(seen).isNotEmpty();
    for (ILoggingEvent event : seen) {
      assertThat(event.getFormattedMessage()).doesNotContain(KEY);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        assertThat(ThrowableProxyUtil.asString(thrown)).doesNotContain(KEY);
      }
    }
  }

  @Test
  void theDatabaseRowHoldsOnlyTheCiphertextAndTheLastFourCharacters() {
    String ws = workspace();
    web.put()
        .uri("/api/chat/providers/anthropic/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(ChatTestKit.JSON.writeValueAsBytes(Map.of("api_key", KEY)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.api_key")
        .isEqualTo("••••" + KEY.substring(KEY.length() - 4));

    JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, password));
    Map<String, Object> row =
        jdbc.queryForMap(
            "SELECT workspace_id, provider, api_key_ciphertext, api_key_last4, base_url,"
                + " default_model, updated_by FROM chat.provider_settings WHERE workspace_id = ?",
            ws);
    byte[] ciphertext = (byte[]) row.get("api_key_ciphertext");
    assertThat(ciphertext).isNotEmpty();
    assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain(KEY);
    assertThat(row.toString()).doesNotContain(KEY);
    assertThat(row.get("api_key_last4")).isEqualTo(KEY.substring(KEY.length() - 4));
  }

  private static String exchange(WebTestClient.RequestHeadersSpec<?> request) {
    byte[] body =
        request.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
    return new String(body, StandardCharsets.UTF_8);
  }
}
