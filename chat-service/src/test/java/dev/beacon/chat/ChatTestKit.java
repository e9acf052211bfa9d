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

/** Fixtures for the chat tests: workspaces, signed identities and agents. */
public final class ChatTestKit {

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private ChatTestKit() {}

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
}
