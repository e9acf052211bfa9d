package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_WORKSPACE;
import static dev.beacon.ingest.IngestTestKit.batch;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.ingest.usage.store.MonthlyUsageRepository;
import dev.beacon.testsupport.BeaconInfrastructureInitializer;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A broker that goes away mid-test: requests get 503 with {@code Retry-After} within the bound,
 * never hang, and readiness goes DOWN. Runs against its own throwaway broker so the shared one
 * stays up for the other tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ContextConfiguration(
    initializers = {
      BeaconInfrastructureInitializer.class,
      BrokerOutageKafkaTests.ThrowawayBroker.class
    })
@DirtiesContext
class BrokerOutageKafkaTests {

  private static final EmbeddedKafkaKraftBroker broker = startBroker();

  @Autowired WebTestClient web;
  @Autowired MonthlyUsageRepository usage;

  private static EmbeddedKafkaKraftBroker startBroker() {
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.brokerProperties(Map.of("auto.create.topics.enable", "true"));
    kafka.afterPropertiesSet();
    return kafka;
  }

  /** Points this context's Kafka clients at the throwaway broker, with shorter bounds. */
  @Order(Ordered.LOWEST_PRECEDENCE)
  static class ThrowawayBroker
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "throwaway-broker",
                  Map.of(
                      "spring.kafka.bootstrap-servers", broker.getBrokersAsString(),
                      "spring.kafka.producer.properties.delivery.timeout.ms", "4000",
                      "spring.kafka.producer.properties.request.timeout.ms", "2000",
                      "spring.kafka.producer.properties.max.block.ms", "2000",
                      "beacon.ingest.publish.timeout", "6s")));
    }
  }

  private long usedThisMonth() {
    return usage
        .used(BOOTSTRAP_WORKSPACE, YearMonth.now(ZoneOffset.UTC).atDay(1))
        .block(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  @Test
  void answers503WithRetryAfterWithinTheBoundGivesTheQuotaBackAndTurnsNotReady() {
    WebTestClient client = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    IngestTestKit.post(client, BOOTSTRAP_KEY, batch(IngestTestKit.llmCall(uniqueAgent())))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1);
    client
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");

    long usedBefore = usedThisMonth();

    broker.destroy();

    long started = System.nanoTime();
    EntityExchangeResult<byte[]> result =
        IngestTestKit.post(client, BOOTSTRAP_KEY, batch(IngestTestKit.llmCall(uniqueAgent())))
            .expectStatus()
            .isEqualTo(503)
            .expectHeader()
            .exists("Retry-After")
            .expectBody()
            .jsonPath("$.code")
            .isEqualTo("kafka_unavailable")
            .returnResult();
    assertThat(result.getResponseHeaders().getFirst("Retry-After")).isEqualTo("5");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

    // a topic the producer has never seen: send() blocks on metadata, off the event loop
    IngestTestKit.post(client, BOOTSTRAP_KEY, batch(IngestTestKit.custom(uniqueAgent())))
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("kafka_unavailable");
    assertThat(usedThisMonth())
        .as("events Kafka did not acknowledge do not count against the monthly quota")
        .isEqualTo(usedBefore);

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                client
                    .get()
                    .uri("/actuator/health/readiness")
                    .exchange()
                    .expectAll(
                        response -> response.expectStatus().isEqualTo(503),
                        response -> response.expectBody().jsonPath("$.status").isEqualTo("DOWN")));
  }
}
