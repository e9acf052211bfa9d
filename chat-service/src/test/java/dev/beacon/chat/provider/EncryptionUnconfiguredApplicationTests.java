package dev.beacon.chat.provider;

import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Without BEACON_CHAT_KEYSET the service runs, lists providers and refuses settings writes. */
@IntegrationTest
@TestPropertySource(properties = "beacon.chat.encryption.keyset=")
class EncryptionUnconfiguredApplicationTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  @Test
  void settingsWritesAnswer503AndListsStillWork() {
    String ws = workspace();
    web.put()
        .uri("/api/chat/providers/openai/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", "sk-000000000000"))
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("encryption_unconfigured");

    web.get()
        .uri("/api/chat/providers")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.VIEWER))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.providers.length()")
        .isEqualTo(12);
  }
}
