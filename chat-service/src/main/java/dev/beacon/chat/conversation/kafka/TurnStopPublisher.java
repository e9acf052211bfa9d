package dev.beacon.chat.conversation.kafka;

import dev.beacon.chat.config.TurnStopsProperties;
import dev.beacon.chat.conversation.domain.TurnStopped;
import dev.beacon.chat.conversation.store.TurnStopRepository;
import dev.beacon.chat.conversation.store.TurnStopRow;
import dev.beacon.events.Topics;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends the turn-stops outbox to {@code chat.turn-stops.v1} (ADR 0028), keyed by {@code
 * workspace_id:agent_id} like every topic of the registry, in the order the stops were written: at
 * once when a turn stops, and every {@code sweep-interval} for what a broker that was down left
 * unsent. A pass stops at the first send that fails, so one run's stops never overtake each other;
 * a stop is marked once Kafka acknowledged it, so it may be sent twice (a crash between the two)
 * but is never lost — consumers recognise it by its {@code stop_id}. Sending happens on a worker
 * thread and never in a turn's way: without a broker, chat goes on and the stops wait here.
 */
@Component
class TurnStopPublisher {

  private static final Logger log = LoggerFactory.getLogger(TurnStopPublisher.class);

  private final TurnStopRepository outbox;
  private final KafkaTemplate<String, String> kafka;
  private final TurnStopsProperties settings;
  private final Clock clock;
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  TurnStopPublisher(
      TurnStopRepository outbox,
      KafkaTemplate<String, String> kafka,
      TurnStopsProperties settings,
      Clock clock) {
    this.outbox = outbox;
    this.kafka = kafka;
    this.settings = settings;
    this.clock = clock;
  }

  @EventListener
  void onStop(TurnStopped stopped) {
    publishPending();
  }

  @Scheduled(
      initialDelayString = "${beacon.chat.turn-stops.sweep-interval:5s}",
      fixedDelayString = "${beacon.chat.turn-stops.sweep-interval:5s}")
  void sweep() {
    publishPending();
    outbox
        .deletePublishedBefore(clock.instant().minus(settings.retention()))
        .subscribe(
            deleted -> {},
            e -> log.warn("Published turn stops could not be deleted: {}", e.toString()));
  }

  /**
   * Starts a pass unless one runs; a pass that runs when asked goes round once more after it, so a
   * stop stored during a pass is not left for the sweep.
   */
  void publishPending() {
    again.set(true);
    if (!sending.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    outbox
        .unpublished(settings.batchSize())
        .concatMap(row -> send(row).then(outbox.markPublished(row.stopId(), clock.instant())))
        .count()
        .subscribeOn(Schedulers.boundedElastic())
        .subscribe(
            sent -> {
              if (sent >= settings.batchSize()) {
                again.set(true);
              }
            },
            e -> {
              sending.set(false);
              log.warn(
                  "Turn stops were not published (Kafka: {}); they are sent again within {}",
                  e.toString(),
                  settings.sweepInterval());
            },
            () -> {
              sending.set(false);
              if (again.get()) {
                publishPending();
              }
            });
  }

  /** Completes once Kafka acknowledged the record. */
  private Mono<Void> send(TurnStopRow row) {
    return Mono.defer(
            () ->
                Mono.fromFuture(
                    kafka.send(
                        Topics.CHAT_TURN_STOPS.name(),
                        Topics.eventKey(row.workspaceId(), row.agentId().toString()),
                        row.payload())))
        .timeout(settings.publishTimeout())
        .then();
  }
}
