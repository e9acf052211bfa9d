package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.JSON;
import static dev.beacon.ingest.IngestTestKit.patchKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A key's {@code agent_id}: set at creation, changed with {@code PATCH /api/obs/keys/{id}}, shown
 * by every view of the key, with the documented refusals.
 */
@IntegrationTest
class ApiKeyAgentBindingWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private String as(String workspace, Role role) {
    return signer.sign("user-1", workspace, role);
  }

  private static JsonNode body(WebTestClient.ResponseSpec response, int status) {
    byte[] body =
        response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
    assertThat(body).as("response body").isNotNull();
    return JSON.readTree(body);
  }

  private static void assertError(JsonNode body, String code, String messagePart) {
    assertThat(body.propertyNames()).containsExactly("code", "message");
    assertThat(body.get("code").asString()).isEqualTo(code);
    assertThat(body.get("message").asString()).contains(messagePart);
  }

  private JsonNode get(String workspace, String id) {
    return body(
        web.get()
            .uri("/api/obs/keys/" + id)
            .header(ForwardedIdentity.HEADER, as(workspace, Role.VIEWER))
            .exchange(),
        200);
  }

  private JsonNode listed(String workspace, String id) {
    JsonNode list =
        body(
            web.get()
                .uri("/api/obs/keys")
                .header(ForwardedIdentity.HEADER, as(workspace, Role.VIEWER))
                .exchange(),
            200);
    for (JsonNode key : list.get("keys")) {
      if (key.get("id").asString().equals(id)) {
        return key;
      }
    }
    throw new AssertionError("key " + id + " is not listed: " + list);
  }

  @Test
  void createdKeyShowsItsAgentInTheCreateAnswerListAndGet() {
    String agent = "billing-bot-" + UUID.randomUUID();
    JsonNode created =
        IngestTestKit.createKey(web, signer, "ws-bind-views", Map.of("agent_id", agent));
    String id = created.get("id").asString();

    assertThat(created.get("agent_id").asString()).isEqualTo(agent);
    assertThat(created.get("secret").asString()).startsWith("bcn_");
    JsonNode got = get("ws-bind-views", id);
    assertThat(got.get("id").asString()).isEqualTo(id);
    assertThat(got.get("agent_id").asString()).isEqualTo(agent);
    assertThat(got.get("prefix").asString()).isEqualTo(created.get("prefix").asString());
    assertThat(got.get("revoked").asBoolean()).isFalse();
    assertThat(got.has("secret")).isFalse();
    assertThat(listed("ws-bind-views", id).get("agent_id").asString()).isEqualTo(agent);
  }

  @Test
  void unboundKeyShowsANullAgent() {
    JsonNode created = IngestTestKit.createKey(web, signer, "ws-bind-null", Map.of());
    String id = created.get("id").asString();

    assertThat(created.has("agent_id")).isTrue();
    assertThat(created.get("agent_id").isNull()).isTrue();
    assertThat(get("ws-bind-null", id).get("agent_id").isNull()).isTrue();
    assertThat(listed("ws-bind-null", id).get("agent_id").isNull()).isTrue();
  }

  @Test
  void patchBindsRebindsAndUnbindsAndChangesNothingElse() {
    JsonNode created =
        IngestTestKit.createKey(
            web, signer, "ws-bind-patch", Map.of("name", "agent key", "rate_limit_per_second", 50));
    String id = created.get("id").asString();

    JsonNode bound =
        body(patchKey(web, signer, "ws-bind-patch", id, "{\"agent_id\": \"billing-bot\"}"), 200);
    assertThat(bound.get("id").asString()).isEqualTo(id);
    assertThat(bound.get("agent_id").asString()).isEqualTo("billing-bot");
    assertThat(bound.get("name").asString()).isEqualTo("agent key");
    assertThat(bound.get("rate_limit_per_second").asInt()).isEqualTo(50);
    assertThat(bound.get("scopes").get(0).asString()).isEqualTo("ingest");
    assertThat(bound.has("secret")).isFalse();

    JsonNode rebound =
        body(patchKey(web, signer, "ws-bind-patch", id, "{\"agent_id\": \"support-bot\"}"), 200);
    assertThat(rebound.get("agent_id").asString()).isEqualTo("support-bot");
    assertThat(get("ws-bind-patch", id).get("agent_id").asString()).isEqualTo("support-bot");

    JsonNode unbound =
        body(patchKey(web, signer, "ws-bind-patch", id, "{\"agent_id\": null}"), 200);
    assertThat(unbound.get("agent_id").isNull()).isTrue();
    assertThat(listed("ws-bind-patch", id).get("agent_id").isNull()).isTrue();
    assertThat(listed("ws-bind-patch", id).get("name").asString()).isEqualTo("agent key");
  }

  @Test
  void acceptsAnAgentIdOfExactlyTheContractsMaximumLength() {
    String id = IngestTestKit.createKey(web, signer, "ws-bind-max", Map.of()).get("id").asString();
    String longest = "a".repeat(127) + "\uD83D\uDE80";

    JsonNode bound =
        body(
            patchKey(
                web,
                signer,
                "ws-bind-max",
                id,
                JSON.writeValueAsString(Map.of("agent_id", longest))),
            200);

    assertThat(bound.get("agent_id").asString()).isEqualTo(longest);
  }

  @Test
  void anotherWorkspacesKeyOrAnUnknownIdIsNotFound() {
    String id =
        IngestTestKit.createKey(web, signer, "ws-bind-owner", Map.of("agent_id", "owner-bot"))
            .get("id")
            .asString();

    assertError(
        body(patchKey(web, signer, "ws-bind-intruder", id, "{\"agent_id\": \"mine\"}"), 404),
        "api_key_not_found",
        "No such API key in this workspace.");
    assertError(
        body(
            patchKey(
                web,
                signer,
                "ws-bind-owner",
                UUID.randomUUID().toString(),
                "{\"agent_id\": \"mine\"}"),
            404),
        "api_key_not_found",
        "No such API key in this workspace.");
    assertError(
        body(patchKey(web, signer, "ws-bind-owner", "not-a-uuid", "{\"agent_id\": \"mine\"}"), 404),
        "api_key_not_found",
        "No such API key in this workspace.");
    assertError(
        body(
            web.get()
                .uri("/api/obs/keys/" + id)
                .header(ForwardedIdentity.HEADER, as("ws-bind-intruder", Role.OWNER))
                .exchange(),
            404),
        "api_key_not_found",
        "No such API key in this workspace.");

    assertThat(get("ws-bind-owner", id).get("agent_id").asString()).isEqualTo("owner-bot");
  }

  @Test
  void refusesAnAgentIdThatIsNotAnEventId() {
    String id =
        IngestTestKit.createKey(web, signer, "ws-bind-invalid", Map.of("agent_id", "kept-bot"))
            .get("id")
            .asString();

    for (String invalid :
        new String[] {
          "\"\"",
          JSON.writeValueAsString("a".repeat(129)),
          "42",
          "true",
          "{\"id\": \"x\"}",
          "[\"x\"]"
        }) {
      assertError(
          body(
              patchKey(web, signer, "ws-bind-invalid", id, "{\"agent_id\": " + invalid + "}"), 400),
          "invalid_agent_id",
          "agent_id must be a string of 1 to 128 characters");
    }
    assertThat(get("ws-bind-invalid", id).get("agent_id").asString()).isEqualTo("kept-bot");

    assertError(
        body(
            web.post()
                .uri("/api/obs/keys")
                .header(ForwardedIdentity.HEADER, as("ws-bind-invalid", Role.MEMBER))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"bad agent\", \"agent_id\": 7}")
                .exchange(),
            400),
        "invalid_agent_id",
        "agent_id must be a string of 1 to 128 characters");
    JsonNode list =
        body(
            web.get()
                .uri("/api/obs/keys")
                .header(ForwardedIdentity.HEADER, as("ws-bind-invalid", Role.VIEWER))
                .exchange(),
            200);
    assertThat(list.get("keys")).hasSize(1);
  }

  @Test
  void refusesAPatchNamingAnotherFieldOrNoField() {
    String id =
        IngestTestKit.createKey(web, signer, "ws-bind-fields", Map.of("agent_id", "kept-bot"))
            .get("id")
            .asString();

    assertError(
        body(patchKey(web, signer, "ws-bind-fields", id, "{\"name\": \"renamed\"}"), 400),
        "field_not_patchable",
        "\"name\" cannot be changed; agent_id is the only field");
    assertError(
        body(
            patchKey(
                web, signer, "ws-bind-fields", id, "{\"agent_id\": \"other\", \"scopes\": []}"),
            400),
        "field_not_patchable",
        "\"scopes\" cannot be changed");
    assertError(
        body(patchKey(web, signer, "ws-bind-fields", id, "{}"), 400),
        "empty_patch",
        "Name the field to change");
    assertError(
        body(patchKey(web, signer, "ws-bind-fields", id, "[{\"agent_id\": \"x\"}]"), 400),
        "invalid_request",
        "The body must be a JSON object");
    assertError(
        body(patchKey(web, signer, "ws-bind-fields", id, "{\"agent_id\": "), 400),
        "invalid_request",
        "malformed");

    assertThat(get("ws-bind-fields", id).get("agent_id").asString()).isEqualTo("kept-bot");
  }

  @Test
  void revokedKeyCannotBeRebound() {
    String id =
        IngestTestKit.createKey(web, signer, "ws-bind-revoked", Map.of("agent_id", "old-bot"))
            .get("id")
            .asString();
    web.delete()
        .uri("/api/obs/keys/" + id)
        .header(ForwardedIdentity.HEADER, as("ws-bind-revoked", Role.MEMBER))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();

    assertError(
        body(patchKey(web, signer, "ws-bind-revoked", id, "{\"agent_id\": \"new-bot\"}"), 409),
        "api_key_revoked",
        "a revoked key cannot be changed");
    JsonNode got = get("ws-bind-revoked", id);
    assertThat(got.get("revoked").asBoolean()).isTrue();
    assertThat(got.get("agent_id").asString()).isEqualTo("old-bot");
  }

  @Test
  void viewerCannotChangeTheBinding() {
    String id =
        IngestTestKit.createKey(web, signer, "ws-bind-viewer", Map.of("agent_id", "kept-bot"))
            .get("id")
            .asString();

    JsonNode refused =
        body(
            web.patch()
                .uri("/api/obs/keys/" + id)
                .header(ForwardedIdentity.HEADER, as("ws-bind-viewer", Role.VIEWER))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"agent_id\": \"viewer-bot\"}")
                .exchange(),
            403);

    assertError(refused, "forbidden_role", "Your role in this workspace cannot change anything.");
    assertThat(get("ws-bind-viewer", id).get("agent_id").asString()).isEqualTo("kept-bot");
  }

  @Test
  void patchWithoutAForwardedIdentityIsUnauthorized() {
    String id = IngestTestKit.createKey(web, signer, "ws-bind-anon", Map.of()).get("id").asString();

    JsonNode refused =
        body(
            web.patch()
                .uri("/api/obs/keys/" + id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"agent_id\": \"anon-bot\"}")
                .exchange(),
            401);

    assertError(refused, "identity_missing", "X-Beacon-Identity");
    assertThat(get("ws-bind-anon", id).get("agent_id").isNull()).isTrue();
  }
}
