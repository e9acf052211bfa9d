package dev.beacon.chat.config;

import dev.beacon.events.Topics;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Beans shared by the chat features; scheduling for the approval expiry sweep and the turn-stops
 * outbox.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ChatConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The topic chat publishes its turns' stops to (ADR 0028): created here where nothing else made
   * it (the local stack creates every topic of the registry), 3 partitions like the others.
   */
  @Bean
  NewTopic turnStopsTopic() {
    return TopicBuilder.name(Topics.CHAT_TURN_STOPS.name()).partitions(3).build();
  }
}
