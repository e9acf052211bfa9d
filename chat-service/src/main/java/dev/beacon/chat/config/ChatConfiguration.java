package dev.beacon.chat.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Beans shared by the chat features; scheduling for the approval expiry sweep. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ChatConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
