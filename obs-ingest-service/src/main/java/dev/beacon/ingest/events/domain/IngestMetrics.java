package dev.beacon.ingest.events.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Ingest metrics: {@code beacon_ingest_events_total{outcome, reason}} and {@code
 * beacon_ingest_batch_size} (events per request). Kafka send latency is {@code
 * beacon_ingest_kafka_send_seconds}, recorded by the publisher.
 */
@Component
class IngestMetrics {

  private final MeterRegistry meters;
  private final Counter accepted;
  private final DistributionSummary batchSize;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  IngestMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.accepted =
        Counter.builder("beacon.ingest.events")
            .description("Events accepted or rejected by the ingest API")
            .tag("outcome", "accepted")
            .tag("reason", "none")
            .register(meters);
    this.batchSize =
        DistributionSummary.builder("beacon.ingest.batch.size")
            .description("Events per ingest request")
            .serviceLevelObjectives(1, 10, 100, 500, 1000)
            .register(meters);
  }

  void batch(int events) {
    batchSize.record(events);
  }

  void accepted(int events) {
    accepted.increment(events);
  }

  void rejected(String reason, int events) {
    rejected
        .computeIfAbsent(
            reason,
            code ->
                Counter.builder("beacon.ingest.events")
                    .description("Events accepted or rejected by the ingest API")
                    .tag("outcome", "rejected")
                    .tag("reason", code)
                    .register(meters))
        .increment(events);
  }
}
