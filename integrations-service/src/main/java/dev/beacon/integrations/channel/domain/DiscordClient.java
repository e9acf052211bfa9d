package dev.beacon.integrations.channel.domain;

import dev.beacon.integrations.config.ChannelsProperties;
import dev.beacon.integrations.events.CallContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Discord's HTTP API for answering an interaction: {@code PATCH {discord}/webhooks/{application
 * id}/{interaction token}/messages/@original} replaces the deferred answer ("thinking…") with the
 * agent's, and {@code POST {discord}/webhooks/{application id}/{interaction token}} sends a
 * follow-up (an answer after an approval); the interaction token authorizes both, for 15 minutes
 * only. Later, an answer is posted as the bot, {@code POST {discord}/channels/{channel
 * id}/messages} with {@code Authorization: Bot <token>}, which needs the bot in the channel. One
 * {@code service_call} per call (service {@code discord}, operations {@code
 * interactions.editOriginal}, {@code interactions.followUp}, {@code channels.createMessage}).
 */
@Component
class DiscordClient {

  /** Discord's longest message content. */
  static final int MAX_CONTENT = 2000;

  /** The slash command Beacon registers when a bot token is given. */
  static final String COMMAND = "ask";

  private static final String CUT = "…";

  private final OutsideCalls calls;
  private final ChannelsProperties settings;

  DiscordClient(OutsideCalls calls, ChannelsProperties settings) {
    this.calls = calls;
    this.settings = settings;
  }

  /**
   * Registers the global slash command {@code /ask message:<text>} for the application with its bot
   * token ({@code POST /applications/{id}/commands}, which overwrites a command of the same name).
   */
  Mono<OutsideCalls.Outcome> registerCommand(
      String applicationId, String botToken, CallContext context, String channelId) {
    URI uri =
        UriComponentsBuilder.fromUriString(settings.discordUrl())
            .path("/applications/{application}/commands")
            .buildAndExpand(applicationId)
            .encode()
            .toUri();
    Map<String, Object> option =
        Map.of(
            "type",
            3,
            "name",
            "message",
            "description",
            "What to ask the agent",
            "required",
            true,
            "max_length",
            6000);
    Map<String, Object> command =
        Map.of(
            "name",
            COMMAND,
            "type",
            1,
            "description",
            "Ask the Beacon agent",
            "options",
            List.of(option));
    return calls.send(
        new OutsideCalls.Request(
            "discord",
            "applicationCommands.create",
            HttpMethod.POST,
            uri,
            Map.of("Authorization", "Bot " + botToken),
            command),
        context,
        channelId,
        DiscordClient::judge);
  }

  /** Replaces the deferred answer with {@code content}, cut to 2000 characters. */
  Mono<OutsideCalls.Outcome> editOriginal(
      String applicationId,
      String interactionToken,
      String content,
      CallContext context,
      String channelId) {
    URI uri =
        UriComponentsBuilder.fromUriString(settings.discordUrl())
            .path("/webhooks/{application}/{token}/messages/@original")
            .buildAndExpand(applicationId, interactionToken)
            .encode()
            .toUri();
    return calls.send(
        new OutsideCalls.Request(
            "discord",
            "interactions.editOriginal",
            HttpMethod.PATCH,
            uri,
            Map.of(),
            Map.of("content", bounded(content))),
        context,
        channelId,
        DiscordClient::judge);
  }

  /**
   * Sends {@code content} as a follow-up message of the interaction (the first follow-up of a
   * deferred interaction replaces its "thinking…"), cut to 2000 characters, mentioning nobody.
   */
  Mono<OutsideCalls.Outcome> followUp(
      String applicationId,
      String interactionToken,
      String content,
      CallContext context,
      String channelId) {
    URI uri =
        UriComponentsBuilder.fromUriString(settings.discordUrl())
            .path("/webhooks/{application}/{token}")
            .buildAndExpand(applicationId, interactionToken)
            .encode()
            .toUri();
    return calls.send(
        new OutsideCalls.Request(
            "discord", "interactions.followUp", HttpMethod.POST, uri, Map.of(), message(content)),
        context,
        channelId,
        DiscordClient::judge);
  }

  /**
   * Posts {@code content} to a Discord channel as the application's bot, cut to 2000 characters,
   * mentioning nobody.
   */
  Mono<OutsideCalls.Outcome> createMessage(
      String discordChannelId,
      String botToken,
      String content,
      CallContext context,
      String channelId) {
    URI uri =
        UriComponentsBuilder.fromUriString(settings.discordUrl())
            .path("/channels/{channel}/messages")
            .buildAndExpand(discordChannelId)
            .encode()
            .toUri();
    return calls.send(
        new OutsideCalls.Request(
            "discord",
            "channels.createMessage",
            HttpMethod.POST,
            uri,
            Map.of("Authorization", "Bot " + botToken),
            message(content)),
        context,
        channelId,
        DiscordClient::judge);
  }

  /**
   * A message's body: the text, and no mention pings anyone (an agent's "@everyone" stays text).
   */
  private static Map<String, Object> message(String content) {
    return Map.of("content", bounded(content), "allowed_mentions", Map.of("parse", List.of()));
  }

  /** At most 2000 UTF-16 units; a longer text ends with "…", never half a surrogate pair. */
  static String bounded(String content) {
    if (content.length() <= MAX_CONTENT) {
      return content;
    }
    int keep = MAX_CONTENT - CUT.length();
    if (Character.isHighSurrogate(content.charAt(keep - 1))) {
      keep--;
    }
    return content.substring(0, keep) + CUT;
  }

  private static OutsideCalls.Outcome judge(int status, JsonNode answer) {
    if (status >= 200 && status < 300) {
      return new OutsideCalls.Outcome(status, answer, null, null);
    }
    String message =
        answer == null ? "HTTP " + status : answer.path("message").asString("HTTP " + status);
    String code =
        switch (status) {
          case 401, 404 -> "refused";
          case 429 -> "rate_limited";
          default -> "discord_error";
        };
    return new OutsideCalls.Outcome(
        status,
        answer,
        code,
        "Discord answered " + status + ": " + TelegramClient.shorten(message));
  }
}
