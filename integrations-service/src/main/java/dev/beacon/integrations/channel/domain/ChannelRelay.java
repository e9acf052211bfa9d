package dev.beacon.integrations.channel.domain;

import dev.beacon.integrations.config.ChannelsProperties;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.connection.domain.TokenCipher;
import dev.beacon.integrations.events.CallContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Relays one message to the channel's agent and its answer back, after the webhook has been
 * answered: at most {@code max-concurrent-turns} at once (a caller that gets no slot refuses the
 * delivery, so Telegram sends it again), each waited for at most {@code turn-timeout}. Whatever
 * happens — the agent fails, waits for an approval, takes too long, chat-service is down — the chat
 * gets a reply saying so; a reply Telegram or Discord refuses is logged, is a failed {@code
 * service_call}, and is the channel's last error.
 *
 * <p>As soon as the turn's stream names its run, the run is remembered with where its answers go
 * ({@link ChannelTurnRepository}): the answer after an approval, or one the relay stopped waiting
 * for, comes later on {@code chat.turn-stops.v1} and {@link ChannelReplies} tells it. The relay
 * tells the turn's first stop only if it claims it first (ADR 0028).
 */
@Component
class ChannelRelay {

  private static final Logger log = LoggerFactory.getLogger(ChannelRelay.class);

  /** Sends the reply text; the context carries the turn's run and trace when chat named them. */
  interface Reply extends BiFunction<String, CallContext, Mono<OutsideCalls.Outcome>> {}

  /**
   * Where later answers of the turn go.
   *
   * @param replyTo Telegram's chat id, or the Discord channel id ({@code null} in a DM without one)
   * @param interactionToken Discord's interaction token, or {@code null}
   * @param interactionAt when Discord's interaction came, or {@code null}
   */
  record Origin(String replyTo, String interactionToken, Instant interactionAt) {}

  private final ChatClient chat;
  private final ChannelRepository channels;
  private final ChannelTurnRepository turns;
  private final TokenCipher cipher;
  private final ChannelsProperties settings;
  private final ReplyTexts texts;
  private final Clock clock;
  private final Semaphore slots;

  ChannelRelay(
      ChatClient chat,
      ChannelRepository channels,
      ChannelTurnRepository turns,
      TokenCipher cipher,
      ChannelsProperties settings,
      IntegrationsProperties properties,
      Clock clock) {
    this.chat = chat;
    this.channels = channels;
    this.turns = turns;
    this.cipher = cipher;
    this.settings = settings;
    this.texts = new ReplyTexts(properties.publicUrl());
    this.clock = clock;
    this.slots = new Semaphore(settings.maxConcurrentTurns());
  }

  /** Takes a slot for one relay; false when all are busy. Give it to {@link #start}. */
  boolean reserve() {
    return slots.tryAcquire();
  }

  /** Gives back a slot {@link #reserve} took when the relay is not started after all. */
  void release() {
    slots.release();
  }

  /**
   * Starts the relay in the background with a slot {@link #reserve} took; it gives the slot back.
   *
   * @param chatKey the Telegram chat or Discord channel: one conversation each
   * @param title the conversation's title when it is new
   */
  void start(
      Channel channel, String chatKey, String title, String text, Origin origin, Reply reply) {
    CallContext outside =
        CallContext.of(channel.workspaceId(), channel.agentId().toString(), null, null);
    AtomicReference<UUID> remembered = new AtomicReference<>();
    channels
        .messageRelayed(channel.id(), clock.instant())
        .then(conversation(channel, chatKey, title))
        .flatMap(
            conversation ->
                chat.send(
                        channel.workspaceId(),
                        channel.createdBy(),
                        conversation,
                        text,
                        (runId, traceId) ->
                            remember(channel, conversation, runId, traceId, origin)
                                .doOnNext(remembered::set)
                                .then())
                    .timeout(settings.turnTimeout())
                    .onErrorResume(
                        TimeoutException.class,
                        e ->
                            Mono.just(
                                ChatClient.Answer.failed(
                                    "turn_timeout",
                                    remembered.get() == null
                                        ? "The agent has not answered within "
                                            + settings.turnTimeout().toSeconds()
                                            + " seconds; its answer will be in the conversation in"
                                            + " Beacon: "
                                            + texts.publicUrl()
                                            + "/chat/"
                                            + conversation
                                        : texts.notYet(
                                            settings.turnTimeout().toSeconds(), conversation))))
                    .map(
                        answer ->
                            "chat_unavailable".equals(answer.errorCode())
                                    && remembered.get() != null
                                ? ChatClient.Answer.failed("turn_timeout", texts.streamLost())
                                : answer))
        .onErrorResume(
            ChatClient.ChatRefusal.class,
            e -> Mono.just(ChatClient.Answer.failed(e.code, e.getMessage())))
        .onErrorResume(
            e -> {
              log.warn(
                  "chat-service could not be asked for channel {}: {}",
                  channel.id(),
                  e.getClass().getSimpleName());
              return Mono.just(
                  ChatClient.Answer.failed(
                      "chat_unavailable", "Beacon could not reach the agent; try again later."));
            })
        .filterWhen(answer -> mayTell(answer, remembered.get()))
        .flatMap(
            answer ->
                reply.apply(
                    replyText(answer),
                    answer.traceId() == null
                        ? outside
                        : new CallContext(
                            channel.workspaceId(),
                            channel.agentId().toString(),
                            answer.runId(),
                            answer.traceId(),
                            null)))
        .flatMap(outcome -> recorded(channel, outcome))
        .doFinally(signal -> slots.release())
        .subscribe(
            outcome -> {},
            e -> log.warn("Relaying to channel {} failed: {}", channel.id(), e.toString()));
  }

  /**
   * Whether the relay tells this answer. The turn's first stop is told by whoever claims it: the
   * relay here, or {@link ChannelReplies} from chat's topic. A turn the relay stopped waiting for
   * (or whose stream broke off) is not claimed — its stop comes later on the topic — and this is
   * told only while nothing was.
   */
  private Mono<Boolean> mayTell(ChatClient.Answer answer, UUID run) {
    if (run == null) {
      return Mono.just(true);
    }
    if ("turn_timeout".equals(answer.errorCode())) {
      return turns.find(run).map(row -> row.toldStop() == 0).defaultIfEmpty(true);
    }
    return turns
        .claim(run, 1, clock.instant())
        .hasElement()
        .onErrorResume(
            e -> {
              log.warn("The turn {} could not be claimed: {}", run, e.toString());
              return Mono.just(true);
            });
  }

  /** Remembers the run with where its later answers go; a failure is logged, not the relay's. */
  private Mono<UUID> remember(
      Channel channel, UUID conversation, String runId, String traceId, Origin origin) {
    UUID run;
    try {
      run = UUID.fromString(runId);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Mono.empty();
    }
    byte[] token =
        origin.interactionToken() == null || !cipher.isConfigured()
            ? null
            : cipher.seal(origin.interactionToken(), interactionData(run, channel.id()));
    return turns
        .insert(
            new ChannelTurnRepository.Row(
                run,
                channel.id(),
                conversation,
                origin.replyTo(),
                token,
                origin.interactionAt(),
                traceId,
                0),
            clock.instant(),
            settings.pendingTurnTtl())
        .thenReturn(run)
        .onErrorResume(
            e -> {
              log.warn(
                  "The turn of channel {} was not remembered; an answer after an approval will"
                      + " not reach the chat: {}",
                  channel.id(),
                  e.toString());
              return Mono.empty();
            });
  }

  /** The outcome is logged when it failed, and is the channel's last reply or last error. */
  private Mono<OutsideCalls.Outcome> recorded(Channel channel, OutsideCalls.Outcome outcome) {
    if (!outcome.ok()) {
      log.warn(
          "The agent's reply could not be sent to {} channel {}: {}",
          channel.kind().id(),
          channel.id(),
          outcome.errorMessage());
    }
    return channels
        .replied(channel.id(), outcome.ok() ? null : outcome.errorMessage(), clock.instant())
        .thenReturn(outcome)
        .onErrorReturn(outcome);
  }

  private Mono<UUID> conversation(Channel channel, String chatKey, String title) {
    return channels
        .conversation(channel.id(), chatKey)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    chat.createConversation(
                            channel.workspaceId(), channel.createdBy(), channel.agentId(), title)
                        .flatMap(
                            created ->
                                channels.saveConversation(
                                    channel.id(), chatKey, created, clock.instant()))));
  }

  /** What the chat is told. */
  String replyText(ChatClient.Answer answer) {
    return texts.of(
        answer.text(), answer.awaitingApproval(), answer.errorCode(), answer.errorMessage());
  }

  /** The associated data of a sealed interaction token: it opens only for its turn's row. */
  static byte[] interactionData(UUID run, UUID channelId) {
    return ("channel_turn\0" + run + "\0" + channelId + "\0INTERACTION_TOKEN")
        .getBytes(StandardCharsets.UTF_8);
  }
}
