package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Binance's tools against a stand-in speaking Binance's spot REST API: the exact signed requests
 * (the query string, {@code X-MBX-APIKEY}, and a signature recomputed here as Binance documents it:
 * HMAC-SHA256 of the query string before {@code signature}, with the secret key), the mapped
 * answers, and Binance's error JSON mapped to stable codes.
 */
class BinanceToolsApplicationTests extends CredentialToolsStandIns {

  private static final String ORDER_RESULT =
      """
      {"symbol": "BTCUSDT", "orderId": 28, "orderListId": -1,
       "clientOrderId": "%s", "transactTime": 1507725176595,
       "price": "30000.01000000", "origQty": "0.01500000", "executedQty": "0.00000000",
       "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "0.00000000", "status": "NEW",
       "timeInForce": "GTC", "type": "LIMIT", "side": "BUY", "workingTime": 1507725176595,
       "selfTradePreventionMode": "NONE"}
      """;

  @Test
  void accountSendsASignedRequestAndAnswersTheNonZeroBalances() {
    Keyed binance = connectBinance(workspace());

    JsonNode account = okResult(run(binance.workspace(), "binance.account", Map.of()));

    assertThat(account.toString())
        .isEqualTo(
            "{\"account_type\":\"SPOT\",\"can_trade\":true,\"balances\":["
                + "{\"asset\":\"BTC\",\"free\":\"4723846.89208129\",\"locked\":\"0.00000000\"},"
                + "{\"asset\":\"LTC\",\"free\":\"0.00000000\",\"locked\":\"12.50000000\"}],"
                + "\"more\":false}");
    // the credential check on connecting, and the tool's call
    List<LoggedRequest> sent = sent(getRequestedFor(urlPathEqualTo(BINANCE_ACCOUNT)), binance);
    assertThat(sent).hasSize(2);
    for (LoggedRequest request : sent) {
      assertSigned(request, binance);
      Map<String, String> params = query(request);
      assertThat(params.keySet())
          .containsExactly("omitZeroBalances", "recvWindow", "timestamp", "signature");
      assertThat(params)
          .containsEntry("omitZeroBalances", "true")
          .containsEntry("recvWindow", "5000");
      assertThat(Long.parseLong(params.get("timestamp")))
          .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    }
  }

  @Test
  void accountListsAtMostMaxAssetsAndSaysThereAreMore() {
    Keyed binance = connectBinance(workspace());

    JsonNode account =
        okResult(run(binance.workspace(), "binance.account", Map.of("max_assets", 1)));

    assertThat(account.get("balances")).hasSize(1);
    assertThat(account.get("balances").get(0).get("asset").asString()).isEqualTo("BTC");
    assertThat(account.get("more").asBoolean()).isTrue();
  }

  @Test
  void aLimitOrderIsSignedWithItsExactDecimalsAndADerivedClientOrderId() {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        post(urlPathEqualTo(BINANCE_ORDER))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(okJson(ORDER_RESULT.formatted("from-binance"))));
    Map<String, String> order =
        Map.of(
            "symbol", "BTCUSDT",
            "side", "BUY",
            "type", "LIMIT",
            "quantity", "0.015",
            "price", "30000.01");

    JsonNode result = run(binance.workspace(), "binance.place_order", order);

    assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("ok");
    assertThat(result.get("result").asString())
        .isEqualTo(
            "Placed BUY LIMIT order 28 on BTCUSDT for 0.01500000 at 30000.01000000 (client order"
                + " id from-binance): NEW, executed 0.00000000 for 0.00000000.");
    LoggedRequest sent = only(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance);
    assertSigned(sent, binance);
    assertThat(sent.getBodyAsString()).isEmpty();
    Map<String, String> params = query(sent);
    assertThat(params.keySet())
        .containsExactly(
            "symbol",
            "side",
            "type",
            "timeInForce",
            "quantity",
            "price",
            "newClientOrderId",
            "newOrderRespType",
            "recvWindow",
            "timestamp",
            "signature");
    assertThat(params)
        .containsEntry("symbol", "BTCUSDT")
        .containsEntry("side", "BUY")
        .containsEntry("type", "LIMIT")
        .containsEntry("timeInForce", "GTC")
        .containsEntry("quantity", "0.015")
        .containsEntry("price", "30000.01")
        .containsEntry("newOrderRespType", "RESULT");
    assertThat(params.get("newClientOrderId")).matches("beacon-[0-9a-f]{29}");

    // the same call again: the same client order id, which Binance refuses while the order is open
    run(binance.workspace(), "binance.place_order", order);
    List<LoggedRequest> both = sent(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance);
    assertThat(both).hasSize(2);
    assertThat(both)
        .allSatisfy(
            request ->
                assertThat(query(request).get("newClientOrderId"))
                    .isEqualTo(params.get("newClientOrderId")));
  }

  @Test
  void aMarketOrderForAQuoteAmountSendsQuoteOrderQtyAndTheGivenClientOrderId() {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        post(urlPathEqualTo(BINANCE_ORDER))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(
                okJson(
                    ORDER_RESULT
                        .formatted("my-order_1")
                        .replace("\"LIMIT\"", "\"MARKET\"")
                        .replace("\"30000.01000000\"", "\"0.00000000\""))));

    JsonNode result =
        run(
            binance.workspace(),
            "binance.place_order",
            Map.of(
                "symbol",
                "ETHUSDT",
                "side",
                "SELL",
                "type",
                "MARKET",
                "quote_order_qty",
                "100.5",
                "client_order_id",
                "my-order_1"));

    assertThat(result.get("result").asString()).contains("MARKET order 28").doesNotContain(" at ");
    Map<String, String> params =
        query(only(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance));
    assertThat(params.keySet())
        .containsExactly(
            "symbol",
            "side",
            "type",
            "quoteOrderQty",
            "newClientOrderId",
            "newOrderRespType",
            "recvWindow",
            "timestamp",
            "signature");
    assertThat(params)
        .containsEntry("quoteOrderQty", "100.5")
        .containsEntry("newClientOrderId", "my-order_1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"quantity\": 0.015, \"price\": \"1\"}"
            + "|quantity|quantity must be a string.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"quantity\": \"1e-2\", \"price\": \"1\"}"
            + "|quantity|quantity must be a plain decimal such as \"0.015\" (at most 8 decimals).",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"quantity\": \"-1\", \"price\": \"1\"}"
            + "|quantity|quantity must be a plain decimal such as \"0.015\" (at most 8 decimals).",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"quantity\": \"0.000000001\", \"price\": \"1\"}"
            + "|quantity|quantity must be a plain decimal such as \"0.015\" (at most 8 decimals).",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"quantity\": \"0.000\", \"price\": \"1\"}"
            + "|quantity|quantity must be greater than 0.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"quantity\": \"1\"}"
            + "|price|A LIMIT order needs price.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"LIMIT\", \"price\": \"1\"}"
            + "|quantity|A LIMIT order needs quantity.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"MARKET\", \"quantity\": \"1\", \"price\": \"1\"}"
            + "|price|price is for LIMIT orders only.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"MARKET\", \"quantity\": \"1\", \"quote_order_qty\": \"5\"}"
            + "|quantity|A MARKET order needs exactly one of quantity and quote_order_qty.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"HOLD\", \"type\": \"MARKET\", \"quantity\": \"1\"}"
            + "|side|side must be one of BUY, SELL.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"STOP_LOSS\", \"quantity\": \"1\"}"
            + "|type|type must be one of LIMIT, MARKET.",
        "{\"symbol\": \"btcusdt\", \"side\": \"BUY\", \"type\": \"MARKET\", \"quantity\": \"1\"}"
            + "|symbol|symbol must be a Binance symbol such as BTCUSDT.",
        "{\"symbol\": \"BTC&USDT\", \"side\": \"BUY\", \"type\": \"MARKET\", \"quantity\": \"1\"}"
            + "|symbol|symbol must be a Binance symbol such as BTCUSDT.",
        "{\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"type\": \"MARKET\", \"quantity\": \"1\", \"client_order_id\": \"a/b\"}"
            + "|client_order_id|client_order_id must be 1 to 36 of A-Z a-z 0-9 _ -."
      })
  void anOrderBinanceCouldMisreadIsRefusedBeforeAnythingIsSent(
      String arguments, String field, String message) {
    Keyed binance = connectBinance(workspace());

    JsonNode error =
        refused(
            binance.workspace(),
            "binance.place_order",
            JSON.readValue(
                arguments, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {}),
            400);

    assertThat(error.get("code").asString()).isEqualTo("invalid_arguments");
    assertThat(error.get("field").asString()).isEqualTo(field);
    assertThat(error.get("message").asString()).isEqualTo(message);
    assertThat(sent(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "400|-2010|Account has insufficient balance for requested action.|insufficient_balance|ok",
        "400|-2010|Duplicate order sent.|duplicate_order|ok",
        "400|-2010|Market is closed.|order_rejected|ok",
        "400|-1013|Filter failure: LOT_SIZE|invalid_order|ok",
        "400|-1111|Parameter 'quantity' has too much precision.|invalid_order|ok",
        "400|-1121|Invalid symbol.|unknown_symbol|ok",
        "400|-1021|Timestamp for this request is outside of the recvWindow.|clock_skew|ok",
        "401|-2015|Invalid API-key, IP, or permissions for action.|permission_denied|ok",
        "400|-1022|Signature for this request is not valid.|needs_reauth|needs_reauth",
        "401|-2014|API-key format invalid.|needs_reauth|needs_reauth",
        "429|-1015|Too many new orders; current limit is 50 orders per 10 SECOND.|rate_limited|ok"
      })
  void binancesErrorsAreMappedToStableCodes(
      int status, int code, String msg, String expected, String connectionStatus) {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        post(urlPathEqualTo(BINANCE_ORDER))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json;charset=UTF-8")
                    .withBody("{\"code\": " + code + ", \"msg\": \"" + msg + "\"}")));

    JsonNode result = run(binance.workspace(), "binance.place_order", marketBuy());

    assertError(result, expected);
    if (!expected.equals("rate_limited")) {
      assertThat(result.get("error").get("message").asString()).contains(msg);
    }
    JsonNode connection = connections(binance.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo(connectionStatus);
    if (connectionStatus.equals("needs_reauth")) {
      assertThat(toolNames(binance.workspace())).containsExactly("web_fetch");
    }
  }

  @Test
  void anAccountReadRefusedForTheKeyTurnsTheConnectionNeedsReauth() {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BINANCE_ACCOUNT))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json;charset=UTF-8")
                    .withBody(
                        "{\"code\": -2015, \"msg\": \"Invalid API-key, IP, or permissions for"
                            + " action.\"}")));

    assertError(run(binance.workspace(), "binance.account", Map.of()), "needs_reauth");

    JsonNode connection = connections(binance.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo("needs_reauth");
    assertThat(connection.get("last_error").get("code").asString()).isEqualTo("needs_reauth");
    assertThat(toolNames(binance.workspace())).containsExactly("web_fetch");
    // nothing more is sent with a refused key
    assertError(run(binance.workspace(), "binance.place_order", marketBuy()), "needs_reauth");
    assertThat(sent(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance)).isEmpty();
  }

  @Test
  void a429OrAn418WithRetryAfterIsRateLimited() {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo(BINANCE_ACCOUNT))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(418)
                    .withHeader("Retry-After", "120")
                    .withHeader("Content-Type", "application/json;charset=UTF-8")
                    .withBody(
                        "{\"code\": -1003, \"msg\": \"Way too much request weight used; IP banned"
                            + " until 1507725176595.\"}")));

    JsonNode result = run(binance.workspace(), "binance.account", Map.of());

    assertError(result, "rate_limited");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Binance is rate limiting these calls; retry after 120 seconds (at ");
    assertThat(connections(binance.workspace()).get(0).get("status").asString()).isEqualTo("ok");
  }

  @Test
  void anOrderWithoutAnAnswerMayHaveBeenPlacedAndSaysWhichClientOrderIdToLookFor() {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        post(urlPathEqualTo(BINANCE_ORDER))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(okJson(ORDER_RESULT.formatted("late")).withFixedDelay(4_000)));

    JsonNode result = run(binance.workspace(), "binance.place_order", marketBuy());

    assertError(result, "timeout");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sent(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance).size() == 1);
    String clientOrderId =
        query(only(postRequestedFor(urlPathEqualTo(BINANCE_ORDER)), binance))
            .get("newClientOrderId");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo(
            "Binance did not answer within 2000 ms. The order may have been placed: look for"
                + " client order id "
                + clientOrderId
                + " (binance.account shows the balances) before placing it again.");
    assertThat(connections(binance.workspace()).get(0).get("last_error").get("code").asString())
        .isEqualTo("timeout");
  }

  @Test
  void aBinance5xxIsAProviderErrorWhoseOrderMayHaveBeenPlaced() {
    Keyed binance = connectBinance(workspace());
    PROVIDERS.stubFor(
        post(urlPathEqualTo(BINANCE_ORDER))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("Content-Type", "application/json;charset=UTF-8")
                    .withBody(
                        "{\"code\": -1007, \"msg\": \"Timeout waiting for response from backend"
                            + " server. Send status unknown; execution status unknown.\"}")));

    JsonNode result = run(binance.workspace(), "binance.place_order", marketBuy());

    assertError(result, "provider_error");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Binance answered HTTP 503: Timeout waiting for response")
        .contains("The order may have been placed: look for client order id beacon-");
  }

  @Test
  void placeOrderIsAWriteToolThatAlwaysWaitsForApproval() {
    Keyed binance = connectBinance(workspace());

    JsonNode tools =
        read(web.get()
                .uri("/api/integrations/tools")
                .header(
                    dev.beacon.identity.ForwardedIdentity.HEADER,
                    as(binance.workspace(), dev.beacon.identity.Role.VIEWER))
                .exchange()
                .expectStatus()
                .isOk())
            .get("tools");

    assertThat(toolNames(binance.workspace()))
        .containsExactly("binance.account", "binance.place_order", "web_fetch");
    JsonNode order = tools.get(1);
    assertThat(order.get("kind").asString()).isEqualTo("write");
    assertThat(order.get("integration").asString()).isEqualTo("binance");
    assertThat(order.get("requires_approval").asBoolean()).isTrue();
    assertThat(order.get("parameters").get("properties").get("quantity").get("type").asString())
        .isEqualTo("string");
    assertThat(tools.get(0).get("requires_approval").asBoolean()).isFalse();
  }

  @Test
  void anotherWorkspaceHasNoBinanceTools() {
    connectBinance(workspace());
    String other = workspace();

    JsonNode error = refused(other, "binance.account", Map.of(), 404);

    assertThat(error.get("code").asString()).isEqualTo("unknown_tool");
  }

  private static Map<String, String> marketBuy() {
    return Map.of("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.001");
  }

  /** The requests sent with this connection's key that match {@code pattern}. */
  private static List<LoggedRequest> sent(RequestPatternBuilder pattern, Keyed binance) {
    return requests(pattern.withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key"))));
  }

  /** The one request sent with this connection's key that matches {@code pattern}. */
  private static LoggedRequest only(RequestPatternBuilder pattern, Keyed binance) {
    List<LoggedRequest> found = sent(pattern, binance);
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
