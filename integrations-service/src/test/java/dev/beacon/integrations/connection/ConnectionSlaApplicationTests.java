package dev.beacon.integrations.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.integrations.IntegrationsStandIns;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code PUT} and {@code DELETE /api/integrations/connections/{id}/sla}: the availability target a
 * workspace sets on a connection, how it is refused, who may set it, and the list showing it.
 */
class ConnectionSlaApplicationTests extends IntegrationsStandIns {

  @Autowired DatabaseClient db;

  @Test
  void aMemberSetsATargetTheListShowsAndClearsIt() {
    String ws = workspace();
    String id = insertConnection(ws);
    assertThat(listed(ws, id).get("availability_target").isNull()).isTrue();

    JsonNode answer = put(ws, Role.MEMBER, id, "{\"availability_target\": \"99.5\"}", 200);
    assertThat(answer.get("id").asString()).isEqualTo(id);
    assertThat(answer.get("provider").asString()).isEqualTo("github");
    assertThat(answer.get("availability_target").asString()).isEqualTo("99.5");
    assertThat(listed(ws, id).get("availability_target").asString()).isEqualTo("99.5");
    assertThat(storedTarget(id)).isEqualByComparingTo("99.500");

    assertThat(clear(ws, Role.MEMBER, id, 204)).isNull();
    assertThat(listed(ws, id).get("availability_target").isNull()).isTrue();
    assertThat(storedTarget(id)).isNull();
  }

  @Test
  void targetsAreStoredExactlyAndWrittenWithoutTrailingZeros() {
    String ws = workspace();
    String id = insertConnection(ws);
    String[][] cases = {
      {"99.999", "99.999"},
      {"100", "100"},
      {"100.000", "100"},
      {"0.001", "0.001"},
      {"95.10", "95.1"}
    };
    for (String[] c : cases) {
      JsonNode answer = put(ws, Role.ADMIN, id, "{\"availability_target\": \"" + c[0] + "\"}", 200);
      assertThat(answer.get("availability_target").asString()).as(c[0]).isEqualTo(c[1]);
      assertThat(listed(ws, id).get("availability_target").asString()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\"",
        "\"-1\"",
        "\"0\"",
        "\"0.000\"",
        "\"100.01\"",
        "\"100.001\"",
        "\"abc\"",
        "\"99.9999\"",
        "\"1000\"",
        "\"99999999999999999999999\"",
        "\"1e2\"",
        "\" 99.5\"",
        "\"99,5\"",
        "\".5\"",
        "99.5",
        "null",
        "true"
      })
  void refusesATargetThatIsNotAPercentageWithAtMostThreeDecimals(String value) {
    String ws = workspace();
    String id = insertConnection(ws);
    JsonNode error = put(ws, Role.MEMBER, id, "{\"availability_target\": " + value + "}", 400);
    assertThat(error.get("code").asString()).isEqualTo("invalid_availability_target");
    assertThat(error.get("message").asString()).contains("at most three decimals");
    assertThat(storedTarget(id)).isNull();
  }

  @Test
  void refusesAMissingTargetAndABodyThatIsNotAnObject() {
    String ws = workspace();
    String id = insertConnection(ws);
    assertThat(put(ws, Role.MEMBER, id, "{}", 400).get("code").asString())
        .isEqualTo("invalid_availability_target");
    assertThat(put(ws, Role.MEMBER, id, "[\"99.5\"]", 400).get("code").asString())
        .isEqualTo("invalid_request");
    assertThat(put(ws, Role.MEMBER, id, "not json", 400).get("code").asString())
        .isEqualTo("invalid_request");
    assertThat(storedTarget(id)).isNull();
  }

  @Test
  void ownersAdminsAndMembersSetTargetsAViewerMayNot() {
    String ws = workspace();
    String id = insertConnection(ws);
    assertThat(
            put(ws, Role.OWNER, id, "{\"availability_target\": \"99\"}", 200)
                .get("availability_target")
                .asString())
        .isEqualTo("99");
    assertThat(
            put(ws, Role.ADMIN, id, "{\"availability_target\": \"99.9\"}", 200)
                .get("availability_target")
                .asString())
        .isEqualTo("99.9");

    assertThat(
            put(ws, Role.VIEWER, id, "{\"availability_target\": \"50\"}", 403)
                .get("code")
                .asString())
        .isEqualTo("forbidden_role");
    assertThat(clear(ws, Role.VIEWER, id, 403).get("code").asString()).isEqualTo("forbidden_role");
    assertThat(listed(ws, id).get("availability_target").asString()).isEqualTo("99.9");
  }

  @Test
  void anotherWorkspacesOrAnUnknownConnectionIsNotFound() {
    String ws = workspace();
    String id = insertConnection(ws);
    put(ws, Role.MEMBER, id, "{\"availability_target\": \"99.5\"}", 200);
    String other = workspace();

    for (String unknown : new String[] {id, UUID.randomUUID().toString(), "not-a-uuid"}) {
      assertThat(
              put(other, Role.OWNER, unknown, "{\"availability_target\": \"90\"}", 404)
                  .get("code")
                  .asString())
          .as(unknown)
          .isEqualTo("connection_not_found");
      assertThat(clear(other, Role.OWNER, unknown, 404).get("code").asString())
          .as(unknown)
          .isEqualTo("connection_not_found");
    }
    assertThat(listed(ws, id).get("availability_target").asString()).isEqualTo("99.5");
  }

  // --- helpers

  /** A connection row of its own (the OAuth dance is tested elsewhere; tokens are not read). */
  String insertConnection(String ws) {
    UUID id = UUID.randomUUID();
    db.sql(
            "INSERT INTO integrations.connections (id, workspace_id, provider, account, scopes,"
                + " connected_by, connected_at, status, access_token)"
                + " VALUES (:id, :ws, 'github', 'octocat', 'repo read:user', 'user-member', :at,"
                + " 'ok', :token)")
        .bind("id", id)
        .bind("ws", ws)
        .bind("at", Instant.now())
        .bind("token", new byte[] {1, 2, 3})
        .then()
        .block();
    return id.toString();
  }

  BigDecimal storedTarget(String id) {
    return db.sql("SELECT availability_target FROM integrations.connections WHERE id = :id")
        .bind("id", UUID.fromString(id))
        .map(r -> java.util.Optional.ofNullable(r.get(0, BigDecimal.class)))
        .one()
        .block()
        .orElse(null);
  }

  JsonNode listed(String ws, String id) {
    JsonNode list =
        JSON.readTree(
            web.get()
                .uri("/api/integrations/connections")
                .header(ForwardedIdentity.HEADER, as(ws, Role.VIEWER))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    for (JsonNode c : list.get("connections")) {
      if (c.get("id").asString().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("connection " + id + " is not listed: " + list);
  }

  JsonNode put(String ws, Role role, String id, String body, int status) {
    return JSON.readTree(
        web.put()
            .uri("/api/integrations/connections/{id}/sla", id)
            .header(ForwardedIdentity.HEADER, as(ws, role))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody());
  }

  JsonNode clear(String ws, Role role, String id, int status) {
    byte[] body =
        web.delete()
            .uri("/api/integrations/connections/{id}/sla", id)
            .header(ForwardedIdentity.HEADER, as(ws, role))
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return body == null || body.length == 0 ? null : JSON.readTree(body);
  }
}
