package dev.beacon.ingest.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by the ingest features. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
