package dev.beacon.chat;

import dev.beacon.testsupport.BeaconInfrastructure;

/**
 * Runs ChatApplication against the test infrastructure (embedded Kafka and PostgreSQL, or
 * Testcontainers): {@code ./mvnw -pl chat-service spring-boot:test-run}.
 */
class TestChatApplication {

  public static void main(String[] args) {
    BeaconInfrastructure.springProperties().forEach(System::setProperty);
    ChatApplication.main(args);
  }
}
