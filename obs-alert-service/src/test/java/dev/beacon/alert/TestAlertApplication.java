package dev.beacon.alert;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs AlertApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl obs-alert-service spring-boot:test-run}.
 */
class TestAlertApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    AlertApplication.main(args);
  }
}
