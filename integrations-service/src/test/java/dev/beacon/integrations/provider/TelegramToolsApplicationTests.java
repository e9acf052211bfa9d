package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code telegram.send_message} against a stand-in speaking Telegram's Bot API: the exact request
 * ({@code POST /bot<token>/sendMessage}, JSON), the answer, and Telegram's {@code {"ok": false,
 * "error_code", "description"}} refusals.
 */
class TelegramToolsApplicationTests extends CredentialToolsStandIns {

  @Test
  void sendMessagePostsJsonToTheBotsSendMessage() {
    Keyed telegram = connectTelegram(workspace());
    String url = sendMessage(telegram);
    PROVIDERS.stubFor(
        post(urlEqualTo(url))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "result": {"message_id": 4711,
                     "from": {"id": 7012345678, "is_bot": true, "first_name": "Acme Alerts",
                              "username": "acme_alerts_bot"},
                     "chat": {"id": -1001234567890, "title": "Ops", "type": "supergroup"},
                     "date": 1733630400, "text": "Deploy finished"}}
                    """)));

    JsonNode result =
        run(
            telegram.workspace(),
            "telegram.send_message",
            Map.of("chat_id", "-1001234567890", "text", "Deploy finished"));

    assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("ok");
    assertThat(result.get("result").asString())
        .isEqualTo("Sent message 4711 to chat -1001234567890.");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(url))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withRequestBody(
                equalToJson(
                    "{\"chat_id\": -1001234567890, \"text\": \"Deploy finished\"}", true, false)));
  }

  @Test
  void aChannelUsernameIsSentAsAString() {
    Keyed telegram = connectTelegram(workspace());
    String url = sendMessage(telegram);
    PROVIDERS.stubFor(
        post(urlEqualTo(url))
            .willReturn(okJson("{\"ok\": true, \"result\": {\"message_id\": 1}}")));

    run(
        telegram.workspace(),
        "telegram.send_message",
        Map.of("chat_id", "@acme_ops", "text", "hi"));

    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(url))
            .withRequestBody(equalToJson("{\"chat_id\": \"@acme_ops\", \"text\": \"hi\"}")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "401|Unauthorized|needs_reauth|needs_reauth",
        "404|Not Found|needs_reauth|needs_reauth",
        "400|Bad Request: chat not found|not_found|ok",
        "403|Forbidden: bot was blocked by the user|not_allowed|ok",
        "400|Bad Request: message text is empty|provider_error|ok"
      })
  void telegramsRefusalsAreMapped(int status, String description, String code, String state) {
    Keyed telegram = connectTelegram(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(sendMessage(telegram)))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"ok\": false, \"error_code\": %d, \"description\": \"%s\"}"
                            .formatted(status, description))));

    JsonNode result =
        run(telegram.workspace(), "telegram.send_message", Map.of("chat_id", "42", "text", "hi"));

    assertError(result, code);
    assertThat(result.get("error").get("message").asString())
        .contains(description)
        .doesNotContain(telegram.secret("bot_token"));
    assertThat(connections(telegram.workspace()).get(0).get("status").asString()).isEqualTo(state);
  }

  @Test
  void a429IsRateLimitedForTelegramsRetryAfter() {
    Keyed telegram = connectTelegram(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(sendMessage(telegram)))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"ok\": false, \"error_code\": 429, \"description\": \"Too Many"
                            + " Requests: retry after 35\", \"parameters\": {\"retry_after\": 35}}")));

    JsonNode result =
        run(telegram.workspace(), "telegram.send_message", Map.of("chat_id", "42", "text", "hi"));

    assertError(result, "rate_limited");
    assertThat(result.get("error").get("message").asString())
        .startsWith("Telegram is rate limiting these calls; retry after 35 seconds (at ");
  }

  @Test
  void noAnswerInTimeIsATimeout() {
    Keyed telegram = connectTelegram(workspace());
    PROVIDERS.stubFor(
        post(urlEqualTo(sendMessage(telegram)))
            .willReturn(okJson("{\"ok\": true, \"result\": {}}").withFixedDelay(4_000)));

    JsonNode result =
        run(telegram.workspace(), "telegram.send_message", Map.of("chat_id", "42", "text", "hi"));

    assertError(result, "timeout");
    assertThat(result.get("error").get("message").asString())
        .isEqualTo("Telegram did not answer within 2000 ms.");
  }

  @Test
  void aTextOverTelegramsLimitOrAMalformedChatIsRefusedBeforeSending() {
    Keyed telegram = connectTelegram(workspace());

    JsonNode tooLong =
        refused(
            telegram.workspace(),
            "telegram.send_message",
            Map.of("chat_id", "42", "text", "x".repeat(4097)),
            400);
    JsonNode badChat =
        refused(
            telegram.workspace(),
            "telegram.send_message",
            Map.of("chat_id", "42/../getUpdates", "text", "hi"),
            400);

    assertThat(tooLong.get("message").asString())
        .isEqualTo("text must be at most 4096 characters.");
    assertThat(badChat.get("field").asString()).isEqualTo("chat_id");
    PROVIDERS.verify(0, postRequestedFor(urlEqualTo(sendMessage(telegram))));
  }

  private static String sendMessage(Keyed telegram) {
    return "/telegram/bot" + telegram.secret("bot_token") + "/sendMessage";
  }
}
