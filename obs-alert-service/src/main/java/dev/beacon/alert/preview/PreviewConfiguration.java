package dev.beacon.alert.preview;

import dev.beacon.alert.config.AlertProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the aggregator client and the backtest. */
@Configuration(proxyBeanMethods = false)
class PreviewConfiguration {

  @Bean
  AggregatorClient aggregatorClient(AlertProperties properties) {
    return new AggregatorClient(properties);
  }

  @Bean
  PreviewService previewService(AggregatorClient aggregator, AlertProperties properties) {
    return new PreviewService(aggregator, properties.minuteLength());
  }
}
