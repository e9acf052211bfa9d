package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request to a credential provider is one {@code service_call} on {@code
 * obs.service-calls.v1} (service = the provider): the checks made on connecting, marked {@code
 * purpose: credential_check}, and each tool's requests, with the tool, call and connection; a call
 * refused before sending publishes nothing, and no {@code tool_call} is published (the caller that
 * runs the loop does, ADR 0019).
 */
class CredentialToolsKafkaTests extends CredentialToolsStandIns {

  @BeforeAll
  static void readEvents() {
    EventLog.start();
  }

  @Test
  void eachCredentialProviderRequestIsOneServiceCall() {
    String ws = workspace();
    Keyed binance = connectBinance(ws);
    Keyed telegram = connectTelegram(ws);
    Keyed brave = connectBrave(ws);
    PROVIDERS.stubFor(
        post(urlPathEqualTo(BINANCE_ORDER))
            .withHeader("X-MBX-APIKEY", equalTo(binance.secret("api_key")))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\": -2010, \"msg\": \"Account has insufficient balance for"
                            + " requested action.\"}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/telegram/bot" + telegram.secret("bot_token") + "/sendMessage"))
            .willReturn(okJson("{\"ok\": true, \"result\": {\"message_id\": 9}}")));

    okResult(run(ws, "binance.account", Map.of()));
    assertError(
        run(
            ws,
            "binance.place_order",
            Map.of("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "1")),
        "insufficient_balance");
    assertThat(run(ws, "telegram.send_message", Map.of("chat_id", "42", "text", "hi")).toString())
        .contains("Sent message 9");
    okResult(run(ws, "web_search", Map.of("query", "beacon")));
    // refused before sending: nothing is published
    refused(ws, "binance.place_order", Map.of("symbol", "BTCUSDT", "side", "BUY"), 400);

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 7);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(ws).size() == 7);
    List<EventLog.Received> received = EventLog.of(ws);
    assertThat(received)
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
              assertThat(r.event().type()).isEqualTo(EventType.SERVICE_CALL);
              assertThat(r.event().metadata())
                  .containsEntry("source", "integrations-service")
                  .containsEntry("host", "127.0.0.1");
              for (Keyed keyed : List.of(binance, telegram, brave)) {
                for (String secret : keyed.secrets().values()) {
                  assertThat(r.event().toString()).doesNotContain(secret);
                }
              }
            });
    List<ObsEvent> events = received.stream().map(EventLog.Received::event).toList();
    assertThat(
            events.stream()
                .collect(
                    Collectors.groupingBy(
                        e ->
                            e.service().name()
                                + " "
                                + e.service().operation()
                                + " "
                                + e.metadata().getOrDefault("tool", e.metadata().get("purpose")),
                        Collectors.counting())))
        .isEqualTo(
            Map.of(
                "binance account.get credential_check", 1L,
                "telegram getMe credential_check", 1L,
                "brave web.search credential_check", 1L,
                "binance account.get binance.account", 1L,
                "binance order.new binance.place_order", 1L,
                "telegram sendMessage telegram.send_message", 1L,
                "brave web.search web_search", 1L));

    List<ObsEvent> checks =
        events.stream()
            .filter(e -> "credential_check".equals(e.metadata().get("purpose")))
            .toList();
    assertThat(checks)
        .allSatisfy(
            e -> {
              assertThat(e.agentId()).isNull();
              assertThat(e.metadata()).doesNotContainKey("connection_id");
              assertThat(e.status()).isEqualTo(EventStatus.OK);
            });
    ObsEvent order =
        events.stream()
            .filter(e -> e.service().operation().equals("order.new"))
            .findFirst()
            .orElseThrow();
    assertThat(order.agentId()).isEqualTo("agent-1");
    assertThat(order.status()).isEqualTo(EventStatus.ERROR);
    assertThat(order.error().type()).isEqualTo("insufficient_balance");
    assertThat(order.metadata())
        .containsEntry("call_id", "call-binance.place_order")
        .containsEntry("connection_id", binance.id())
        .containsEntry("http_status", 400);
    assertThat(
            received.stream()
                .filter(r -> r.event().agentId() != null)
                .map(EventLog.Received::key)
                .distinct())
        .containsExactly(Topics.eventKey(ws, "agent-1"));
  }
}
