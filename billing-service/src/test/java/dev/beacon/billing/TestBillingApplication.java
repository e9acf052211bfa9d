package dev.beacon.billing;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs BillingApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl billing-service spring-boot:test-run}.
 */
class TestBillingApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    BillingApplication.main(args);
  }
}
