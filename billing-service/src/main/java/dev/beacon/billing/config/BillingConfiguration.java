package dev.beacon.billing.config;

import dev.beacon.billing.notice.domain.NoticePublisher;
import dev.beacon.billing.subscription.domain.EntitlementsPublisher;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Beans shared by the billing features. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class BillingConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The entitlements topic, compacted: it holds the latest absolute entitlements of every workspace
   * that ever had a subscription. Created here rather than from the shared {@code Topics} registry
   * because the registry's topics are created with the default (delete) cleanup policy (ADR 0021).
   */
  @Bean
  NewTopic entitlementsTopic() {
    return TopicBuilder.name(EntitlementsPublisher.TOPIC).partitions(3).compact().build();
  }

  /**
   * The billing notices topic: events for obs-alert-service to show and e-mail, with the default
   * (delete) cleanup policy (ADR 0026).
   */
  @Bean
  NewTopic noticesTopic() {
    return TopicBuilder.name(NoticePublisher.TOPIC).partitions(3).build();
  }
}
