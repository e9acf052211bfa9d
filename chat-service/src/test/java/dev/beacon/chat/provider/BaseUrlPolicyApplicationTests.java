package dev.beacon.chat.provider;

import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.workspace;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * As in production: a workspace cannot point a provider at the service's own network, where the
 * service's calls and the provider messages it shows would read internal endpoints.
 */
@IntegrationTest
@TestPropertySource(properties = "beacon.chat.providers.allow-private-base-urls=false")
class BaseUrlPolicyApplicationTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private WebTestClient.ResponseSpec put(String ws, String baseUrl) {
    return web.put()
        .uri("/api/chat/providers/custom/settings")
        .header(ForwardedIdentity.HEADER, as(signer, ws, Role.OWNER))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("base_url", baseUrl))
        .exchange();
  }

  @Test
  void baseUrlsOnLoopbackPrivateOrLinkLocalAddressesAreRefused() {
    String ws = workspace();
    for (String url :
        List.of(
            "http://localhost:8085",
            "http://127.0.0.1:9",
            "http://10.1.2.3",
            "http://192.168.0.10:8000",
            "http://169.254.169.254",
            "http://[::1]:11434",
            "http://[fd00::1]")) {
      put(ws, url)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_provider_settings")
          .jsonPath("$.errors[0].field")
          .isEqualTo("base_url")
          .jsonPath("$.errors[0].message")
          .isEqualTo("must not point at a loopback, private or link-local address");
    }
  }

  @Test
  void aPublicAddressIsAccepted() {
    put(workspace(), "https://203.0.113.10/llm")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.base_url")
        .isEqualTo("https://203.0.113.10/llm");
  }
}
