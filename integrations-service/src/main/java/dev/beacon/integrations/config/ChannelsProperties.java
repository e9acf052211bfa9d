package dev.beacon.integrations.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.integrations.channels.*}: Telegram and Discord channels that relay
 * messages to a chat-service agent.
 *
 * @param chatUrl chat-service's base URL ({@code BEACON_CHAT_SERVICE_URL}); blank: channels cannot
 *     be created and updates are answered 503
 * @param telegramUrl Telegram's Bot API ({@code /bot<token>/sendMessage} is under it)
 * @param discordUrl Discord's HTTP API ({@code /webhooks/...} is under it)
 * @param requestTimeout one call to Telegram, Discord or chat-service (not the agent's turn)
 * @param turnTimeout how long the agent's answer is waited for; under Discord's 15 minutes, which
 *     is how long an interaction token can edit its answer
 * @param maxConcurrentTurns turns relayed at once; beyond, updates are refused with 503 so that
 *     Telegram delivers them again later
 * @param signatureMaxAge how far a Discord request's timestamp may be from now (replays)
 * @param pendingTurnTtl how long a relayed turn's answers are still sent to the chat after its last
 *     stop (ADR 0028); keep it above chat-service's approval TTL ({@code BEACON_CHAT_APPROVAL_TTL},
 *     24 h), or an answer after a late decision is not sent
 */
@ConfigurationProperties("beacon.integrations.channels")
public record ChannelsProperties(
    String chatUrl,
    @DefaultValue("https://api.telegram.org") String telegramUrl,
    @DefaultValue("https://discord.com/api/v10") String discordUrl,
    @DefaultValue("10s") Duration requestTimeout,
    @DefaultValue("5m") Duration turnTimeout,
    @DefaultValue("32") int maxConcurrentTurns,
    @DefaultValue("5m") Duration signatureMaxAge,
    @DefaultValue("48h") Duration pendingTurnTtl) {

  public ChannelsProperties {
    chatUrl = chatUrl == null || chatUrl.isBlank() ? null : withoutTrailingSlash(chatUrl.strip());
    telegramUrl = withoutTrailingSlash(telegramUrl);
    discordUrl = withoutTrailingSlash(discordUrl);
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "beacon.integrations.channels.request-timeout must be positive");
    }
    if (turnTimeout.isNegative()
        || turnTimeout.isZero()
        || turnTimeout.compareTo(Duration.ofMinutes(15)) >= 0) {
      throw new IllegalArgumentException(
          "beacon.integrations.channels.turn-timeout must be positive and under 15 minutes");
    }
    if (pendingTurnTtl.isNegative() || pendingTurnTtl.isZero()) {
      throw new IllegalArgumentException(
          "beacon.integrations.channels.pending-turn-ttl must be positive");
    }
    if (maxConcurrentTurns < 1) {
      throw new IllegalArgumentException(
          "beacon.integrations.channels.max-concurrent-turns must be at least 1");
    }
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
