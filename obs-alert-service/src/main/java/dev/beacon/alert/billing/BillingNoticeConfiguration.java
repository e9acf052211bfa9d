package dev.beacon.alert.billing;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.delivery.NoticeEmails;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.notification.NotificationStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.ObjectMapper;

/** The billing notice listener and its container. */
@Configuration(proxyBeanMethods = false)
class BillingNoticeConfiguration {

  static final String CONTAINER_FACTORY = "billingNoticeListenerContainerFactory";

  /**
   * Batch listener; offsets are committed when the listener returns, after every notice of the
   * batch is stored. An exception (the database away) retries the same batch with exponential
   * back-off up to 10 s, without limit: a notice is never skipped for a transient error, and the
   * stored ones are not stored twice (unique notice id).
   */
  @Bean(CONTAINER_FACTORY)
  ConcurrentKafkaListenerContainerFactory<Object, Object> billingNoticeListenerContainerFactory(
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
                  "refusing to skip billing notices after a transient error", error);
            },
            backOff);
    errorHandler.setCommitRecovered(false);
    factory.setCommonErrorHandler(errorHandler);
    return factory;
  }

  @Bean
  BillingNoticeListener billingNoticeListener(
      ObjectMapper json,
      AlertProperties properties,
      NotificationRepository notifications,
      NotificationStream stream,
      NoticeEmails emails,
      TransactionalOperator tx,
      Clock clock,
      MeterRegistry meters) {
    return new BillingNoticeListener(
        new BillingNoticeDecoder(json, properties.publicUrl()),
        notifications,
        stream,
        emails,
        tx,
        clock,
        meters);
  }
}
