package dev.beacon.chat.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by the chat features. */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
