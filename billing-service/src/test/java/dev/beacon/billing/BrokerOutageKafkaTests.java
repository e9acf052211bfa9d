package dev.beacon.billing;

import static dev.beacon.billing.BillingTestKit.checkoutSession;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.invoice;
import static dev.beacon.billing.BillingTestKit.latestEntitlements;
import static dev.beacon.billing.BillingTestKit.noticeRecords;
import static dev.beacon.billing.BillingTestKit.subscriptionOf;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.billing.subscription.domain.SubscriptionService;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.testsupport.BeaconInfrastructureInitializer;
import dev.beacon.testsupport.RestartableKafka;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A broker that goes away: the webhook still answers Stripe within the publish bound with the
 * change applied, and the sweep publishes the entitlements and the billing notices once the broker
 * is back. Runs against its own broker process so the shared one stays up for the other tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ContextConfiguration(
    initializers = {BeaconInfrastructureInitializer.class, BrokerOutageKafkaTests.OwnBroker.class})
@DirtiesContext
class BrokerOutageKafkaTests {

  private static final RestartableKafka broker = startBroker();

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired SubscriptionService subscriptions;
  @Autowired DatabaseClient db;

  private static RestartableKafka startBroker() {
    RestartableKafka kafka = RestartableKafka.create();
    kafka.start();
    kafka.awaitReady(Duration.ofSeconds(60));
    return kafka;
  }

  /** Points this context's Kafka clients at the restartable broker, with shorter bounds. */
  @Order(Ordered.LOWEST_PRECEDENCE)
  static class OwnBroker implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "own-broker",
                  Map.of(
                      "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                      "spring.kafka.producer.properties.delivery.timeout.ms", "4000",
                      "spring.kafka.producer.properties.request.timeout.ms", "2000",
                      "spring.kafka.producer.properties.max.block.ms", "2000",
                      "beacon.billing.publish-timeout", "2s")));
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void answersStripeWithinTheBoundWithoutABrokerAndPublishesOnceItIsBack() {
    WebTestClient client = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    long created = Instant.now().getEpochSecond() - 60;
    String ws = workspace();
    String payload =
        event(
            eventId(),
            "checkout.session.completed",
            created,
            checkoutSession(ws, "cus_" + ws, "sub_" + ws));

    broker.stop();
    long started = System.nanoTime();
    deliver(client, payload)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    assertThat(subscriptionOf(client, signer, ws).path("plan").asString()).isEqualTo("pro");
    assertThat(publishedRevision(ws)).isZero();

    // a failed payment's notice is kept in the outbox; the answer does not wait for it longer
    started = System.nanoTime();
    deliver(
            client,
            event(
                eventId(),
                "invoice.payment_failed",
                created + 1,
                invoice("cus_" + ws, "sub_" + ws, "open")))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    assertThat(subscriptionOf(client, signer, ws).path("status").asString()).isEqualTo("past_due");
    assertThat(unpublishedNotices(ws)).isEqualTo(1);

    broker.restart();
    broker.awaitReady(Duration.ofSeconds(60));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              subscriptions.sweep(Instant.now()).block(Duration.ofSeconds(30));
              assertThat(publishedRevision(ws)).isEqualTo(2);
              assertThat(unpublishedNotices(ws)).isZero();
            });
    JsonNode latest = latestEntitlements(broker.bootstrapServers(), ws).orElseThrow();
    assertThat(latest.path("plan").asString()).isEqualTo("pro");
    assertThat(latest.path("status").asString()).isEqualTo("past_due");
    assertThat(noticeRecords(broker.bootstrapServers(), ws))
        .extracting(notice -> notice.path("kind").asString())
        .containsExactly("payment_failed");
  }

  private long unpublishedNotices(String ws) {
    return db.sql(
            "SELECT count(*) AS n FROM notices WHERE workspace_id = :ws AND published_at IS NULL")
        .bind("ws", ws)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(Duration.ofSeconds(10));
  }

  private long publishedRevision(String ws) {
    return db.sql("SELECT published_revision FROM subscriptions WHERE workspace_id = :ws")
        .bind("ws", ws)
        .map(row -> row.get("published_revision", Long.class))
        .one()
        .block(Duration.ofSeconds(10));
  }
}
