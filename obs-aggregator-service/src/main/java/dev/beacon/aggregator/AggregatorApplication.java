package dev.beacon.aggregator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Consumes event topics into the append-only log, exact cost and metrics; serves the read API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AggregatorApplication {

  public static void main(String[] args) {
    SpringApplication.run(AggregatorApplication.class, args);
  }
}
