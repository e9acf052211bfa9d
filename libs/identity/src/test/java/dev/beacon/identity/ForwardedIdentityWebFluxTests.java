package dev.beacon.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.testapp.IdentityTestApplication;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
    classes = IdentityTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "beacon.identity.secret=" + TestTokens.SECRET,
      "beacon.identity.public-paths=/public/**",
      "management.endpoints.web.exposure.include=health,info"
    })
@AutoConfigureWebTestClient
@Import(ForwardedIdentityWebFluxTests.TestClock.class)
class ForwardedIdentityWebFluxTests {

  @TestConfiguration(proxyBeanMethods = false)
  static class TestClock {

    @Bean
    MutableClock clock() {
      return new MutableClock();
    }
  }

  @Autowired WebTestClient client;
  @Autowired IdentitySigner signer;
  @Autowired MutableClock clock;

  @BeforeEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void validIdentityReachesTheControllerAsItsPrincipal() {
    String token = signer.sign("u-1", "w-1", Role.MEMBER);

    get("/api/things", token)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.userId")
        .isEqualTo("u-1")
        .jsonPath("$.workspaceId")
        .isEqualTo("w-1")
        .jsonPath("$.role")
        .isEqualTo("member");
  }

  @Test
  void functionalHandlerReadsTheIdentityFromTheSecurityContext() {
    String token = signer.sign("u-7", "w-9", Role.OWNER);

    get("/api/whoami", token)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.userId")
        .isEqualTo("u-7")
        .jsonPath("$.workspaceId")
        .isEqualTo("w-9")
        .jsonPath("$.role")
        .isEqualTo("owner");
  }

  @Test
  void missingIdentityIsRejectedAsMissing() {
    expectError(client.get().uri("/api/things").exchange(), 401, "identity_missing");
    expectError(client.post().uri("/api/things").exchange(), 401, "identity_missing");
  }

  @Test
  void blankIdentityHeaderCountsAsMissing() {
    expectError(get("/api/things", ""), 401, "identity_missing");
  }

  @Test
  void tamperedPayloadIsRejected() {
    String token = signer.sign("u-1", "w-1", Role.MEMBER);
    String otherWorkspace =
        TestTokens.withPayloadReplaced(token, "\"wid\":\"w-1\"", "\"wid\":\"w-2\"");

    expectError(get("/api/things", otherWorkspace), 401, "identity_invalid");
  }

  @Test
  void tamperedRoleIsRejected() {
    String token = signer.sign("u-1", "w-1", Role.VIEWER);
    String promoted =
        TestTokens.withPayloadReplaced(token, "\"role\":\"viewer\"", "\"role\":\"owner\"");

    expectError(post("/api/things", promoted), 401, "identity_invalid");
  }

  @Test
  void identitySignedWithAnotherKeyIsRejected() {
    IdentitySigner forger =
        new IdentitySigner(TestTokens.properties(TestTokens.OTHER_SECRET), clock);

    expectError(get("/api/things", forger.sign("u-1", "w-1", Role.OWNER)), 401, "identity_invalid");
  }

  @Test
  void unsignedAlgNoneTokenIsRejected() {
    expectError(get("/api/things", TestTokens.unsigned(clock.instant())), 401, "identity_invalid");
  }

  @Test
  void tokenSignedWithAnotherAlgorithmIsRejected() {
    String hs512 = TestTokens.signed(clock.instant(), MacAlgorithm.HS512, claims -> {});

    expectError(get("/api/things", hs512), 401, "identity_invalid");
  }

  @Test
  void malformedTokenIsRejected() {
    expectError(get("/api/things", "not-a-jwt"), 401, "identity_invalid");
    expectError(get("/api/things", "a.b.c"), 401, "identity_invalid");
  }

  @Test
  void expiredIdentityIsRejectedAsExpired() {
    IdentitySigner gatewayTenMinutesAgo =
        new IdentitySigner(
            TestTokens.properties(TestTokens.SECRET),
            Clock.fixed(clock.instant().minus(Duration.ofMinutes(10)), clock.getZone()));

    expectError(
        get("/api/things", gatewayTenMinutesAgo.sign("u-1", "w-1", Role.OWNER)),
        401,
        "identity_expired");
  }

  @Test
  void onceValidIdentityReplayedAfterItsExpiryIsRejected() {
    String token = signer.sign("u-1", "w-1", Role.MEMBER);
    get("/api/things", token)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.userId")
        .isEqualTo("u-1");

    clock.advance(Duration.ofSeconds(60 + 5 + 1));

    expectError(get("/api/things", token), 401, "identity_expired");
  }

  @Test
  void expiryToleratesTheConfiguredClockSkewAndNoMore() {
    String token = signer.sign("u-1", "w-1", Role.MEMBER);

    clock.advance(Duration.ofSeconds(60 + 4));
    get("/api/things", token)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.userId")
        .isEqualTo("u-1");

    clock.advance(Duration.ofSeconds(2));
    expectError(get("/api/things", token), 401, "identity_expired");
  }

  @Test
  void identityIssuedInTheFutureIsRejected() {
    String token =
        TestTokens.signed(
            clock.instant(),
            claims ->
                claims
                    .issuedAt(clock.instant().plusSeconds(600))
                    .expiresAt(clock.instant().plusSeconds(660)));

    expectError(get("/api/things", token), 401, "identity_invalid");
  }

  @Test
  void identityForAnotherAudienceIsRejected() {
    String token =
        TestTokens.signed(clock.instant(), claims -> claims.audience(List.of("some-other-api")));

    expectError(get("/api/things", token), 401, "identity_invalid");
  }

  @Test
  void identityFromAnotherIssuerIsRejected() {
    String token = TestTokens.signed(clock.instant(), claims -> claims.issuer("someone-else"));

    expectError(get("/api/things", token), 401, "identity_invalid");
  }

  @Test
  void unknownRoleIsRejected() {
    String token = TestTokens.signed(clock.instant(), claims -> claims.claim("role", "superuser"));

    expectError(get("/api/things", token), 401, "identity_invalid");
  }

  @Test
  void identityWithoutWorkspaceIsRejected() {
    String token =
        TestTokens.signed(clock.instant(), claims -> claims.claims(all -> all.remove("wid")));

    expectError(get("/api/things", token), 401, "identity_invalid");
  }

  @Test
  void identityWithoutExpiryIsRejected() {
    String token =
        TestTokens.signed(clock.instant(), claims -> claims.claims(all -> all.remove("exp")));

    expectError(get("/api/things", token), 401, "identity_invalid");
  }

  @Test
  void twoIdentityHeadersAreRejected() {
    String mine = signer.sign("u-1", "w-1", Role.MEMBER);
    String theirs = signer.sign("u-2", "w-2", Role.OWNER);

    expectError(
        client.get().uri("/api/things").header(ForwardedIdentity.HEADER, mine, theirs).exchange(),
        401,
        "identity_invalid");
  }

  @Test
  void viewerCanReadButNotChangeState() {
    String viewer = signer.sign("u-1", "w-1", Role.VIEWER);

    get("/api/things", viewer)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("viewer");
    expectError(post("/api/things", viewer), 403, "forbidden_role");
  }

  @Test
  void everyOtherRoleCanChangeState() {
    for (Role role : List.of(Role.OWNER, Role.ADMIN, Role.MEMBER)) {
      post("/api/things", signer.sign("u-1", "w-1", role))
          .expectStatus()
          .isCreated()
          .expectBody()
          .jsonPath("$.role")
          .isEqualTo(role.claimValue());
    }
  }

  @Test
  void publicPathsAndHealthAreOpenWithoutIdentity() {
    client
        .get()
        .uri("/public/ping")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("pong");
    client
        .post()
        .uri("/public/hooks")
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .isEmpty();
    client
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    client
        .get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    client.get().uri("/actuator/info").exchange().expectStatus().isOk().expectBody(Void.class);
  }

  @Test
  void publicPathIgnoresAStaleIdentity() {
    get("/public/ping", "not-a-jwt")
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("pong");
  }

  @Test
  void errorResponsesEchoNeitherTheTokenNorTheSecret() {
    String token = signer.sign("u-1", "w-1", Role.MEMBER);
    String tampered = TestTokens.withPayloadReplaced(token, "\"sub\":\"u-1\"", "\"sub\":\"u-2\"");

    byte[] body =
        get("/api/things", tampered)
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .returnResult()
            .getResponseBody();

    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text)
        .doesNotContain(tampered)
        .doesNotContain(tampered.split("\\.")[1])
        .doesNotContain(TestTokens.SECRET);
  }

  private WebTestClient.ResponseSpec get(String path, String token) {
    return client.get().uri(path).header(ForwardedIdentity.HEADER, token).exchange();
  }

  private WebTestClient.ResponseSpec post(String path, String token) {
    return client.post().uri(path).header(ForwardedIdentity.HEADER, token).exchange();
  }

  private static void expectError(WebTestClient.ResponseSpec response, int status, String code) {
    response
        .expectStatus()
        .isEqualTo(HttpStatus.valueOf(status))
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo(code)
        .jsonPath("$.message")
        .isNotEmpty();
  }
}
