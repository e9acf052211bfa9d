package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No API key, API secret or bot token in any answer or log line: credential connections' whole life
 * (connect, a refused connect, tools that succeed and tools refused by providers that echo the
 * secret back, the list, disconnect) with every logger at DEBUG. Binance's secret never leaves
 * Beacon at all: only the signature it makes does. (Their events are searched in {@link
 * CredentialToolsKafkaTests}.)
 */
class CredentialSecrecyApplicationTests extends CredentialToolsStandIns {

  @Test
  void noCredentialIsInAnyAnswerLogLineOrEvent() {
    String ws = workspace();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> lines = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    Keyed binance;
    Keyed telegram;
    Keyed brave;
    try {
      binance = connectBinance(ws);
      telegram = connectTelegram(ws);
      brave = connectBrave(ws);
      String refusedToken = botToken();
      secrets.add(refusedToken);
      PROVIDERS.stubFor(
          post(urlEqualTo("/telegram/bot" + refusedToken + "/getMe"))
              .willReturn(
                  aResponse()
                      .withStatus(401)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"ok\": false, \"error_code\": 401, \"description\": \"Unauthorized: "
                              + refusedToken
                              + "\"}")));
      lines.add(
          read(connect(ws, "telegram", Map.of("bot_token", refusedToken))
                  .expectStatus()
                  .isBadRequest())
              .toString());
      PROVIDERS.stubFor(
          post(urlPathEqualTo(BINANCE_ORDER))
              .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"code\": -2010, \"msg\": \"Account has insufficient balance for"
                              + " requested action. key="
                              + binance.secret("api_key")
                              + "\"}")));
      PROVIDERS.stubFor(
          post(urlEqualTo("/telegram/bot" + telegram.secret("bot_token") + "/sendMessage"))
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"ok\": false, \"error_code\": 400, \"description\": \"Bad Request:"
                              + " chat not found for bot"
                              + telegram.secret("bot_token")
                              + "\"}")));
      PROVIDERS.stubFor(
          get(urlPathEqualTo(BRAVE_SEARCH))
              .withHeader("X-Subscription-Token", equalTo(brave.secret("api_key")))
              .willReturn(
                  aResponse()
                      .withStatus(401)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"type\": \"ErrorResponse\", \"error\": {\"code\": \"UNAUTHORIZED\","
                              + " \"detail\": \"Unknown token "
                              + brave.secret("api_key")
                              + "\"}}")));
      lines.add(run(ws, "binance.account", Map.of()).toString());
      lines.add(
          run(
                  ws,
                  "binance.place_order",
                  Map.of("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "1"))
              .toString());
      lines.add(run(ws, "telegram.send_message", Map.of("chat_id", "42", "text", "hi")).toString());
      lines.add(run(ws, "web_search", Map.of("query", "beacon")).toString());
      lines.add(connections(ws).toString());
      lines.add(
          read(web.get()
                  .uri("/api/integrations/tools")
                  .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
                  .exchange()
                  .expectStatus()
                  .isOk())
              .toString());
      web.delete()
          .uri("/api/integrations/connections/{id}", binance.id())
          .header(ForwardedIdentity.HEADER, as(ws, Role.MEMBER))
          .exchange()
          .expectStatus()
          .isNoContent();
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }
    secrets.addAll(binance.secrets().values());
    secrets.addAll(telegram.secrets().values());
    secrets.addAll(brave.secrets().values());

    assertThat(lines.get(0)).contains("credential_refused").contains("Unauthorized: [token]");
    assertThat(lines.get(2)).contains("insufficient_balance").contains("key=[token]");
    assertThat(lines.get(3)).contains("not_found").contains("bot[token]");
    assertThat(lines.get(4)).contains("needs_reauth").contains("Unknown token [token]");
    for (ILoggingEvent event : logs.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(logs.list).isNotEmpty();
    for (String secret : secrets) {
      assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(secret));
    }
    // Binance's secret key only signs: it is in no request Beacon sent
    assertThat(PROVIDERS.findAll(anyRequestedFor(anyUrl())))
        .allSatisfy(
            request ->
                assertThat(request.getUrl() + request.getHeaders() + request.getBodyAsString())
                    .doesNotContain(binance.secret("api_secret")));
  }
}
