package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

class LoginApplicationTests extends GatewayTestSupport {

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String dbUser;

  @Value("${spring.flyway.password}")
  String dbPassword;

  @Test
  void magicLinkSignsUpANewUserWithAPersonalWorkspace() {
    String email = freshEmail();
    Browser browser = browser().signIn(email);

    browser
        .get("/api/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.user.email")
        .isEqualTo(email)
        .jsonPath("$.role")
        .isEqualTo("owner")
        .jsonPath("$.workspace.name")
        .value(name -> assertThat((String) name).endsWith("'s workspace"))
        .jsonPath("$.workspaces.length()")
        .isEqualTo(1);
  }

  @Test
  void sessionCookieIsHttpOnlyAndSameSiteLax() {
    Browser browser = browser();
    String email = freshEmail();
    browser.requestLink(email);
    EntityExchangeResult<byte[]> result = browser.submitToken(latestToken(web, email));
    var cookie = result.getResponseCookies().getFirst("BEACON_SESSION");
    assertThat(cookie).isNotNull();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Lax");
    assertThat(cookie.isSecure()).as("plain http in tests").isFalse();
  }

  @Test
  void aSignInLinkWorksOnlyOnce() {
    String email = freshEmail();
    Browser browser = browser();
    browser.requestLink(email);
    String token = latestToken(web, email);
    assertThat(browser.submitToken(token).getStatus()).isEqualTo(HttpStatus.FOUND);

    EntityExchangeResult<byte[]> reused = browser().submitToken(token);
    assertThat(reused.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(reused.getResponseCookies().getFirst("BEACON_SESSION")).isNull();
    assertThat(new String(reused.getResponseBody(), StandardCharsets.UTF_8))
        .contains("login_token_invalid");
  }

  @Test
  void anExpiredSignInLinkIsRefused() throws Exception {
    String token = "expired-token-" + System.nanoTime();
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
    jdbc()
        .update(
            "INSERT INTO identity.login_tokens (token_hash, email, expires_at)"
                + " VALUES (?, ?, now() - interval '1 second')",
            hash,
            freshEmail());

    EntityExchangeResult<byte[]> result = browser().submitToken(token);
    assertThat(result.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(result.getResponseCookies().getFirst("BEACON_SESSION")).isNull();
  }

  @Test
  void signInLinksExpireAfterFifteenMinutes() {
    String email = freshEmail();
    browser().requestLink(email);
    Long seconds =
        jdbc()
            .queryForObject(
                "SELECT extract(epoch FROM expires_at - created_at)::bigint"
                    + " FROM identity.login_tokens WHERE email = ?",
                Long.class,
                email);
    assertThat(seconds).isBetween(14 * 60L, 15 * 60L);
  }

  @Test
  void requestingALinkAnswersTheSameForKnownAndUnknownAddresses() {
    String known = freshEmail();
    browser().signIn(known);
    String knownBody = requestLinkBody(known);
    String unknownBody = requestLinkBody(freshEmail());
    assertThat(knownBody).isEqualTo(unknownBody);
  }

  private String requestLinkBody(String email) {
    return browser()
        .post("/ott/generate")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData("username", email))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  void stateChangingRequestsWithoutTheCsrfHeaderAreRefused() {
    Browser browser = browser().signIn(freshEmail());
    web.post()
        .uri("/ott/generate")
        .cookie("XSRF-TOKEN", browser.xsrf)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData("username", freshEmail()))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("csrf_invalid");
    web.put()
        .uri("/api/me/workspace")
        .cookie("XSRF-TOKEN", browser.xsrf)
        .cookie("BEACON_SESSION", browser.session)
        .header("X-XSRF-TOKEN", "not-the-token")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"workspace\":\"" + java.util.UUID.randomUUID() + "\"}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("csrf_invalid");
  }

  @Test
  void tooManyLinkRequestsForOneAddressAreRateLimited() {
    String email = freshEmail();
    Browser browser = browser();
    for (int i = 0; i < 5; i++) {
      browser.requestLink(email);
    }
    browser
        .post("/ott/generate")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData("username", email.toUpperCase()))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectHeader()
        .exists("Retry-After")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("too_many_login_requests");
    // another address is not affected
    browser.requestLink(freshEmail());
  }

  @Test
  void withoutASessionTheApiAnswers401() {
    web.get()
        .uri("/api/me")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthenticated");
    web.get()
        .uri("/api/me")
        .cookie("BEACON_SESSION", "made-up")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthenticated");
  }

  @Test
  void logoutEndsTheSession() {
    Browser browser = browser().signIn(freshEmail());
    browser.post("/logout").exchange().expectStatus().isNoContent().expectBody().isEmpty();
    browser.assertSignedOut();
  }

  @Test
  void logoutEverywhereEndsEverySessionOfTheUser() {
    String email = freshEmail();
    Browser laptop = browser().signIn(email);
    Browser phone = browser().signIn(email);
    Browser someoneElse = browser().signIn(freshEmail());

    laptop
        .method(org.springframework.http.HttpMethod.DELETE, "/api/me/sessions")
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();

    laptop.assertSignedOut();
    phone.assertSignedOut();
    someoneElse
        .get("/api/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.user.id")
        .exists();
  }

  @Test
  void aSessionSurvivesAGatewayRestart() {
    Browser browser = browser().signIn(freshEmail());

    Map<String, String> properties = new HashMap<>(BeaconInfrastructure.springProperties());
    properties.putAll(routingProperties());
    properties.put("server.port", "0");
    properties.put("spring.profiles.active", "local");
    String[] args =
        properties.entrySet().stream()
            .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
    try (ConfigurableApplicationContext second =
        new SpringApplicationBuilder(GatewayApplication.class).run(args)) {
      int port = ((WebServerApplicationContext) second).getWebServer().getPort();
      WebTestClient secondGateway =
          WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
      secondGateway
          .get()
          .uri("/api/me")
          .cookie("BEACON_SESSION", browser.session)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.user.id")
          .exists();
    }
  }

  @Test
  void theMailedLinkOpensAFormThatSignsInWithItsCsrfField() {
    String email = freshEmail();
    Browser browser = browser();
    browser.requestLink(email);
    String token = latestToken(web, email);

    String page =
        browser
            .get("/login/ott?token=" + token)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(page).contains(token).contains("name=\"_csrf\"");
    java.util.regex.Matcher csrf =
        java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).isTrue();

    EntityExchangeResult<byte[]> result =
        web.post()
            .uri("/login/ott")
            .cookie("XSRF-TOKEN", browser.xsrf)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(BodyInserters.fromFormData("token", token).with("_csrf", csrf.group(1)))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(result.getStatus()).isEqualTo(HttpStatus.FOUND);
    assertThat(result.getResponseCookies().getFirst("BEACON_SESSION")).isNotNull();
  }

  private JdbcTemplate jdbc() {
    return new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, dbUser, dbPassword));
  }
}
