package dev.beacon.chat.external;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.beacon.chat.ChatTestKit.JSON;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.chat.ChatStandIns;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * An external agent's API key is bound to its {@code agent_id} in obs-ingest (WireMock here,
 * speaking its documented {@code PATCH /api/obs/keys/{id}}), with the caller's own identity, in the
 * same transaction as the registration: a refusal there stores nothing.
 */
@IntegrationTest
class ExternalAgentKeyLinkTests extends ChatStandIns {

  private static final String BASE = "/api/chat/external-agents";

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private record Answer(int status, JsonNode body) {}

  /** Sends a request as an owner of {@code ws} with {@code token}; returns status and body. */
  private Answer call(HttpMethod method, String uri, String token, Object body) {
    WebTestClient.RequestBodySpec request =
        web.method(method).uri(uri).header(ForwardedIdentity.HEADER, token);
    var result =
        (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body))
            .exchange()
            .expectBody()
            .returnResult();
    byte[] answer = result.getResponseBody();
    assertThat(answer).as("%s %s answered no body", method, uri).isNotNull();
    return new Answer(result.getStatus().value(), JSON.readTree(answer));
  }

  private String owner(String ws) {
    return signer.sign("user-owner", ws, Role.OWNER, java.time.Duration.ofMinutes(10));
  }

  private static Map<String, Object> external(String name, String agentId, String keyId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("agent_id", agentId);
    body.put("api_key_id", keyId);
    return body;
  }

  private static List<LoggedRequest> bindings(String keyId) {
    return STAND_INS.findAll(patchRequestedFor(urlPathEqualTo("/api/obs/keys/" + keyId)));
  }

  /** The agent ids the key was bound to, in any order; {@code "(none)"} for an unbinding. */
  private static List<String> boundTo(String keyId) {
    return bindings(keyId).stream()
        .map(r -> JSON.readTree(r.getBodyAsString()).get("agent_id"))
        .map(agent -> agent.isNull() ? "(none)" : agent.asString())
        .toList();
  }

  private static void refuse(String keyId, int status) {
    STAND_INS.stubFor(
        patch(urlPathEqualTo("/api/obs/keys/" + keyId))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"code\": \"x\", \"message\": \"refused\"}")));
  }

  @Test
  void linkingAKeyBindsItToTheAgentWithTheCallersIdentityAndMovesWithEveryChange() {
    String ws = workspace();
    String token = owner(ws);
    String key = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();

    Answer created =
        call(HttpMethod.POST, BASE, token, external("Billing bot", "billing-bot", key));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("api_key_id").asString()).isEqualTo(key);
    String id = created.body().get("id").asString();
    STAND_INS.verify(
        1,
        patchRequestedFor(urlPathEqualTo("/api/obs/keys/" + key))
            .withHeader(ForwardedIdentity.HEADER, equalTo(token))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"agent_id\": \"billing-bot\"}")));

    // a new agent_id rebinds the same key
    Answer renamed =
        call(HttpMethod.PATCH, BASE + "/" + id, token, Map.of("agent_id", "billing-2"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(boundTo(key)).containsExactlyInAnyOrder("billing-bot", "billing-2");

    // another key: the new one is bound, then the old one unbound
    Answer moved = call(HttpMethod.PATCH, BASE + "/" + id, token, Map.of("api_key_id", other));
    assertThat(moved.body().get("api_key_id").asString()).isEqualTo(other);
    STAND_INS.verify(
        1,
        patchRequestedFor(urlPathEqualTo("/api/obs/keys/" + other))
            .withRequestBody(equalToJson("{\"agent_id\": \"billing-2\"}")));
    assertThat(boundTo(key)).containsExactlyInAnyOrder("billing-bot", "billing-2", "(none)");

    // a change that leaves the link alone calls nothing; clearing the key unbinds it
    call(HttpMethod.PATCH, BASE + "/" + id, token, Map.of("description", "moved"));
    assertThat(boundTo(other)).containsExactly("billing-2");
    Answer cleared = call(HttpMethod.PATCH, BASE + "/" + id, token, Map.of("api_key_id", ""));
    assertThat(cleared.body().get("api_key_id").isNull()).isTrue();
    assertThat(boundTo(other)).containsExactlyInAnyOrder("billing-2", "(none)");
  }

  @Test
  void aKeyIngestRefusesIsAFieldErrorAndNothingIsStored() {
    String ws = workspace();
    String token = owner(ws);
    String unknown = UUID.randomUUID().toString();
    String revoked = UUID.randomUUID().toString();
    refuse(unknown, 404);
    refuse(revoked, 409);

    Answer notFound = call(HttpMethod.POST, BASE, token, external("A", "bot-a", unknown));
    assertThat(notFound.status()).isEqualTo(400);
    assertThat(notFound.body().get("code").asString()).isEqualTo("invalid_external_agent");
    assertThat(notFound.body().get("errors").get(0).get("field").asString())
        .isEqualTo("api_key_id");
    assertThat(notFound.body().get("errors").get(0).get("message").asString())
        .isEqualTo("is not an API key of this workspace");

    Answer gone = call(HttpMethod.POST, BASE, token, external("A", "bot-a", revoked));
    assertThat(gone.status()).isEqualTo(400);
    assertThat(gone.body().get("errors").get(0).get("message").asString())
        .isEqualTo("is a revoked API key");

    // the registration rolled back with the refusal: the name and the agent id are still free
    Answer list = call(HttpMethod.GET, BASE, token, null);
    assertThat(list.body().get("external_agents")).isEmpty();
    Answer fine = call(HttpMethod.POST, BASE, token, external("A", "bot-a", null));
    assertThat(fine.status()).isEqualTo(201);

    // a refused change leaves the registration as it was
    String id = fine.body().get("id").asString();
    Answer change =
        call(
            HttpMethod.PATCH,
            BASE + "/" + id,
            token,
            Map.of("api_key_id", unknown, "description", "new"));
    assertThat(change.status()).isEqualTo(400);
    Answer after = call(HttpMethod.GET, BASE + "/" + id, token, null);
    assertThat(after.body()).isEqualTo(fine.body());
  }

  @Test
  void ingestDownIs502IngestRefusingTheRoleIs403AndNeitherStoresAnything() {
    String ws = workspace();
    String token = owner(ws);
    String broken = UUID.randomUUID().toString();
    STAND_INS.stubFor(
        patch(urlPathEqualTo("/api/obs/keys/" + broken))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    String forbidden = UUID.randomUUID().toString();
    refuse(forbidden, 403);

    Answer down = call(HttpMethod.POST, BASE, token, external("A", "bot-a", broken));
    assertThat(down.status()).isEqualTo(502);
    assertThat(down.body().get("code").asString()).isEqualTo("ingest_unavailable");
    assertThat(down.body().get("message").asString()).contains("nothing was changed");

    Answer refused = call(HttpMethod.POST, BASE, token, external("A", "bot-a", forbidden));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asString()).isEqualTo("forbidden_role");

    assertThat(call(HttpMethod.GET, BASE, token, null).body().get("external_agents")).isEmpty();
  }

  @Test
  void aKeySpeaksForOneRegistrationUntilThatOneIsArchived() {
    String ws = workspace();
    String token = owner(ws);
    String key = UUID.randomUUID().toString();

    Answer first = call(HttpMethod.POST, BASE, token, external("First", "first-bot", key));
    assertThat(first.status()).isEqualTo(201);
    Answer second = call(HttpMethod.POST, BASE, token, external("Second", "second-bot", key));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.body().get("code").asString()).isEqualTo("api_key_linked");
    assertThat(second.body().get("field").asString()).isEqualTo("api_key_id");
    // the conflict is found by the database before obs-ingest is asked
    assertThat(boundTo(key)).containsExactly("first-bot");

    // another workspace may name the same key id: ingest decides whose key it is
    String other = workspace();
    assertThat(
            call(HttpMethod.POST, BASE, owner(other), external("First", "first-bot", key)).status())
        .isEqualTo(201);

    String firstId = first.body().get("id").asString();
    assertThat(call(HttpMethod.POST, BASE + "/" + firstId + "/archive", token, null).status())
        .isEqualTo(200);
    Answer again = call(HttpMethod.POST, BASE, token, external("Second", "second-bot", key));
    assertThat(again.status()).isEqualTo(201);
    assertThat(boundTo(key)).containsExactlyInAnyOrder("first-bot", "first-bot", "second-bot");
  }
}
