package dev.beacon.integrations.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.events.EventStatus;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * A Discord channel end to end: requests are verified with the application's Ed25519 key (a real
 * key pair made here), a PING is answered PONG, a slash command is answered "deferred" at once and
 * the agent's answer replaces it with {@code PATCH …/messages/@original}; bad signatures, other
 * timestamps and tampered bodies are 401.
 */
class DiscordChannelApplicationTests extends ChannelStandIns {

  @BeforeAll
  static void readEvents() {
    EventLog.start();
  }

  /** A channel made for a test. */
  record Discord(String workspace, Agent agent, String id, DiscordApp app) {

    String path() {
      return "/api/integrations/channels/discord/" + id + "/interactions";
    }
  }

  Discord discordChannel(String ws) {
    Agent agent = agent(ws);
    DiscordApp app = DiscordApp.create();
    JsonNode created =
        createChannel(
            ws,
            Map.of(
                "kind",
                "discord",
                "agent_id",
                agent.id().toString(),
                "application_id",
                app.applicationId(),
                "public_key",
                app.publicKeyHex()),
            201);
    assertThat(created.get("kind").asString()).isEqualTo("discord");
    assertThat(created.get("public_key").asString()).isEqualTo(app.publicKeyHex());
    assertThat(created.get("bot_token").isNull()).isTrue();
    String id = created.get("id").asString();
    assertThat(created.get("interactions_endpoint_url").asString())
        .isEqualTo(PUBLIC_URL + "/api/integrations/channels/discord/" + id + "/interactions");
    return new Discord(ws, agent, id, app);
  }

  @Test
  void aSignedPingIsAnsweredPong() {
    Discord channel = discordChannel(workspace());
    byte[] ping =
        "{\"id\":\"1\",\"application_id\":\"%s\",\"type\":1,\"token\":\"t\",\"version\":1}"
            .formatted(channel.app().applicationId())
            .getBytes(StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());

    JsonNode pong = interact(channel, channel.app().sign(now, ping), now, ping, 200);

    assertThat(pong).isEqualTo(JSON.readTree("{\"type\": 1}"));
  }

  @Test
  void badSignaturesOtherTimestampsAndTamperedBodiesAreRefused() {
    Discord channel = discordChannel(workspace());
    byte[] ping = "{\"id\":\"2\",\"type\":1,\"token\":\"t\"}".getBytes(StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());
    String signature = channel.app().sign(now, ping);
    String later = String.valueOf(Instant.now().getEpochSecond() + 1);
    String old = String.valueOf(Instant.now().minusSeconds(600).getEpochSecond());
    byte[] tampered = "{\"id\":\"2\",\"type\":2,\"token\":\"t\"}".getBytes(StandardCharsets.UTF_8);
    DiscordApp stranger = DiscordApp.create();

    List<JsonNode> refusals =
        List.of(
            interact(channel, stranger.sign(now, ping), now, ping, 401),
            interact(channel, signature, later, ping, 401),
            interact(channel, signature, now, tampered, 401),
            interact(channel, channel.app().sign(old, ping), old, ping, 401),
            interact(channel, signature.substring(2), now, ping, 401),
            interact(channel, null, now, ping, 401),
            interact(channel, signature, null, ping, 401));
    assertThat(refusals)
        .allSatisfy(r -> assertThat(r.get("code").asString()).isEqualTo("invalid_signature"));
    // the right signature for another channel's id
    interactAt(
        "/api/integrations/channels/discord/" + UUID.randomUUID() + "/interactions",
        signature,
        now,
        ping,
        401);
  }

  @Test
  void aCommandIsDeferredAndTheAgentsAnswerReplacesIt() {
    String ws = workspace();
    Discord channel = discordChannel(ws);
    UUID conversation = conversationFor(channel.agent());
    answers(conversation, "summarise the sprint", "Three stories done, one blocked.");
    String token = "aW50ZXJhY3Rpb246" + UUID.randomUUID().toString().replace("-", "");
    String edit =
        "/discord/webhooks/" + channel.app().applicationId() + "/" + token + "/messages/@original";
    PROVIDERS.stubFor(
        patch(urlEqualTo(edit)).willReturn(okJson("{\"id\": \"m1\", \"content\": \"…\"}")));
    byte[] command = command(channel, "i-" + UUID.randomUUID(), token, "summarise the sprint");
    String now = String.valueOf(Instant.now().getEpochSecond());

    JsonNode deferred = interact(channel, channel.app().sign(now, command), now, command, 200);
    // Discord redelivers nothing, but a replayed request inside the window is taken once
    JsonNode again = interact(channel, channel.app().sign(now, command), now, command, 200);

    assertThat(deferred).isEqualTo(JSON.readTree("{\"type\": 5}"));
    assertThat(again).isEqualTo(JSON.readTree("{\"type\": 5}"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(patchRequestedFor(urlEqualTo(edit))).size() == 1);
    LoggedRequest patched = PROVIDERS.findAll(patchRequestedFor(urlEqualTo(edit))).get(0);
    assertThat(JSON.readTree(patched.getBodyAsString()))
        .isEqualTo(JSON.readTree("{\"content\": \"Three stories done, one blocked.\"}"));
    List<LoggedRequest> asked =
        PROVIDERS.findAll(
            postRequestedFor(
                urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages")));
    assertThat(asked).hasSize(1);
    JsonNode claims = claims(asked.get(0).getHeader(ForwardedIdentity.HEADER));
    assertThat(claims.get("sub").asString()).isEqualTo(OWNER);
    assertThat(claims.get("wid").asString()).isEqualTo(ws);
    assertThat(claims.get("role").asString()).isEqualTo("member");

    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> EventLog.of(ws).size() == 1);
    EventLog.Received received = EventLog.of(ws).get(0);
    assertThat(received.topic()).isEqualTo(Topics.SERVICE_CALLS.name());
    ObsEvent event = received.event();
    assertThat(event.service().name()).isEqualTo("discord");
    assertThat(event.service().operation()).isEqualTo("interactions.editOriginal");
    assertThat(event.status()).isEqualTo(EventStatus.OK);
    assertThat(event.agentId()).isEqualTo(channel.agent().id().toString());
    assertThat(event.metadata())
        .containsEntry("channel_id", channel.id())
        .containsEntry("http_status", 200);
    assertThat(event.toString()).doesNotContain(token);
  }

  @Test
  void aLongAnswerIsCutToDiscords2000Characters() {
    Discord channel = discordChannel(workspace());
    UUID conversation = conversationFor(channel.agent());
    answers(conversation, "write a lot", "x".repeat(2500));
    String token = "dG9rZW4" + UUID.randomUUID().toString().replace("-", "");
    String edit =
        "/discord/webhooks/" + channel.app().applicationId() + "/" + token + "/messages/@original";
    PROVIDERS.stubFor(patch(urlEqualTo(edit)).willReturn(okJson("{\"id\": \"m2\"}")));
    byte[] command = command(channel, "i-" + UUID.randomUUID(), token, "write a lot");
    String now = String.valueOf(Instant.now().getEpochSecond());

    interact(channel, channel.app().sign(now, command), now, command, 200);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PROVIDERS.findAll(patchRequestedFor(urlEqualTo(edit))).size() == 1);
    String content =
        JSON.readTree(
                PROVIDERS.findAll(patchRequestedFor(urlEqualTo(edit))).get(0).getBodyAsString())
            .get("content")
            .asString();
    assertThat(content).hasSize(2000).isEqualTo("x".repeat(1999) + "…");
  }

  @Test
  void aBotTokenRegistersTheAskCommandAndIsKeptSealed() {
    String ws = workspace();
    Agent agent = agent(ws);
    DiscordApp app = DiscordApp.create();
    String botToken =
        "MTA5ODc2NTQzMjEwOTg3NjU0MzIx.GhIjKl." + UUID.randomUUID().toString().replace("-", "");
    String commands = "/discord/applications/" + app.applicationId() + "/commands";
    PROVIDERS.stubFor(
        post(urlEqualTo(commands))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\": \"c1\", \"name\": \"ask\", \"type\": 1}")));

    JsonNode created =
        createChannel(
            ws,
            Map.of(
                "kind", "discord",
                "agent_id", agent.id().toString(),
                "application_id", app.applicationId(),
                "public_key", app.publicKeyHex(),
                "bot_token", botToken),
            201);

    assertThat(created.toString()).doesNotContain(botToken);
    assertThat(created.get("bot_token").asString())
        .isEqualTo("••••" + botToken.substring(botToken.length() - 4));
    List<LoggedRequest> registered = PROVIDERS.findAll(postRequestedFor(urlEqualTo(commands)));
    assertThat(registered).hasSize(1);
    assertThat(registered.get(0).getHeader("Authorization")).isEqualTo("Bot " + botToken);
    assertThat(JSON.readTree(registered.get(0).getBodyAsString()))
        .isEqualTo(
            JSON.readTree(
                """
                {"name": "ask", "type": 1, "description": "Ask the Beacon agent",
                 "options": [{"type": 3, "name": "message", "description": "What to ask the agent",
                              "required": true, "max_length": 6000}]}
                """));
    await().atMost(Duration.ofSeconds(20)).until(() -> EventLog.of(ws).size() >= 1);
    assertThat(EventLog.of(ws).get(0).event().service().operation())
        .isEqualTo("applicationCommands.create");
    assertThat(EventLog.of(ws).get(0).event().toString()).doesNotContain(botToken);
  }

  static byte[] command(Discord channel, String interactionId, String token, String text) {
    return JSON.writeValueAsBytes(
        Map.of(
            "id",
            interactionId,
            "application_id",
            channel.app().applicationId(),
            "type",
            2,
            "token",
            token,
            "version",
            1,
            "channel_id",
            "1122334455",
            "guild_id",
            "998877",
            "member",
            Map.of("user", Map.of("id", "555", "username", "ada")),
            "data",
            Map.of(
                "id",
                "c1",
                "name",
                "ask",
                "type",
                1,
                "options",
                List.of(Map.of("name", "message", "type", 3, "value", text)))));
  }

  JsonNode interact(Discord channel, String signature, String timestamp, byte[] body, int status) {
    return interactAt(channel.path(), signature, timestamp, body, status);
  }

  JsonNode interactAt(String path, String signature, String timestamp, byte[] body, int status) {
    byte[] answer =
        web.post()
            .uri(path)
            .headers(
                h -> {
                  if (signature != null) {
                    h.set("X-Signature-Ed25519", signature);
                  }
                  if (timestamp != null) {
                    h.set("X-Signature-Timestamp", timestamp);
                  }
                })
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(answer);
  }
}
