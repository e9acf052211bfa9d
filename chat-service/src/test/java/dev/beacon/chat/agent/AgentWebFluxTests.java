package dev.beacon.chat.agent;

import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.createAgent;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The agents API behind the forwarded identity: CRUD, validation, tenancy, roles, archiving. */
@IntegrationTest
class AgentWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private static Map<String, Object> agent(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", "Answers mail");
    body.put("system_prompt", "You are a careful assistant.");
    body.put("provider", "openai");
    body.put("model", "gpt-4o-mini");
    body.put("temperature", 0.7);
    body.put("max_tokens", 1024);
    body.put(
        "tools",
        List.of(
            Map.of("name", "gmail.send", "requires_approval", true),
            Map.of("name", "web.fetch", "requires_approval", false)));
    return body;
  }

  private WebTestClient.ResponseSpec post(String ws, Role role, Object body) {
    return web.post()
        .uri("/api/chat/agents")
        .header(ForwardedIdentity.HEADER, as(signer, ws, role))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  @Test
  void createdAgentIsReadBackWithEveryField() {
    String ws = workspace();
    JsonNode created = createAgent(web, signer, ws, agent("Mail helper"));
    String id = created.get("id").asString();
    assertThat(UUID.fromString(id)).isNotNull();

    web.get()
        .uri("/api/chat/agents/" + id)
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo(id)
        .jsonPath("$.name")
        .isEqualTo("Mail helper")
        .jsonPath("$.description")
        .isEqualTo("Answers mail")
        .jsonPath("$.system_prompt")
        .isEqualTo("You are a careful assistant.")
        .jsonPath("$.provider")
        .isEqualTo("openai")
        .jsonPath("$.model")
        .isEqualTo("gpt-4o-mini")
        .jsonPath("$.temperature")
        .isEqualTo(0.7)
        .jsonPath("$.max_tokens")
        .isEqualTo(1024)
        .jsonPath("$.tools[0].name")
        .isEqualTo("gmail.send")
        .jsonPath("$.tools[0].requires_approval")
        .isEqualTo(true)
        .jsonPath("$.tools[1].requires_approval")
        .isEqualTo(false)
        .jsonPath("$.archived")
        .isEqualTo(false)
        .jsonPath("$.created_by")
        .isEqualTo("user-member")
        .jsonPath("$.created_at")
        .isEqualTo(created.get("created_at").asString());

    web.get()
        .uri("/api/chat/agents")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.agents.length()")
        .isEqualTo(1)
        .jsonPath("$.agents[0].id")
        .isEqualTo(id);
  }

  @Test
  void patchChangesOnlyTheFieldsItNamesAndNullClearsOptionalOnes() {
    String ws = workspace();
    String id = createAgent(web, signer, ws, agent("Patchable")).get("id").asString();
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("model", "gpt-4.1");
    patch.put("temperature", null);
    patch.put("tools", List.of());

    web.patch()
        .uri("/api/chat/agents/" + id)
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.ADMIN))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(patch)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.model")
        .isEqualTo("gpt-4.1")
        .jsonPath("$.temperature")
        .isEmpty()
        .jsonPath("$.tools.length()")
        .isEqualTo(0)
        .jsonPath("$.name")
        .isEqualTo("Patchable")
        .jsonPath("$.max_tokens")
        .isEqualTo(1024);

    web.get()
        .uri("/api/chat/agents/" + id)
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.model")
        .isEqualTo("gpt-4.1")
        .jsonPath("$.system_prompt")
        .isEqualTo("You are a careful assistant.");
  }

  @Test
  void invalidFieldsAreNamedOneByOne() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "  ");
    body.put("provider", "openai");
    body.put("temperature", 3);
    body.put("max_tokens", 0);
    body.put("tools", List.of(Map.of("name", "bad name!"), Map.of("requires_approval", "yes")));
    body.put("colour", "red");

    post(workspace(), Role.MEMBER, body)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_agent")
        .jsonPath("$.errors[?(@.field == 'name')].message")
        .isEqualTo("must not be blank")
        .jsonPath("$.errors[?(@.field == 'temperature')].message")
        .isEqualTo("must be from 0 to 2")
        .jsonPath("$.errors[?(@.field == 'max_tokens')]")
        .exists()
        .jsonPath("$.errors[?(@.field == 'tools[0].name')]")
        .exists()
        .jsonPath("$.errors[?(@.field == 'tools[1].name')]")
        .exists()
        .jsonPath("$.errors[?(@.field == 'colour')].message")
        .isEqualTo("is not a field of an agent");
  }

  @Test
  void unknownOrMissingProviderIsRefused() {
    Map<String, Object> unknown = agent("Unknown provider");
    unknown.put("provider", "skynet");
    post(workspace(), Role.MEMBER, unknown)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unknown_provider")
        .jsonPath("$.errors[0].field")
        .isEqualTo("provider");

    post(workspace(), Role.MEMBER, Map.of("name", "No provider"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_agent")
        .jsonPath("$.errors[0].field")
        .isEqualTo("provider");

    post(workspace(), Role.MEMBER, List.of("not", "an", "object"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_agent");
  }

  @Test
  void nameIsUniquePerWorkspaceIgnoringCaseUntilArchived() {
    String ws = workspace();
    String id = createAgent(web, signer, ws, agent("Ünïcødé 助手 🤖")).get("id").asString();

    post(ws, Role.MEMBER, agent("ÜNÏCØDÉ 助手 🤖"))
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("duplicate_agent_name")
        .jsonPath("$.field")
        .isEqualTo("name");
    // the same name in another workspace is fine
    createAgent(web, signer, workspace(), agent("Ünïcødé 助手 🤖"));
    // a rename onto a taken name is refused too
    String other = createAgent(web, signer, ws, agent("Other")).get("id").asString();
    web.patch()
        .uri("/api/chat/agents/" + other)
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "ünïcødé 助手 🤖"))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("duplicate_agent_name");

    web.post()
        .uri("/api/chat/agents/" + id + "/archive")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.archived")
        .isEqualTo(true)
        .jsonPath("$.archived_at")
        .isNotEmpty();

    JsonNode second = createAgent(web, signer, ws, agent("Ünïcødé 助手 🤖"));
    assertThat(second.get("name").asString()).isEqualTo("Ünïcødé 助手 🤖");

    web.get()
        .uri("/api/chat/agents")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.agents.length()")
        .isEqualTo(2);
    web.get()
        .uri("/api/chat/agents?include_archived=true")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.agents.length()")
        .isEqualTo(3);
    web.patch()
        .uri("/api/chat/agents/" + id)
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("description", "again"))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("agent_archived");
  }

  @Test
  void anotherWorkspacesAgentAndMalformedIdsAreNotFound() {
    String id = createAgent(web, signer, workspace(), agent("Private")).get("id").asString();
    String other = workspace();
    for (String path :
        List.of(
            "/api/chat/agents/" + id,
            "/api/chat/agents/not-a-uuid",
            "/api/chat/agents/" + UUID.randomUUID())) {
      web.get()
          .uri(path)
          .header(ForwardedIdentity.HEADER, as(signer, other, Role.OWNER))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("not_found");
    }
    web.patch()
        .uri("/api/chat/agents/" + id)
        .header(ForwardedIdentity.HEADER, as(signer, other, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "Stolen"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    web.post()
        .uri("/api/chat/agents/" + id + "/archive")
        .header(ForwardedIdentity.HEADER, as(signer, other, Role.OWNER))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  @Test
  void viewerReadsButCannotWrite() {
    String ws = workspace();
    String id = createAgent(web, signer, ws, agent("Read only")).get("id").asString();

    post(ws, Role.VIEWER, agent("Viewer's"))
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
    web.patch()
        .uri("/api/chat/agents/" + id)
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "Renamed"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
    web.post()
        .uri("/api/chat/agents/" + id + "/archive")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
  }

  @Test
  void hugeInputsAreBounded() {
    Map<String, Object> longPrompt = agent("Long prompt");
    longPrompt.put("system_prompt", "x".repeat(50_001));
    post(workspace(), Role.MEMBER, longPrompt)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_agent")
        .jsonPath("$.errors[0].field")
        .isEqualTo("system_prompt");

    Map<String, Object> longName = agent("n".repeat(101));
    post(workspace(), Role.MEMBER, longName)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("name");

    // a body past the 256 KB request limit is refused with the one error body
    Map<String, Object> huge = agent("Huge");
    huge.put("description", "d".repeat(300_000));
    post(workspace(), Role.MEMBER, huge)
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("request_too_large")
        .jsonPath("$.limit_bytes")
        .isEqualTo("262144");
  }
}
