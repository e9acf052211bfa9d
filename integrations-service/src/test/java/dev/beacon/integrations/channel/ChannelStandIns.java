package dev.beacon.integrations.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.integrations.IntegrationsStandIns;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Channels against stand-ins in their real wire formats, on {@link #PROVIDERS}: Telegram's Bot API
 * under {@code /telegram}, Discord's under {@code /discord}, chat-service's conversations API under
 * {@code /chat} answering a turn as chat-service writes it (Spring's {@code text/event-stream}:
 * {@code event:<name>} and {@code data:<json>} lines, a blank line after each event). Every bot
 * token, agent and conversation is new, so each stub belongs to one test. Adds no configuration.
 */
abstract class ChannelStandIns extends IntegrationsStandIns {

  /** The member who creates channels; the relay acts as them. */
  static final String OWNER = "user-owner";

  /** An agent of a workspace as chat-service knows it. */
  record Agent(String workspace, UUID id) {}

  static String telegramToken() {
    return ThreadLocalRandom.current().nextLong(1_000_000, 9_999_999_999L)
        + ":AA"
        + UUID.randomUUID().toString().replace("-", "");
  }

  /** chat-service knows the agent in the workspace. */
  static Agent agent(String workspace) {
    UUID id = UUID.randomUUID();
    PROVIDERS.stubFor(
        get(urlEqualTo("/chat/api/chat/agents/" + id))
            .willReturn(
                okJson(
                    """
                    {"id": "%s", "name": "Helper", "provider": "openai", "archived": false}
                    """
                        .formatted(id))));
    return new Agent(workspace, id);
  }

  /** The next conversation chat-service creates for the agent. */
  static UUID conversationFor(Agent agent) {
    UUID conversation = UUID.randomUUID();
    PROVIDERS.stubFor(
        post(urlEqualTo("/chat/api/chat/conversations"))
            .withRequestBody(
                equalToJson(
                    "{\"agent_id\": \""
                        + agent.id()
                        + "\", \"title\": \"${json-unit.any-string}\"}"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"id": "%s", "agent_id": "%s", "agent_name": "Helper", "title": "t",
                         "state": "idle", "last_run_id": null, "created_by": "%s",
                         "created_at": "2026-12-08T03:00:00Z", "updated_at": "2026-12-08T03:00:00Z"}
                        """
                            .formatted(conversation, agent.id(), OWNER))));
    return conversation;
  }

  /** The agent answers {@code content} in the conversation with a plain turn. */
  static void answers(UUID conversation, String content, String answer) {
    PROVIDERS.stubFor(
        post(urlEqualTo("/chat/api/chat/conversations/" + conversation + "/messages"))
            .withHeader(
                ForwardedIdentity.HEADER,
                com.github.tomakehurst.wiremock.client.WireMock.matching(".+"))
            .withRequestBody(equalToJson("{\"content\": " + JSON.writeValueAsString(content) + "}"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(turn(conversation, answer, "idle"))));
  }

  /**
   * A turn's stream as chat-service writes it: run, deltas, the assistant message, done — with a
   * keep-alive comment in between.
   */
  static String turn(UUID conversation, String answer, String state) {
    String run = UUID.randomUUID().toString();
    String half = answer.substring(0, answer.length() / 2);
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "run",
        Map.of(
            "run_id",
            run,
            "trace_id",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "conversation_id",
            conversation.toString(),
            "message",
            Map.of("id", UUID.randomUUID().toString(), "seq", 1, "role", "user", "content", "q")));
    event(sse, "delta", Map.of("text", half));
    sse.append(":keep-alive\n\n");
    event(sse, "delta", Map.of("text", answer.substring(half.length())));
    event(
        sse,
        "message",
        Map.of(
            "message",
            Map.of(
                "id",
                UUID.randomUUID().toString(),
                "seq",
                2,
                "role",
                "assistant",
                "content",
                answer,
                "run_id",
                run,
                "provider",
                "openai",
                "model",
                "gpt-4o-mini")));
    event(
        sse,
        "done",
        Map.of(
            "run_id",
            run,
            "state",
            state,
            "usage",
            Map.of("input_tokens", 12, "output_tokens", 5)));
    return sse.toString();
  }

  static void event(StringBuilder sse, String name, Object data) {
    sse.append("event:").append(name).append('\n');
    sse.append("data:").append(JSON.writeValueAsString(data)).append("\n\n");
  }

  /** Telegram's answer to every Bot API call of this token. */
  static void telegramAccepts(String token) {
    PROVIDERS.stubFor(
        post(urlEqualTo("/telegram/bot" + token + "/setWebhook"))
            .willReturn(
                okJson("{\"ok\": true, \"result\": true, \"description\": \"Webhook was set\"}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/telegram/bot" + token + "/deleteWebhook"))
            .willReturn(
                okJson(
                    "{\"ok\": true, \"result\": true, \"description\": \"Webhook was deleted\"}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/telegram/bot" + token + "/sendMessage"))
            .willReturn(
                okJson(
                    """
                    {"ok": true, "result": {"message_id": 7, "chat": {"id": 4242, "type": "private"},
                     "date": 1765162800, "text": "…"}}
                    """)));
  }

  /** POSTs a channel as the workspace's owner; the answer's status and body. */
  JsonNode createChannel(String workspace, Map<String, ?> body, int status) {
    byte[] answer =
        web.post()
            .uri("/api/integrations/channels")
            .header(ForwardedIdentity.HEADER, signer.sign(OWNER, workspace, Role.OWNER))
            .contentType(MediaType.APPLICATION_JSON)
            // bytes: the test client's JSON encoder would log the token at DEBUG
            .bodyValue(JSON.writeValueAsBytes(body))
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(answer);
  }

  JsonNode listChannels(String workspace) {
    byte[] answer =
        web.get()
            .uri("/api/integrations/channels")
            .header(ForwardedIdentity.HEADER, signer.sign("user-viewer", workspace, Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(answer);
  }

  /** The claims of a forwarded identity (its signature is the test's secret's). */
  static JsonNode claims(String identity) {
    String[] parts = identity.split("\\.");
    assertThat(parts).hasSize(3);
    return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
  }

  /** A Discord application's key pair, as the developer portal holds it. */
  record DiscordApp(String applicationId, KeyPair keys) {

    static DiscordApp create() {
      try {
        return new DiscordApp(
            String.valueOf(
                ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L)),
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The raw 32-byte public key in hex: what the portal shows as "Public Key". */
    String publicKeyHex() {
      byte[] encoded = keys.getPublic().getEncoded();
      return HexFormat.of()
          .formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    /** Discord's {@code X-Signature-Ed25519} over timestamp + body. */
    String sign(String timestamp, byte[] body) {
      try {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(keys.getPrivate());
        ed25519.update(timestamp.getBytes(StandardCharsets.UTF_8));
        ed25519.update(body);
        return HexFormat.of().formatHex(ed25519.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
