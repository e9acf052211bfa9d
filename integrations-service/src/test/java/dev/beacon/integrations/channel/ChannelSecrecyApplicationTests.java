package dev.beacon.integrations.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * No bot token and no webhook secret in any answer or log line: a Telegram channel's whole life
 * (create, an update relayed and answered, a reply Telegram refuses, delete) and a Discord channel
 * made with a bot token, with every logger at DEBUG, then every answer and log line (with its stack
 * traces) is searched. Telegram's Bot API URLs hold the token, so this also guards the client's
 * request logging.
 */
class ChannelSecrecyApplicationTests extends ChannelStandIns {

  @Test
  void botTokensAndTheWebhookSecretAreInNoAnswerAndNoLogLine() {
    String ws = workspace();
    Agent agent = agent(ws);
    String token = telegramToken();
    telegramAccepts(token);
    DiscordApp app = DiscordApp.create();
    String discordToken =
        "MTA5ODc2NTQzMjEwOTg3NjU0MzIx.GhIjKl." + UUID.randomUUID().toString().replace("-", "");
    PROVIDERS.stubFor(
        post(urlEqualTo("/discord/applications/" + app.applicationId() + "/commands"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\": \"401: Unauthorized\", \"code\": 0}")));

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    List<String> answers = new ArrayList<>();
    String secret;
    try {
      JsonNode created =
          createChannel(
              ws,
              Map.of("kind", "telegram", "agent_id", agent.id().toString(), "bot_token", token),
              201);
      answers.add(created.toString());
      String id = created.get("id").asString();
      secret =
          JSON.readTree(
                  PROVIDERS
                      .findAll(
                          postRequestedFor(urlEqualTo("/telegram/bot" + token + "/setWebhook")))
                      .get(0)
                      .getBodyAsString())
              .get("secret_token")
              .asString();
      UUID conversation = conversationFor(agent);
      answers(conversation, "hi", "hello");
      web.post()
          .uri("/api/integrations/channels/telegram/{id}/webhook", id)
          .header("X-Telegram-Bot-Api-Secret-Token", secret)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(TelegramChannelApplicationTests.update(8001, 31, "hi"))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .isEmpty();
      String sendMessage = "/telegram/bot" + token + "/sendMessage";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 1);
      answers.add(listChannels(ws).toString());
      answers.add(
          createChannel(
                  ws,
                  Map.of(
                      "kind", "discord",
                      "agent_id", agent.id().toString(),
                      "application_id", app.applicationId(),
                      "public_key", app.publicKeyHex(),
                      "bot_token", discordToken),
                  400)
              .toString());
      web.delete()
          .uri("/api/integrations/channels/{id}", id)
          .header(ForwardedIdentity.HEADER, signer.sign(OWNER, ws, Role.OWNER))
          .exchange()
          .expectStatus()
          .isNoContent()
          .expectBody()
          .isEmpty();
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }

    assertThat(logs.list).isNotEmpty();
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : logs.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    String tokenSecretPart = token.substring(token.indexOf(':') + 1);
    for (String text : concat(answers, lines)) {
      assertThat(text)
          .doesNotContain(tokenSecretPart)
          .doesNotContain(secret)
          .doesNotContain(discordToken);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
