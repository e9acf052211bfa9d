package dev.beacon.integrations.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.events.EventStatus;
import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * A Telegram channel end to end: creating it registers the webhook with a secret Beacon made; a
 * verified update reaches the agent in chat-service and the answer goes back with {@code
 * sendMessage}; unverified updates are refused; redeliveries are relayed once; every Bot API call
 * is one {@code service_call}.
 */
class TelegramChannelApplicationTests extends ChannelStandIns {

  @Autowired DatabaseClient db;

  @BeforeAll
  static void readEvents() {
    EventLog.start();
  }

  /** A channel made for a test, with the secret Telegram was given. */
  record Telegram(String workspace, Agent agent, String id, String token, String secret) {}

  Telegram telegramChannel(String ws) {
    Agent agent = agent(ws);
    String token = telegramToken();
    telegramAccepts(token);
    JsonNode created =
        createChannel(
            ws,
            Map.of("kind", "telegram", "agent_id", agent.id().toString(), "bot_token", token),
            201);
    String id = created.get("id").asString();
    List<LoggedRequest> setWebhook =
        PROVIDERS.findAll(postRequestedFor(urlEqualTo("/telegram/bot" + token + "/setWebhook")));
    assertThat(setWebhook).hasSize(1);
    String secret =
        JSON.readTree(setWebhook.get(0).getBodyAsString()).get("secret_token").asString();
    return new Telegram(ws, agent, id, token, secret);
  }

  @Test
  void creatingAChannelRegistersTheWebhookAndNoAnswerCarriesTheToken() {
    String ws = workspace();
    Agent agent = agent(ws);
    String token = telegramToken();
    telegramAccepts(token);

    byte[] answer =
        web.post()
            .uri("/api/integrations/channels")
            .header(ForwardedIdentity.HEADER, signer.sign(OWNER, ws, Role.OWNER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of("kind", "telegram", "agent_id", agent.id().toString(), "bot_token", token))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode created = JSON.readTree(answer);
    String id = created.get("id").asString();
    String webhookUrl = PUBLIC_URL + "/api/integrations/channels/telegram/" + id + "/webhook";
    assertThat(created.get("kind").asString()).isEqualTo("telegram");
    assertThat(created.get("agent_id").asString()).isEqualTo(agent.id().toString());
    assertThat(created.get("bot_token").asString())
        .isEqualTo("••••" + token.substring(token.length() - 4));
    assertThat(created.get("webhook_url").asString()).isEqualTo(webhookUrl);
    assertThat(created.get("created_by").asString()).isEqualTo(OWNER);
    assertThat(new String(answer, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(token);

    List<LoggedRequest> setWebhook =
        PROVIDERS.findAll(postRequestedFor(urlEqualTo("/telegram/bot" + token + "/setWebhook")));
    assertThat(setWebhook).hasSize(1);
    LoggedRequest registered = setWebhook.get(0);
    assertThat(registered.getHeader("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(registered.getBodyAsString());
    assertThat(body.propertyNames())
        .containsExactlyInAnyOrder("url", "secret_token", "allowed_updates");
    assertThat(body.get("url").asString()).isEqualTo(webhookUrl);
    String secret = body.get("secret_token").asString();
    assertThat(secret).matches("[A-Za-z0-9_-]{43}");
    assertThat(body.get("allowed_updates").toString()).isEqualTo("[\"message\"]");
    // the chat agent was checked as the creating owner, with the role member
    List<LoggedRequest> agentChecks =
        PROVIDERS.findAll(
            WireMock.getRequestedFor(urlEqualTo("/chat/api/chat/agents/" + agent.id())));
    assertThat(agentChecks).hasSize(1);
    JsonNode claims = claims(agentChecks.get(0).getHeader(ForwardedIdentity.HEADER));
    assertThat(claims.get("sub").asString()).isEqualTo(OWNER);
    assertThat(claims.get("wid").asString()).isEqualTo(ws);
    assertThat(claims.get("role").asString()).isEqualTo("member");

    JsonNode listed = listChannels(ws);
    assertThat(listed.get("channels")).hasSize(1);
    assertThat(listed.toString()).doesNotContain(token).doesNotContain(secret);
    assertThat(listed.get("channels").get(0).get("bot_token").asString()).startsWith("••••");

    // stored sealed, the secret only as its SHA-256
    Map<String, Object> row =
        db.sql("SELECT bot_token, webhook_secret_hash FROM integrations.channels WHERE id = :id")
            .bind("id", UUID.fromString(id))
            .fetch()
            .one()
            .block();
    assertThat(
            new String(bytes(row.get("bot_token")), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(token);
    assertThat((String) row.get("webhook_secret_hash")).hasSize(64).isNotEqualTo(secret);
  }

  @Test
  void onlyOwnersAndAdminsManageChannelsAndAnotherWorkspacesChannelIsNotFound() {
    Telegram channel = telegramChannel(workspace());
    String other = workspace();

    byte[] refused =
        web.post()
            .uri("/api/integrations/channels")
            .header(
                ForwardedIdentity.HEADER, signer.sign("user-m", channel.workspace(), Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                JSON.writeValueAsBytes(
                    Map.of(
                        "kind",
                        "telegram",
                        "agent_id",
                        channel.agent().id().toString(),
                        "bot_token",
                        telegramToken())))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(refused).get("code").asString()).isEqualTo("forbidden_role");
    byte[] missing =
        web.delete()
            .uri("/api/integrations/channels/{id}", channel.id())
            .header(ForwardedIdentity.HEADER, signer.sign(OWNER, other, Role.OWNER))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(missing).get("code").asString()).isEqualTo("channel_not_found");
    assertThat(listChannels(other).get("channels")).isEmpty();
    assertThat(listChannels(channel.workspace()).get("channels")).hasSize(1);

    JsonNode invalid =
        createChannel(
            channel.workspace(),
            Map.of(
                "kind",
                "telegram",
                "agent_id",
                channel.agent().id().toString(),
                "bot_token",
                "nope"),
            400);
    assertThat(invalid.get("code").asString()).isEqualTo("invalid_channel");
    assertThat(invalid.get("field").asString()).isEqualTo("bot_token");
    JsonNode unknownAgent =
        createChannel(
            channel.workspace(),
            Map.of(
                "kind",
                "telegram",
                "agent_id",
                UUID.randomUUID().toString(),
                "bot_token",
                telegramToken()),
            400);
    assertThat(unknownAgent.get("field").asString()).isEqualTo("agent_id");
  }

  @Test
  void aVerifiedUpdateReachesTheAgentAndTheAnswerGoesBackOnce() {
    String ws = workspace();
    Telegram channel = telegramChannel(ws);
    UUID conversation = conversationFor(channel.agent());
    answers(conversation, "What is on today?", "Two meetings and a dentist.");
    String update = update(1001, 4242, "What is on today?");

    deliver(channel, channel.secret(), update, 200);
    // Telegram delivers again when it missed the 200: handled once
    deliver(channel, channel.secret(), update, 200);

    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 1);
    LoggedRequest sent = PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).get(0);
    assertThat(JSON.readTree(sent.getBodyAsString()))
        .isEqualTo(JSON.readTree("{\"chat_id\": 4242, \"text\": \"Two meetings and a dentist.\"}"));

    String messages = "/chat/api/chat/conversations/" + conversation + "/messages";
    List<LoggedRequest> asked = PROVIDERS.findAll(postRequestedFor(urlEqualTo(messages)));
    assertThat(asked).hasSize(1);
    assertThat(JSON.readTree(asked.get(0).getBodyAsString()))
        .isEqualTo(JSON.readTree("{\"content\": \"What is on today?\"}"));
    assertThat(asked.get(0).getHeader("Accept")).contains("text/event-stream");
    JsonNode claims = claims(asked.get(0).getHeader(ForwardedIdentity.HEADER));
    assertThat(claims.get("sub").asString()).isEqualTo(OWNER);
    assertThat(claims.get("wid").asString()).isEqualTo(ws);
    assertThat(claims.get("role").asString()).isEqualTo("member");
    List<LoggedRequest> created =
        PROVIDERS.findAll(
            postRequestedFor(urlEqualTo("/chat/api/chat/conversations"))
                .withRequestBody(matching(".*" + channel.agent().id() + ".*")));
    assertThat(created).hasSize(1);
    assertThat(JSON.readTree(created.get(0).getBodyAsString()).get("title").asString())
        .isEqualTo("Telegram: Ada Lovelace");

    // the same chat keeps its conversation
    answers(conversation, "And tomorrow?", "Nothing.");
    deliver(channel, channel.secret(), update(1002, 4242, "And tomorrow?"), 200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 2);
    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(urlEqualTo("/chat/api/chat/conversations"))
                    .withRequestBody(matching(".*" + channel.agent().id() + ".*"))))
        .hasSize(1);

    // setWebhook and the two sendMessages, each once; none carries the token
    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 3);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(ws).size() == 3);
    List<ObsEvent> events = EventLog.of(ws).stream().map(EventLog.Received::event).toList();
    assertThat(EventLog.of(ws))
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
              assertThat(r.key()).isEqualTo(Topics.eventKey(ws, channel.agent().id().toString()));
            });
    assertThat(events.stream().map(e -> e.service().name() + " " + e.service().operation()))
        .containsExactlyInAnyOrder(
            "telegram setWebhook", "telegram sendMessage", "telegram sendMessage");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.SERVICE_CALL);
              assertThat(e.status()).isEqualTo(EventStatus.OK);
              assertThat(e.agentId()).isEqualTo(channel.agent().id().toString());
              assertThat(e.metadata())
                  .containsEntry("channel_id", channel.id())
                  .containsEntry("http_status", 200)
                  .containsEntry("source", "integrations-service");
              assertThat(e.toString())
                  .doesNotContain(channel.token())
                  .doesNotContain(channel.secret());
            });
    // a reply belongs to the agent's run and trace
    assertThat(events.stream().filter(e -> e.service().operation().equals("sendMessage")))
        .allSatisfy(e -> assertThat(e.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"))
        .allSatisfy(e -> assertThat(e.runId()).isNotNull());
  }

  @Test
  void anUpdateWithoutTheRightSecretIsRefusedAndNothingIsSent() {
    Telegram channel = telegramChannel(workspace());
    String update = update(2001, 77, "hello");

    for (String secret : new String[] {"wrong", channel.secret() + "x", null}) {
      JsonNode refused = deliver(channel, secret, update, 401);
      assertThat(refused.get("code").asString()).isEqualTo("invalid_secret_token");
    }
    // a channel id that does not exist, or is another kind's, answers the same
    deliverTo(
        "/api/integrations/channels/telegram/" + UUID.randomUUID() + "/webhook",
        channel.secret(),
        update,
        401);
    deliverTo(
        "/api/integrations/channels/telegram/not-a-uuid/webhook", channel.secret(), update, 401);

    // then the right secret is still taken: the refusals did not mark the update as delivered
    UUID conversation = conversationFor(channel.agent());
    answers(conversation, "hello", "hi");
    deliver(channel, channel.secret(), update, 200);
    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 1);
    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(
                    urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))))
        .hasSize(1);
  }

  @Test
  void aLongAnswerIsSentInPartsOfAtMost4096Characters() {
    Telegram channel = telegramChannel(workspace());
    UUID conversation = conversationFor(channel.agent());
    String first = "a".repeat(3000) + "\n" + "b".repeat(1500);
    String answer = first + " " + "c".repeat(2000);
    answers(conversation, "write a lot", answer);

    deliver(channel, channel.secret(), update(3001, 99, "write a lot"), 200);

    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 2);
    List<String> parts =
        PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).stream()
            .map(r -> JSON.readTree(r.getBodyAsString()))
            .peek(body -> assertThat(body.get("chat_id").asLong()).isEqualTo(99))
            .map(body -> body.get("text").asString())
            .toList();
    // cut after the line break, the last one in the first 4096 characters
    assertThat(parts.get(0)).isEqualTo("a".repeat(3000) + "\n");
    assertThat(parts.get(1)).isEqualTo("b".repeat(1500) + " " + "c".repeat(2000));
  }

  @Test
  void aTurnWaitingForAnApprovalSaysWhereToDecide() {
    Telegram channel = telegramChannel(workspace());
    UUID conversation = conversationFor(channel.agent());
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "run",
        Map.of(
            "run_id",
            "r1",
            "trace_id",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "conversation_id",
            conversation.toString()));
    event(
        sse,
        "message",
        Map.of(
            "message",
            Map.of(
                "role",
                "assistant",
                "content",
                "I will send the mail.",
                "tool_calls",
                List.of(Map.of("id", "call_1", "name", "gmail.send", "arguments", Map.of())))));
    event(
        sse,
        "approval",
        Map.of(
            "approval",
            Map.of("id", UUID.randomUUID().toString(), "tool", "gmail.send", "state", "pending")));
    event(sse, "done", Map.of("run_id", "r1", "state", "awaiting_approval", "usage", Map.of()));
    PROVIDERS.stubFor(
        WireMock.post(urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))
            .willReturn(
                WireMock.aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(sse.toString())));

    deliver(channel, channel.secret(), update(4001, 5, "mail the team"), 200);

    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 1);
    String text =
        JSON.readTree(
                PROVIDERS
                    .findAll(postRequestedFor(urlEqualTo(sendMessage)))
                    .get(0)
                    .getBodyAsString())
            .get("text")
            .asString();
    assertThat(text)
        .isEqualTo(
            "I will send the mail.\n\nAn approval is waiting in Beacon: "
                + PUBLIC_URL
                + "/approvals — the agent goes on once it is decided, and its answer will be sent"
                + " here.");
  }

  @Test
  void aTurnChatRefusesIsToldToTheChat() {
    Telegram channel = telegramChannel(workspace());
    UUID conversation = conversationFor(channel.agent());
    PROVIDERS.stubFor(
        WireMock.post(urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))
            .willReturn(
                WireMock.aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\": \"provider_unconfigured\", \"message\": \"The agent's provider openai has no settings.\", \"provider\": \"openai\"}")));

    deliver(channel, channel.secret(), update(5001, 6, "hi"), 200);

    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 1);
    assertThat(
            JSON.readTree(
                    PROVIDERS
                        .findAll(postRequestedFor(urlEqualTo(sendMessage)))
                        .get(0)
                        .getBodyAsString())
                .get("text")
                .asString())
        .isEqualTo("The agent could not answer: The agent's provider openai has no settings.");
  }

  @Test
  void aReplyTelegramRefusesIsAFailedServiceCall() {
    String ws = workspace();
    Telegram channel = telegramChannel(ws);
    UUID conversation = conversationFor(channel.agent());
    answers(conversation, "hi", "hello");
    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    PROVIDERS.stubFor(
        WireMock.post(urlEqualTo(sendMessage))
            .willReturn(
                WireMock.aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"ok\": false, \"error_code\": 403,"
                            + " \"description\": \"Forbidden: bot was blocked by the user\"}")));

    deliver(channel, channel.secret(), update(7001, 8, "hi"), 200);

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 2);
    ObsEvent failed =
        EventLog.of(ws).stream()
            .map(EventLog.Received::event)
            .filter(e -> e.service().operation().equals("sendMessage"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.status()).isEqualTo(EventStatus.ERROR);
    assertThat(failed.error().type()).isEqualTo("telegram_error");
    assertThat(failed.error().message())
        .isEqualTo("Telegram answered 403: Forbidden: bot was blocked by the user");
    assertThat(failed.metadata()).containsEntry("http_status", 403);
  }

  @Test
  void anAgentThatDoesNotAnswerInTimeIsToldToTheChat() {
    Telegram channel = telegramChannel(workspace());
    UUID conversation = conversationFor(channel.agent());
    // the tests' turn-timeout is 3 s
    PROVIDERS.stubFor(
        WireMock.post(urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))
            .willReturn(
                WireMock.aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withFixedDelay(6_000)
                    .withBody(turn(conversation, "too late", "idle"))));

    deliver(channel, channel.secret(), update(9001, 12, "think hard"), 200);

    String sendMessage = "/telegram/bot" + channel.token() + "/sendMessage";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(postRequestedFor(urlEqualTo(sendMessage))).size() == 1);
    assertThat(
            JSON.readTree(
                    PROVIDERS
                        .findAll(postRequestedFor(urlEqualTo(sendMessage)))
                        .get(0)
                        .getBodyAsString())
                .get("text")
                .asString())
        .isEqualTo(
            "The agent has not answered within 3 seconds; its answer will be in the conversation in"
                + " Beacon: "
                + PUBLIC_URL
                + "/chat/"
                + conversation);
  }

  @Test
  void deletingAChannelRemovesTheWebhookAndItsUpdatesAreRefused() {
    String ws = workspace();
    Telegram channel = telegramChannel(ws);

    web.delete()
        .uri("/api/integrations/channels/{id}", channel.id())
        .header(ForwardedIdentity.HEADER, signer.sign(OWNER, ws, Role.ADMIN))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();

    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(urlEqualTo("/telegram/bot" + channel.token() + "/deleteWebhook"))))
        .hasSize(1);
    assertThat(listChannels(ws).get("channels")).isEmpty();
    deliver(channel, channel.secret(), update(6001, 1, "still there?"), 401);
    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 2);
    assertThat(EventLog.of(ws).stream().map(r -> r.event().service().operation()))
        .containsExactlyInAnyOrder("setWebhook", "deleteWebhook");
    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(urlEqualTo("/telegram/bot" + channel.token() + "/sendMessage"))))
        .isEmpty();
  }

  static String update(long updateId, long chatId, String text) {
    return JSON.writeValueAsString(
        Map.of(
            "update_id",
            updateId,
            "message",
            Map.of(
                "message_id",
                updateId * 10,
                "from",
                Map.of("id", chatId, "is_bot", false, "first_name", "Ada", "language_code", "en"),
                "chat",
                Map.of(
                    "id", chatId, "type", "private", "first_name", "Ada", "last_name", "Lovelace"),
                "date",
                1765162800,
                "text",
                text)));
  }

  JsonNode deliver(Telegram channel, String secret, String update, int status) {
    return deliverTo(
        "/api/integrations/channels/telegram/" + channel.id() + "/webhook", secret, update, status);
  }

  JsonNode deliverTo(String path, String secret, String update, int status) {
    byte[] answer =
        web.post()
            .uri(path)
            .headers(
                h -> {
                  if (secret != null) {
                    h.set("X-Telegram-Bot-Api-Secret-Token", secret);
                  }
                })
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(update)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return answer == null || answer.length == 0 ? null : JSON.readTree(answer);
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] array) {
      return array;
    }
    java.nio.ByteBuffer buffer = ((java.nio.ByteBuffer) value).duplicate();
    byte[] array = new byte[buffer.remaining()];
    buffer.get(array);
    return array;
  }
}
