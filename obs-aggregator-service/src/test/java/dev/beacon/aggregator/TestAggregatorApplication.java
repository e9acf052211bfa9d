package dev.beacon.aggregator;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs AggregatorApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl obs-aggregator-service spring-boot:test-run}.
 */
class TestAggregatorApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    AggregatorApplication.main(args);
  }
}
