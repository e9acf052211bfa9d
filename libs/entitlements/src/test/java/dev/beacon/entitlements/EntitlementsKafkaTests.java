package dev.beacon.entitlements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configured listener against a real broker: each test has its own compacted topic with
 * three partitions, as billing creates it.
 */
class EntitlementsKafkaTests {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static String bootstrap;
  private static Admin admin;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void broker() {
    bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void close() {
    producer.close();
    admin.close();
  }

  @Test
  void recordsPublishedBeforeStartAreReadAndTwoInstancesEachSeeEveryWorkspace() throws Exception {
    String topic = newTopic();
    for (int i = 0; i < 12; i++) {
      publish(topic, "ws_" + i, record("ws_" + i, "pro", 20, 1));
    }

    runner(topic)
        .run(
            first ->
                runner(topic)
                    .run(
                        second -> {
                          for (var context : List.of(first, second)) {
                            WorkspaceEntitlements store =
                                context.getBean(WorkspaceEntitlements.class);
                            await().atMost(WAIT).until(store::caughtUp);
                            assertThat(store.size()).as("all three partitions").isEqualTo(12);
                            assertThat(store.of("ws_7").alertRules()).isEqualTo(20);
                            assertThat(store.of("ws_7").plan()).isEqualTo("pro");
                            assertThat(store.of("ws_none").plan()).isEqualTo("free");
                          }
                        }));
  }

  @Test
  void laterRecordsApplyByRevisionAndAMalformedOneIsSkipped() throws Exception {
    String topic = newTopic();
    runner(topic)
        .run(
            context -> {
              WorkspaceEntitlements store = context.getBean(WorkspaceEntitlements.class);
              await().atMost(WAIT).until(store::caughtUp);
              assertThat(store.size()).isZero();
              assertThat(health(context).getDetails())
                  .containsEntry("caught_up", true)
                  .containsEntry("workspaces_with_record", 0);

              publish(topic, "ws_a", record("ws_a", "business", 100, 4));
              publish(topic, "ws_a", "{broken".getBytes(StandardCharsets.UTF_8));
              publish(topic, "ws_a", record("ws_a", "free", 3, 2));
              publish(topic, "ws_a", null);
              publish(topic, "ws_a", record("ws_a", "pro", 20, 5));

              await().atMost(WAIT).until(() -> store.of("ws_a").revision() == 5);
              assertThat(store.of("ws_a").plan()).isEqualTo("pro");
              assertThat(store.size()).isEqualTo(1);
            });
  }

  @Test
  void withoutTheTopicEveryWorkspaceIsFreeAndHealthSaysSo() {
    runner("billing.entitlements.absent-" + UUID.randomUUID())
        .run(
            context -> {
              WorkspaceEntitlements store = context.getBean(WorkspaceEntitlements.class);
              Health health = health(context);
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("caught_up", false).containsKey("note");
              assertThat(store.of("ws_x").eventsPerMonth()).isEqualTo(100_000);
            });
  }

  @Test
  void disabledReadsNothingAndKeepsFreeFromConfiguration() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                KafkaAutoConfiguration.class, EntitlementsAutoConfiguration.class))
        .withPropertyValues(
            "beacon.entitlements.enabled=false", "beacon.entitlements.free.alert-rules=10")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean("entitlementsListenerContainer");
              assertThat(context.getBean(WorkspaceEntitlements.class).of("ws").alertRules())
                  .isEqualTo(10);
            });
  }

  private static Health health(org.springframework.context.ApplicationContext context) {
    return context.getBean("entitlements", EntitlementsHealthIndicator.class).health(true);
  }

  private static ApplicationContextRunner runner(String topic) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                KafkaAutoConfiguration.class, EntitlementsAutoConfiguration.class))
        .withPropertyValues(
            "spring.application.name=entitlements-test",
            "spring.kafka.bootstrap-servers=" + bootstrap,
            "spring.kafka.consumer.properties.metadata.max.age.ms=1000",
            "beacon.entitlements.topic=" + topic);
  }

  private static String newTopic() throws Exception {
    String topic = "billing.entitlements.test-" + UUID.randomUUID();
    admin
        .createTopics(
            List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
        .all()
        .get();
    return topic;
  }

  private static void publish(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private static byte[] record(String ws, String plan, int rules, long revision) {
    return ("{\"workspace_id\":\"%s\",\"plan\":\"%s\",\"entitlements\":{\"retention_days\":30,"
            + "\"events_per_month\":1000000,\"alert_rules\":%d,\"members\":10,\"api_keys\":10,"
            + "\"hosted_credit_allowance\":5000000},\"revision\":%d}")
        .formatted(ws, plan, rules, revision)
        .getBytes(StandardCharsets.UTF_8);
  }
}
