package dev.beacon.billing.credit.kafka;

import dev.beacon.billing.credit.domain.LedgerService;
import dev.beacon.billing.notice.domain.NoticeService;
import dev.beacon.billing.subscription.domain.SubscriptionService;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.json.JsonMapper;

/** The hosted usage listener and its container: batches, offsets committed after each one. */
@Configuration(proxyBeanMethods = false)
class LedgerKafkaConfiguration {

  static final String CONTAINER_FACTORY = "ledgerListenerContainerFactory";

  /**
   * Batch listener; offsets are committed when the listener returns, which is after the ledger
   * transaction committed. An exception retries the same batch with exponential back-off up to 10
   * s, without limit: a debit is never skipped because the database was away for a while.
   */
  @Bean(CONTAINER_FACTORY)
  ConcurrentKafkaListenerContainerFactory<Object, Object> ledgerListenerContainerFactory(
      ConsumerFactory<Object, Object> consumerFactory) {
    ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
        new ConcurrentKafkaListenerContainerFactory<>();
    factory.setConsumerFactory(consumerFactory);
    factory.setBatchListener(true);
    factory.getContainerProperties().setAckMode(AckMode.BATCH);
    factory.getContainerProperties().setObservationEnabled(false);
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxInterval(10_000);
    DefaultErrorHandler errorHandler =
        new DefaultErrorHandler(
            (record, error) -> {
              throw new IllegalStateException(
                  "refusing to skip hosted usage after a transient error", error);
            },
            backOff);
    errorHandler.setCommitRecovered(false);
    factory.setCommonErrorHandler(errorHandler);
    return factory;
  }

  @Bean
  HostedUsageListener hostedUsageListener(
      JsonMapper json,
      LedgerService ledger,
      SubscriptionService subscriptions,
      NoticeService notices,
      MeterRegistry meters) {
    return new HostedUsageListener(
        new LlmCallDecoder(json), ledger, subscriptions, notices, meters);
  }
}
