package dev.beacon.integrations.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.events.ErrorDetails;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.events.TurnStop;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * The answers a channel's chat gets after the webhook (ADR 0028), against real Kafka and PostgreSQL
 * and WireMock's Telegram and Discord: a message whose turn waits for an approval gets the pending
 * message, and the turn's later stops on {@code chat.turn-stops.v1} — as chat-service publishes
 * them once the approval is approved or rejected through its API (chat-service's {@code
 * TurnStopsApplicationTests} holds that side) — reach the chat once each, also when a stop is
 * delivered again, when chat's own stop 1 follows the relay's, and when this service's listener was
 * down while chat published. Discord: a follow-up with the interaction's token within its 15
 * minutes, the bot's channel message after them, and a clear last error on the channel without a
 * bot token.
 */
class ChannelAnswersAfterApprovalApplicationTests extends ChannelStandIns {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static KafkaProducer<String, String> producer;

  @Autowired DatabaseClient db;
  @Autowired KafkaListenerEndpointRegistry listeners;

  @BeforeAll
  static void kafka() throws InterruptedException, ExecutionException {
    EventLog.start();
    String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(Topics.CHAT_TURN_STOPS.name(), 3, (short) 1)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer());
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  /** A Telegram channel with its bot token. */
  record Telegram(String workspace, Agent agent, String id, String token, String secret) {

    String sendMessage() {
      return "/telegram/bot" + token + "/sendMessage";
    }
  }

  Telegram telegramChannel() {
    String ws = workspace();
    Agent agent = agent(ws);
    String token = telegramToken();
    telegramAccepts(token);
    String id =
        createChannel(
                ws,
                Map.of("kind", "telegram", "agent_id", agent.id().toString(), "bot_token", token),
                201)
            .get("id")
            .asString();
    String secret =
        JSON.readTree(
                PROVIDERS
                    .findAll(postRequestedFor(urlEqualTo("/telegram/bot" + token + "/setWebhook")))
                    .get(0)
                    .getBodyAsString())
            .get("secret_token")
            .asString();
    return new Telegram(ws, agent, id, token, secret);
  }

  /** The agent's turn for {@code content} says {@code text}, calls gmail.send and waits. */
  static void pauses(UUID conversation, UUID run, String content, String text) {
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "run",
        Map.of(
            "run_id",
            run.toString(),
            "trace_id",
            TRACE,
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
                text,
                "run_id",
                run.toString(),
                "tool_calls",
                List.of(Map.of("id", "call_1", "name", "gmail.send", "arguments", Map.of())))));
    event(
        sse,
        "approval",
        Map.of(
            "approval",
            Map.of("id", UUID.randomUUID().toString(), "tool", "gmail.send", "state", "pending")));
    event(
        sse,
        "done",
        Map.of("run_id", run.toString(), "state", "awaiting_approval", "usage", Map.of()));
    PROVIDERS.stubFor(
        post(urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                    "{\"content\": " + JSON.writeValueAsString(content) + "}"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(sse.toString())));
  }

  /** A stop of the run as chat-service publishes it. */
  static TurnStop stop(
      Agent agent,
      UUID conversation,
      UUID run,
      int stop,
      String state,
      String answer,
      List<TurnStop.Decision> decisions) {
    return new TurnStop(
        TurnStop.stopId(run.toString(), stop),
        agent.workspace(),
        agent.id().toString(),
        conversation.toString(),
        run.toString(),
        TRACE,
        stop,
        state,
        answer,
        null,
        decisions,
        state.equals(TurnStop.AWAITING_APPROVAL) ? List.of("gmail.send") : List.of(),
        OffsetDateTime.now(ZoneOffset.UTC));
  }

  static void publish(TurnStop stop) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CHAT_TURN_STOPS.name(),
                  Topics.eventKey(stop.workspaceId(), stop.agentId()),
                  JSON.writeValueAsString(stop)))
          .get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<LoggedRequest> posts(String path) {
    return PROVIDERS.findAll(postRequestedFor(urlEqualTo(path)));
  }

  /** Waits for {@code count} requests, then for two seconds that no more come. */
  static List<LoggedRequest> exactly(int count, String path) {
    await().atMost(Duration.ofSeconds(20)).until(() -> posts(path).size() >= count);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(6))
        .until(() -> posts(path).size() == count);
    return posts(path);
  }

  /** {@link #exactly(int, String)} for the requests a bot token authorized. */
  static List<LoggedRequest> exactly(int count, String path, String botToken) {
    java.util.function.Supplier<List<LoggedRequest>> found =
        () ->
            PROVIDERS.findAll(
                postRequestedFor(urlEqualTo(path))
                    .withHeader(
                        "Authorization",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                            "Bot " + botToken)));
    await().atMost(Duration.ofSeconds(20)).until(() -> found.get().size() >= count);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(6))
        .until(() -> found.get().size() == count);
    return found.get();
  }

  static JsonNode body(LoggedRequest request) {
    return JSON.readTree(request.getBodyAsString());
  }

  void deliver(Telegram channel, long updateId, long chatId, String text) {
    web.post()
        .uri("/api/integrations/channels/telegram/" + channel.id() + "/webhook")
        .header("X-Telegram-Bot-Api-Secret-Token", channel.secret())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(TelegramChannelApplicationTests.update(updateId, chatId, text))
        .exchange()
        .expectStatus()
        .isOk();
  }

  static final String PENDING =
      "I will send the mail.\n\nAn approval is waiting in Beacon: "
          + PUBLIC_URL
          + "/approvals — the agent goes on once it is decided, and its answer will be sent here.";

  @Test
  void theAnswerAfterAnApprovalReachesTheTelegramChatOnceAlsoWhenDeliveredAgain() {
    Telegram channel = telegramChannel();
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    pauses(conversation, run, "Mail the team", "I will send the mail.");

    deliver(channel, 11, 4242, "Mail the team");

    List<LoggedRequest> pending = exactly(1, channel.sendMessage());
    assertThat(body(pending.get(0)))
        .isEqualTo(
            JSON.readTree(JSON.writeValueAsString(Map.of("chat_id", 4242, "text", PENDING))));
    // chat publishes the pause too: the relay told it already
    publish(
        stop(
            channel.agent(),
            conversation,
            run,
            1,
            TurnStop.AWAITING_APPROVAL,
            "I will send the mail.",
            List.of()));
    exactly(1, channel.sendMessage());

    // a person approves in Beacon; chat goes on and publishes the turn's second stop
    String approval = UUID.randomUUID().toString();
    TurnStop answered =
        stop(
            channel.agent(),
            conversation,
            run,
            2,
            TurnStop.IDLE,
            "The email is sent.",
            List.of(new TurnStop.Decision(approval, "gmail.send", "executed", null)));
    publish(answered);

    List<LoggedRequest> sent = exactly(2, channel.sendMessage());
    assertThat(body(sent.get(1)))
        .isEqualTo(
            JSON.readTree(
                JSON.writeValueAsString(
                    Map.of(
                        "chat_id",
                        4242,
                        "text",
                        "Approved in Beacon: gmail.send ran.\n\nThe email is sent."))));
    assertThat(sent.get(1).getHeader("Content-Type")).startsWith("application/json");

    // Kafka delivers the stop again, chat's outbox sends it twice: told once
    publish(answered);
    publish(answered);
    exactly(2, channel.sendMessage());

    JsonNode listed = listChannels(channel.workspace()).get("channels").get(0);
    assertThat(listed.get("status").asString()).isEqualTo("ok");
    assertThat(listed.get("last_message_at").isNull()).isFalse();
    assertThat(listed.get("last_reply_at").isNull()).isFalse();
    assertThat(listed.get("last_error").isNull()).isTrue();

    // both replies are service calls of the turn's run and trace
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> sendMessages(channel.workspace()).size() >= 2);
    assertThat(sendMessages(channel.workspace()))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.runId()).isEqualTo(run.toString());
              assertThat(e.traceId()).isEqualTo(TRACE);
              assertThat(e.toString()).doesNotContain(channel.token());
            });
  }

  private static List<ObsEvent> sendMessages(String workspace) {
    return EventLog.of(workspace).stream()
        .map(EventLog.Received::event)
        .filter(e -> e.service().operation().equals("sendMessage"))
        .toList();
  }

  @Test
  void aRejectionIsToldClearlyWithTheReasonAndTheAgentsAnswer() {
    Telegram channel = telegramChannel();
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    pauses(conversation, run, "Mail everyone", "I will send the mail.");
    deliver(channel, 21, 77, "Mail everyone");
    exactly(1, channel.sendMessage());

    publish(
        stop(
            channel.agent(),
            conversation,
            run,
            2,
            TurnStop.IDLE,
            "Understood, I did not send it.",
            List.of(
                new TurnStop.Decision(
                    UUID.randomUUID().toString(), "gmail.send", "rejected", "Not to everyone"))));

    List<LoggedRequest> sent = exactly(2, channel.sendMessage());
    assertThat(body(sent.get(1)))
        .isEqualTo(
            JSON.readTree(
                JSON.writeValueAsString(
                    Map.of(
                        "chat_id",
                        77,
                        "text",
                        "Rejected in Beacon: gmail.send was not run. Reason: Not to everyone\n\n"
                            + "Understood, I did not send it."))));
  }

  @Test
  void aStopPublishedWhileTheListenerWasDownIsToldWhenItIsBack() {
    Telegram channel = telegramChannel();
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    pauses(conversation, run, "Mail the board", "I will send the mail.");
    deliver(channel, 31, 99, "Mail the board");
    exactly(1, channel.sendMessage());
    MessageListenerContainer listener = listeners.getListenerContainer("channel-turn-stops");

    listener.stop();
    try {
      publish(
          stop(
              channel.agent(),
              conversation,
              run,
              2,
              TurnStop.IDLE,
              "Sent to the board.",
              List.of(
                  new TurnStop.Decision(
                      UUID.randomUUID().toString(), "gmail.send", "executed", null))));
      exactly(1, channel.sendMessage());
    } finally {
      listener.start();
    }

    List<LoggedRequest> sent = exactly(2, channel.sendMessage());
    assertThat(body(sent.get(1)).get("text").asString())
        .isEqualTo("Approved in Beacon: gmail.send ran.\n\nSent to the board.");
  }

  @Test
  void aTurnThatPausesAgainAndThenFailsIsToldEachTime() {
    Telegram channel = telegramChannel();
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    pauses(conversation, run, "Mail and file", "I will send the mail.");
    deliver(channel, 41, 55, "Mail and file");
    exactly(1, channel.sendMessage());

    publish(
        stop(
            channel.agent(),
            conversation,
            run,
            2,
            TurnStop.AWAITING_APPROVAL,
            "Mail sent; now the task.",
            List.of(
                new TurnStop.Decision(
                    UUID.randomUUID().toString(), "gmail.send", "executed", null))));
    TurnStop failed =
        new TurnStop(
            TurnStop.stopId(run.toString(), 3),
            channel.workspace(),
            channel.agent().id().toString(),
            conversation.toString(),
            run.toString(),
            TRACE,
            3,
            TurnStop.IDLE,
            null,
            new ErrorDetails("provider_rate_limited", "OpenAI is rate limiting this key."),
            List.of(
                new TurnStop.Decision(
                    UUID.randomUUID().toString(), "todoist.add", "expired", null)),
            List.of(),
            OffsetDateTime.now(ZoneOffset.UTC));
    publish(failed);

    List<LoggedRequest> sent = exactly(3, channel.sendMessage());
    assertThat(body(sent.get(1)).get("text").asString())
        .isEqualTo(
            "Approved in Beacon: gmail.send ran.\n\nMail sent; now the task.\n\nAnother approval is"
                + " waiting in Beacon: "
                + PUBLIC_URL
                + "/approvals — the agent goes on once it is decided, and its answer will be sent"
                + " here.");
    assertThat(body(sent.get(2)).get("text").asString())
        .isEqualTo(
            "Nobody decided on todoist.add in Beacon in time: it was not run.\n\n"
                + "The agent could not answer: OpenAI is rate limiting this key.");
  }

  @Test
  void anAnswerTheRelayStoppedWaitingForIsSentWhenItComes() {
    Telegram channel = telegramChannel();
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    // the stream names its run at once, then nothing within the tests' 3 s turn-timeout
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "run",
        Map.of(
            "run_id",
            run.toString(),
            "trace_id",
            TRACE,
            "conversation_id",
            conversation.toString()));
    sse.append(":").append("x".repeat(4000)).append("\n\n");
    event(sse, "done", Map.of("run_id", run.toString(), "state", "idle", "usage", Map.of()));
    PROVIDERS.stubFor(
        post(urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(sse.toString())
                    .withChunkedDribbleDelay(40, 16_000)));

    deliver(channel, 51, 66, "Think hard");

    List<LoggedRequest> first = exactly(1, channel.sendMessage());
    assertThat(body(first.get(0)).get("text").asString())
        .isEqualTo(
            "The agent has not answered within 3 seconds; its answer will be sent here when it is"
                + " ready (and is in the conversation in Beacon: "
                + PUBLIC_URL
                + "/chat/"
                + conversation
                + ").");
    publish(stop(channel.agent(), conversation, run, 1, TurnStop.IDLE, "Here it is.", List.of()));

    List<LoggedRequest> sent = exactly(2, channel.sendMessage());
    assertThat(body(sent.get(1)).get("text").asString()).isEqualTo("Here it is.");
  }

  /** A Discord channel, with its bot token when one is given. */
  record Discord(String workspace, Agent agent, String id, DiscordApp app) {}

  Discord discordChannel(String botToken) {
    String ws = workspace();
    Agent agent = agent(ws);
    DiscordApp app = DiscordApp.create();
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of(
                "kind",
                "discord",
                "agent_id",
                agent.id().toString(),
                "application_id",
                app.applicationId(),
                "public_key",
                app.publicKeyHex()));
    if (botToken != null) {
      body.put("bot_token", botToken);
      PROVIDERS.stubFor(
          post(urlEqualTo("/discord/applications/" + app.applicationId() + "/commands"))
              .willReturn(
                  aResponse()
                      .withStatus(201)
                      .withHeader("Content-Type", "application/json")
                      .withBody("{\"id\": \"c1\", \"name\": \"ask\", \"type\": 1}")));
    }
    JsonNode created = createChannel(ws, body, 201);
    return new Discord(ws, agent, created.get("id").asString(), app);
  }

  /** A slash command in Discord channel 1122334455, deferred; the interaction's token. */
  String command(Discord channel, UUID conversation, UUID run, String text) {
    String token = "aW50ZXJhY3Rpb246" + UUID.randomUUID().toString().replace("-", "");
    pauses(conversation, run, text, "I will send the mail.");
    String edit =
        "/discord/webhooks/" + channel.app().applicationId() + "/" + token + "/messages/@original";
    PROVIDERS.stubFor(patch(urlEqualTo(edit)).willReturn(okJson("{\"id\": \"m1\"}")));
    DiscordChannelApplicationTests.Discord target =
        new DiscordChannelApplicationTests.Discord(
            channel.workspace(), channel.agent(), channel.id(), channel.app());
    byte[] command =
        DiscordChannelApplicationTests.command(target, "i-" + UUID.randomUUID(), token, text);
    String now = String.valueOf(Instant.now().getEpochSecond());
    byte[] answer =
        web.post()
            .uri("/api/integrations/channels/discord/" + channel.id() + "/interactions")
            .header("X-Signature-Ed25519", channel.app().sign(now, command))
            .header("X-Signature-Timestamp", now)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(command)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"type\":5}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(patchRequestedFor(urlEqualTo(edit))).size() == 1);
    assertThat(
            body(PROVIDERS.findAll(patchRequestedFor(urlEqualTo(edit))).get(0))
                .get("content")
                .asString())
        .isEqualTo(PENDING);
    return token;
  }

  void interactionIsOlderThanFifteenMinutes(UUID run) {
    db.sql("UPDATE integrations.channel_turns SET interaction_at = :at WHERE run_id = :run")
        .bind("at", Instant.now().minus(Duration.ofMinutes(20)))
        .bind("run", run)
        .then()
        .block();
  }

  static final String ANSWER = "Approved in Beacon: gmail.send ran.\n\nThe email is sent.";

  static JsonNode discordMessage(String content) {
    return JSON.readTree(
        JSON.writeValueAsString(
            Map.of("content", content, "allowed_mentions", Map.of("parse", List.of()))));
  }

  TurnStop approved(Discord channel, UUID conversation, UUID run) {
    return stop(
        channel.agent(),
        conversation,
        run,
        2,
        TurnStop.IDLE,
        "The email is sent.",
        List.of(
            new TurnStop.Decision(UUID.randomUUID().toString(), "gmail.send", "executed", null)));
  }

  @Test
  void onDiscordWithinFifteenMinutesTheAnswerIsAFollowUpWithTheInteractionsToken() {
    Discord channel = discordChannel(null);
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    String token = command(channel, conversation, run, "mail the team");
    String followUp = "/discord/webhooks/" + channel.app().applicationId() + "/" + token;
    PROVIDERS.stubFor(post(urlEqualTo(followUp)).willReturn(aResponse().withStatus(204)));

    TurnStop answered = approved(channel, conversation, run);
    publish(answered);
    publish(answered);

    List<LoggedRequest> sent = exactly(1, followUp);
    assertThat(body(sent.get(0))).isEqualTo(discordMessage(ANSWER));
    assertThat(sent.get(0).getHeader("Authorization")).isNull();
    // the interaction's token is sealed in the database
    Map<String, Object> row =
        db.sql("SELECT interaction_token FROM integrations.channel_turns WHERE run_id = :run")
            .bind("run", run)
            .fetch()
            .one()
            .block();
    assertThat(
            new String((byte[]) bytes(row.get("interaction_token")), StandardCharsets.ISO_8859_1))
        .doesNotContain(token);
  }

  @Test
  void onDiscordAfterFifteenMinutesTheBotPostsTheAnswerToTheChannel() {
    String botToken =
        "MTA5ODc2NTQzMjEwOTg3NjU0MzIx.GhIjKl." + UUID.randomUUID().toString().replace("-", "");
    Discord channel = discordChannel(botToken);
    assertThat(listChannels(channel.workspace()).get("channels").get(0).get("bot_token").asString())
        .isEqualTo("••••" + botToken.substring(botToken.length() - 4));
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    String token = command(channel, conversation, run, "mail the board");
    interactionIsOlderThanFifteenMinutes(run);
    PROVIDERS.stubFor(
        post(urlEqualTo("/discord/channels/1122334455/messages"))
            .withHeader(
                "Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bot " + botToken))
            .willReturn(okJson("{\"id\": \"m9\", \"channel_id\": \"1122334455\"}")));

    publish(approved(channel, conversation, run));

    List<LoggedRequest> sent = exactly(1, "/discord/channels/1122334455/messages", botToken);
    assertThat(body(sent.get(0))).isEqualTo(discordMessage(ANSWER));
    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(
                    urlEqualTo(
                        "/discord/webhooks/" + channel.app().applicationId() + "/" + token))))
        .isEmpty();
  }

  @Test
  void onDiscordAfterFifteenMinutesWithoutABotTokenTheChannelSaysWhy() {
    Discord channel = discordChannel(null);
    UUID conversation = conversationFor(channel.agent());
    UUID run = UUID.randomUUID();
    command(channel, conversation, run, "mail the owners");
    interactionIsOlderThanFifteenMinutes(run);

    publish(approved(channel, conversation, run));

    JsonNode listed =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> listChannels(channel.workspace()).get("channels").get(0),
                c -> c.get("status").asString().equals("error"));
    assertThat(listed.get("last_error").get("message").asString())
        .isEqualTo(
            "Discord's interaction token expired (it lives 15 minutes) and the channel has no bot"
                + " token to post with; the answer is in Beacon: "
                + PUBLIC_URL
                + "/chat/"
                + conversation);
    assertThat(listed.get("last_error").get("at").isNull()).isFalse();
    assertThat(
            PROVIDERS.findAll(
                postRequestedFor(
                    urlPathMatching("/discord/webhooks/" + channel.app().applicationId() + "/.*"))))
        .isEmpty();
  }

  private static Object bytes(Object value) {
    if (value instanceof java.nio.ByteBuffer buffer) {
      byte[] array = new byte[buffer.remaining()];
      buffer.duplicate().get(array);
      return array;
    }
    return value;
  }
}
