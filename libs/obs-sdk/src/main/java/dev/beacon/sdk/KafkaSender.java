package dev.beacon.sdk;

import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events straight to their topics ({@link Topics#forType}), keyed {@code
 * workspace_id:agent_id}, as JSON. The producer retries on its own within {@code
 * delivery.timeout.ms}; {@code send} is only ever called from the pipeline's thread, so a broker
 * that is down blocks that thread for at most {@code max.block.ms}, never the application.
 */
final class KafkaSender implements Sender {

  private static final Logger log = LoggerFactory.getLogger(KafkaSender.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String workspaceId;
  private final ClientSettings settings;
  private final Counters counters;

  KafkaSender(
      Map<String, Object> producerConfig,
      String workspaceId,
      ClientSettings settings,
      Counters counters) {
    this.workspaceId = workspaceId;
    this.settings = settings;
    this.counters = counters;
    this.producer =
        new KafkaProducer<>(
            config(producerConfig), new StringSerializer(), new ByteArraySerializer());
  }

  static Map<String, Object> config(Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-sdk");
    config.putAll(overrides);
    // A producer that loses its broker forgets the topics' metadata, and send() then waits
    // max.block.ms for it before giving the event up: unless told otherwise, it may wait as long
    // as a delivery is retried, so an outage shorter than delivery.timeout.ms loses nothing. The
    // wait is on the SDK's own thread, never the application's.
    config.putIfAbsent(
        ProducerConfig.MAX_BLOCK_MS_CONFIG, config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    return config;
  }

  @Override
  public void send(List<ObsEvent> batch) {
    for (ObsEvent event : batch) {
      sendOne(event);
    }
  }

  private void sendOne(ObsEvent event) {
    try {
      ObsEvent stamped = event.workspaceId() == null ? event.withWorkspaceId(workspaceId) : event;
      if (stamped.workspaceId() == null) {
        settings.warnOnce(
            log,
            "no-workspace",
            "Beacon SDK dropped an event without workspace_id: the Kafka transport needs one");
        counters.droppedUndeliverable.increment();
        return;
      }
      byte[] value = settings.jsonMapper().writeValueAsBytes(stamped);
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              Topics.forType(stamped.type()).name(),
              Topics.eventKey(stamped.workspaceId(), stamped.agentId()),
              value);
      producer.send(
          record,
          (metadata, exception) -> {
            if (exception == null) {
              counters.delivered.increment();
            } else {
              settings.warnOnce(
                  log,
                  "kafka-send",
                  "Beacon SDK could not publish to Kafka: {}",
                  exception.toString());
              counters.droppedUndeliverable.increment();
            }
          });
    } catch (RuntimeException e) {
      settings.warnOnce(
          log, "kafka-send", "Beacon SDK could not publish to Kafka: {}", e.toString());
      counters.droppedUndeliverable.increment();
    }
  }

  @Override
  public void flush() throws InterruptedException {
    try {
      producer.flush();
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      throw new InterruptedException("flush interrupted");
    } catch (RuntimeException e) {
      settings.warnOnce(log, "kafka-flush", "Beacon SDK Kafka flush failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      settings.warnOnce(
          log, "kafka-close", "Beacon SDK Kafka producer close failed: {}", e.toString());
    }
  }
}
