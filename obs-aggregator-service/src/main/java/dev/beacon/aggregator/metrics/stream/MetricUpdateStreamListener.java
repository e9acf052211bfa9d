package dev.beacon.aggregator.metrics.stream;

import dev.beacon.events.MetricUpdate;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads every metric update of every replica for the live streams. Each replica has its own
 * consumer group ({@code obs-aggregator-service-stream-<random>}), starts at the end of the topic
 * and never commits: a replica's streams see the updates of the batches other replicas processed
 * too, and a restart does not replay the past.
 */
final class MetricUpdateStreamListener {

  static final String ID = "obs-aggregator-metric-stream";

  private static final Logger log = LoggerFactory.getLogger(MetricUpdateStreamListener.class);

  private final MetricUpdateHub hub;
  private final ObjectMapper json;

  MetricUpdateStreamListener(MetricUpdateHub hub, ObjectMapper json) {
    this.hub = hub;
    this.json = json;
  }

  /**
   * The acknowledgment is deliberately never used: the container's ack mode is manual, so nothing
   * is committed.
   */
  @KafkaListener(
      id = ID,
      topics = "#{T(dev.beacon.events.Topics).METRIC_UPDATES.name()}",
      containerFactory = "metricStreamContainerFactory",
      idIsGroup = false,
      batch = "true")
  void onUpdates(List<ConsumerRecord<String, byte[]>> records, Acknowledgment unused) {
    if (!hub.hasSubscribers()) {
      return;
    }
    for (ConsumerRecord<String, byte[]> record : records) {
      MetricUpdate update = decode(record);
      if (update != null) {
        hub.accept(update);
      }
    }
  }

  private MetricUpdate decode(ConsumerRecord<String, byte[]> record) {
    try {
      MetricUpdate update =
          record.value() == null ? null : json.readValue(record.value(), MetricUpdate.class);
      if (update != null && update.workspaceId() != null) {
        return update;
      }
    } catch (JacksonException e) {
      // logged below
    }
    log.warn(
        "Skipping undecodable metric update {}-{}@{}",
        record.topic(),
        record.partition(),
        record.offset());
    return null;
  }
}
