package dev.beacon.entitlements;

import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/**
 * Gives every service that depends on this library a {@link WorkspaceEntitlements} kept current
 * from {@code billing.entitlements.v1}.
 *
 * <p>The listener has its own consumer (String keys, byte[] values, whatever the service's own
 * consumers use) in a consumer group of its own per instance ({@code
 * <application>-entitlements-<random>}): every instance must read every partition, so instances of
 * one service must not share a group. It commits no offsets — it reads from the beginning on every
 * assignment anyway.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(EntitlementsProperties.class)
public class EntitlementsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  WorkspaceEntitlements workspaceEntitlements(EntitlementsProperties properties) {
    return new WorkspaceEntitlements(properties.free());
  }

  @Bean
  @ConditionalOnProperty(
      prefix = "beacon.entitlements",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  KafkaMessageListenerContainer<String, byte[]> entitlementsListenerContainer(
      KafkaProperties kafka,
      EntitlementsProperties properties,
      WorkspaceEntitlements store,
      Environment environment) {
    String application = environment.getProperty("spring.application.name", "beacon");
    Map<String, Object> config = kafka.buildConsumerProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, application + "-entitlements-" + UUID.randomUUID());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, application + "-entitlements");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);

    EntitlementsListener listener = new EntitlementsListener(store);
    ContainerProperties container = new ContainerProperties(properties.topic());
    container.setMessageListener(listener);
    container.setConsumerRebalanceListener(listener);
    // nothing is ever acknowledged: no offsets are committed for these throwaway groups
    container.setAckMode(ContainerProperties.AckMode.MANUAL);
    KafkaMessageListenerContainer<String, byte[]> listenerContainer =
        new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(config), container);
    listenerContainer.setBeanName("entitlementsListenerContainer");
    return listenerContainer;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {

    @Bean(name = "entitlements")
    @ConditionalOnMissingBean(name = "entitlements")
    EntitlementsHealthIndicator entitlementsHealthIndicator(
        WorkspaceEntitlements store, EntitlementsProperties properties) {
      return new EntitlementsHealthIndicator(store, properties);
    }
  }
}
