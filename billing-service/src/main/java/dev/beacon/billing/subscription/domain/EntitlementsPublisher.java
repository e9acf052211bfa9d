package dev.beacon.billing.subscription.domain;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a workspace's absolute entitlements to the compacted {@value #TOPIC}, keyed by
 * workspace id: the latest record per workspace is its state.
 */
@Component
public class EntitlementsPublisher {

  /**
   * The compacted entitlements topic. Not in the shared {@code Topics} registry, whose topics are
   * all created with the delete policy; billing creates it compacted itself (ADR 0021).
   */
  public static final String TOPIC = "billing.entitlements.v1";

  private final KafkaTemplate<String, String> kafka;
  private final JsonMapper json;

  EntitlementsPublisher(KafkaTemplate<String, String> kafka, JsonMapper json) {
    this.kafka = kafka;
    this.json = json;
  }

  /**
   * Completes when Kafka acknowledged the record. Sent from a worker thread: without a broker,
   * {@code send} blocks on metadata for up to {@code max.block.ms}, which must not stall the event
   * loop.
   */
  Mono<Void> publish(EffectiveSubscription state) {
    String value = json.writeValueAsString(state);
    return Mono.defer(() -> Mono.fromFuture(kafka.send(TOPIC, state.workspaceId(), value)))
        .subscribeOn(Schedulers.boundedElastic())
        .then();
  }
}
