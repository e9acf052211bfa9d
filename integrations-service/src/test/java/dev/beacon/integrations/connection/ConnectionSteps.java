package dev.beacon.integrations.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.integrations.IntegrationsStandIns;
import dev.beacon.integrations.connection.domain.Connection;
import dev.beacon.integrations.connection.domain.ConnectionService;
import dev.beacon.integrations.connection.domain.TokenService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * The steps of an OAuth dance as a browser and the web app take them (authorize, the provider's
 * redirect back, listing, disconnecting) and what the tests read afterwards (the stored row). Adds
 * no configuration: the application context is shared.
 */
abstract class ConnectionSteps extends IntegrationsStandIns {

  @Autowired DatabaseClient db;
  @Autowired ConnectionService connections;
  @Autowired TokenService tokens;

  Map<String, String> authorize(String ws, String provider) {
    JsonNode answer =
        JSON.readTree(
            web.post()
                .uri("/api/integrations/connections/{provider}/authorize", provider)
                .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    String url = answer.get("authorization_url").asString();
    assertThat(url)
        .startsWith("http://127.0.0.1:" + PROVIDERS.port() + "/" + provider + "/authorize?");
    return OAuthDance.query(url);
  }

  void callback(String provider, String code, String state) {
    web.get()
        .uri(
            "/api/integrations/oauth/{p}/callback?code={code}&state={state}", provider, code, state)
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .valueEquals("Location", PUBLIC_URL + "/integrations?connected=" + provider);
  }

  JsonNode callbackRefused(String provider, String code, String state, int status) {
    String uri =
        state == null
            ? "/api/integrations/oauth/{p}/callback?code={code}"
            : "/api/integrations/oauth/{p}/callback?code={code}&state={state}";
    return JSON.readTree(
        web.get()
            .uri(uri, provider, code, state)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody());
  }

  JsonNode list(String ws, Role role) {
    return JSON.readTree(
        web.get()
            .uri("/api/integrations/connections")
            .header(ForwardedIdentity.HEADER, as(ws, role))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody());
  }

  JsonNode disconnect(String ws, String id, int status) {
    byte[] body =
        web.delete()
            .uri("/api/integrations/connections/{id}", id)
            .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return body == null || body.length == 0 ? null : JSON.readTree(body);
  }

  Connection connection(String ws, String id) {
    return connections.list(ws).filter(c -> c.id().toString().equals(id)).blockFirst();
  }

  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(String value) {
    return HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
  }

  /** The connection's whole row as text: what a database dump would show. */
  String row(String id) {
    return db.sql("SELECT c::text FROM integrations.connections c WHERE id = :id")
        .bind("id", UUID.fromString(id))
        .map(r -> r.get(0, String.class))
        .one()
        .block();
  }

  /** The id of the workspace's last connection. */
  String lastConnectionId(String ws) {
    JsonNode listed = list(ws, Role.MEMBER).get("connections");
    return listed.get(listed.size() - 1).get("id").asString();
  }
}
