package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Connecting credential providers through {@code POST /api/integrations/connections} against
 * stand-ins speaking Binance's spot API ({@code /binance}), Telegram's Bot API ({@code /telegram})
 * and the Brave Search API ({@code /brave}). Every credential is new, so a stub matched on it
 * belongs to one test.
 */
abstract class CredentialToolsStandIns extends ProviderToolsStandIns {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  static final String BINANCE_ACCOUNT = "/binance/api/v3/account";
  static final String BINANCE_ORDER = "/binance/api/v3/order";
  static final String BRAVE_SEARCH = "/brave/res/v1/web/search";

  /** Binance's account answer (its documented example), with zero and non-zero balances. */
  static final String ACCOUNT =
      """
      {"makerCommission": 15, "takerCommission": 15, "buyerCommission": 0, "sellerCommission": 0,
       "commissionRates": {"maker": "0.00150000", "taker": "0.00150000", "buyer": "0.00000000",
                           "seller": "0.00000000"},
       "canTrade": true, "canWithdraw": true, "canDeposit": true, "brokered": false,
       "requireSelfTradePrevention": false, "preventSor": false, "updateTime": 123456789,
       "accountType": "SPOT",
       "balances": [
         {"asset": "BTC", "free": "4723846.89208129", "locked": "0.00000000"},
         {"asset": "ETH", "free": "0.00000000", "locked": "0.00000000"},
         {"asset": "LTC", "free": "0.00000000", "locked": "12.50000000"}],
       "permissions": ["SPOT"], "uid": 354937868}
      """;

  /** A credential connection made for a test: its id and the secrets it was made with. */
  record Keyed(String workspace, String id, Map<String, String> secrets) {

    String secret(String field) {
      return secrets.get(field);
    }
  }

  static String alphanumeric(int length) {
    StringBuilder value = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      value.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return value.toString();
  }

  static String botToken() {
    return RANDOM.nextInt(1_000_000_000) + ":AA" + alphanumeric(33);
  }

  Keyed connectBinance(String ws) {
    String key = alphanumeric(64);
    String secret = alphanumeric(64);
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BINANCE_ACCOUNT))
            .withHeader("X-MBX-APIKEY", equalTo(key))
            .willReturn(okJson(ACCOUNT)));
    return connected(ws, "binance", Map.of("api_key", key, "api_secret", secret));
  }

  Keyed connectTelegram(String ws) {
    String token = botToken();
    PROVIDERS.stubFor(
        post(urlPathEqualTo("/telegram/bot" + token + "/getMe"))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "result": {"id": 7012345678, "is_bot": true,
                     "first_name": "Acme Alerts", "username": "acme_alerts_bot",
                     "can_join_groups": true, "can_read_all_group_messages": false,
                     "supports_inline_queries": false}}
                    """)));
    return connected(ws, "telegram", Map.of("bot_token", token));
  }

  Keyed connectBrave(String ws) {
    String key = "BSA" + alphanumeric(28);
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BRAVE_SEARCH))
            .withHeader("X-Subscription-Token", equalTo(key))
            .willReturn(okJson(braveAnswer("Beacon", 1))));
    return connected(ws, "brave", Map.of("api_key", key));
  }

  /** Brave's answer with {@code results} results (HTML in titles and descriptions, as Brave's). */
  static String braveAnswer(String query, int results) {
    StringBuilder hits = new StringBuilder();
    for (int i = 1; i <= results; i++) {
      if (i > 1) {
        hits.append(',');
      }
      hits.append(
          """
          {"type": "search_result", "subtype": "generic", "is_source_local": false,
           "title": "Result %d &amp; <strong>more</strong>", "url": "https://example.com/%d",
           "description": "The <strong>%d</strong>th page about %s.", "language": "en",
           "family_friendly": true, "profile": {"name": "Example", "url": "https://example.com"},
           "meta_url": {"scheme": "https", "netloc": "example.com", "hostname": "example.com"}}
          """
              .formatted(i, i, i, query));
    }
    return """
        {"type": "search", "query": {"original": "%s", "more_results_available": true},
         "mixed": {"type": "mixed", "main": []},
         "web": {"type": "search", "results": [%s], "family_friendly": true}}
        """
        .formatted(query, hits);
  }

  private Keyed connected(String ws, String provider, Map<String, String> secrets) {
    JsonNode connection = read(connect(ws, provider, secrets).expectStatus().isCreated());
    assertThat(connection.get("provider").asString()).isEqualTo(provider);
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    return new Keyed(ws, connection.get("id").asString(), secrets);
  }

  /** {@code POST /api/integrations/connections} as a member; the response to assert on. */
  WebTestClient.ResponseSpec connect(String ws, String provider, Map<String, ?> fields) {
    return connectAs(ws, Role.MEMBER, provider, fields);
  }

  WebTestClient.ResponseSpec connectAs(
      String ws, Role role, String provider, Map<String, ?> fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("provider", provider);
    body.putAll(fields);
    // the first connect of a JVM also warms up the outbound client and the cipher: more than 5 s on
    // a slow machine
    return web.mutate()
        .responseTimeout(Duration.ofSeconds(20))
        .build()
        .post()
        .uri("/api/integrations/connections")
        .header(ForwardedIdentity.HEADER, as(ws, role))
        .contentType(MediaType.APPLICATION_JSON)
        // bytes: the test client's JSON encoder would log the credential at DEBUG
        .bodyValue(JSON.writeValueAsBytes(body))
        .exchange();
  }

  /** The query parameters of a logged request, in the order they were sent. */
  static Map<String, String> query(LoggedRequest request) {
    String url = request.getUrl();
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
      int eq = pair.indexOf('=');
      params.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return params;
  }

  /** The raw query string a logged request was signed over: everything before its signature. */
  static String signedPayload(LoggedRequest request) {
    String url = request.getUrl();
    String query = url.substring(url.indexOf('?') + 1);
    int signature = query.lastIndexOf("&signature=");
    assertThat(signature).as(url).isPositive();
    return query.substring(0, signature);
  }

  static List<LoggedRequest> requests(
      com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
    return PROVIDERS.findAll(pattern);
  }

  static JsonNode read(WebTestClient.ResponseSpec response) {
    return JSON.readTree(response.expectBody().returnResult().getResponseBody());
  }

  /**
   * The request carries the API key and a signature that is Binance's HMAC-SHA256, in hex, of the
   * query string before it, with the secret key.
   */
  static void assertSigned(LoggedRequest sent, Keyed binance) {
    assertThat(sent.getHeader("X-MBX-APIKEY")).isEqualTo(binance.secret("api_key"));
    assertThat(sent.containsHeader("Authorization")).isFalse();
    String payload = signedPayload(sent);
    assertThat(query(sent).get("signature"))
        .isEqualTo(hmacSha256Hex(binance.secret("api_secret"), payload));
    assertThat(sent.getUrl()).doesNotContain(binance.secret("api_secret"));
  }

  static String hmacSha256Hex(String key, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
