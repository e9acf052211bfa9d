package dev.beacon.integrations;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs IntegrationsApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl integrations-service spring-boot:test-run}.
 */
class TestIntegrationsApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    IntegrationsApplication.main(args);
  }
}
