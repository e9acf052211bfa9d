package dev.beacon.integrations.channel.domain;

import dev.beacon.integrations.config.ChannelsProperties;
import dev.beacon.integrations.events.CallContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Telegram's Bot API: {@code POST {telegram}/bot<token>/<method>} with a JSON body, answered {@code
 * {"ok": true, "result": …}} or {@code {"ok": false, "error_code", "description"}}. Every call is
 * one {@code service_call} (service {@code telegram}, operation = the method).
 */
@Component
class TelegramClient {

  /** Telegram's longest message text. */
  static final int MAX_TEXT = 4096;

  private final OutsideCalls calls;
  private final ChannelsProperties settings;

  TelegramClient(OutsideCalls calls, ChannelsProperties settings) {
    this.calls = calls;
    this.settings = settings;
  }

  /** Points the bot's updates at Beacon, with the secret Telegram sends back in every update. */
  Mono<OutsideCalls.Outcome> setWebhook(
      String token, String url, String secretToken, CallContext context, String channelId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    body.put("secret_token", secretToken);
    body.put("allowed_updates", List.of("message"));
    return call(token, "setWebhook", body, context, channelId);
  }

  Mono<OutsideCalls.Outcome> deleteWebhook(String token, CallContext context, String channelId) {
    return call(token, "deleteWebhook", null, context, channelId);
  }

  /**
   * Sends {@code text} to the chat, in as many messages as Telegram's 4096-character limit needs,
   * in order; stops at the first that fails and answers its outcome.
   */
  Mono<OutsideCalls.Outcome> sendMessage(
      String token, long chatId, String text, CallContext context, String channelId) {
    return Flux.fromIterable(split(text, MAX_TEXT))
        .concatMap(
            part -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("chat_id", chatId);
              body.put("text", part);
              return call(token, "sendMessage", body, context, channelId);
            })
        .takeUntil(outcome -> !outcome.ok())
        .last();
  }

  private Mono<OutsideCalls.Outcome> call(
      String token, String method, Object body, CallContext context, String channelId) {
    return calls.send(
        new OutsideCalls.Request(
            "telegram",
            method,
            HttpMethod.POST,
            URI.create(settings.telegramUrl() + "/bot" + token + "/" + method),
            Map.of(),
            body),
        context,
        channelId,
        TelegramClient::judge);
  }

  private static OutsideCalls.Outcome judge(int status, JsonNode answer) {
    if (status >= 200 && status < 300 && answer != null && answer.path("ok").asBoolean(false)) {
      return new OutsideCalls.Outcome(status, answer, null, null);
    }
    String description =
        answer == null ? "HTTP " + status : answer.path("description").asString("HTTP " + status);
    String code =
        switch (status) {
          case 401, 404 -> "token_refused";
          case 429 -> "rate_limited";
          default -> "telegram_error";
        };
    return new OutsideCalls.Outcome(
        status, answer, code, "Telegram answered " + status + ": " + shorten(description));
  }

  /**
   * Splits a text into parts of at most {@code limit} UTF-16 units, at the last line break (else
   * space) in a part's second half, never inside a surrogate pair; parts keep every character.
   */
  static List<String> split(String text, int limit) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (text.length() - start > limit) {
      int end = start + limit;
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      int lineBreak = text.lastIndexOf('\n', end - 1);
      int space = text.lastIndexOf(' ', end - 1);
      int half = start + limit / 2;
      if (lineBreak >= half) {
        end = lineBreak + 1;
      } else if (space >= half) {
        end = space + 1;
      }
      parts.add(text.substring(start, end));
      start = end;
    }
    parts.add(text.substring(start));
    return parts;
  }

  static String shorten(String message) {
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }
}
