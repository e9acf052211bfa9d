package dev.beacon.aggregator.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The small bounded scheduler on which admin requests (re-costing, dead-letter inspection and
 * replay) run their blocking JDBC and Kafka work, never on the event loop. Shared by the pricing
 * and dead-letter features, so it lives here rather than in either.
 */
@Configuration(proxyBeanMethods = false)
class AdminSchedulerConfiguration {

  @Bean(destroyMethod = "dispose")
  Scheduler adminScheduler() {
    return Schedulers.newBoundedElastic(2, 16, "aggregator-admin");
  }
}
