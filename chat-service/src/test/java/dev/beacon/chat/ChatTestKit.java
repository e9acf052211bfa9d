package dev.beacon.chat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Fixtures for the chat tests: workspaces, signed identities, agents, conversations, turns. */
public final class ChatTestKit {

  /** One Server-Sent Event of a turn, its data parsed. */
  public record Sse(String event, JsonNode data) {}

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private ChatTestKit() {}

  /** Settings for unit tests that build a part by hand: these three, defaults for the rest. */
  public static dev.beacon.chat.config.ChatProperties properties(
      dev.beacon.chat.config.ChatProperties.Encryption encryption,
      dev.beacon.chat.config.ChatProperties.Providers providers,
      dev.beacon.chat.config.ChatProperties.Models models) {
    return new dev.beacon.chat.config.ChatProperties(
        encryption,
        providers,
        models,
        new dev.beacon.chat.config.ChatProperties.Loop(8, 16, java.time.Duration.ofSeconds(5)),
        new dev.beacon.chat.config.ChatProperties.Approvals(
            java.time.Duration.ofHours(1), java.time.Duration.ofHours(1)),
        new dev.beacon.chat.config.ChatProperties.Tools(null, java.time.Duration.ofSeconds(1)),
        new dev.beacon.chat.config.ChatProperties.Demo(null),
        new dev.beacon.chat.config.ChatProperties.Events(
            false, 100, java.time.Duration.ofSeconds(1)),
        new dev.beacon.chat.config.ChatProperties.Ingest(null, java.time.Duration.ofSeconds(1)),
        Map.of());
  }

  /** A workspace id no other test uses. */
  public static String workspace() {
    return UUID.randomUUID().toString();
  }

  public static String as(IdentitySigner signer, String workspace, Role role) {
    return signer.sign("user-" + role.claimValue(), workspace, role);
  }

  /** Creates an agent as a member and returns its JSON. */
  public static JsonNode createAgent(
      WebTestClient web, IdentitySigner signer, String workspace, Map<String, ?> body) {
    byte[] created =
        web.post()
            .uri("/api/chat/agents")
            .header(ForwardedIdentity.HEADER, as(signer, workspace, Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(created);
  }

  /** Configures a provider for the workspace with this key and base URL. */
  public static void configure(
      WebTestClient web,
      IdentitySigner signer,
      String workspace,
      String provider,
      String key,
      String baseUrl) {
    web.put()
        .uri("/api/chat/providers/{p}/settings", provider)
        .header(ForwardedIdentity.HEADER, as(signer, workspace, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", key, "base_url", baseUrl))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.configured")
        .isEqualTo(true);
  }

  /** Starts a conversation with the agent and returns its id. */
  public static String converse(
      WebTestClient web, IdentitySigner signer, String workspace, String agentId) {
    byte[] created =
        web.post()
            .uri("/api/chat/conversations")
            .header(ForwardedIdentity.HEADER, as(signer, workspace, Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("agent_id", agentId))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(created).get("id").asString();
  }

  /** Sends a message and reads the whole answer stream. */
  public static java.util.List<Sse> send(
      WebTestClient web,
      IdentitySigner signer,
      String workspace,
      String conversation,
      String content) {
    return events(
        web.post()
            .uri("/api/chat/conversations/{id}/messages", conversation)
            .header(ForwardedIdentity.HEADER, as(signer, workspace, Role.MEMBER))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("content", content))
            .exchange()
            .expectStatus()
            .isOk());
  }

  /** Follows the conversation's running turn to its end. */
  public static java.util.List<Sse> follow(
      WebTestClient web, IdentitySigner signer, String workspace, String conversation) {
    return events(
        web.get()
            .uri("/api/chat/conversations/{id}/stream", conversation)
            .header(ForwardedIdentity.HEADER, as(signer, workspace, Role.VIEWER))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk());
  }

  private static java.util.List<Sse> events(WebTestClient.ResponseSpec response) {
    return response
        .returnResult(
            new org.springframework.core.ParameterizedTypeReference<
                org.springframework.http.codec.ServerSentEvent<String>>() {})
        .getResponseBody()
        .filter(e -> e.event() != null)
        .map(e -> new Sse(e.event(), JSON.readTree(e.data())))
        .collectList()
        .block(java.time.Duration.ofSeconds(60));
  }

  /** GET a JSON resource as a member. */
  public static JsonNode get(
      WebTestClient web, IdentitySigner signer, String workspace, String uri) {
    byte[] body =
        web.get()
            .uri(uri)
            .header(ForwardedIdentity.HEADER, as(signer, workspace, Role.MEMBER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }
}
