package dev.beacon.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway in its production configuration (no profile, so no dev mailbox) with a SendGrid API
 * key: sign-in links go out through a WireMock that speaks SendGrid's v3 {@code mail/send} wire
 * format, and the routed-request limits are set low (3 requests per second per session, 1 KB
 * bodies) so that they can be hit.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SendGridAndLimitsApplicationTests {

  static final String SEND = "/v3/mail/send";
  static final String API_KEY = "SG.test-" + UUID.randomUUID() + ".secret";
  static final String LOGIN_ANSWER =
      "{\"code\":\"login_link_sent\",\"message\":\"If this address can sign in, a sign-in link is"
          + " on its way.\"}";
  static final Pattern TOKEN = Pattern.compile("/login/ott\\?token=([A-Za-z0-9_%-]+)");

  static final WireMockServer sendGrid =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());
  static final WireMockServer services =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  static {
    sendGrid.start();
    services.start();
    Runtime.getRuntime().addShutdownHook(new Thread(sendGrid::stop));
    Runtime.getRuntime().addShutdownHook(new Thread(services::stop));
    // SendGrid accepts by default: 202, empty body, a message id
    sendGrid.stubFor(
        post(urlEqualTo(SEND))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("X-Message-Id", "wiremock-message-id")
                    .withHeader("Content-Length", "0")));
    services.stubFor(get(urlPathEqualTo("/api/chat/ping")).willReturn(okJson("{\"pong\":true}")));
    services.stubFor(post(urlPathEqualTo("/api/chat/upload")).willReturn(okJson("{\"ok\":true}")));
    services.stubFor(
        post(urlPathEqualTo("/api/obs/v1/events"))
            .willReturn(aResponse().withStatus(202).withBody("{}")));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("beacon.gateway.login.sendgrid.api-key", () -> API_KEY);
    registry.add("beacon.gateway.login.sendgrid.base-url", sendGrid::baseUrl);
    registry.add("beacon.gateway.login.sendgrid.max-attempts", () -> "3");
    registry.add("beacon.gateway.login.sendgrid.retry-backoff", () -> "20ms");
    registry.add("beacon.gateway.login.sendgrid.timeout", () -> "5s");
    registry.add("beacon.gateway.login.per-ip-limit", () -> "10000");
    registry.add("beacon.gateway.routing.session-requests-per-second", () -> "3");
    registry.add("beacon.gateway.routing.max-request-size", () -> "1KB");
    for (String service :
        List.of("chat", "billing", "integrations", "obs-ingest", "obs-aggregator", "obs-alert")) {
      registry.add("beacon.gateway.routing.services." + service, services::baseUrl);
    }
  }

  @Autowired WebTestClient web;

  /** Generous: the first requests after start can be slow on a busy machine. */
  @BeforeEach
  void patientClient() {
    web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
  }

  @LocalServerPort int port;

  // --- SendGrid ---------------------------------------------------------------------------

  @Test
  void theSignInLinkIsMailedThroughSendGridAndSignsIn() {
    String email = freshEmail();
    Session session = signIn(email);

    sendGrid.verify(
        1,
        postRequestedFor(urlEqualTo(SEND))
            .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + API_KEY))
            .withHeader(HttpHeaders.CONTENT_TYPE, containing("application/json"))
            .withRequestBody(matchingJsonPath("$.personalizations[0].to[0].email", equalTo(email)))
            .withRequestBody(matchingJsonPath("$.from.email", equalTo("no-reply@beacon.local")))
            .withRequestBody(matchingJsonPath("$.from.name", equalTo("Beacon")))
            .withRequestBody(matchingJsonPath("$.subject", equalTo("Your Beacon sign-in link")))
            .withRequestBody(matchingJsonPath("$.content[0].type", equalTo("text/plain")))
            .withRequestBody(
                matchingJsonPath("$.content[0].value", containing("/login/ott?token="))));
    web.get()
        .uri("/api/me")
        .cookie("BEACON_SESSION", session.id())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.user.email")
        .isEqualTo(email);
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedUntilSendGridAccepts() {
    String email = freshEmail();
    String scenario = "transient-" + email;
    sendGrid.stubFor(
        toRecipient(email)
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                sendGridError(429, "too many requests")
                    .withHeader("X-RateLimit-Limit", "600")
                    .withHeader("X-RateLimit-Remaining", "0")
                    .withHeader("X-RateLimit-Reset", "1700000000"))
            .willSetStateTo("after 429"));
    sendGrid.stubFor(
        toRecipient(email)
            .inScenario(scenario)
            .whenScenarioStateIs("after 429")
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("after 500"));

    Session session = signIn(email);

    assertThat(mailsTo(email)).hasSize(3);
    web.get()
        .uri("/api/me")
        .cookie("BEACON_SESSION", session.id())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.user.email")
        .isEqualTo(email);
  }

  @Test
  void aSendGridOutageIsRetriedAFixedNumberOfTimesAndTheAnswerStaysTheSame() {
    String email = freshEmail();
    sendGrid.stubFor(toRecipient(email).willReturn(aResponse().withStatus(503)));

    assertThat(requestLink(xsrf(), email)).isEqualTo(LOGIN_ANSWER);

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> mailsTo(email).size(), Matchers.is(3));
  }

  @Test
  void rejectedMailsAreNotRetriedTheAnswerStaysTheSameAndTheKeyIsNotLogged(CapturedOutput output) {
    String unauthorized = freshEmail();
    String badRequest = freshEmail();
    sendGrid.stubFor(
        toRecipient(unauthorized)
            .willReturn(
                sendGridError(
                    401, "The provided authorization grant is invalid, expired, or revoked")));
    sendGrid.stubFor(
        toRecipient(badRequest)
            .willReturn(
                sendGridError(400, "The from email does not contain a valid address.")
                    .withBody(
                        "{\"errors\":[{\"message\":\"The from email does not contain a valid"
                            + " address.\",\"field\":\"from.email\",\"help\":"
                            + "\"http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html\"}]}")));

    String xsrf = xsrf();
    assertThat(requestLink(xsrf, unauthorized)).isEqualTo(LOGIN_ANSWER);
    assertThat(requestLink(xsrf, badRequest)).isEqualTo(LOGIN_ANSWER);

    for (String email : List.of(unauthorized, badRequest)) {
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> mailsTo(email).size(), Matchers.is(1));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.getAll().contains("SendGrid did not accept a"));
    assertThat(output.getAll())
        .contains("HTTP 401")
        .contains("HTTP 400")
        .doesNotContain(API_KEY)
        .doesNotContain(unauthorized)
        .doesNotContain(badRequest);
  }

  // --- per-session rate limit ------------------------------------------------------------

  @Test
  void aSessionThatSendsTooManyRequestsGets429WithRetryAfter() {
    Session busy = signIn(freshEmail());
    Session other = signIn(freshEmail());
    WebClient client = WebClient.create("http://localhost:" + port);

    List<EntityExchangeResultLite> results =
        Flux.range(0, 30)
            .flatMap(
                i ->
                    client
                        .get()
                        .uri("/api/chat/ping")
                        .cookie("BEACON_SESSION", busy.id())
                        .exchangeToMono(
                            response ->
                                response
                                    .bodyToMono(String.class)
                                    .defaultIfEmpty("")
                                    .map(
                                        body ->
                                            new EntityExchangeResultLite(
                                                response.statusCode().value(),
                                                response
                                                    .headers()
                                                    .asHttpHeaders()
                                                    .getFirst(HttpHeaders.RETRY_AFTER),
                                                body))),
                30)
            .collectList()
            .block(Duration.ofSeconds(60));

    assertThat(results).extracting(EntityExchangeResultLite::status).contains(200, 429);
    EntityExchangeResultLite limited =
        results.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(limited.retryAfter()).isEqualTo("1");
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");

    // the limit is per session: another one is unaffected, and the busy one recovers
    web.get()
        .uri("/api/chat/ping")
        .cookie("BEACON_SESSION", other.id())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.pong")
        .isEqualTo(true);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                web.get()
                    .uri("/api/chat/ping")
                    .cookie("BEACON_SESSION", busy.id())
                    .exchange()
                    .expectBody(String.class)
                    .returnResult()
                    .getStatus()
                    .value(),
            Matchers.is(200));
  }

  // --- request size limit ----------------------------------------------------------------

  @Test
  void aRoutedBodyOverTheLimitGets413WithAJsonCodeAndNeverReachesTheService() {
    Session session = signIn(freshEmail());
    byte[] small = json(512);
    byte[] large = json(2048);

    web.post()
        .uri("/api/chat/upload")
        .cookie("BEACON_SESSION", session.id())
        .cookie("XSRF-TOKEN", session.xsrf())
        .header("X-XSRF-TOKEN", session.xsrf())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(small)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);

    int before = services.findAll(postRequestedFor(urlPathEqualTo("/api/chat/upload"))).size();
    web.post()
        .uri("/api/chat/upload")
        .cookie("BEACON_SESSION", session.id())
        .cookie("XSRF-TOKEN", session.xsrf())
        .header("X-XSRF-TOKEN", session.xsrf())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(large)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("request_too_large")
        .jsonPath("$.limit_bytes")
        .isEqualTo("1024")
        .jsonPath("$.message")
        .isNotEmpty();
    assertThat(services.findAll(postRequestedFor(urlPathEqualTo("/api/chat/upload"))))
        .hasSize(before);
  }

  @Test
  void aChunkedBodyWithoutLengthIsCutOffAtTheLimit() {
    Session session = signIn(freshEmail());
    byte[] chunk = new byte[512];
    Arrays.fill(chunk, (byte) 'x');
    Flux<DataBuffer> body =
        Flux.range(0, 4).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.clone()));

    web.post()
        .uri("/api/chat/upload")
        .cookie("BEACON_SESSION", session.id())
        .cookie("XSRF-TOKEN", session.xsrf())
        .header("X-XSRF-TOKEN", session.xsrf())
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .body(BodyInserters.fromDataBuffers(body))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("request_too_large");
  }

  @Test
  void theIntakePathIsLimitedToo() {
    web.post()
        .uri("/api/obs/v1/events")
        .header(HttpHeaders.AUTHORIZATION, "Bearer bk_test_not_checked_here")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json(4096))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("request_too_large");
  }

  // --- helpers ---------------------------------------------------------------------------

  record Session(String id, String xsrf) {}

  record EntityExchangeResultLite(int status, String retryAfter, String body) {}

  static String freshEmail() {
    return "sg-" + UUID.randomUUID() + "@example.com";
  }

  static com.github.tomakehurst.wiremock.client.MappingBuilder toRecipient(String email) {
    return post(urlEqualTo(SEND))
        .atPriority(1)
        .withRequestBody(matchingJsonPath("$.personalizations[0].to[0].email", equalTo(email)));
  }

  /** SendGrid's error body: {@code {"errors": [{"message", "field", "help"}]}}. */
  static ResponseDefinitionBuilder sendGridError(int status, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .withBody("{\"errors\":[{\"message\":\"" + message + "\",\"field\":null,\"help\":null}]}");
  }

  static List<LoggedRequest> mailsTo(String email) {
    return sendGrid.findAll(
        postRequestedFor(urlEqualTo(SEND))
            .withRequestBody(
                matchingJsonPath("$.personalizations[0].to[0].email", equalTo(email))));
  }

  String xsrf() {
    ResponseCookie cookie =
        web.get()
            .uri("/actuator/health")
            .exchange()
            .expectBody()
            .returnResult()
            .getResponseCookies()
            .getFirst("XSRF-TOKEN");
    assertThat(cookie).as("XSRF-TOKEN cookie").isNotNull();
    return cookie.getValue();
  }

  /** Asks for a sign-in link; returns the answer's body (always 202). */
  String requestLink(String xsrf, String email) {
    return web.post()
        .uri("/ott/generate")
        .cookie("XSRF-TOKEN", xsrf)
        .header("X-XSRF-TOKEN", xsrf)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData("username", email))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  /** The magic-link flow with the link read from the mail SendGrid was asked to send. */
  Session signIn(String email) {
    String xsrf = xsrf();
    assertThat(requestLink(xsrf, email)).isEqualTo(LOGIN_ANSWER);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> mailsTo(email).stream().anyMatch(r -> accepted(r)));
    List<LoggedRequest> mails = mailsTo(email);
    String text =
        JsonMapper.shared()
            .readTree(mails.get(mails.size() - 1).getBodyAsString())
            .at("/content/0/value")
            .asString();
    Matcher token = TOKEN.matcher(text);
    assertThat(token.find()).as("link in " + text).isTrue();
    EntityExchangeResult<byte[]> result =
        web.post()
            .uri("/login/ott")
            .cookie("XSRF-TOKEN", xsrf)
            .header("X-XSRF-TOKEN", xsrf)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(
                BodyInserters.fromFormData(
                    "token", java.net.URLDecoder.decode(token.group(1), StandardCharsets.UTF_8)))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(result.getStatus()).isEqualTo(HttpStatus.FOUND);
    ResponseCookie session = result.getResponseCookies().getFirst("BEACON_SESSION");
    assertThat(session).as("session cookie").isNotNull();
    return new Session(session.getValue(), xsrf);
  }

  /** Whether WireMock answered this request with SendGrid's 202. */
  private static boolean accepted(LoggedRequest request) {
    return sendGrid.getAllServeEvents().stream()
        .anyMatch(
            event ->
                event.getRequest().getId().equals(request.getId())
                    && event.getResponse().getStatus() == 202);
  }

  private static byte[] json(int size) {
    StringBuilder json = new StringBuilder("{\"data\":\"");
    while (json.length() < size - 2) {
      json.append('x');
    }
    return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void channelWebhooksReachIntegrationsWithoutSessionOrCsrfAndWithTheirProofs() {
    String channel = UUID.randomUUID().toString();
    String telegram = "/api/integrations/channels/telegram/" + channel + "/webhook";
    String discord = "/api/integrations/channels/discord/" + channel + "/interactions";
    services.stubFor(post(urlEqualTo(telegram)).willReturn(okJson("{\"ok\": true}")));
    services.stubFor(post(urlEqualTo(discord)).willReturn(okJson("{\"type\": 1}")));
    String secret = UUID.randomUUID().toString();
    String update = "{\"update_id\": 7, \"message\": {\"text\": \"hi\"}}";
    web.post()
        .uri(telegram)
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(update)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);
    String signature = "ab".repeat(64);
    String ping = "{\"type\": 1}";
    web.post()
        .uri(discord)
        .header("X-Signature-Ed25519", signature)
        .header("X-Signature-Timestamp", "1796700000")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(ping)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo(1);

    LoggedRequest toTelegram = services.findAll(postRequestedFor(urlEqualTo(telegram))).get(0);
    assertThat(services.findAll(postRequestedFor(urlEqualTo(telegram)))).hasSize(1);
    assertThat(services.findAll(postRequestedFor(urlEqualTo(discord)))).hasSize(1);
    assertThat(toTelegram.getHeader("X-Telegram-Bot-Api-Secret-Token")).isEqualTo(secret);
    assertThat(toTelegram.getBodyAsString()).isEqualTo(update);
    assertThat(toTelegram.containsHeader(ForwardedIdentity.HEADER)).isFalse();
    LoggedRequest toDiscord = services.findAll(postRequestedFor(urlEqualTo(discord))).get(0);
    assertThat(toDiscord.getHeader("X-Signature-Ed25519")).isEqualTo(signature);
    assertThat(toDiscord.getBodyAsString()).as("signed bytes unchanged").isEqualTo(ping);

    // only those paths: managing channels still needs a session
    web.post()
        .uri("/api/integrations/channels")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(401, 403))
        .expectBody()
        .jsonPath("$.code")
        .exists();
  }

  @Test
  void stripesWebhookReachesBillingWithoutSessionOrCsrfAndWithItsSignature() {
    services.stubFor(
        post(urlEqualTo("/api/billing/stripe/webhook")).willReturn(okJson("{\"received\": true}")));
    String signature = "t=1796700000,v1=" + UUID.randomUUID().toString().replace("-", "");
    String payload = "{\"id\": \"evt_" + UUID.randomUUID() + "\", \"object\": \"event\"}";
    web.post()
        .uri("/api/billing/stripe/webhook")
        .header("Stripe-Signature", signature)
        .header(ForwardedIdentity.HEADER, "forged")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(payload)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.received")
        .isEqualTo(true);
    LoggedRequest forwarded =
        services.findAll(postRequestedFor(urlEqualTo("/api/billing/stripe/webhook"))).stream()
            .filter(r -> signature.equals(r.getHeader("Stripe-Signature")))
            .findFirst()
            .orElseThrow();
    // the body reaches billing byte for byte (the signature covers it), with no identity
    assertThat(forwarded.getBodyAsString()).isEqualTo(payload);
    assertThat(forwarded.containsHeader(ForwardedIdentity.HEADER)).isFalse();

    // only that path: the rest of billing still needs a session
    web.post()
        .uri("/api/billing/checkout")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(401, 403))
        .expectBody()
        .jsonPath("$.code")
        .exists();
    assertThat(services.findAll(postRequestedFor(urlEqualTo("/api/billing/checkout")))).isEmpty();
  }
}
