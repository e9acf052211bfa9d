package dev.beacon.identity.error;

import dev.beacon.identity.testapp.IdentityTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every service gets the one error body from this library, for controllers and filters alike. */
@SpringBootTest(
    classes = IdentityTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "beacon.identity.secret=beacon-test-identity-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
      "beacon.identity.public-paths=/public/**"
    })
@AutoConfigureWebTestClient
class ApiErrorWebFluxTests {

  @Autowired WebTestClient client;

  @Test
  void aRaisedApiExceptionIsAnsweredWithItsStatusCodeFieldsAndRetryAfter() {
    client
        .get()
        .uri("/public/refused")
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "2")
        .expectHeader()
        .contentType(MediaType.APPLICATION_JSON)
        .expectBody()
        .json("{\"code\":\"thing_busy\",\"message\":\"The thing is busy.\",\"limit\":3}", true);
  }

  @Test
  void anUnreadableBodyIsAnInvalidRequest() {
    client
        .post()
        .uri("/public/echo")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"a\": \"not a number\"")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .json(
            "{\"code\":\"invalid_request\","
                + "\"message\":\"The request body or a parameter is malformed.\"}",
            true);
  }

  @Test
  void aSecurityRefusalHasTheSameShape() {
    client
        .get()
        .uri("/api/things")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("identity_missing")
        .jsonPath("$.message")
        .isEqualTo("This request needs the X-Beacon-Identity header that the gateway sets.");
  }
}
