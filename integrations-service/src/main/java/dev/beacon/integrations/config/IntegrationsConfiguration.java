package dev.beacon.integrations.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IntegrationsConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
