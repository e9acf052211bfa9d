package dev.beacon.chat.conversation.web;

import dev.beacon.chat.conversation.domain.ConversationService;
import dev.beacon.chat.conversation.domain.ConversationView;
import dev.beacon.chat.conversation.domain.TurnEvent;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Conversations with the workspace's agents. Everyone reads; members and above send messages
 * (viewers get 403 {@code forbidden_role}). A message's answer is a {@code text/event-stream} of
 * the turn's events, with a comment every 15 s so that proxies keep the stream open.
 */
@RestController
@RequestMapping("/api/chat/conversations")
class ConversationController {

  private static final int MAX_LIMIT = 100;
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final ConversationService conversations;

  ConversationController(ConversationService conversations) {
    this.conversations = conversations;
  }

  @PostMapping
  Mono<ResponseEntity<ConversationView>> create(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid("body", "must be a JSON object with agent_id");
    }
    JsonNode agent = body.get("agent_id");
    if (agent == null || !agent.isString()) {
      throw invalid("agent_id", "is required: the id of one of the workspace's agents");
    }
    UUID agentId;
    try {
      agentId = UUID.fromString(agent.asString());
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("agent_not_found", "No such agent in this workspace.")
          .with("field", "agent_id");
    }
    String title = null;
    JsonNode value = body.get("title");
    if (value != null && !value.isNull()) {
      if (!value.isString()
          || value.asString().codePointCount(0, value.asString().length()) > 200) {
        throw invalid("title", "must be a string of at most 200 characters");
      }
      title = value.asString().strip();
    }
    return conversations
        .create(identity.workspaceId(), identity.userId(), agentId, title)
        .map(view -> ResponseEntity.status(HttpStatus.CREATED).body(view));
  }

  @GetMapping
  Mono<Map<String, Object>> list(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(name = "agent_id", required = false) String agentId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("invalid_request", "limit must be from 1 to " + MAX_LIMIT)
          .with("field", "limit");
    }
    UUID agent = null;
    if (agentId != null && !agentId.isBlank()) {
      try {
        agent = UUID.fromString(agentId);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid_request", "agent_id must be an agent's id")
            .with("field", "agent_id");
      }
    }
    return conversations.list(identity.workspaceId(), agent, blankToNull(cursor), limit);
  }

  @GetMapping("/{id}")
  Mono<Map<String, Object>> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return conversations.get(identity.workspaceId(), parse(id));
  }

  @PostMapping(path = "/{id}/messages", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> send(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String id,
      @RequestBody(required = false) JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("invalid_message", "The body must be {\"content\": \"…\"}")
          .with("field", "content");
    }
    JsonNode content = body.get("content");
    if (content == null || !content.isString()) {
      throw ApiException.badRequest("invalid_message", "content must be a string")
          .with("field", "content");
    }
    return conversations
        .send(identity.workspaceId(), identity.userId(), parse(id), content.asString())
        .map(ConversationController::stream);
  }

  @GetMapping(path = "/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> follow(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return conversations
        .follow(identity.workspaceId(), parse(id))
        .map(ConversationController::stream);
  }

  private static ResponseEntity<Flux<ServerSentEvent<Object>>> stream(Flux<TurnEvent> events) {
    Flux<ServerSentEvent<Object>> sse =
        events.map(e -> ServerSentEvent.<Object>builder(e.data()).event(e.name()).build());
    Flux<ServerSentEvent<Object>> keepAlive =
        Flux.interval(KEEP_ALIVE)
            .map(tick -> ServerSentEvent.<Object>builder().comment("keep-alive").build());
    return ResponseEntity.ok()
        .contentType(MediaType.TEXT_EVENT_STREAM)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        // every turn's stream ends with done, which also ends the keep-alives
        .body(Flux.merge(sse, keepAlive).takeUntil(e -> "done".equals(e.event())));
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.badRequest("invalid_conversation", field + " " + message)
        .with("field", field);
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ConversationService.notFound();
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
