package dev.beacon.aggregator.pricing;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.metrics.write.MetricUpdatePublisher;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Re-costing runs blocking JDBC, on the admin scheduler ({@code config}), never on the event loop.
 */
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
}
