package dev.beacon.aggregator.pipeline;

import dev.beacon.aggregator.metrics.write.MetricUpdatePublisher;
import dev.beacon.aggregator.pipeline.EventLogWriter.ConsumedEvent;
import dev.beacon.aggregator.pipeline.EventLogWriter.WriteResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Consumes every event topic in batches. Per batch: decode (poison records set aside), store the
 * good events in one PostgreSQL transaction, dead-letter the poison ones, commit the offsets, then
 * publish metric updates. If the database write fails the listener throws before acknowledging, and
 * the container's error handler retries the same batch with back-off, forever: offsets never move
 * past events that are not durable.
 */
final class EventBatchListener {

  static final String ID = "obs-aggregator-events";

  private static final Logger log = LoggerFactory.getLogger(EventBatchListener.class);

  private final EventDecoder decoder;
  private final EventLogWriter writer;
  private final DeadLetterPublishingRecoverer deadLetters;
  private final MetricUpdatePublisher publisher;
  private final MeterRegistry meters;
  private final Timer batchTimer;

  EventBatchListener(
      EventDecoder decoder,
      EventLogWriter writer,
      DeadLetterPublishingRecoverer deadLetters,
      MetricUpdatePublisher publisher,
      MeterRegistry meters) {
    this.decoder = decoder;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.publisher = publisher;
    this.meters = meters;
    this.batchTimer = meters.timer("beacon.aggregator.batch.duration");
  }

  @KafkaListener(
      id = ID,
      topics = "#{@eventTopicNames}",
      batch = "true",
      idIsGroup = false,
      concurrency = "${beacon.aggregator.consumers}")
  void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
    Timer.Sample sample = Timer.start(meters);
    List<ConsumedEvent> events = new ArrayList<>(records.size());
    List<PoisonRecord> poison = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        events.add(new ConsumedEvent(decoder.decode(record.value()), record.partition()));
      } catch (PoisonRecordException e) {
        poison.add(new PoisonRecord(record, e));
      }
    }
    WriteResult result;
    try {
      result = writer.write(events);
    } catch (SQLException | RuntimeException e) {
      meters.counter("beacon.aggregator.batch.failures").increment();
      log.warn(
          "Batch of {} records not stored, offsets not committed; retrying with back-off: {}",
          records.size(),
          e.toString());
      throw new TransientDataAccessResourceException("batch not stored, will retry", e);
    }
    for (PoisonRecord bad : poison) {
      log.warn(
          "Dead-lettering {}-{}@{}: {} ({})",
          bad.record().topic(),
          bad.record().partition(),
          bad.record().offset(),
          bad.error().reason(),
          bad.error().getMessage());
      deadLetters.accept(bad.record(), null, bad.error());
      meters
          .counter("beacon.aggregator.events.dead.lettered", "reason", bad.error().reason())
          .increment();
    }
    acknowledgment.acknowledge();
    meters.counter("beacon.aggregator.events", "outcome", "stored").increment(result.inserted());
    meters
        .counter("beacon.aggregator.events", "outcome", "duplicate")
        .increment(events.size() - result.inserted());
    sample.stop(batchTimer);
    publisher.publish(result.updates());
  }

  private record PoisonRecord(ConsumerRecord<String, byte[]> record, PoisonRecordException error) {}
}
