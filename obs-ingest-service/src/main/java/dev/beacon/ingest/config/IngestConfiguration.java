package dev.beacon.ingest.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/** Beans shared by the ingest features. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * No Spring Security observations (their spans and timers are already switched off by {@code
   * management.observations.enable.spring.security}): without this, every security filter of every
   * intake request is still wrapped in a no-op observation, which cost more CPU per request than
   * the filters themselves.
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }
}
