package dev.beacon.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * billing's side of {@code billing.entitlements.v1} for the tests of the services that enforce
 * entitlements: the topic as billing creates it (compacted, 3 partitions), records in billing's
 * format (docs/billing.md) and a producer on the test infrastructure's broker.
 *
 * <p>Everything goes to partition 0, keyed by the workspace: a marker record published after others
 * is read after them, so {@link #awaitRead} tells when a service has read everything published
 * before it.
 */
public final class EntitlementsTopic {

  public static final String NAME = "billing.entitlements.v1";

  /** Pro's entitlements, which {@link #record} starts from. */
  public static final Map<String, Object> PRO =
      Map.of(
          "retention_days", 30,
          "events_per_month", 1_000_000,
          "alert_rules", 20,
          "members", 10,
          "api_keys", 10,
          "hosted_credit_allowance", 5_000_000,
          "hosted_llm_allowed", true);

  private static EntitlementsTopic instance;

  private final KafkaProducer<String, byte[]> producer;

  private EntitlementsTopic(KafkaProducer<String, byte[]> producer) {
    this.producer = producer;
  }

  /** The topic on the shared broker, created when absent; one producer per JVM. */
  public static synchronized EntitlementsTopic get() {
    if (instance == null) {
      String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
      create(bootstrap);
      KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new ByteArraySerializer());
      Runtime.getRuntime()
          .addShutdownHook(new Thread(producer::close, "entitlements-topic-producer-close"));
      instance = new EntitlementsTopic(producer);
    }
    return instance;
  }

  /** Creates the topic as billing does, unless it exists. */
  public static void create(String bootstrap) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(NAME, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create " + NAME, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A record in billing's format: an active subscription to {@code plan}, with Pro's entitlements
   * changed by {@code changes} (e.g. {@code Map.of("members", 3)}).
   */
  public static byte[] record(
      String workspace, String plan, Map<String, Object> changes, long revision) {
    Map<String, Object> entitlements = new LinkedHashMap<>(PRO);
    entitlements.putAll(changes);
    StringBuilder limits = new StringBuilder();
    entitlements.forEach(
        (name, value) ->
            limits
                .append(limits.isEmpty() ? "" : ", ")
                .append('"')
                .append(name)
                .append("\": ")
                .append(value));
    return ("""
        {"workspace_id": "%s", "plan": "%s", "subscribed_plan": "%s", "status": "active",
         "current_period_end": "2027-01-07T10:00:00Z", "grace_until": null,
         "entitlements": {%s}, "revision": %d}
        """)
        .formatted(workspace, plan, plan, limits, revision)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Publishes {@code value} (may be {@code null}: a tombstone) to partition 0 and waits for it. */
  public void publish(String workspace, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(NAME, 0, workspace, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish to " + NAME, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Publishes a marker record for a new workspace behind everything published so far, and waits
   * until {@code read} says the service has it (e.g. {@code ws -> entitlements.of(ws).revision() ==
   * 1}).
   */
  public void awaitRead(Predicate<String> read, Duration atMost) {
    String marker = "marker-" + java.util.UUID.randomUUID();
    publish(marker, record(marker, "pro", Map.of(), 1));
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> read.test(marker));
  }
}
