package dev.beacon.ingest.events.kafka;

import dev.beacon.ingest.config.IngestProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
    Acknowledgements acks = new Acknowledgements(records.size());
    for (OutgoingRecord record : records) {
      producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()), acks);
    }
    return acks.all;
  }

  /**
   * One callback for all records of a request: completes when every record has its answer, and
   * exceptionally when any failed. A future per record joined with {@code allOf} did the same with
   * a tree of futures completed on the producer's I/O thread.
   */
  private static final class Acknowledgements implements Callback {

    private final CompletableFuture<Void> all = new CompletableFuture<>();
    private final AtomicInteger pending;
    private final AtomicReference<Exception> firstError = new AtomicReference<>();

    Acknowledgements(int records) {
      this.pending = new AtomicInteger(records);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
      if (error != null) {
        firstError.compareAndSet(null, error);
      }
      if (pending.decrementAndGet() == 0) {
        Exception failure = firstError.get();
        if (failure == null) {
          all.complete(null);
        } else {
          all.completeExceptionally(failure);
        }
      }
    }
  }

  @Override
  public void destroy() {
    senders.dispose();
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
