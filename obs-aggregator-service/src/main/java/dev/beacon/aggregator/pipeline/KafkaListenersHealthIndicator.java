package dev.beacon.aggregator.pipeline;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * DOWN when any listener container is not running or one of its consumers has stopped unexpectedly:
 * an aggregator that no longer consumes must not look healthy.
 */
final class KafkaListenersHealthIndicator implements HealthIndicator {

  private final KafkaListenerEndpointRegistry registry;

  KafkaListenersHealthIndicator(KafkaListenerEndpointRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up();
    for (MessageListenerContainer container : registry.getListenerContainers()) {
      boolean healthy = container.isRunning() && container.isInExpectedState();
      health.withDetail(container.getListenerId(), healthy ? "running" : "stopped");
      if (!healthy) {
        health.down();
      }
    }
    return health.build();
  }
}
