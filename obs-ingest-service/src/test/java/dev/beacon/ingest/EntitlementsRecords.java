package dev.beacon.ingest;

import static org.awaitility.Awaitility.await;

import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes billing's records to {@code billing.entitlements.v1} as billing-service does
 * (compacted, three partitions, created here when absent; key = workspace id, value = the absolute
 * state), and waits until the service has read them.
 */
final class EntitlementsRecords {

  static final String TOPIC = "billing.entitlements.v1";

  private EntitlementsRecords() {}

  /** Creates the compacted topic unless it exists. */
  static void ensureTopic() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                BeaconInfrastructure.get().kafkaBootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /**
   * Publishes a workspace's record and waits until {@code entitlements} holds its revision.
   *
   * @param revision must rise with every record of the workspace
   */
  static void publishAndAwait(
      WorkspaceEntitlements entitlements,
      String workspaceId,
      String plan,
      long eventsPerMonth,
      int apiKeys,
      long revision)
      throws Exception {
    String value =
        """
        {"workspace_id": "%s", "plan": "%s", "subscribed_plan": "%s", "status": "active",
         "entitlements": {"retention_days": 30, "events_per_month": %d, "alert_rules": 20,
                          "members": 10, "api_keys": %d, "hosted_credit_allowance": 5000000,
                          "hosted_llm_allowed": true},
         "revision": %d}
        """
            .formatted(workspaceId, plan, plan, eventsPerMonth, apiKeys, revision);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BeaconInfrastructure.get().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(TOPIC, workspaceId, value.getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> entitlements.of(workspaceId).revision() == revision);
  }
}
