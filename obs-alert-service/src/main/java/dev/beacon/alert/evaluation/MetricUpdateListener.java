package dev.beacon.alert.evaluation;

import dev.beacon.events.MetricUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ConsumerSeekAware;
import tools.jackson.databind.ObjectMapper;

/**
 * Consumes {@code obs.metric-updates.v1}. On every partition assignment it seeks back to the start
 * of the longest window any rule can have (the month so far, and the 7 days before it for the
 * projection, within what the topic retains) and replays: updates carry absolute totals, so
 * replaying rebuilds the in-memory windows without counting anything twice. Records produced before
 * this instance started only fill windows; rules are evaluated once the replay caught up (a newer
 * record arrives, or the consumer goes idle), so a half-rebuilt window never fires or resolves
 * anything.
 */
class MetricUpdateListener implements ConsumerSeekAware {

  private static final Logger log = LoggerFactory.getLogger(MetricUpdateListener.class);

  private final MetricStore store;
  private final AlertEngine engine;
  private final ObjectMapper json;
  private final Clock clock;
  private final Instant startedAt;
  private final Counter consumed;
  private final Counter malformed;
  private volatile boolean caughtUp;

  MetricUpdateListener(
      MetricStore store, AlertEngine engine, ObjectMapper json, Clock clock, MeterRegistry meters) {
    this.store = store;
    this.engine = engine;
    this.json = json;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.consumed = meters.counter("beacon.alert.metric.updates", "outcome", "consumed");
    this.malformed = meters.counter("beacon.alert.metric.updates", "outcome", "malformed");
  }

  /** Whether the replay after start has caught up and rules are being evaluated. */
  boolean caughtUp() {
    return caughtUp;
  }

  @Override
  public void onPartitionsAssigned(
      Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate from =
        today.withDayOfMonth(1).isBefore(today.minusDays(7))
            ? today.withDayOfMonth(1)
            : today.minusDays(7);
    long timestamp = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    log.info("Replaying {} partitions of metric updates from {}", assignments.size(), from);
    callback.seekToTimestamp(assignments.keySet(), timestamp);
  }

  @KafkaListener(
      id = "metric-updates",
      idIsGroup = false,
      topics = "#{T(dev.beacon.events.Topics).METRIC_UPDATES.name()}",
      batch = "true")
  void onUpdates(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> workspaces = new HashSet<>();
    boolean live = false;
    for (ConsumerRecord<String, byte[]> record : records) {
      MetricUpdate update;
      try {
        update = json.readValue(record.value(), MetricUpdate.class);
      } catch (RuntimeException e) {
        malformed.increment();
        log.warn(
            "Skipping malformed metric update at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getClass().getSimpleName());
        continue;
      }
      consumed.increment();
      store.apply(update);
      workspaces.add(update.workspaceId());
      live |= record.timestamp() >= startedAt.toEpochMilli();
    }
    if (!caughtUp && live) {
      catchUp();
    } else if (caughtUp) {
      engine.evaluateWorkspaces(workspaces);
    }
  }

  @EventListener
  void onIdle(ListenerContainerIdleEvent idle) {
    // only this listener's containers (metric-updates, metric-updates-0, ...): another listener
    // going idle says nothing about the metric replay
    String id = idle.getListenerId();
    if (!caughtUp && id != null && id.startsWith("metric-updates")) {
      catchUp();
    }
  }

  private synchronized void catchUp() {
    if (!caughtUp) {
      engine.evaluateAll();
      caughtUp = true;
      log.info("Metric update replay caught up; evaluating rules live");
    }
  }
}
