package dev.beacon.gateway;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs GatewayApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl gateway-service spring-boot:test-run}.
 */
class TestGatewayApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    GatewayApplication.main(args);
  }
}
