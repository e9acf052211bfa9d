package dev.beacon.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.test.StepVerifier;

class RoutingApplicationTests extends GatewayTestSupport {

  @Autowired IdentitySigner signer;

  @Test
  void forwardsAFreshlySignedIdentityAndStripsAForgedOne() {
    Browser browser = browser().signIn(freshEmail());
    Map<String, Object> me = me(browser);
    String path = "/api/chat/agents/" + UUID.randomUUID();
    services.stubFor(get(urlEqualTo(path)).willReturn(okJson("{\"ok\":true}")));
    String forged = signer.sign("attacker", UUID.randomUUID().toString(), Role.OWNER);

    browser
        .get(path)
        .header(ForwardedIdentity.HEADER, forged)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);

    LoggedRequest forwarded = onlyRequest(getRequestedFor(urlEqualTo(path)));
    assertThat(forwarded.getHeaders().getHeader(ForwardedIdentity.HEADER).values()).hasSize(1);
    String token = forwarded.getHeader(ForwardedIdentity.HEADER);
    assertThat(token).isNotEqualTo(forged);
    Jwt identity = verifyIdentity(token);
    assertThat(identity.getSubject()).isEqualTo(userId(me));
    assertThat(identity.getClaimAsString("wid")).isEqualTo(workspaceId(me));
    assertThat(identity.getClaimAsString("role")).isEqualTo("owner");
    assertThat(forwarded.containsHeader("Cookie"))
        .as("session cookie kept from services")
        .isFalse();
  }

  @Test
  void aRequestWithoutSessionIsNotRoutedEvenWithAValidIdentityHeader() {
    String path = "/api/chat/agents/" + UUID.randomUUID();
    services.stubFor(get(urlEqualTo(path)).willReturn(okJson("{}")));
    web.get()
        .uri(path)
        .header(
            ForwardedIdentity.HEADER,
            signer.sign(UUID.randomUUID().toString(), UUID.randomUUID().toString(), Role.OWNER))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthenticated");
    assertThat(services.findAll(getRequestedFor(urlEqualTo(path)))).isEmpty();
  }

  @Test
  void aViewerCannotChangeAnythingButCanRead() {
    Browser owner = browser().signIn(freshEmail());
    String viewerEmail = freshEmail();
    owner
        .post("/api/workspace/members")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", viewerEmail, "role", "viewer"))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("viewer");
    String workspace = workspaceId(me(owner));
    Browser viewer = browser().signIn(viewerEmail);
    viewer
        .method(org.springframework.http.HttpMethod.PUT, "/api/me/workspace")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("workspace", workspace))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("viewer");

    String path = "/api/chat/agents/" + UUID.randomUUID();
    services.stubFor(post(urlEqualTo(path)).willReturn(okJson("{}")));
    services.stubFor(get(urlEqualTo(path)).willReturn(okJson("{}")));
    viewer
        .post(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
    assertThat(services.findAll(postRequestedFor(urlEqualTo(path)))).isEmpty();
    viewer
        .post("/api/workspace/members")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", freshEmail(), "role", "member"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");

    viewer.get(path).exchange().expectStatus().isOk().expectBody().json("{}");
    Jwt identity =
        verifyIdentity(
            onlyRequest(getRequestedFor(urlEqualTo(path))).getHeader(ForwardedIdentity.HEADER));
    assertThat(identity.getClaimAsString("wid")).isEqualTo(workspace);
    assertThat(identity.getClaimAsString("role")).isEqualTo("viewer");
  }

  @Test
  void aDownedServiceAnswers503WithItsNameWhileOthersKeepWorking() {
    Browser browser = browser().signIn(freshEmail());
    String chatPath = "/api/chat/health-check/" + UUID.randomUUID();
    services.stubFor(get(urlEqualTo(chatPath)).willReturn(okJson("{\"chat\":\"up\"}")));

    browser
        .get("/api/billing/plans")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("service_unavailable")
        .jsonPath("$.service")
        .isEqualTo("billing")
        .jsonPath("$.message")
        .exists();
    browser
        .post("/api/billing/checkout")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("service_unavailable");

    browser
        .get(chatPath)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.chat")
        .isEqualTo("up");
  }

  @Test
  void repeatedFailuresOpenTheServicesCircuitWhichStillAnswersTheDocumented503() {
    Browser browser = browser().signIn(freshEmail());
    for (int i = 0; i < 12; i++) {
      browser
          .post("/api/billing/checkout")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("service_unavailable");
    }
    String metrics = prometheus();
    assertThat(metrics)
        .containsPattern(
            "resilience4j_circuitbreaker_state\\{[^}]*name=\"billing\"[^}]*state=\"open\"[^}]*\\} 1\\.0");
    assertThat(metrics)
        .containsPattern(
            "resilience4j_circuitbreaker_state\\{[^}]*name=\"chat\"[^}]*state=\"closed\"[^}]*\\} 1\\.0");
  }

  @Test
  void aServiceSlowerThanItsRouteTimeoutAnswersTheDocumented503() {
    Browser browser = browser().signIn(freshEmail());
    String path = "/api/integrations/slow/" + UUID.randomUUID();
    services.stubFor(post(urlEqualTo(path)).willReturn(okJson("{}").withFixedDelay(5_000)));
    browser
        .post(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.service")
        .isEqualTo("integrations");
  }

  @Test
  void serverSentEventsPassThrough() {
    Browser browser = browser().signIn(freshEmail());
    String path = "/api/chat/conversations/" + UUID.randomUUID() + "/stream";
    services.stubFor(
        get(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody("event: token\ndata: Hel\n\nevent: token\ndata: lo\n\n")
                    .withChunkedDribbleDelay(2, 300)));

    var events =
        browser
            .get(path)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .getResponseBody();
    StepVerifier.create(events.map(ServerSentEvent::data))
        .expectNext("Hel")
        .expectNext("lo")
        .expectComplete()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void anApiKeyWithTheReadScopeReadsItsWorkspaceAsAViewer() {
    String key = "bk_read_" + UUID.randomUUID();
    String workspace = UUID.randomUUID().toString();
    stubKey(
        key, "{\"workspace_id\":\"" + workspace + "\",\"scopes\":[\"read\"],\"key_id\":\"k1\"}");
    String path = "/api/obs/metrics/" + UUID.randomUUID();
    services.stubFor(get(urlEqualTo(path)).willReturn(okJson("[]")));

    web.get()
        .uri(path)
        .header("Authorization", "Bearer " + key)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("[]");

    LoggedRequest forwarded = onlyRequest(getRequestedFor(urlEqualTo(path)));
    Jwt identity = verifyIdentity(forwarded.getHeader(ForwardedIdentity.HEADER));
    assertThat(identity.getClaimAsString("wid")).isEqualTo(workspace);
    assertThat(identity.getClaimAsString("role")).isEqualTo("viewer");
    assertThat(forwarded.containsHeader("Authorization")).isFalse();
  }

  @Test
  void anApiKeyWithoutTheReadScopeOrUnknownIsRefused() {
    String ingestOnly = "bk_ingest_" + UUID.randomUUID();
    stubKey(ingestOnly, "{\"workspace_id\":\"w\",\"scopes\":[\"ingest\"],\"key_id\":\"k2\"}");
    String unknown = "bk_unknown_" + UUID.randomUUID();
    services.stubFor(
        post(urlPathEqualTo("/internal/keys/verify"))
            .withRequestBody(equalToJson("{\"key\":\"" + unknown + "\"}"))
            .willReturn(aResponse().withStatus(401)));

    web.get()
        .uri("/api/obs/metrics")
        .header("Authorization", "Bearer " + ingestOnly)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_scope");
    web.get()
        .uri("/api/obs/metrics")
        .header("Authorization", "Bearer " + unknown)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_invalid");
  }

  @Test
  void anApiKeyWithTheToolsScopeSpeaksMcpAsAMemberOfItsWorkspaceAndNothingElse() {
    String key = "bk_tools_" + UUID.randomUUID();
    String workspace = UUID.randomUUID().toString();
    stubKey(
        key, "{\"workspace_id\":\"" + workspace + "\",\"scopes\":[\"tools\"],\"key_id\":\"k3\"}");
    String message =
        "{\"jsonrpc\":\"2.0\",\"id\":\"" + UUID.randomUUID() + "\",\"method\":\"tools/list\"}";
    services.stubFor(
        post(urlEqualTo("/api/integrations/mcp"))
            .withRequestBody(equalToJson(message))
            .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}")));

    // no session and no CSRF token: an outside agent's MCP client
    web.post()
        .uri("/api/integrations/mcp")
        .header("Authorization", "Bearer " + key)
        .header(ForwardedIdentity.HEADER, "forged")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
        .bodyValue(message)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.result.tools")
        .isEmpty();

    LoggedRequest forwarded =
        onlyRequest(
            postRequestedFor(urlEqualTo("/api/integrations/mcp"))
                .withRequestBody(equalToJson(message)));
    Jwt identity = verifyIdentity(forwarded.getHeader(ForwardedIdentity.HEADER));
    assertThat(identity.getClaimAsString("wid")).isEqualTo(workspace);
    assertThat(identity.getClaimAsString("role")).isEqualTo("member");
    assertThat(identity.getSubject()).isEqualTo("api-key:k3");
    assertThat(forwarded.containsHeader("Authorization")).isFalse();
    // the tools scope opens nothing else: not the REST tool API, not the obs read API
    web.post()
        .uri("/api/integrations/tools/web_fetch/execute")
        .header("Authorization", "Bearer " + key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("csrf_invalid");
    web.get()
        .uri("/api/obs/metrics")
        .header("Authorization", "Bearer " + key)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_scope");
  }

  @Test
  void mcpRefusesAKeyWithoutTheToolsScopeAndAnUnknownKey() {
    String readOnly = "bk_read_" + UUID.randomUUID();
    stubKey(
        readOnly, "{\"workspace_id\":\"w\",\"scopes\":[\"read\",\"ingest\"],\"key_id\":\"k4\"}");
    String unknown = "bk_unknown_" + UUID.randomUUID();
    services.stubFor(
        post(urlPathEqualTo("/internal/keys/verify"))
            .withRequestBody(equalToJson("{\"key\":\"" + unknown + "\"}"))
            .willReturn(aResponse().withStatus(401)));

    web.post()
        .uri("/api/integrations/mcp")
        .header("Authorization", "Bearer " + readOnly)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_scope")
        .jsonPath("$.message")
        .isEqualTo("The API key does not have the tools scope.");
    web.post()
        .uri("/api/integrations/mcp")
        .header("Authorization", "Bearer " + unknown)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("api_key_invalid");
  }

  @Test
  void intakeRequestsReachIngestWithTheirApiKeyAndNoIdentity() {
    services.stubFor(
        post(urlEqualTo("/api/obs/v1/events")).willReturn(aResponse().withStatus(202)));
    String key = "bk_ingest_" + UUID.randomUUID();
    web.post()
        .uri("/api/obs/v1/events")
        .header("Authorization", "Bearer " + key)
        .header(ForwardedIdentity.HEADER, "forged")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("[]")
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .isEmpty();
    LoggedRequest forwarded =
        services.findAll(postRequestedFor(urlEqualTo("/api/obs/v1/events"))).stream()
            .filter(r -> ("Bearer " + key).equals(r.getHeader("Authorization")))
            .findFirst()
            .orElseThrow();
    assertThat(forwarded.containsHeader(ForwardedIdentity.HEADER)).isFalse();
  }

  private void stubKey(String key, String response) {
    services.stubFor(
        post(urlPathEqualTo("/internal/keys/verify"))
            .withRequestBody(equalToJson("{\"key\":\"" + key + "\"}"))
            .willReturn(okJson(response)));
  }

  private static LoggedRequest onlyRequest(
      com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
    List<LoggedRequest> requests = services.findAll(pattern);
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> me(Browser browser) {
    return browser
        .get("/api/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }

  @SuppressWarnings("unchecked")
  static String userId(Map<String, Object> me) {
    return (String) ((Map<String, Object>) me.get("user")).get("id");
  }

  @SuppressWarnings("unchecked")
  static String workspaceId(Map<String, Object> me) {
    return (String) ((Map<String, Object>) me.get("workspace")).get("id");
  }
}
