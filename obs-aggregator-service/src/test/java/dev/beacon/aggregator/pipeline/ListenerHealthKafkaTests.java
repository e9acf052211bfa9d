package dev.beacon.aggregator.pipeline;

import dev.beacon.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.web.reactive.server.WebTestClient;

@IntegrationTest
class ListenerHealthKafkaTests {

  @Autowired WebTestClient web;
  @Autowired KafkaListenerEndpointRegistry registry;

  @Test
  void aStoppedEventListenerTurnsHealthDownUntilItRunsAgain() {
    MessageListenerContainer listener = registry.getListenerContainer(EventBatchListener.ID);
    listener.stop();
    try {
      web.get()
          .uri("/actuator/health")
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("DOWN");
      web.get()
          .uri("/actuator/health/liveness")
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("DOWN");
    } finally {
      listener.start();
    }
    web.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }
}
