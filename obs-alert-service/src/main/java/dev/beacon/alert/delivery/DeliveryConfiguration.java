package dev.beacon.alert.delivery;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.notification.NotificationStream;
import dev.beacon.alert.rule.RuleRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import tools.jackson.databind.ObjectMapper;

/** Wires the senders, the test notifications and the outbox dispatcher. */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

  @Bean
  SlackClient slackClient(AlertProperties properties, ObjectMapper json) {
    return new SlackClient(properties, json);
  }

  @Bean
  EmailSender emailSender(ObjectProvider<JavaMailSender> mail, AlertProperties properties) {
    return new EmailSender(mail, properties);
  }

  @Bean
  TestNotificationService testNotificationService(
      RuleRepository rules,
      SlackClient slack,
      EmailSender email,
      NotificationRepository notifications,
      NotificationStream stream,
      AlertProperties properties,
      Clock clock) {
    return new TestNotificationService(
        rules, slack, email, notifications, stream, properties, clock);
  }

  @Bean
  OutboxDispatcher outboxDispatcher(
      DeliveryRepository deliveries,
      SlackClient slack,
      EmailSender email,
      AlertProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new OutboxDispatcher(deliveries, slack, email, properties, clock, meters);
  }
}
