package dev.beacon.chat.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.chat.ChatStandIns;
import dev.beacon.chat.ChatTestKit;
import dev.beacon.chat.ChatTestKit.Sse;
import dev.beacon.chat.OpenAiWire;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The demo provider as the local stack turns it on ({@code beacon.chat.demo.base-url}): listed and
 * labelled, without settings, and a turn with it speaks the OpenAI wire to its base URL (WireMock
 * here, playing the launcher's script) and may use the demo tools, published like any provider's.
 */
@IntegrationTest
class DemoProviderApplicationTests extends ChatStandIns {

  private static final String DEMO_PATH = "/demo-script";

  @DynamicPropertySource
  static void demo(DynamicPropertyRegistry registry) {
    registry.add("beacon.chat.demo.base-url", () -> STAND_INS.baseUrl() + DEMO_PATH);
  }

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder stream(
      String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withBody(body);
  }

  @Test
  void theDemoProviderIsListedLabelledAndHasNoSettings() {
    String ws = ChatTestKit.workspace();
    JsonNode providers = ChatTestKit.get(web, signer, ws, "/api/chat/providers");
    JsonNode demo = null;
    for (JsonNode p : providers.get("providers")) {
      if (p.get("id").asString().equals("demo")) {
        demo = p;
      }
    }
    assertThat(demo).as("the demo provider in %s", providers).isNotNull();
    assertThat(demo.get("display_name").asString()).isEqualTo("Demo (local script, not a model)");
    assertThat(demo.get("configured").asBoolean()).isTrue();
    assertThat(demo.get("requires_api_key").asBoolean()).isFalse();
    assertThat(demo.get("default_model").asString()).isEqualTo("beacon-demo");

    for (String method : List.of("PUT", "DELETE")) {
      WebTestClient.RequestBodySpec request =
          web.method(org.springframework.http.HttpMethod.valueOf(method))
              .uri("/api/chat/providers/demo/settings")
              .header(ForwardedIdentity.HEADER, as(signer, ws, Role.OWNER));
      (method.equals("PUT")
              ? request
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("api_key", "sk-anything"))
              : request)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("demo_provider")
          .jsonPath("$.message")
          .isEqualTo("The demo provider is a local script: it has no settings to change.");
    }
  }

  @Test
  void theToolListOffersTheDemoToolsFirst() {
    JsonNode tools =
        ChatTestKit.get(web, signer, ChatTestKit.workspace(), "/api/chat/tools").get("tools");
    assertThat(tools)
        .extracting(t -> t.get("name").asString() + ":" + t.get("kind").asString())
        .startsWith("demo_lookup_order:read", "demo_send_email:write")
        .contains("weather.lookup:read");
  }

  @Test
  void aDemoAgentTalksToTheScriptAndItsReadToolRunsAtOnce() {
    String ws = ChatTestKit.workspace();
    String agent =
        ChatTestKit.createAgent(
                web,
                signer,
                ws,
                Map.of(
                    "name",
                    "Demo agent",
                    "provider",
                    "demo",
                    "model",
                    "beacon-demo",
                    "tools",
                    List.of(
                        Map.of("name", "demo_lookup_order", "requires_approval", false),
                        Map.of("name", "demo_send_email", "requires_approval", true))))
            .get("id")
            .asString();
    String conversation = ChatTestKit.converse(web, signer, ws, agent);
    String orderId = "A-" + ws.substring(0, 8);
    String completions = DEMO_PATH + "/v1/chat/completions";
    STAND_INS.stubFor(
        post(urlPathEqualTo(completions))
            .withRequestBody(matchingJsonPath("$.messages[?(@.content =~ /.*" + orderId + ".*/)]"))
            .atPriority(5)
            .willReturn(
                stream(
                    OpenAiWire.toolCalls(
                        15,
                        9,
                        new String[] {
                          "call_d1", "demo_lookup_order", "{\"order_id\":\"" + orderId + "\"}"
                        }))));
    STAND_INS.stubFor(
        post(urlPathEqualTo(completions))
            .withRequestBody(matchingJsonPath("$.messages[?(@.tool_call_id == 'call_d1')]"))
            .atPriority(1)
            .willReturn(stream(OpenAiWire.text("Your order is on its way.", 30, 7, 0, 0))));

    List<Sse> turn =
        ChatTestKit.send(web, signer, ws, conversation, "Where is my order " + orderId + "?");

    JsonNode result =
        turn.stream().filter(e -> e.event().equals("tool_result")).findFirst().get().data();
    assertThat(result.get("status").asString()).isEqualTo("ok");
    JsonNode order = ChatTestKit.JSON.readTree(result.get("result").asString());
    assertThat(order.get("order_id").asString()).isEqualTo(orderId);
    assertThat(order.get("demo").asBoolean()).isTrue();
    assertThat(turn.get(turn.size() - 1).event()).isEqualTo("done");
    // the demo tools are offered to the script in the OpenAI function format
    STAND_INS.verify(
        postRequestedFor(urlPathEqualTo(completions))
            .withRequestBody(matchingJsonPath("$.model", equalTo("beacon-demo")))
            .withRequestBody(
                matchingJsonPath("$.tools[*].function.name", equalTo("demo_send_email"))));

    List<ObsEvent> published =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> EventLog.of(ws), found -> found.size() >= 5);
    List<ObsEvent> calls = published.stream().filter(e -> e.type() == EventType.LLM_CALL).toList();
    assertThat(calls).hasSize(2);
    assertThat(calls)
        .allSatisfy(
            e -> {
              assertThat(e.llm().provider()).isEqualTo("demo");
              assertThat(e.llm().model()).isEqualTo("beacon-demo");
            });
    assertThat(calls.stream().mapToLong(e -> e.llm().inputTokens()).sum()).isEqualTo(45);
  }
}
