package dev.beacon.ingest;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs IngestApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl obs-ingest-service spring-boot:test-run}.
 */
class TestIngestApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    IngestApplication.main(args);
  }
}
