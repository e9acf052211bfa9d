package dev.beacon.aggregator.metrics.write;

import dev.beacon.events.MetricUpdate;
import dev.beacon.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Publishes absolute metric totals to {@link Topics#METRIC_UPDATES} after a batch is committed and
 * its offsets acknowledged. A lost update is repaired by the next one for the same minute, and a
 * repeated one is harmless, because the totals are absolute.
 */
public final class MetricUpdatePublisher {

  private static final Logger log = LoggerFactory.getLogger(MetricUpdatePublisher.class);

  private final KafkaTemplate<String, byte[]> kafka;
  private final ObjectMapper json;
  private final Counter published;
  private final Counter failed;

  public MetricUpdatePublisher(
      KafkaTemplate<String, byte[]> kafka, ObjectMapper json, MeterRegistry meters) {
    this.kafka = kafka;
    this.json = json;
    this.published = meters.counter("beacon.aggregator.metric.updates", "outcome", "published");
    this.failed = meters.counter("beacon.aggregator.metric.updates", "outcome", "failed");
  }

  public void publish(List<MetricUpdate> updates) {
    for (MetricUpdate update : updates) {
      kafka
          .send(
              Topics.METRIC_UPDATES.name(),
              Topics.eventKey(update.workspaceId(), update.agentId()),
              json.writeValueAsBytes(update))
          .whenComplete(
              (result, error) -> {
                if (error == null) {
                  published.increment();
                } else {
                  failed.increment();
                  log.warn(
                      "Metric update for {} not published: {}",
                      update.minuteStart(),
                      error.toString());
                }
              });
    }
  }
}
