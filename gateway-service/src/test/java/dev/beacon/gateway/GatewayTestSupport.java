package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.beacon.testsupport.BeaconInfrastructure;
import dev.beacon.testsupport.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Shared by the gateway's application tests so that they share one context: the whole gateway under
 * the {@code local} profile (dev mailbox on), every service but billing played by one WireMock
 * server, billing pointing at a port nobody listens on.
 */
@IntegrationTest
@ActiveProfiles("local")
abstract class GatewayTestSupport {

  static final WireMockServer services =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  static final int DOWN_PORT = freePort();

  static {
    services.start();
    Runtime.getRuntime().addShutdownHook(new Thread(services::stop));
  }

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    routingProperties().forEach((key, value) -> registry.add(key, () -> value));
  }

  /** What points a gateway at the stand-in services (also used for a second gateway). */
  static Map<String, String> routingProperties() {
    String up = services.baseUrl();
    return Map.of(
        "beacon.gateway.routing.services.chat", up,
        "beacon.gateway.routing.services.billing", "http://127.0.0.1:" + DOWN_PORT,
        "beacon.gateway.routing.services.integrations", up,
        "beacon.gateway.routing.services.obs-ingest", up,
        "beacon.gateway.routing.services.obs-aggregator", up,
        "beacon.gateway.routing.services.obs-alert", up,
        "beacon.gateway.routing.response-timeouts.integrations", "1s",
        "beacon.gateway.login.per-ip-limit", "10000",
        "beacon.gateway.routing.session-requests-per-second", "1000");
  }

  @Autowired WebTestClient web;

  /** The Prometheus scrape; large once many requests have been timed. */
  String prometheus() {
    return web.mutate()
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
        .build()
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  static String freshEmail() {
    return "user-" + UUID.randomUUID() + "@example.com";
  }

  /** A browser: keeps its CSRF and session cookies. */
  final class Browser {

    final WebTestClient client;
    String xsrf;
    String session;

    Browser(WebTestClient client) {
      this.client = client;
      EntityExchangeResult<byte[]> result =
          client.get().uri("/actuator/health").exchange().expectBody().returnResult();
      ResponseCookie cookie = result.getResponseCookies().getFirst("XSRF-TOKEN");
      assertThat(cookie).as("XSRF-TOKEN cookie").isNotNull();
      xsrf = cookie.getValue();
    }

    WebTestClient.RequestHeadersSpec<?> get(String uri) {
      return client.get().uri(uri).cookies(this::cookies);
    }

    WebTestClient.RequestBodySpec post(String uri) {
      return client.post().uri(uri).cookies(this::cookies).header("X-XSRF-TOKEN", xsrf);
    }

    WebTestClient.RequestBodySpec method(org.springframework.http.HttpMethod method, String uri) {
      return client.method(method).uri(uri).cookies(this::cookies).header("X-XSRF-TOKEN", xsrf);
    }

    private void cookies(org.springframework.util.MultiValueMap<String, String> cookies) {
      cookies.add("XSRF-TOKEN", xsrf);
      if (session != null) {
        cookies.add("BEACON_SESSION", session);
      }
    }

    /** Its session no longer opens the API: {@code /api/me} is 401 {@code unauthenticated}. */
    void assertSignedOut() {
      get("/api/me")
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("unauthenticated");
    }

    void requestLink(String email) {
      post("/ott/generate")
          .contentType(MediaType.APPLICATION_FORM_URLENCODED)
          .body(BodyInserters.fromFormData("username", email))
          .exchange()
          .expectStatus()
          .isAccepted()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("login_link_sent");
    }

    EntityExchangeResult<byte[]> submitToken(String token) {
      return post("/login/ott")
          .contentType(MediaType.APPLICATION_FORM_URLENCODED)
          .body(BodyInserters.fromFormData("token", token))
          .exchange()
          .expectBody()
          .returnResult();
    }

    /** The whole magic-link flow through the dev mailbox; returns the browser, signed in. */
    Browser signIn(String email) {
      requestLink(email);
      String token = latestToken(client, email);
      EntityExchangeResult<byte[]> result = submitToken(token);
      assertThat(result.getStatus()).isEqualTo(HttpStatus.FOUND);
      ResponseCookie cookie = result.getResponseCookies().getFirst("BEACON_SESSION");
      assertThat(cookie).as("session cookie").isNotNull();
      session = cookie.getValue();
      return this;
    }
  }

  Browser browser() {
    return new Browser(web);
  }

  /** The token of the newest sign-in link mailed to {@code email}. */
  @SuppressWarnings("unchecked")
  static String latestToken(WebTestClient client, String email) {
    List<Map<String, Object>> mails =
        client
            .get()
            .uri("/dev/mailbox/messages")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(List.class)
            .returnResult()
            .getResponseBody();
    String link =
        mails.stream()
            .filter(mail -> email.equals(mail.get("to")))
            .map(mail -> (String) mail.get("link"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no mail to " + email));
    return UriComponentsBuilder.fromUri(URI.create(link))
        .build()
        .getQueryParams()
        .getFirst("token");
  }

  /** Verifies a forwarded identity the way a service does: same secret, HS256. */
  static Jwt verifyIdentity(String token) {
    return NimbusJwtDecoder.withSecretKey(
            new SecretKeySpec(
                BeaconInfrastructure.TEST_IDENTITY_SECRET.getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build()
        .decode(token);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
