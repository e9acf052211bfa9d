package dev.beacon.entitlements;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Reads {@code billing.entitlements.v1} into {@link WorkspaceEntitlements}. On every assignment it
 * seeks to the beginning, so a start or a rebalance rebuilds every workspace's state from the
 * compacted topic; once the positions reach the end offsets seen at assignment the store is caught
 * up. A malformed record is logged and skipped; the workspace keeps what it had.
 */
final class EntitlementsListener
    implements BatchConsumerAwareMessageListener<String, byte[]>, ConsumerAwareRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(EntitlementsListener.class);

  private final WorkspaceEntitlements store;

  /** End offsets seen at the last assignment; only the listener thread touches it. */
  private final Map<TopicPartition, Long> replayEnd = new HashMap<>();

  EntitlementsListener(WorkspaceEntitlements store) {
    this.store = store;
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
    consumer
        .endOffsets(partitions)
        .forEach(
            (partition, end) -> {
              if (end > beginning.getOrDefault(partition, 0L)) {
                replayEnd.put(partition, end);
              }
            });
    log.info(
        "Reading {} partitions of {} from the beginning ({} with records)",
        partitions.size(),
        partitions.iterator().next().topic(),
        replayEnd.size());
    markIfCaughtUp(consumer);
  }

  @Override
  public void onPartitionsRevokedBeforeCommit(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    partitions.forEach(replayEnd::remove);
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
    for (ConsumerRecord<String, byte[]> record : records) {
      EntitlementsRecord.Parsed parsed;
      try {
        parsed = EntitlementsRecord.parse(record.value());
      } catch (IllegalArgumentException e) {
        log.warn(
            "Skipping malformed entitlements record at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage());
        continue;
      }
      if (store.apply(parsed.workspaceId(), parsed.entitlements())) {
        log.debug(
            "Workspace {} on {} (revision {})",
            parsed.workspaceId(),
            parsed.entitlements().plan(),
            parsed.entitlements().revision());
      }
    }
    markIfCaughtUp(consumer);
  }

  private void markIfCaughtUp(Consumer<?, ?> consumer) {
    if (store.caughtUp()) {
      return;
    }
    replayEnd.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
    if (replayEnd.isEmpty()) {
      store.markCaughtUp();
      log.info("Entitlements caught up: {} workspaces with a record", store.size());
    }
  }
}
