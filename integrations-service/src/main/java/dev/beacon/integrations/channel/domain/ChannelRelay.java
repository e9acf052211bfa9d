package dev.beacon.integrations.channel.domain;

import dev.beacon.integrations.config.ChannelsProperties;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.events.CallContext;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
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
 * gets a reply saying so; a reply Telegram or Discord refuses is logged and is a failed {@code
 * service_call}.
 */
@Component
class ChannelRelay {

  private static final Logger log = LoggerFactory.getLogger(ChannelRelay.class);

  /** Sends the reply text; the context carries the turn's run and trace when chat named them. */
  interface Reply extends BiFunction<String, CallContext, Mono<OutsideCalls.Outcome>> {}

  private final ChatClient chat;
  private final ChannelRepository channels;
  private final ChannelsProperties settings;
  private final String publicUrl;
  private final Clock clock;
  private final Semaphore slots;

  ChannelRelay(
      ChatClient chat,
      ChannelRepository channels,
      ChannelsProperties settings,
      IntegrationsProperties properties,
      Clock clock) {
    this.chat = chat;
    this.channels = channels;
    this.settings = settings;
    this.publicUrl = properties.publicUrl();
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
  void start(Channel channel, String chatKey, String title, String text, Reply reply) {
    CallContext outside =
        CallContext.of(channel.workspaceId(), channel.agentId().toString(), null, null);
    conversation(channel, chatKey, title)
        .flatMap(
            conversation ->
                chat.send(channel.workspaceId(), channel.createdBy(), conversation, text)
                    .timeout(settings.turnTimeout())
                    .onErrorResume(
                        TimeoutException.class,
                        e ->
                            Mono.just(
                                ChatClient.Answer.failed(
                                    "turn_timeout",
                                    "The agent has not answered within "
                                        + settings.turnTimeout().toSeconds()
                                        + " seconds; its answer will be in the conversation in"
                                        + " Beacon: "
                                        + publicUrl
                                        + "/chat/"
                                        + conversation))))
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
        .doOnNext(
            outcome -> {
              if (!outcome.ok()) {
                log.warn(
                    "The agent's reply could not be sent to {} channel {}: {}",
                    channel.kind().id(),
                    channel.id(),
                    outcome.errorMessage());
              }
            })
        .doFinally(signal -> slots.release())
        .subscribe(
            outcome -> {},
            e -> log.warn("Relaying to channel {} failed: {}", channel.id(), e.toString()));
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
    StringBuilder reply = new StringBuilder();
    if (answer.text() != null) {
      reply.append(answer.text());
    }
    if (answer.awaitingApproval()) {
      if (!reply.isEmpty()) {
        reply.append("\n\n");
      }
      reply
          .append("An approval is waiting in Beacon: ")
          .append(publicUrl)
          .append("/approvals — the agent goes on once it is decided, and answers there.");
    } else if (answer.errorCode() != null) {
      if (!reply.isEmpty()) {
        reply.append("\n\n");
      }
      reply.append(
          switch (answer.errorCode()) {
            case "turn_in_progress" ->
                "The agent is still busy with an earlier message (or waits for an approval in"
                    + " Beacon: "
                    + publicUrl
                    + "/approvals); send this again once it has answered.";
            case "turn_timeout", "chat_unavailable" -> answer.errorMessage();
            default -> "The agent could not answer: " + answer.errorMessage();
          });
    }
    if (reply.isEmpty()) {
      reply.append("The agent answered without any text.");
    }
    return reply.toString();
  }
}
