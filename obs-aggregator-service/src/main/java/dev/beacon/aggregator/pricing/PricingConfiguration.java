package dev.beacon.aggregator.pricing;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.metrics.write.MetricUpdatePublisher;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Re-costing runs blocking JDBC, on its own small bounded scheduler, never on the event loop. */
@Configuration(proxyBeanMethods = false)
class PricingConfiguration {

  @Bean
  RecostService recostService(
      DataSource dataSource,
      MetricUpdatePublisher publisher,
      Clock clock,
      AggregatorProperties properties) {
    return new RecostService(
        dataSource, publisher, clock, properties.minuteRetention(), properties.hourlyRetention());
  }

  @Bean(destroyMethod = "dispose")
  Scheduler adminScheduler() {
    return Schedulers.newBoundedElastic(2, 16, "aggregator-admin");
  }
}
