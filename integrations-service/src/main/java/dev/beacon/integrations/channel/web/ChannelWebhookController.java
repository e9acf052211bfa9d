package dev.beacon.integrations.channel.web;

import dev.beacon.integrations.channel.domain.ChannelService;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * What Telegram and Discord call. Both paths are public (no forwarded identity): Telegram's secret
 * token and Discord's Ed25519 signature authenticate them, checked before the body is read as JSON.
 * An unknown channel id is refused exactly like a wrong secret or signature (401).
 */
@RestController
@RequestMapping("/api/integrations/channels")
class ChannelWebhookController {

  static final String TELEGRAM_SECRET = "X-Telegram-Bot-Api-Secret-Token";
  static final String DISCORD_SIGNATURE = "X-Signature-Ed25519";
  static final String DISCORD_TIMESTAMP = "X-Signature-Timestamp";

  private final ChannelService channels;

  ChannelWebhookController(ChannelService channels) {
    this.channels = channels;
  }

  @PostMapping("/telegram/{channelId}/webhook")
  Mono<ResponseEntity<Object>> telegram(
      @PathVariable String channelId,
      @RequestHeader(name = TELEGRAM_SECRET, required = false) String secretToken,
      @RequestBody(required = false) byte[] body) {
    return channels
        .telegramUpdate(id(channelId), secretToken, body)
        .map(delivery -> ResponseEntity.status(delivery.status()).build());
  }

  @PostMapping(
      path = "/discord/{channelId}/interactions",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Object>> discord(
      @PathVariable String channelId,
      @RequestHeader(name = DISCORD_SIGNATURE, required = false) String signature,
      @RequestHeader(name = DISCORD_TIMESTAMP, required = false) String timestamp,
      @RequestBody(required = false) byte[] body) {
    return channels
        .discordInteraction(id(channelId), signature, timestamp, body == null ? new byte[0] : body)
        .map(delivery -> ResponseEntity.status(delivery.status()).body(delivery.body()));
  }

  /** A path that is not a channel id names no channel: the nil UUID is never one. */
  private static UUID id(String channelId) {
    try {
      return UUID.fromString(channelId);
    } catch (IllegalArgumentException e) {
      return new UUID(0, 0);
    }
  }
}
