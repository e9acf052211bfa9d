package dev.beacon.integrations.channel.kafka;

import dev.beacon.integrations.channel.domain.ChannelReplies;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** The turn-stop listener and its container. */
@Configuration(proxyBeanMethods = false)
class TurnStopKafkaConfiguration {

  static final String CONTAINER_FACTORY = "turnStopListenerContainerFactory";

  /**
   * Batch listener in the group {@code integrations-service}; offsets are committed when the
   * listener returns. An exception (the database away) retries the same batch with exponential
   * back-off up to 10 s, without limit: an answer is never dropped for a transient error, and the
   * stops already told are not told again (the claim on the run's row).
   */
  @Bean(CONTAINER_FACTORY)
  ConcurrentKafkaListenerContainerFactory<Object, Object> turnStopListenerContainerFactory(
      ConsumerFactory<Object, Object> consumerFactory) {
    ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
        new ConcurrentKafkaListenerContainerFactory<>();
    factory.setConsumerFactory(consumerFactory);
    factory.setBatchListener(true);
    factory.getContainerProperties().setAckMode(AckMode.BATCH);
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxInterval(10_000);
    DefaultErrorHandler errorHandler =
        new DefaultErrorHandler(
            (record, error) -> {
              throw new IllegalStateException(
                  "refusing to skip turn stops after a transient error", error);
            },
            backOff);
    errorHandler.setCommitRecovered(false);
    factory.setCommonErrorHandler(errorHandler);
    return factory;
  }

  @Bean
  TurnStopListener turnStopListener(ChannelReplies replies) {
    return new TurnStopListener(replies);
  }
}
