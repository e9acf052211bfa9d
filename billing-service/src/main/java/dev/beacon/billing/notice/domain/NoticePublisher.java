package dev.beacon.billing.notice.domain;

import dev.beacon.billing.notice.store.NoticeRow;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Sends a notice to {@value #TOPIC}, keyed by workspace id. */
@Component
public class NoticePublisher {

  /**
   * The notices topic: events, not state (delete policy, 3 partitions). Created by billing like its
   * entitlements topic, and not in the shared {@code Topics} registry, whose topics are the
   * observability events (ADR 0026).
   */
  public static final String TOPIC = "billing.notices.v1";

  private final KafkaTemplate<String, String> kafka;

  NoticePublisher(KafkaTemplate<String, String> kafka) {
    this.kafka = kafka;
  }

  /**
   * Completes when Kafka acknowledged the record. Sent from a worker thread: without a broker,
   * {@code send} blocks on metadata for up to {@code max.block.ms}.
   */
  Mono<Void> publish(NoticeRow notice) {
    return Mono.defer(
            () -> Mono.fromFuture(kafka.send(TOPIC, notice.workspaceId(), notice.payload())))
        .subscribeOn(Schedulers.boundedElastic())
        .then();
  }
}
