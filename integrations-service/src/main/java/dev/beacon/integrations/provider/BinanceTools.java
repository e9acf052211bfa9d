package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.connection.domain.CredentialCheck;
import dev.beacon.integrations.connection.domain.CredentialProvider;
import dev.beacon.integrations.connection.domain.Credentials;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binance's spot REST API with the connection's HMAC API key: the account's balances and placing an
 * order. Every request is {@code SIGNED} as Binance documents it: the parameters, then {@code
 * recvWindow} and {@code timestamp} (Beacon's clock, in milliseconds), form the query string, and
 * {@code signature} is the lower-case hex HMAC-SHA256 of exactly that string with the secret key;
 * the API key travels in {@code X-MBX-APIKEY}. Every value sent is checked to be plain ASCII first
 * (symbols, enums, decimals, client order ids), so the signed string needs no percent-encoding and
 * is the query string byte for byte. Quantities and prices stay the strings they were given: they
 * are never turned into floating point.
 */
@Component
class BinanceTools implements ProviderTools, CredentialCheck {

  /** Binance's symbol form ({@code BTCUSDT}). */
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9_.-]{2,20}");

  /** A plain positive decimal, at most 8 decimals as Binance's assets have: {@code 0.015}. */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}(\\.[0-9]{1,8})?");

  /** Binance's client order id form. */
  private static final Pattern CLIENT_ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,36}");

  private static final int DEFAULT_ASSETS = 50;
  private static final int MAX_ASSETS = 100;

  private final ProviderClient client;
  private final Clock clock;

  BinanceTools(ProviderClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public CredentialProvider provider() {
    return CredentialProvider.BINANCE;
  }

  @Override
  public List<ProviderTool> tools() {
    String binance = CredentialProvider.BINANCE.id();
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "binance.account",
                "Reads the Binance spot account: whether it can trade, and each asset it holds"
                    + " (free and locked amounts as exact decimal strings), at most "
                    + MAX_ASSETS
                    + " assets.",
                ToolKind.READ,
                binance,
                Schema.object(
                    List.of(),
                    "max_assets",
                    Schema.integer(
                        "How many assets to list, " + DEFAULT_ASSETS + " by default.",
                        1,
                        MAX_ASSETS)),
                List.of()),
            CredentialProvider.BINANCE,
            this::account),
        new ProviderTool(
            new ToolSpec(
                "binance.place_order",
                "Places a Binance spot order: LIMIT (quantity and price) or MARKET (quantity, or"
                    + " quote_order_qty to spend or receive an amount of the quote asset). Amounts"
                    + " are decimal strings such as \"0.015\". Every call waits for a person's"
                    + " approval in Beacon.",
                ToolKind.WRITE,
                binance,
                Schema.object(
                    List.of("symbol", "side", "type"),
                    "symbol",
                    Schema.string("The pair, upper case, such as BTCUSDT.", 2, 20),
                    "side",
                    Schema.oneOf("BUY or SELL.", List.of("BUY", "SELL")),
                    "type",
                    Schema.oneOf("LIMIT or MARKET.", List.of("LIMIT", "MARKET")),
                    "quantity",
                    Schema.string("The amount of the base asset, a decimal string.", 1, 29),
                    "quote_order_qty",
                    Schema.string(
                        "MARKET only, instead of quantity: the amount of the quote asset to spend"
                            + " (BUY) or receive (SELL), a decimal string.",
                        1,
                        29),
                    "price",
                    Schema.string("LIMIT only: the limit price, a decimal string.", 1, 29),
                    "time_in_force",
                    Schema.oneOf(
                        "LIMIT only: GTC (the default), IOC or FOK.", List.of("GTC", "IOC", "FOK")),
                    "client_order_id",
                    Schema.string(
                        "Your id for the order (A-Z a-z 0-9 _ -); by default one derived from the"
                            + " call, so a repeated call is refused while the first order is open.",
                        1,
                        36)),
                List.of(),
                true),
            CredentialProvider.BINANCE,
            this::placeOrder));
  }

  /** Checks a credential with the signed {@code GET /api/v3/account}; the account is its uid. */
  @Override
  public Mono<String> account(Credentials credentials, String workspaceId) {
    return client
        .check(CredentialProvider.BINANCE, credentials, workspaceId, accountRequest(credentials))
        .mapNotNull(
            answer ->
                answer.path("uid").isIntegralNumber()
                    ? answer.path("accountType").asString("SPOT")
                        + " account "
                        + answer.path("uid").asLong()
                    : null);
  }

  private ProviderClient.Request accountRequest(Credentials credentials) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("omitZeroBalances", "true");
    return signed("account.get", HttpMethod.GET, "/api/v3/account", params, credentials, null);
  }

  private Mono<ToolResult> account(ToolCall call) {
    int max = Schema.integer(call.arguments(), "max_assets", DEFAULT_ASSETS);
    return client.run(
        "binance.account",
        call,
        session ->
            session
                .send(accountRequest(session.credentials()))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      JsonNode answer = outcome.answer();
                      ObjectNode result = JSON.createObjectNode();
                      result.put("account_type", answer.path("accountType").asString(null));
                      result.put("can_trade", answer.path("canTrade").asBoolean(false));
                      ArrayNode balances = result.putArray("balances");
                      boolean more = false;
                      for (JsonNode balance : answer.path("balances")) {
                        String free = balance.path("free").asString("0");
                        String locked = balance.path("locked").asString("0");
                        if (isZero(free) && isZero(locked)) {
                          continue;
                        }
                        if (balances.size() >= max) {
                          more = true;
                          break;
                        }
                        balances
                            .addObject()
                            .put("asset", balance.path("asset").asString(null))
                            .put("free", free)
                            .put("locked", locked);
                      }
                      result.put("more", more);
                      return ToolResult.ok(result.toString());
                    }));
  }

  private Mono<ToolResult> placeOrder(ToolCall call) {
    JsonNode arguments = call.arguments();
    String symbol =
        Schema.matching(arguments, "symbol", SYMBOL, "a Binance symbol such as BTCUSDT");
    String side = Schema.text(arguments, "side");
    String type = Schema.text(arguments, "type");
    String quantity = decimal(arguments, "quantity");
    String quoteQuantity = decimal(arguments, "quote_order_qty");
    String price = decimal(arguments, "price");
    String timeInForce = Schema.text(arguments, "time_in_force");
    String clientOrderId =
        Schema.matching(
            arguments, "client_order_id", CLIENT_ORDER_ID, "1 to 36 of A-Z a-z 0-9 _ -");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("symbol", symbol);
    params.put("side", side);
    params.put("type", type);
    if (type.equals("LIMIT")) {
      require(quantity, "quantity", "A LIMIT order needs quantity.");
      require(price, "price", "A LIMIT order needs price.");
      refuse(quoteQuantity, "quote_order_qty", "quote_order_qty is for MARKET orders only.");
      params.put("timeInForce", timeInForce == null ? "GTC" : timeInForce);
      params.put("quantity", quantity);
      params.put("price", price);
    } else {
      refuse(price, "price", "price is for LIMIT orders only.");
      refuse(timeInForce, "time_in_force", "time_in_force is for LIMIT orders only.");
      if ((quantity == null) == (quoteQuantity == null)) {
        throw ToolRegistry.invalidArguments(
            "quantity", "A MARKET order needs exactly one of quantity and quote_order_qty.");
      }
      if (quantity != null) {
        params.put("quantity", quantity);
      } else {
        params.put("quoteOrderQty", quoteQuantity);
      }
    }
    String orderId = clientOrderId != null ? clientOrderId : clientOrderId(call);
    params.put("newClientOrderId", orderId);
    params.put("newOrderRespType", "RESULT");
    return client.run(
        "binance.place_order",
        call,
        session ->
            session
                .send(
                    signed(
                        "order.new",
                        HttpMethod.POST,
                        "/api/v3/order",
                        params,
                        session.credentials(),
                        "symbol " + symbol))
                .map(
                    outcome -> {
                      if (outcome.ok()) {
                        return ToolResult.ok(placed(outcome.answer(), orderId));
                      }
                      ToolResult.Error error = outcome.failure().error();
                      boolean unknown =
                          error.code().equals("timeout")
                              || (error.code().equals("provider_error")
                                  && (outcome.httpStatus() == 0 || outcome.httpStatus() >= 500));
                      // Binance: a 5xx (or no answer) does not mean the order failed
                      return unknown
                          ? ToolResult.failed(
                              error.code(),
                              error.message()
                                  + " The order may have been placed: look for client order id "
                                  + orderId
                                  + " (binance.account shows the balances) before placing it"
                                  + " again.")
                          : outcome.failure();
                    }));
  }

  private static String placed(JsonNode order, String orderId) {
    String price = order.path("price").asString("");
    return "Placed "
        + order.path("side").asString("")
        + " "
        + order.path("type").asString("")
        + " order "
        + order.path("orderId").asLong()
        + " on "
        + order.path("symbol").asString("")
        + " for "
        + order.path("origQty").asString("")
        + (isZero(price) ? "" : " at " + price)
        + " (client order id "
        + order.path("clientOrderId").asString(orderId)
        + "): "
        + order.path("status").asString("")
        + ", executed "
        + order.path("executedQty").asString("0")
        + " for "
        + order.path("cummulativeQuoteQty").asString("0")
        + ".";
  }

  /**
   * A signed request: {@code params}, {@code recvWindow} and {@code timestamp} in this order as the
   * query string, then its signature; the values are ASCII checked before, so nothing is encoded.
   */
  private ProviderClient.Request signed(
      String operation,
      HttpMethod method,
      String path,
      Map<String, String> params,
      Credentials credentials,
      String missing) {
    StringBuilder query = new StringBuilder();
    params.forEach((name, value) -> query.append(name).append('=').append(value).append('&'));
    query
        .append("recvWindow=")
        .append(client.settings().binanceRecvWindow().toMillis())
        .append("&timestamp=")
        .append(clock.millis());
    String payload = query.toString();
    String signature = signature(credentials.get("api_secret"), payload);
    return new ProviderClient.Request(
        operation,
        method,
        URI.create(
            client.settings().binanceUrl() + path + "?" + payload + "&signature=" + signature),
        Map.of("X-MBX-APIKEY", credentials.get("api_key")),
        null,
        missing);
  }

  /** Binance's HMAC signature: lower-case hex HMAC-SHA256 of {@code payload} with the secret. */
  static String signature(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The client order id of a call that names none: the same for the same call of the same run
   * ({@code beacon-} and 29 hex characters of a SHA-256), so a call sent twice is refused by
   * Binance as {@code Duplicate order sent.} while the first order is open; random without a call
   * id.
   */
  static String clientOrderId(ToolCall call) {
    if (call.callId() == null) {
      return "beacon-" + UUID.randomUUID().toString().replace("-", "").substring(0, 29);
    }
    String key =
        String.join(
            "\0",
            call.context().workspaceId(),
            String.valueOf(call.context().agentId()),
            String.valueOf(call.context().runId()),
            call.callId());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "beacon-" + HexFormat.of().formatHex(digest).substring(0, 29);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The argument as a positive plain decimal string, or 400 {@code invalid_arguments}. */
  private static String decimal(JsonNode arguments, String name) {
    String value =
        Schema.matching(
            arguments, name, DECIMAL, "a plain decimal such as \"0.015\" (at most 8 decimals)");
    if (value != null && new BigDecimal(value).signum() <= 0) {
      throw ToolRegistry.invalidArguments(name, name + " must be greater than 0.");
    }
    return value;
  }

  private static boolean isZero(String decimal) {
    try {
      return decimal.isEmpty() || new BigDecimal(decimal).signum() == 0;
    } catch (NumberFormatException notADecimal) {
      return false;
    }
  }

  private static void require(String value, String field, String message) {
    if (value == null) {
      throw ToolRegistry.invalidArguments(field, message);
    }
  }

  private static void refuse(String value, String field, String message) {
    if (value != null) {
      throw ToolRegistry.invalidArguments(field, message);
    }
  }
}
