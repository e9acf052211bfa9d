package dev.beacon.chat.external;

import static dev.beacon.chat.ChatTestKit.JSON;
import static dev.beacon.chat.ChatTestKit.as;
import static dev.beacon.chat.ChatTestKit.createAgent;
import static dev.beacon.chat.ChatTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.chat.ChatStandIns;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
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
 * The external agents API and the agent directory behind the forwarded identity: registration,
 * validation, conflicts with names and agent ids (the workspace's own agents' too), archiving,
 * roles and tenancy. Every answer's body is read.
 */
@IntegrationTest
class ExternalAgentWebFluxTests extends ChatStandIns {

  private static final String BASE = "/api/chat/external-agents";
  private static final String DIRECTORY = "/api/chat/agents/directory";

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;

  private static Map<String, Object> external(String name, String agentId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("agent_id", agentId);
    body.put("description", "Runs in the billing service");
    body.put("api_key_id", null);
    return body;
  }

  private static Map<String, Object> workspaceAgent(String name) {
    return Map.of("name", name, "provider", "openai", "model", "gpt-4o-mini");
  }

  /** Sends a request as {@code role} of {@code ws}, expects {@code status}, returns the body. */
  private JsonNode call(
      HttpMethod method, String uri, String ws, Role role, Object body, int status) {
    WebTestClient.RequestBodySpec request =
        web.method(method).uri(uri).header(ForwardedIdentity.HEADER, as(signer, ws, role));
    WebTestClient.RequestHeadersSpec<?> ready =
        body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    byte[] answer =
        ready
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(answer).as("%s %s answered no body", method, uri).isNotNull();
    return JSON.readTree(answer);
  }

  private JsonNode register(String ws, Object body) {
    return call(HttpMethod.POST, BASE, ws, Role.MEMBER, body, 201);
  }

  private JsonNode refused(String ws, Object body, int status) {
    return call(HttpMethod.POST, BASE, ws, Role.MEMBER, body, status);
  }

  private static Map<String, String> fieldErrors(JsonNode error) {
    assertThat(error.get("code").asString()).isEqualTo("invalid_external_agent");
    Map<String, String> errors = new LinkedHashMap<>();
    for (JsonNode entry : error.get("errors")) {
      errors.put(entry.get("field").asString(), entry.get("message").asString());
    }
    return errors;
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.get("external_agents").forEach(a -> ids.add(a.get("id").asString()));
    return ids;
  }

  @Test
  void registeredAgentIsReadBackWithEveryField() {
    String ws = workspace();
    String keyId = UUID.randomUUID().toString();
    Map<String, Object> body = external("Billing bot", "billing-bot");
    body.put("api_key_id", keyId.toUpperCase());
    JsonNode created = register(ws, body);

    assertThat(created.propertyNames())
        .containsExactlyInAnyOrder(
            "id",
            "name",
            "agent_id",
            "description",
            "api_key_id",
            "archived",
            "archived_at",
            "created_by",
            "created_at",
            "updated_at");
    String id = created.get("id").asString();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.get("name").asString()).isEqualTo("Billing bot");
    assertThat(created.get("agent_id").asString()).isEqualTo("billing-bot");
    assertThat(created.get("description").asString()).isEqualTo("Runs in the billing service");
    assertThat(created.get("api_key_id").asString()).isEqualTo(keyId);
    assertThat(created.get("archived").asBoolean()).isFalse();
    assertThat(created.get("archived_at").isNull()).isTrue();
    assertThat(created.get("created_by").asString()).isEqualTo("user-member");
    assertThat(Instant.parse(created.get("created_at").asString()))
        .isEqualTo(Instant.parse(created.get("updated_at").asString()));

    JsonNode read = call(HttpMethod.GET, BASE + "/" + id, ws, Role.VIEWER, null, 200);
    assertThat(read).isEqualTo(created);

    JsonNode list = call(HttpMethod.GET, BASE, ws, Role.VIEWER, null, 200);
    assertThat(list.propertyNames()).containsExactly("external_agents");
    assertThat(list.get("external_agents").size()).isEqualTo(1);
    assertThat(list.get("external_agents").get(0)).isEqualTo(created);
  }

  @Test
  void patchChangesOnlyTheFieldsItNamesAndIgnoresReadOnlyOnes() {
    String ws = workspace();
    Map<String, Object> body = external("Search bot", "search-bot");
    body.put("api_key_id", UUID.randomUUID().toString());
    JsonNode created = register(ws, body);
    String id = created.get("id").asString();

    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("description", null);
    patch.put("api_key_id", null);
    patch.put("agent_id", "  search-bot.v2  ");
    // read-only fields an editor sends back are ignored
    patch.put("id", UUID.randomUUID().toString());
    patch.put("archived", true);
    patch.put("created_by", "someone-else");
    JsonNode changed = call(HttpMethod.PATCH, BASE + "/" + id, ws, Role.ADMIN, patch, 200);

    assertThat(changed.get("id").asString()).isEqualTo(id);
    assertThat(changed.get("name").asString()).isEqualTo("Search bot");
    assertThat(changed.get("agent_id").asString()).isEqualTo("search-bot.v2");
    assertThat(changed.get("description").asString()).isEmpty();
    assertThat(changed.get("api_key_id").isNull()).isTrue();
    assertThat(changed.get("archived").asBoolean()).isFalse();
    assertThat(changed.get("created_by").asString()).isEqualTo("user-member");
    assertThat(changed.get("created_at").asString())
        .isEqualTo(created.get("created_at").asString());
    assertThat(Instant.parse(changed.get("updated_at").asString()))
        .isAfterOrEqualTo(Instant.parse(created.get("updated_at").asString()));

    assertThat(call(HttpMethod.GET, BASE + "/" + id, ws, Role.VIEWER, null, 200))
        .isEqualTo(changed);

    // a key id can be set again, and an empty one (a cleared form field) means none
    String keyId = UUID.randomUUID().toString();
    JsonNode linked =
        call(HttpMethod.PATCH, BASE + "/" + id, ws, Role.OWNER, Map.of("api_key_id", keyId), 200);
    assertThat(linked.get("api_key_id").asString()).isEqualTo(keyId);
    assertThat(linked.get("agent_id").asString()).isEqualTo("search-bot.v2");
    JsonNode unlinked =
        call(HttpMethod.PATCH, BASE + "/" + id, ws, Role.OWNER, Map.of("api_key_id", ""), 200);
    assertThat(unlinked.get("api_key_id").isNull()).isTrue();
  }

  @Test
  void invalidFieldsAreNamedOneByOne() {
    String ws = workspace();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "  ");
    body.put("agent_id", "has space");
    body.put("description", 42);
    body.put("api_key_id", "key-7");
    body.put("colour", "red");
    Map<String, String> errors = fieldErrors(refused(ws, body, 400));
    assertThat(errors)
        .containsExactly(
            Map.entry("colour", "is not a field of an external agent"),
            Map.entry("name", "must not be blank"),
            Map.entry("agent_id", "must be 1-128 letters, digits, '.', '_', ':' or '-'"),
            Map.entry("description", "must be a string"),
            Map.entry(
                "api_key_id",
                "must be the id of an API key (a UUID), as the API keys page shows it"));

    assertThat(fieldErrors(refused(ws, Map.of(), 400)))
        .containsExactly(
            Map.entry("name", "is required"),
            Map.entry("agent_id", "is required: the agent_id the agent sends in its events"));

    Map<String, Object> wrongTypes = new LinkedHashMap<>();
    wrongTypes.put("name", List.of("x"));
    wrongTypes.put("agent_id", 7);
    wrongTypes.put("api_key_id", 12);
    assertThat(fieldErrors(refused(ws, wrongTypes, 400)))
        .containsExactly(
            Map.entry("name", "must be a string"),
            Map.entry("agent_id", "must be a string"),
            Map.entry("api_key_id", "must be a string or null"));

    JsonNode notAnObject = refused(ws, List.of("not", "an", "object"), 400);
    assertThat(fieldErrors(notAnObject))
        .containsExactly(Map.entry("body", "must be a JSON object"));

    // nothing was stored
    assertThat(call(HttpMethod.GET, BASE, ws, Role.MEMBER, null, 200).get("external_agents"))
        .isEmpty();

    // the same checks on a PATCH, and the stored agent is unchanged
    JsonNode created = register(ws, external("Valid", "valid-bot"));
    String id = created.get("id").asString();
    JsonNode patched =
        call(
            HttpMethod.PATCH,
            BASE + "/" + id,
            ws,
            Role.MEMBER,
            Map.of("agent_id", "bad/slash", "name", "bell\u0007"),
            400);
    assertThat(fieldErrors(patched))
        .containsExactly(
            Map.entry("name", "must not contain control characters"),
            Map.entry("agent_id", "must be 1-128 letters, digits, '.', '_', ':' or '-'"));
    assertThat(call(HttpMethod.GET, BASE + "/" + id, ws, Role.MEMBER, null, 200))
        .isEqualTo(created);
  }

  @Test
  void hugeFieldsAreBounded() {
    String ws = workspace();
    Map<String, Object> body = external("n".repeat(101), "a".repeat(129));
    body.put("description", "d".repeat(2001));
    assertThat(fieldErrors(refused(ws, body, 400)))
        .containsExactly(
            Map.entry("name", "must be at most 100 characters"),
            Map.entry("agent_id", "must be 1-128 letters, digits, '.', '_', ':' or '-'"),
            Map.entry("description", "must be at most 2000 characters"));

    // the limits themselves are accepted, counted in characters, not bytes
    Map<String, Object> atLimits = external("🤖".repeat(100), "a:b.c_d-".repeat(16));
    atLimits.put("description", "é".repeat(2000));
    JsonNode created = register(ws, atLimits);
    assertThat(created.get("name").asString()).isEqualTo("🤖".repeat(100));
    assertThat(created.get("agent_id").asString()).hasSize(128);
    assertThat(created.get("description").asString()).hasSize(2000);

    // a body past the 256 KB request limit is refused with the one error body
    Map<String, Object> huge = external("Huge", "huge");
    huge.put("description", "d".repeat(300_000));
    JsonNode tooLarge = refused(ws, huge, 413);
    assertThat(tooLarge.get("code").asString()).isEqualTo("request_too_large");
    assertThat(tooLarge.get("limit_bytes").asString()).isEqualTo("262144");
  }

  @Test
  void unicodeNameIsUniquePerWorkspaceIgnoringCaseUntilArchived() {
    String ws = workspace();
    // "Ü" decomposed (U + combining diaeresis) is stored composed
    JsonNode first = register(ws, external("U\u0308nïcødé 助手 🤖", "unicode-bot"));
    assertThat(first.get("name").asString()).isEqualTo("Ünïcødé 助手 🤖");
    String id = first.get("id").asString();

    JsonNode taken = refused(ws, external("ÜNÏCØDÉ 助手 🤖", "other-bot"), 409);
    assertThat(taken.get("code").asString()).isEqualTo("external_agent_name_taken");
    assertThat(taken.get("field").asString()).isEqualTo("name");
    assertThat(taken.get("message").asString()).contains("ÜNÏCØDÉ 助手 🤖");

    // the same name and agent id in another workspace are fine
    register(workspace(), external("Ünïcødé 助手 🤖", "unicode-bot"));

    // a rename onto a taken name is refused too
    String other = register(ws, external("Other", "other-bot")).get("id").asString();
    JsonNode rename =
        call(
            HttpMethod.PATCH,
            BASE + "/" + other,
            ws,
            Role.MEMBER,
            Map.of("name", "ünïcødé 助手 🤖"),
            409);
    assertThat(rename.get("code").asString()).isEqualTo("external_agent_name_taken");

    JsonNode archived =
        call(HttpMethod.POST, BASE + "/" + id + "/archive", ws, Role.MEMBER, null, 200);
    assertThat(archived.get("archived").asBoolean()).isTrue();
    assertThat(Instant.parse(archived.get("archived_at").asString()))
        .isEqualTo(Instant.parse(archived.get("updated_at").asString()));
    // archiving again changes nothing
    assertThat(call(HttpMethod.POST, BASE + "/" + id + "/archive", ws, Role.MEMBER, null, 200))
        .isEqualTo(archived);

    // the name is free again; the agent id stays taken, so old events keep their name
    JsonNode second = register(ws, external("Ünïcødé 助手 🤖", "unicode-bot-2"));
    assertThat(second.get("name").asString()).isEqualTo("Ünïcødé 助手 🤖");
    JsonNode idTaken = refused(ws, external("Unicode again", "unicode-bot"), 409);
    assertThat(idTaken.get("code").asString()).isEqualTo("agent_id_taken");
    assertThat(idTaken.get("field").asString()).isEqualTo("agent_id");

    assertThat(ids(call(HttpMethod.GET, BASE, ws, Role.VIEWER, null, 200)))
        .containsExactly(other, second.get("id").asString());
    assertThat(
            ids(call(HttpMethod.GET, BASE + "?include_archived=true", ws, Role.VIEWER, null, 200)))
        .containsExactly(id, other, second.get("id").asString());

    JsonNode frozen =
        call(
            HttpMethod.PATCH,
            BASE + "/" + id,
            ws,
            Role.MEMBER,
            Map.of("description", "again"),
            409);
    assertThat(frozen.get("code").asString()).isEqualTo("external_agent_archived");
  }

  @Test
  void agentIdIsUniquePerWorkspaceAndNeverTheIdOfAWorkspaceAgent() {
    String ws = workspace();
    register(ws, external("Bot one", "bot-1"));

    JsonNode taken = refused(ws, external("Bot one again", "bot-1"), 409);
    assertThat(taken.get("code").asString()).isEqualTo("agent_id_taken");
    assertThat(taken.get("field").asString()).isEqualTo("agent_id");
    assertThat(taken.get("message").asString()).contains("'bot-1'");
    // agent ids in events are compared exactly: another case is another agent
    assertThat(register(ws, external("Bot One upper", "Bot-1")).get("agent_id").asString())
        .isEqualTo("Bot-1");
    // another workspace has its own agent ids
    register(workspace(), external("Bot one", "bot-1"));

    JsonNode own = createAgent(web, signer, ws, workspaceAgent("Mail helper"));
    String ownId = own.get("id").asString();
    for (String sameId : List.of(ownId, ownId.toUpperCase())) {
      JsonNode clash = refused(ws, external("Impostor", sameId), 409);
      assertThat(clash.get("code").asString()).isEqualTo("agent_id_taken");
      assertThat(clash.get("field").asString()).isEqualTo("agent_id");
      assertThat(clash.get("message").asString()).contains("Mail helper");
    }
    // an archived workspace agent keeps its id
    call(HttpMethod.POST, "/api/chat/agents/" + ownId + "/archive", ws, Role.MEMBER, null, 200);
    assertThat(refused(ws, external("Impostor", ownId), 409).get("code").asString())
        .isEqualTo("agent_id_taken");

    // a PATCH onto a taken id is refused the same way
    String movable = register(ws, external("Movable", "movable")).get("id").asString();
    for (String target : List.of("bot-1", ownId)) {
      JsonNode moved =
          call(
              HttpMethod.PATCH,
              BASE + "/" + movable,
              ws,
              Role.MEMBER,
              Map.of("agent_id", target),
              409);
      assertThat(moved.get("code").asString()).isEqualTo("agent_id_taken");
    }

    // the UUID of another workspace's agent is just an id here
    String foreignAgent =
        createAgent(web, signer, workspace(), workspaceAgent("Elsewhere")).get("id").asString();
    assertThat(register(ws, external("Uuid named", foreignAgent)).get("agent_id").asString())
        .isEqualTo(foreignAgent);
  }

  @Test
  void anotherWorkspacesAgentAndMalformedIdsAreNotFound() {
    String owner = workspace();
    JsonNode created = register(owner, external("Private", "private-bot"));
    String id = created.get("id").asString();
    String other = workspace();
    for (String path :
        List.of(BASE + "/" + id, BASE + "/not-a-uuid", BASE + "/" + UUID.randomUUID())) {
      JsonNode missing = call(HttpMethod.GET, path, other, Role.OWNER, null, 404);
      assertThat(missing.get("code").asString()).isEqualTo("not_found");
      assertThat(missing.get("message").asString())
          .isEqualTo("No such external agent in this workspace.");
    }
    assertThat(
            call(
                    HttpMethod.PATCH,
                    BASE + "/" + id,
                    other,
                    Role.OWNER,
                    Map.of("name", "Stolen"),
                    404)
                .get("code")
                .asString())
        .isEqualTo("not_found");
    assertThat(
            call(HttpMethod.POST, BASE + "/" + id + "/archive", other, Role.OWNER, null, 404)
                .get("code")
                .asString())
        .isEqualTo("not_found");
    assertThat(call(HttpMethod.GET, BASE, other, Role.OWNER, null, 200).get("external_agents"))
        .isEmpty();
    // untouched
    assertThat(call(HttpMethod.GET, BASE + "/" + id, owner, Role.VIEWER, null, 200))
        .isEqualTo(created);
  }

  @Test
  void viewerReadsButCannotWrite() {
    String ws = workspace();
    JsonNode created = register(ws, external("Read only", "read-only"));
    String id = created.get("id").asString();

    JsonNode post =
        call(HttpMethod.POST, BASE, ws, Role.VIEWER, external("Viewer's", "viewers"), 403);
    assertThat(post.get("code").asString()).isEqualTo("forbidden_role");
    JsonNode patch =
        call(HttpMethod.PATCH, BASE + "/" + id, ws, Role.VIEWER, Map.of("name", "Renamed"), 403);
    assertThat(patch.get("code").asString()).isEqualTo("forbidden_role");
    JsonNode archive =
        call(HttpMethod.POST, BASE + "/" + id + "/archive", ws, Role.VIEWER, null, 403);
    assertThat(archive.get("code").asString()).isEqualTo("forbidden_role");

    assertThat(call(HttpMethod.GET, BASE + "/" + id, ws, Role.VIEWER, null, 200))
        .isEqualTo(created);
    assertThat(ids(call(HttpMethod.GET, BASE, ws, Role.VIEWER, null, 200))).containsExactly(id);
    assertThat(call(HttpMethod.GET, DIRECTORY, ws, Role.VIEWER, null, 200).get("agents").size())
        .isEqualTo(1);
  }

  @Test
  void directoryNamesEveryAgentIdOfItsOwnWorkspaceOnly() {
    String a = workspace();
    String b = workspace();
    String mail = createAgent(web, signer, a, workspaceAgent("Mail helper")).get("id").asString();
    String old = createAgent(web, signer, a, workspaceAgent("Old helper")).get("id").asString();
    call(HttpMethod.POST, "/api/chat/agents/" + old + "/archive", a, Role.MEMBER, null, 200);
    register(a, external("Billing bot", "billing-bot"));
    String retired = register(a, external("Retired bot", "retired-bot")).get("id").asString();
    call(HttpMethod.POST, BASE + "/" + retired + "/archive", a, Role.MEMBER, null, 200);

    String bAgent = createAgent(web, signer, b, workspaceAgent("B's helper")).get("id").asString();
    register(b, external("B's bot", "billing-bot"));

    JsonNode directoryA = call(HttpMethod.GET, DIRECTORY, a, Role.VIEWER, null, 200);
    assertThat(directoryA.propertyNames()).containsExactly("agents");
    assertThat(directoryA.get("agents"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"agent_id": "%s", "name": "Mail helper", "kind": "workspace", "archived": false},
                 {"agent_id": "%s", "name": "Old helper", "kind": "workspace", "archived": true},
                 {"agent_id": "billing-bot", "name": "Billing bot", "kind": "external", "archived": false},
                 {"agent_id": "retired-bot", "name": "Retired bot", "kind": "external", "archived": true}]
                """
                    .formatted(mail, old)));

    JsonNode directoryB = call(HttpMethod.GET, DIRECTORY, b, Role.MEMBER, null, 200);
    assertThat(directoryB.get("agents"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"agent_id": "%s", "name": "B's helper", "kind": "workspace", "archived": false},
                 {"agent_id": "billing-bot", "name": "B's bot", "kind": "external", "archived": false}]
                """
                    .formatted(bAgent)));

    JsonNode empty = call(HttpMethod.GET, DIRECTORY, workspace(), Role.VIEWER, null, 200);
    assertThat(empty.get("agents")).isEmpty();
  }
}
