package dev.beacon.alert.entitlement;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Consumes billing's compacted {@code billing.entitlements.v1} in its own consumer group. On every
 * assignment it seeks to the beginning, so a restart rebuilds every workspace's state from the
 * topic. A malformed record is logged once and skipped. While the topic does not exist (billing
 * never ran) the consumer just waits for it; every workspace is on Free meanwhile.
 */
class EntitlementsListener implements ConsumerSeekAware {

  static final String TOPIC = "billing.entitlements.v1";

  private static final Logger log = LoggerFactory.getLogger(EntitlementsListener.class);

  private final AlertEntitlements entitlements;
  private final ObjectMapper json;

  EntitlementsListener(AlertEntitlements entitlements, ObjectMapper json) {
    this.entitlements = entitlements;
    this.json = json;
  }

  @Override
  public void onPartitionsAssigned(
      Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
    if (!assignments.isEmpty()) {
      log.info("Reading {} partitions of {} from the beginning", assignments.size(), TOPIC);
      callback.seekToBeginning(assignments.keySet());
    }
  }

  @KafkaListener(
      id = "billing-entitlements",
      groupId = "${spring.application.name}-entitlements",
      clientIdPrefix = "${spring.application.name}-entitlements",
      topics = TOPIC,
      batch = "true",
      properties = "allow.auto.create.topics=false")
  void onRecords(List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      String workspaceId;
      AlertEntitlements.Limit limit;
      try {
        JsonNode value = json.readTree(record.value());
        workspaceId = text(value, "workspace_id");
        String plan = text(value, "plan");
        JsonNode rules = value.path("entitlements").path("alert_rules");
        JsonNode revision = value.path("revision");
        if (!rules.isIntegralNumber() || rules.asLong() < 0 || rules.asLong() > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("entitlements.alert_rules is not a count");
        }
        if (!revision.isIntegralNumber()) {
          throw new IllegalArgumentException("revision is not an integer");
        }
        limit = new AlertEntitlements.Limit(plan, rules.asInt(), revision.asLong());
      } catch (RuntimeException e) {
        log.warn(
            "Skipping malformed entitlements record at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getClass().getSimpleName() + ": " + e.getMessage());
        continue;
      }
      if (entitlements.apply(workspaceId, limit)) {
        log.debug(
            "Workspace {} on {}: {} alert rules (revision {})",
            workspaceId,
            limit.plan(),
            limit.alertRules(),
            limit.revision());
      }
    }
  }

  private static String text(JsonNode value, String field) {
    JsonNode node = value == null ? null : value.get(field);
    if (node == null || !node.isString() || node.asString().isBlank()) {
      throw new IllegalArgumentException(field + " missing");
    }
    return node.asString();
  }
}
