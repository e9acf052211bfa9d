package dev.beacon.ingest.events.kafka;

import dev.beacon.ingest.config.IngestProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes a request's accepted events and completes only when Kafka acknowledged all of them
 * ({@code acks=all}, idempotent producer).
 *
 * <p>{@code Producer.send()} can block — on metadata for a new topic, or when the buffer is full —
 * for up to {@code max.block.ms}, so it is called on a small dedicated scheduler, never on a Netty
 * event loop. That scheduler's queue is bounded: when the broker is slow and the queue is full, a
 * request fails at once with 503 instead of piling up. The whole wait is bounded by {@code
 * beacon.ingest.publish.timeout}.
 */
@Component
public class EventPublisher implements DisposableBean {

  private final Producer<String, byte[]> producer;
  private final Scheduler senders;
  private final IngestProperties.Publish settings;
  private final Timer sendLatency;
  private final Timer sendFailures;

  EventPublisher(
      ProducerFactory<?, ?> producers, IngestProperties properties, MeterRegistry meters) {
    this.producer = castProducer(producers.createProducer());
    this.settings = properties.publish();
    this.senders =
        Schedulers.newBoundedElastic(
            settings.senderThreads(), settings.maxQueuedBatches(), "kafka-send");
    this.sendLatency =
        Timer.builder("beacon.ingest.kafka.send")
            .description(
                "Time from handing a request's events to the producer until all are acknowledged")
            .tag("outcome", "acknowledged")
            .publishPercentileHistogram()
            .register(meters);
    this.sendFailures =
        Timer.builder("beacon.ingest.kafka.send")
            .tag("outcome", "failed")
            .publishPercentileHistogram()
            .register(meters);
  }

  @SuppressWarnings("unchecked")
  private static Producer<String, byte[]> castProducer(Producer<?, ?> producer) {
    // spring.kafka.producer.{key,value}-serializer are String and ByteArray serialisers
    return (Producer<String, byte[]>) producer;
  }

  /**
   * Sends the records and completes when every one is acknowledged; fails with {@link
   * KafkaUnavailableException} when any is not, or when that takes longer than the configured
   * timeout.
   */
  public Mono<Void> publish(List<OutgoingRecord> records) {
    if (records.isEmpty()) {
      return Mono.empty();
    }
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          return Mono.fromCallable(() -> sendAll(records))
              .subscribeOn(senders)
              .flatMap(Mono::fromFuture)
              .timeout(settings.timeout())
              // acks complete on the producer's single I/O thread: continue elsewhere, or every
              // response would be built on the thread that should be talking to the broker
              .publishOn(Schedulers.parallel())
              .doOnSuccess(
                  done -> sendLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
              .onErrorMap(
                  error -> {
                    sendFailures.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    return new KafkaUnavailableException(error);
                  })
              .then();
        });
  }

  private CompletableFuture<Void> sendAll(List<OutgoingRecord> records) {
    CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
    for (int i = 0; i < acks.length; i++) {
      OutgoingRecord record = records.get(i);
      CompletableFuture<Void> ack = new CompletableFuture<>();
      producer.send(
          new ProducerRecord<>(record.topic(), record.key(), record.value()),
          (metadata, error) -> {
            if (error == null) {
              ack.complete(null);
            } else {
              ack.completeExceptionally(error);
            }
          });
      acks[i] = ack;
    }
    return CompletableFuture.allOf(acks);
  }

  @Override
  public void destroy() {
    senders.dispose();
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
