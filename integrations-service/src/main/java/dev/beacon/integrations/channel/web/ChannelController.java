package dev.beacon.integrations.channel.web;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.integrations.channel.domain.Channel;
import dev.beacon.integrations.channel.domain.ChannelKind;
import dev.beacon.integrations.channel.domain.ChannelService;
import dev.beacon.integrations.config.IntegrationsProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workspace's channels. Every role lists; owners and admins create and delete. No answer ever
 * carries a bot token: it is shown as {@code ••••} and its last four characters.
 */
@RestController
@RequestMapping("/api/integrations/channels")
class ChannelController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ChannelService channels;
  private final String publicUrl;

  ChannelController(ChannelService channels, IntegrationsProperties properties) {
    this.channels = channels;
    this.publicUrl = properties.publicUrl();
  }

  @GetMapping
  Mono<Map<String, List<Map<String, Object>>>> list(
      @AuthenticationPrincipal ForwardedIdentity caller) {
    return channels
        .list(caller.workspaceId())
        .map(this::view)
        .collectList()
        .map(list -> Map.of("channels", list));
  }

  @PostMapping
  Mono<ResponseEntity<Map<String, Object>>> create(
      @AuthenticationPrincipal ForwardedIdentity caller,
      @RequestBody(required = false) byte[] body) {
    return channels
        .create(caller, json(body))
        .map(channel -> ResponseEntity.status(HttpStatus.CREATED).body(view(channel)));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(@AuthenticationPrincipal ForwardedIdentity caller, @PathVariable String id) {
    return channels.delete(caller, parse(id));
  }

  /**
   * The body is read as bytes and parsed here: Spring's JSON decoder logs what it decoded at DEBUG,
   * and this body holds a bot token.
   */
  private static JsonNode json(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw dev.beacon.identity.error.ApiException.notFound(
          "channel_not_found", "There is no channel " + id + ".");
    }
  }

  private static String time(java.time.Instant at) {
    return at == null ? null : at.toString();
  }

  private Map<String, Object> view(Channel c) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", c.id().toString());
    view.put("kind", c.kind().id());
    view.put("agent_id", c.agentId().toString());
    view.put("bot_token", c.botTokenLast4() == null ? null : "••••" + c.botTokenLast4());
    view.put("application_id", c.applicationId());
    view.put("public_key", c.publicKey());
    view.put(
        c.kind() == ChannelKind.TELEGRAM ? "webhook_url" : "interactions_endpoint_url",
        publicUrl
            + "/api/integrations/channels/"
            + c.kind().id()
            + "/"
            + c.id()
            + (c.kind() == ChannelKind.TELEGRAM ? "/webhook" : "/interactions"));
    view.put("created_by", c.createdBy());
    view.put("created_at", c.createdAt().toString());
    Channel.Activity activity = c.activity();
    view.put("status", activity.status());
    view.put("last_message_at", time(activity.lastMessageAt()));
    view.put("last_reply_at", time(activity.lastReplyAt()));
    view.put(
        "last_error",
        activity.lastError() == null
            ? null
            : Map.of("message", activity.lastError(), "at", time(activity.lastErrorAt())));
    return view;
  }
}
