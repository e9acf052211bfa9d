package dev.beacon.integrations.channel.domain;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.integrations.config.ChannelsProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * chat-service's conversations API ({@code docs/chat.md#conversations}), called as the member who
 * created the channel with the role {@code member}, in an identity this service signs for the
 * channel's workspace (ADR 0025). A message's answer is read from the turn's Server-Sent Events:
 * the last complete assistant message is the answer; {@code done} with {@code awaiting_approval}
 * means a person must decide first; {@code error} is the turn's failure.
 */
@Component
class ChatClient {

  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  /**
   * How a turn ended.
   *
   * @param text the agent's last answer text, or {@code null}
   * @param awaitingApproval the turn waits for a person's decision
   * @param errorCode chat's error code ({@code turn_in_progress}, {@code provider_key_refused} …),
   *     or {@code null}
   * @param runId the turn's run, when chat said
   * @param traceId the turn's trace, when chat said
   */
  record Answer(
      String text,
      boolean awaitingApproval,
      String errorCode,
      String errorMessage,
      String runId,
      String traceId) {

    static Answer failed(String code, String message) {
      return new Answer(null, false, code, message, null, null);
    }
  }

  private final WebClient web;
  private final IdentitySigner signer;
  private final ChannelsProperties settings;

  ChatClient(IdentitySigner signer, ChannelsProperties settings) {
    this.web =
        WebClient.builder().codecs(c -> c.defaultCodecs().maxInMemorySize(1024 * 1024)).build();
    this.signer = signer;
    this.settings = settings;
  }

  boolean configured() {
    return settings.chatUrl() != null;
  }

  /** Whether the agent exists in the workspace and is not archived, as the member sees it. */
  Mono<Boolean> agentUsable(String workspaceId, String userId, UUID agentId) {
    return web.get()
        .uri(settings.chatUrl() + "/api/chat/agents/{id}", agentId)
        .header(ForwardedIdentity.HEADER, signer.sign(userId, workspaceId, Role.MEMBER))
        .accept(MediaType.APPLICATION_JSON)
        .exchangeToMono(
            response -> {
              if (response.statusCode().value() == 404) {
                return response.releaseBody().thenReturn(false);
              }
              if (!response.statusCode().is2xxSuccessful()) {
                return response
                    .releaseBody()
                    .then(
                        Mono.error(
                            new IllegalStateException(
                                "chat-service answered HTTP " + response.statusCode().value())));
              }
              return response
                  .bodyToMono(JsonNode.class)
                  .map(agent -> !agent.path("archived").asBoolean(false));
            })
        .timeout(settings.requestTimeout());
  }

  /** Starts a conversation with the agent; its id. */
  Mono<UUID> createConversation(String workspaceId, String userId, UUID agentId, String title) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("agent_id", agentId.toString());
    body.put("title", title);
    return web.post()
        .uri(settings.chatUrl() + "/api/chat/conversations")
        .header(ForwardedIdentity.HEADER, signer.sign(userId, workspaceId, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(JsonNode.class)
                    .defaultIfEmpty(OutsideCalls.JSON.createObjectNode())
                    .flatMap(
                        json ->
                            response.statusCode().is2xxSuccessful()
                                ? Mono.just(UUID.fromString(json.path("id").asString()))
                                : Mono.error(
                                    new ChatRefusal(
                                        json.path("code").asString("chat_error"),
                                        json.path("message")
                                            .asString(
                                                "chat-service answered HTTP "
                                                    + response.statusCode().value())))))
        .timeout(settings.requestTimeout());
  }

  /** Told the turn's run and trace as soon as the stream names them, before its answer. */
  interface RunStarted {
    Mono<Void> started(String runId, String traceId);
  }

  /**
   * Posts the message and reads the turn to its {@code done}. A refusal before the turn ({@code
   * turn_in_progress}, {@code provider_unconfigured} …) is an answer with its code. {@code started}
   * is told the run first; the stream is read on once it completes (its failure is its own to
   * handle).
   */
  Mono<Answer> send(
      String workspaceId, String userId, UUID conversationId, String text, RunStarted started) {
    return web.post()
        .uri(settings.chatUrl() + "/api/chat/conversations/{id}/messages", conversationId)
        .header(ForwardedIdentity.HEADER, signer.sign(userId, workspaceId, Role.MEMBER))
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("content", text))
        .exchangeToMono(
            response -> {
              if (!response.statusCode().is2xxSuccessful()) {
                int status = response.statusCode().value();
                return response
                    .bodyToMono(JsonNode.class)
                    .defaultIfEmpty(OutsideCalls.JSON.createObjectNode())
                    .onErrorResume(e -> Mono.just(OutsideCalls.JSON.createObjectNode()))
                    .map(
                        json ->
                            Answer.failed(
                                json.path("code").asString("chat_error"),
                                json.path("message")
                                    .asString("chat-service answered HTTP " + status)));
              }
              return response
                  .bodyToFlux(SSE)
                  .filter(event -> event.event() != null && event.data() != null)
                  .concatMap(
                      event -> {
                        if (!"run".equals(event.event())) {
                          return Mono.just(event);
                        }
                        JsonNode run = OutsideCalls.JSON.readTree(event.data());
                        return started
                            .started(
                                run.path("run_id").asString(null),
                                run.path("trace_id").asString(null))
                            .thenReturn(event);
                      })
                  .reduce(new Reading(), Reading::add)
                  .map(Reading::answer);
            });
  }

  /** What the stream said so far. */
  private static final class Reading {
    private String text;
    private String errorCode;
    private String errorMessage;
    private String runId;
    private String traceId;
    private String state;

    Reading add(ServerSentEvent<String> event) {
      JsonNode data = OutsideCalls.JSON.readTree(event.data());
      switch (event.event()) {
        case "run" -> {
          runId = data.path("run_id").asString(null);
          traceId = data.path("trace_id").asString(null);
        }
        case "message" -> {
          JsonNode message = data.path("message");
          String content = message.path("content").asString("");
          if ("assistant".equals(message.path("role").asString()) && !content.isBlank()) {
            text = content;
          }
        }
        case "error" -> {
          errorCode = data.path("code").asString("turn_failed");
          errorMessage = data.path("message").asString("The turn failed.");
        }
        case "done" -> state = data.path("state").asString("idle");
        default -> {}
      }
      return this;
    }

    Answer answer() {
      if (state == null && errorCode == null) {
        return new Answer(
            text,
            false,
            "chat_unavailable",
            "The answer's stream ended before the turn did.",
            runId,
            traceId);
      }
      return new Answer(
          text, "awaiting_approval".equals(state), errorCode, errorMessage, runId, traceId);
    }
  }

  /** chat-service refused a request with its error body. */
  static final class ChatRefusal extends RuntimeException {
    final String code;

    ChatRefusal(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
