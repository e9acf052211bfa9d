package dev.beacon.ingest.events.kafka;

import dev.beacon.ingest.config.IngestProperties;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kafka's part of readiness: DOWN while no broker answers, so that a load balancer stops sending
 * events to an instance that could only answer 503. Part of the {@code readiness} group.
 */
@Component("kafka")
class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements DisposableBean {

  private final Admin admin;
  private final Duration timeout;

  KafkaHealthIndicator(KafkaProperties kafka, IngestProperties properties) {
    super("Kafka health check failed");
    this.timeout = properties.publish().healthTimeout();
    Map<String, Object> config = kafka.buildAdminProperties();
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "obs-ingest-health");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
    this.admin = Admin.create(config);
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    return Mono.fromCompletionStage(
            () ->
                admin
                    .describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .toCompletionStage())
        .map(
            nodes ->
                nodes.isEmpty()
                    ? builder.down().build()
                    : builder.up().withDetail("brokers", nodes.size()).build())
        .timeout(timeout.plusMillis(500))
        .onErrorResume(
            error ->
                Mono.just(
                    builder.down().withDetail("error", error.getClass().getSimpleName()).build()));
  }

  @Override
  public void destroy() {
    admin.close(Duration.ofSeconds(2));
  }
}
