package dev.beacon.aggregator.metrics.stream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import tools.jackson.databind.ObjectMapper;

/** The live metric stream: its own Kafka consumer per replica and the per-workspace fan-out. */
@Configuration(proxyBeanMethods = false)
class MetricStreamConfiguration {

  @Bean
  MetricUpdateHub metricUpdateHub() {
    return new MetricUpdateHub();
  }

  @Bean
  MetricUpdateStreamListener metricUpdateStreamListener(MetricUpdateHub hub, ObjectMapper json) {
    return new MetricUpdateStreamListener(hub, json);
  }

  /**
   * A consumer of its own: a group id unique to this process ({@code
   * spring.kafka.consumer.group-id} plus {@code -stream-<random>}), reading from the end of the
   * topic, never committing, and an error handler that logs (a lost live update is repaired by the
   * next one, whose totals are absolute).
   */
  @Bean
  ConcurrentKafkaListenerContainerFactory<String, byte[]> metricStreamContainerFactory(
      ConsumerFactory<?, ?> consumerFactory, MetricUpdateHub hub) {
    Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
    config.put(
        ConsumerConfig.GROUP_ID_CONFIG,
        config.get(ConsumerConfig.GROUP_ID_CONFIG) + "-stream-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "obs-aggregator-metric-stream");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    ConcurrentKafkaListenerContainerFactory<String, byte[]> factory =
        new ConcurrentKafkaListenerContainerFactory<>();
    factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config));
    factory.setBatchListener(true);
    factory.setConcurrency(1);
    factory.setCommonErrorHandler(new CommonLoggingErrorHandler());
    ContainerProperties container = factory.getContainerProperties();
    container.setAckMode(ContainerProperties.AckMode.MANUAL);
    container.setObservationEnabled(false);
    container.setConsumerRebalanceListener(
        new ConsumerAwareRebalanceListener() {
          @Override
          public void onPartitionsAssigned(
              Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            // resolve "latest" now, so that everything published from here on is seen
            partitions.forEach(consumer::position);
            hub.live(!partitions.isEmpty());
          }

          @Override
          public void onPartitionsRevokedBeforeCommit(
              Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            hub.live(false);
          }
        });
    return factory;
  }
}
