package dev.beacon.integrations.channel.domain;

import dev.beacon.events.TurnStop;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.TokenCipher;
import dev.beacon.integrations.events.CallContext;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Tells a channel's chat what a turn said after the webhook was answered: a stop of a relayed run
 * from {@code chat.turn-stops.v1} — the answer after an approval (or a rejection), another approval
 * waiting, the answer the relay stopped waiting for (ADR 0028). A stop is told once: only after
 * {@link ChannelTurnRepository#claim} moved the run's {@code told_stop} up to it, so a stop the
 * relay told, a redelivered record and a republished stop are not told again; a run that is not a
 * channel's is no concern here.
 *
 * <p>Telegram: {@code sendMessage} to the chat, with the bot token. Discord: within {@link
 * #FOLLOW_UP_WINDOW} of the interaction a follow-up with its token; later (the token lives 15
 * minutes) a message to the channel as the bot, when the channel keeps a bot token; otherwise the
 * answer stays in Beacon and the channel's last error says why.
 */
@Service
public class ChannelReplies {

  private static final Logger log = LoggerFactory.getLogger(ChannelReplies.class);

  /** An interaction token younger than this still sends (15 minutes, less a minute's margin). */
  static final Duration FOLLOW_UP_WINDOW =
      ChannelTurnRepository.INTERACTION_TOKEN_LIFE.minusMinutes(1);

  private final ChannelTurnRepository turns;
  private final ChannelRepository channels;
  private final TokenCipher cipher;
  private final TelegramClient telegram;
  private final DiscordClient discord;
  private final ReplyTexts texts;
  private final Clock clock;

  ChannelReplies(
      ChannelTurnRepository turns,
      ChannelRepository channels,
      TokenCipher cipher,
      TelegramClient telegram,
      DiscordClient discord,
      IntegrationsProperties properties,
      Clock clock) {
    this.turns = turns;
    this.channels = channels;
    this.cipher = cipher;
    this.telegram = telegram;
    this.discord = discord;
    this.texts = new ReplyTexts(properties.publicUrl());
    this.clock = clock;
  }

  /**
   * Tells the stop to its channel's chat, if it is a channel's and not told yet. Completes when it
   * was sent, refused (recorded as the channel's last error), or not ours; fails only when the
   * database could not be asked, so that the record is read again.
   */
  public Mono<Void> tell(TurnStop stop) {
    UUID run;
    try {
      run = UUID.fromString(stop.runId());
    } catch (IllegalArgumentException | NullPointerException notOurs) {
      return Mono.empty();
    }
    if (stop.stop() < 1) {
      return Mono.empty();
    }
    return turns
        .claim(run, stop.stop(), clock.instant())
        .flatMap(
            turn ->
                channels
                    .find(turn.channelId())
                    .flatMap(channel -> send(channel, turn, stop))
                    .flatMap(
                        outcome -> {
                          if (!outcome.ok()) {
                            log.warn(
                                "The agent's answer after the webhook could not be sent to channel"
                                    + " {}: {}",
                                turn.channelId(),
                                outcome.errorMessage());
                          }
                          return channels.replied(
                              turn.channelId(),
                              outcome.ok() ? null : outcome.errorMessage(),
                              clock.instant());
                        }));
  }

  private Mono<OutsideCalls.Outcome> send(
      ChannelRepository.Row row, ChannelTurnRepository.Row turn, TurnStop stop) {
    Channel channel = row.channel();
    String text = texts.of(stop);
    CallContext context =
        new CallContext(
            channel.workspaceId(),
            channel.agentId().toString(),
            turn.runId().toString(),
            turn.traceId() != null ? turn.traceId() : stop.traceId(),
            null);
    String channelId = channel.id().toString();
    if (channel.kind() == ChannelKind.TELEGRAM) {
      long chatId;
      try {
        chatId = Long.parseLong(turn.replyTo());
      } catch (NumberFormatException | NullPointerException e) {
        return Mono.just(failed("no_chat", "The Telegram chat of the turn is unknown."));
      }
      return open(row.botToken(), ChannelService.associatedData(channel))
          .flatMap(token -> telegram.sendMessage(token, chatId, text, context, channelId))
          .switchIfEmpty(Mono.fromSupplier(ChannelReplies::undecryptable));
    }
    Instant now = clock.instant();
    boolean fresh =
        turn.interactionToken() != null
            && turn.interactionAt() != null
            && turn.interactionAt().plus(FOLLOW_UP_WINDOW).isAfter(now);
    Mono<OutsideCalls.Outcome> asBot =
        Mono.defer(
            () -> {
              if (row.botToken() == null || turn.replyTo() == null) {
                return Mono.just(
                    failed(
                        "interaction_expired",
                        "Discord's interaction token expired (it lives 15 minutes) and the channel"
                            + " has no bot token to post with; the answer is in Beacon: "
                            + texts.publicUrl()
                            + "/chat/"
                            + turn.conversationId()));
              }
              return open(row.botToken(), ChannelService.associatedData(channel))
                  .flatMap(
                      token ->
                          discord.createMessage(turn.replyTo(), token, text, context, channelId))
                  .switchIfEmpty(Mono.fromSupplier(ChannelReplies::undecryptable));
            });
    if (!fresh) {
      return asBot;
    }
    return open(turn.interactionToken(), ChannelRelay.interactionData(turn.runId(), channel.id()))
        .flatMap(
            token -> discord.followUp(channel.applicationId(), token, text, context, channelId))
        // an interaction Discord no longer knows: post as the bot, if it can
        .flatMap(
            outcome ->
                "refused".equals(outcome.errorCode()) && row.botToken() != null
                    ? asBot
                    : Mono.just(outcome))
        .switchIfEmpty(asBot);
  }

  /** A sealed token opened, or empty when the keyset no longer opens it. */
  private Mono<String> open(byte[] sealed, byte[] associatedData) {
    if (sealed == null || !cipher.isConfigured()) {
      return Mono.empty();
    }
    try {
      return Mono.just(cipher.open(sealed, associatedData));
    } catch (GeneralSecurityException e) {
      return Mono.empty();
    }
  }

  private static OutsideCalls.Outcome undecryptable() {
    return failed(
        "token_undecryptable",
        "The channel's token cannot be decrypted with the configured keyset; create the channel"
            + " again.");
  }

  private static OutsideCalls.Outcome failed(String code, String message) {
    return new OutsideCalls.Outcome(0, null, code, message);
  }
}
