package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * Connecting with a credential ({@code POST /api/integrations/connections}): the credential is
 * checked with the provider in its own wire format before anything is stored, a refused one is a
 * clear 4xx and leaves nothing behind, and the stored connection is listed and disconnected like an
 * OAuth one, with no secret in any answer or in the row.
 */
class CredentialConnectionsApplicationTests extends CredentialToolsStandIns {

  @Autowired DatabaseClient db;

  @Test
  void binanceIsConnectedAfterASignedAccountCheckAndListedWithoutItsSecret() {
    String ws = workspace();
    String key = alphanumeric(64);
    String secret = alphanumeric(64);
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BINANCE_ACCOUNT))
            .withHeader("X-MBX-APIKEY", equalTo(key))
            .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(ACCOUNT)));

    JsonNode created =
        read(
            connect(ws, "binance", Map.of("api_key", key, "api_secret", secret))
                .expectStatus()
                .isCreated());

    assertThat(created.get("provider").asString()).isEqualTo("binance");
    assertThat(created.get("account").asString()).isEqualTo("SPOT account 354937868");
    assertThat(created.get("scopes")).isEmpty();
    assertThat(created.get("connected_by").asString()).isEqualTo("user-member");
    assertThat(created.get("status").asString()).isEqualTo("ok");
    assertThat(created.get("last_error").isNull()).isTrue();
    Keyed binance =
        new Keyed(ws, created.get("id").asString(), Map.of("api_key", key, "api_secret", secret));
    List<LoggedRequest> checks =
        requests(
            getRequestedFor(urlPathEqualTo(BINANCE_ACCOUNT))
                .withHeader("X-MBX-APIKEY", equalTo(key)));
    assertThat(checks).hasSize(1);
    assertSigned(checks.get(0), binance);
    JsonNode listed = connections(ws);
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0)).isEqualTo(created);
    assertThat(listed.toString() + created).doesNotContain(key).doesNotContain(secret);
    byte[] row = sealed(binance.id());
    assertThat(new String(row, StandardCharsets.ISO_8859_1))
        .doesNotContain(key)
        .doesNotContain(secret);
  }

  @Test
  void telegramIsConnectedAsItsBotAfterGetMe() {
    String ws = workspace();
    Keyed telegram = connectTelegram(ws);

    JsonNode listed = connections(ws);

    assertThat(listed.get(0).get("account").asString()).isEqualTo("@acme_alerts_bot");
    assertThat(listed.toString()).doesNotContain(telegram.secret("bot_token"));
    assertThat(
            requests(
                postRequestedFor(
                    urlEqualTo("/telegram/bot" + telegram.secret("bot_token") + "/getMe"))))
        .hasSize(1);
    assertThat(toolNames(ws)).containsExactly("telegram.send_message", "web_fetch");
  }

  @Test
  void braveIsConnectedAfterAOneResultSearch() {
    String ws = workspace();
    Keyed brave = connectBrave(ws);

    List<LoggedRequest> checks =
        requests(
            getRequestedFor(urlPathEqualTo(BRAVE_SEARCH))
                .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key"))));

    assertThat(checks).hasSize(1);
    assertThat(checks.get(0).getUrl()).isEqualTo(BRAVE_SEARCH + "?q=Beacon&count=1");
    assertThat(checks.get(0).getHeader("Accept")).isEqualTo("application/json");
    JsonNode connection = connections(ws).get(0);
    assertThat(connection.get("provider").asString()).isEqualTo("brave");
    assertThat(connection.get("account").isNull()).isTrue();
    assertThat(toolNames(ws)).containsExactly("web_fetch", "web_search");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "binance|401|{\"code\": -2015, \"msg\": \"Invalid API-key, IP, or permissions for action.\"}"
            + "|Binance refused the credential: Invalid API-key, IP, or permissions for action."
            + " (code -2015)",
        "binance|400|{\"code\": -1022, \"msg\": \"Signature for this request is not valid.\"}"
            + "|Binance refused the credential: Signature for this request is not valid. (code"
            + " -1022)",
        "telegram|401|{\"ok\": false, \"error_code\": 401, \"description\": \"Unauthorized\"}"
            + "|Telegram refused the credential: Unauthorized",
        "brave|422|{\"type\": \"ErrorResponse\", \"error\": {\"id\": \"c6b7\", \"status\": 422,"
            + " \"code\": \"SUBSCRIPTION_TOKEN_INVALID\", \"detail\": \"The provided subscription"
            + " token is invalid.\"}, \"time\": 1714043600}"
            + "|Brave Search refused the credential: SUBSCRIPTION_TOKEN_INVALID: The provided"
            + " subscription token is invalid."
      })
  void aCredentialTheProviderRefusesIsA400AndNothingIsStored(
      String provider, int status, String answer, String message) {
    String ws = workspace();
    Map<String, String> fields = refusedBy(provider, status, answer);

    JsonNode error = read(connect(ws, provider, fields).expectStatus().isBadRequest());

    assertThat(error.get("code").asString()).isEqualTo("credential_refused");
    assertThat(error.get("provider").asString()).isEqualTo(provider);
    assertThat(error.get("message").asString()).isEqualTo(message);
    assertThat(error.toString()).doesNotContain(fields.values().iterator().next());
    assertThat(connections(ws)).isEmpty();
    assertThat(toolNames(ws)).containsExactly("web_fetch");
  }

  @Test
  void aProviderThatCannotCheckTheCredentialIsA502AndNothingIsStored() {
    String ws = workspace();
    Map<String, String> fields =
        refusedBy(
            "binance",
            503,
            "{\"code\": -1008, \"msg\": \"Server is currently overloaded with other requests.\"}");

    JsonNode error = read(connect(ws, "binance", fields).expectStatus().isEqualTo(502));

    assertThat(error.get("code").asString()).isEqualTo("provider_unavailable");
    assertThat(error.get("message").asString())
        .isEqualTo(
            "Binance could not check the credential: Binance answered HTTP 503: Server is"
                + " currently overloaded with other requests. (code -1008)");
    assertThat(connections(ws)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "binance|{\"api_key\": \"%s\"}|api_secret|api_secret is required.",
        "binance|{\"api_key\": \"%s\", \"api_secret\": \"\"}|api_secret|api_secret is required.",
        "binance|{\"api_key\": \"%s\", \"api_secret\": 42}|api_secret|api_secret must be a string.",
        "binance|{\"api_key\": \"%s\", \"api_secret\": \"abc\\ndef0123456789xyz\"}"
            + "|api_secret|api_secret must be its secret key.",
        "binance|{\"api_key\": \"%s\", \"api_secret\": \"x\", \"passphrase\": \"p\"}"
            + "|passphrase|passphrase is not a field of a Binance credential.",
        "telegram|{\"bot_token\": \"%s\"}|bot_token|bot_token must be a bot token such as"
            + " 123456789:AA….",
        "brave|{\"api_key\": \"%s x\"}|api_key|api_key must be a Brave Search API key."
      })
  void aMalformedCredentialIsRefusedBeforeAnythingIsSent(
      String provider, String fields, String field, String message) {
    String ws = workspace();
    String marker = alphanumeric(40);
    Map<String, Object> body =
        JSON.readValue(
            fields.formatted(marker),
            new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});

    JsonNode error = read(connect(ws, provider, body).expectStatus().isBadRequest());

    assertThat(error.get("code").asString()).isEqualTo("invalid_credential");
    assertThat(error.get("field").asString()).isEqualTo(field);
    assertThat(error.get("message").asString()).isEqualTo(message);
    assertThat(error.toString()).doesNotContain(marker);
    assertThat(
            PROVIDERS.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(
                    r -> r.getUrl().contains(marker) || r.getHeaders().toString().contains(marker)))
        .isEmpty();
    assertThat(connections(ws)).isEmpty();
  }

  @Test
  void theConnectRequestItselfIsChecked() {
    String ws = workspace();

    assertThat(
            read(connect(ws, "kraken", Map.of("api_key", "k")).expectStatus().isNotFound())
                .get("code")
                .asString())
        .isEqualTo("unknown_provider");
    JsonNode oauth = read(connect(ws, "github", Map.of()).expectStatus().isBadRequest());
    assertThat(oauth.get("code").asString()).isEqualTo("oauth_provider");
    assertThat(oauth.get("message").asString())
        .isEqualTo(
            "GitHub is connected through OAuth: POST"
                + " /api/integrations/connections/github/authorize.");
    JsonNode credential =
        read(
            web.post()
                .uri("/api/integrations/connections/binance/authorize")
                .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                .exchange()
                .expectStatus()
                .isBadRequest());
    assertThat(credential.get("code").asString()).isEqualTo("credential_provider");
    assertThat(credential.get("message").asString())
        .isEqualTo("Binance is connected with a credential: POST /api/integrations/connections.");
    for (String body : List.of("[]", "{\"api_key\": \"k\"}", "{\"provider\": 7}")) {
      assertThat(
              read(web.post()
                      .uri("/api/integrations/connections")
                      .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                      .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                      .bodyValue(body)
                      .exchange()
                      .expectStatus()
                      .isBadRequest())
                  .get("code")
                  .asString())
          .as(body)
          .isEqualTo("invalid_request");
    }
  }

  @Test
  void aViewerMayNotConnect() {
    String ws = workspace();

    JsonNode error =
        read(
            connectAs(ws, Role.VIEWER, "telegram", Map.of("bot_token", botToken()))
                .expectStatus()
                .isForbidden());

    assertThat(error.get("code").asString()).isEqualTo("forbidden_role");
    assertThat(connections(ws)).isEmpty();
  }

  @Test
  void disconnectingDeletesTheConnectionAndItsToolsAndAnotherWorkspaceCannot() {
    String ws = workspace();
    Keyed telegram = connectTelegram(ws);
    String other = workspace();

    web.delete()
        .uri("/api/integrations/connections/{id}", telegram.id())
        .header(ForwardedIdentity.HEADER, as(other, Role.OWNER))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("connection_not_found");
    assertThat(connections(ws)).hasSize(1);
    int sentBefore = PROVIDERS.findAll(anyRequestedFor(anyUrl())).size();

    web.delete()
        .uri("/api/integrations/connections/{id}", telegram.id())
        .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
        .exchange()
        .expectStatus()
        .isNoContent();

    assertThat(connections(ws)).isEmpty();
    assertThat(toolNames(ws)).containsExactly("web_fetch");
    // nothing to revoke at Telegram: a bot token is revoked with BotFather
    assertThat(PROVIDERS.findAll(anyRequestedFor(anyUrl()))).hasSize(sentBefore);
    assertThat(
            db.sql("SELECT count(*) AS n FROM integrations.connections WHERE id = :id")
                .bind("id", UUID.fromString(telegram.id()))
                .map(r -> r.get("n", Long.class))
                .one()
                .block())
        .isZero();
  }

  @Test
  void theProvidersListNamesEachCredentialProvidersFields() {
    JsonNode body =
        read(
            web.get()
                .uri("/api/integrations/providers")
                .header(ForwardedIdentity.HEADER, as(workspace(), Role.VIEWER))
                .exchange()
                .expectStatus()
                .isOk());

    assertThat(body.get("credential_providers").toString())
        .isEqualTo(
            "[{\"id\":\"binance\",\"display_name\":\"Binance\","
                + "\"fields\":[\"api_key\",\"api_secret\"],\"platform_credential\":false},"
                + "{\"id\":\"telegram\",\"display_name\":\"Telegram\","
                + "\"fields\":[\"bot_token\"],\"platform_credential\":false},"
                + "{\"id\":\"brave\",\"display_name\":\"Brave Search\","
                + "\"fields\":[\"api_key\"],\"platform_credential\":false}]");
    // the OAuth providers are listed apart, none of the credential ones among them
    assertThat(body.get("providers").findValuesAsString("id"))
        .containsExactly("google", "slack", "github", "notion", "todoist", "dropbox", "spotify");
  }

  /** Fields of a new credential, and a stand-in answering its check with {@code answer}. */
  private static Map<String, String> refusedBy(String provider, int status, String answer) {
    Map<String, String> fields = new HashMap<>();
    var response =
        aResponse()
            .withStatus(status)
            .withHeader("Content-Type", "application/json;charset=UTF-8")
            .withBody(answer);
    switch (provider) {
      case "binance" -> {
        fields.put("api_key", alphanumeric(64));
        fields.put("api_secret", alphanumeric(64));
        PROVIDERS.stubFor(
            get(urlPathEqualTo(BINANCE_ACCOUNT))
                .withHeader("X-MBX-APIKEY", equalTo(fields.get("api_key")))
                .willReturn(response));
      }
      case "telegram" -> {
        fields.put("bot_token", botToken());
        PROVIDERS.stubFor(
            post(urlEqualTo("/telegram/bot" + fields.get("bot_token") + "/getMe"))
                .willReturn(response));
      }
      case "brave" -> {
        fields.put("api_key", "BSA" + alphanumeric(28));
        PROVIDERS.stubFor(
            get(urlPathEqualTo(BRAVE_SEARCH))
                .withHeader("X-Subscription-Token", equalTo(fields.get("api_key")))
                .willReturn(response));
      }
      default -> throw new IllegalArgumentException(provider);
    }
    return fields;
  }

  private byte[] sealed(String id) {
    return db.sql("SELECT access_token FROM integrations.connections WHERE id = :id")
        .bind("id", UUID.fromString(id))
        .map(
            r -> {
              Object value = r.get("access_token");
              if (value instanceof byte[] bytes) {
                return bytes;
              }
              java.nio.ByteBuffer buffer = (java.nio.ByteBuffer) value;
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              return bytes;
            })
        .one()
        .block();
  }
}
