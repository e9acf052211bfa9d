package dev.beacon.billing;

import static dev.beacon.billing.BillingTestKit.checkoutSession;
import static dev.beacon.billing.BillingTestKit.creditsOf;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.invoice;
import static dev.beacon.billing.BillingTestKit.llmCall;
import static dev.beacon.billing.BillingTestKit.noticeRecords;
import static dev.beacon.billing.BillingTestKit.packCheckoutSession;
import static dev.beacon.billing.BillingTestKit.paymentIntent;
import static dev.beacon.billing.BillingTestKit.subscribeToPro;
import static dev.beacon.billing.BillingTestKit.subscription;
import static dev.beacon.billing.BillingTestKit.subscriptionOf;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.billing.subscription.domain.SubscriptionService;
import dev.beacon.events.Topics;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Billing notices on {@code billing.notices.v1} against real PostgreSQL and Kafka: each told once,
 * whatever is redelivered or swept again.
 */
@IntegrationTest
class BillingNoticesApplicationTests {

  /** Free's monthly allowance, and the low threshold (10 % of it). */
  static final long FREE_ALLOWANCE = 1_000_000;

  static final long LOW = 100_000;

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired SubscriptionService subscriptions;
  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired DatabaseClient db;

  @Value("${spring.kafka.bootstrap-servers}")
  String bootstrapServers;

  private final long t0 = Instant.now().getEpochSecond() - 60;

  @Test
  void aFailedPaymentIsToldOnceThenTheGraceEndingAndTheDowngradeOnceEach() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    subscribeToPro(web, ws, t0);
    assertThat(noticeRecords(bootstrapServers, ws)).isEmpty();

    String failed =
        event(eventId(), "invoice.payment_failed", t0 + 2, invoice(customer, sub, "open"));
    assertOutcome(deliver(web, failed), "applied");

    List<JsonNode> notices = noticeRecords(bootstrapServers, ws);
    assertThat(notices).hasSize(1);
    JsonNode notice = notices.get(0);
    Instant grace = Instant.parse(subscriptionOf(web, signer, ws).path("grace_until").asString());
    assertThat(notice.path("kind").asString()).isEqualTo("payment_failed");
    assertThat(notice.path("workspace_id").asString()).isEqualTo(ws);
    assertThat(notice.path("notice_id").asString())
        .isEqualTo("payment_failed:" + ws + ":" + grace.getEpochSecond());
    assertThat(notice.path("link").asString()).isEqualTo("/billing");
    assertThat(notice.path("title").asString()).isEqualTo("Payment failed");
    assertThat(notice.path("message").asString()).contains("Pro").contains("UTC");
    assertThat(Instant.parse(notice.path("details").path("grace_until").asString()))
        .isEqualTo(grace);
    assertThat(notice.path("details").path("plan").asString()).isEqualTo("pro");
    assertThat(notice.path("occurred_at").isString()).isTrue();

    // the same delivery again, and another failed attempt within the grace period: no new notice
    assertOutcome(deliver(web, failed), "duplicate");
    assertOutcome(
        deliver(
            web,
            event(eventId(), "invoice.payment_failed", t0 + 3, invoice(customer, sub, "open"))),
        "applied");
    assertThat(noticeRecords(bootstrapServers, ws)).hasSize(1);

    // a day before the grace ends: grace_ending, once however often the sweep runs
    subscriptions.sweep(grace.minus(Duration.ofHours(23))).block(Duration.ofSeconds(30));
    subscriptions.sweep(grace.minus(Duration.ofHours(22))).block(Duration.ofSeconds(30));
    assertThat(kinds(ws)).containsExactly("payment_failed", "grace_ending");
    assertThat(noticeRecords(bootstrapServers, ws).get(1).path("notice_id").asString())
        .isEqualTo("grace_ending:" + ws + ":" + grace.getEpochSecond());

    subscriptions.sweep(grace.plusSeconds(1)).block(Duration.ofSeconds(30));
    subscriptions.sweep(grace.plusSeconds(2)).block(Duration.ofSeconds(30));
    assertThat(kinds(ws)).containsExactly("payment_failed", "grace_ending", "downgraded_to_free");
    assertThat(subscriptionOf(web, signer, ws).path("plan").asString()).isEqualTo("free");
  }

  @Test
  void aSubscriptionThatWentPastDueFirstIsToldOnceByTheFailedInvoiceAfterIt() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    assertOutcome(
        deliver(
            web,
            event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub))),
        "applied");
    assertOutcome(
        deliver(
            web,
            event(
                eventId(),
                "customer.subscription.updated",
                t0 + 1,
                subscription(sub, customer, "past_due", BillingTestKit.PRO_PRICE, t0 + 2_592_000))),
        "applied");
    assertOutcome(
        deliver(
            web,
            event(eventId(), "invoice.payment_failed", t0 + 2, invoice(customer, sub, "open"))),
        "applied");
    assertThat(kinds(ws)).containsExactly("payment_failed");
  }

  @Test
  void aDebitBelowTheLowThresholdIsToldOncePerCrossingAndTheFlipToBlockedOnce() {
    String ws = workspace();
    // 76,000 output tokens of gpt-4o: 912,000 credits, leaving 88,000 (< 100,000, > 0)
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 76_000, true));
    await().atMost(Duration.ofSeconds(60)).until(() -> kinds(ws), kinds -> kinds.size() == 1);
    JsonNode low = noticeRecords(bootstrapServers, ws).get(0);
    assertThat(low.path("kind").asString()).isEqualTo("credits_low");
    assertThat(low.path("notice_id").asString()).startsWith("credits_low:");
    assertThat(low.path("details").path("balance").asLong()).isEqualTo(88_000);
    assertThat(low.path("details").path("threshold").asLong()).isEqualTo(LOW);
    assertThat(low.path("message").asString()).contains("$0.08");
    assertThat(creditsOf(web, signer, ws).path("balance").asLong()).isEqualTo(88_000);

    // below the threshold already: further debits tell nothing (a notice is written in the
    // debit's transaction, so once the balance shows it, any notice of it is in the outbox)
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 1_000, true));
    awaitBalance(ws, 76_000);
    assertThat(recorded(ws)).isEqualTo(1);
    assertThat(kinds(ws)).containsExactly("credits_low");

    // a pack takes it above the threshold; the next crossing is told again
    assertOutcome(
        deliver(
            web,
            event(
                eventId(),
                "checkout.session.completed",
                t0,
                packCheckoutSession(ws, "credits_10", paymentIntent()))),
        "applied");
    awaitBalance(ws, 10_076_000);
    // 834,000 output tokens: 10,008,000 credits, leaving 68,000
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 834_000, true));
    await().atMost(Duration.ofSeconds(60)).until(() -> kinds(ws), kinds -> kinds.size() == 2);
    List<JsonNode> notices = noticeRecords(bootstrapServers, ws);
    assertThat(notices.get(1).path("kind").asString()).isEqualTo("credits_low");
    assertThat(notices.get(1).path("notice_id").asString())
        .isNotEqualTo(notices.get(0).path("notice_id").asString());
    assertThat(notices.get(1).path("details").path("balance").asLong()).isEqualTo(68_000);

    // through zero: hosted use flips to blocked, told once
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 10_000, true));
    await().atMost(Duration.ofSeconds(60)).until(() -> kinds(ws), kinds -> kinds.size() == 3);
    JsonNode exhausted = noticeRecords(bootstrapServers, ws).get(2);
    assertThat(exhausted.path("kind").asString()).isEqualTo("credits_exhausted");
    assertThat(exhausted.path("details").path("balance").asLong()).isEqualTo(-52_000);
    assertThat(creditsOf(web, signer, ws).path("hosted_llm_allowed").asBoolean()).isFalse();

    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 1_000, true));
    awaitBalance(ws, -64_000);
    assertThat(recorded(ws)).isEqualTo(3);
    assertThat(kinds(ws)).containsExactly("credits_low", "credits_low", "credits_exhausted");
  }

  @Test
  void aDebitThatGoesStraightThroughZeroIsToldAsExhaustedOnly() {
    String ws = workspace();
    // 100,000 output tokens of gpt-4o: 1,200,000 credits, more than Free's allowance
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 100_000, true));
    await().atMost(Duration.ofSeconds(60)).until(() -> kinds(ws), kinds -> !kinds.isEmpty());
    assertThat(kinds(ws)).containsExactly("credits_exhausted");
    assertThat(creditsOf(web, signer, ws).path("balance").asLong())
        .isEqualTo(FREE_ALLOWANCE - 1_200_000);
  }

  private List<String> kinds(String ws) {
    return noticeRecords(bootstrapServers, ws).stream()
        .map(notice -> notice.path("kind").asString())
        .toList();
  }

  /** The workspace's notices in billing's outbox, published or not. */
  private long recorded(String ws) {
    return db.sql("SELECT count(*) AS n FROM notices WHERE workspace_id = :ws")
        .bind("ws", ws)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(Duration.ofSeconds(10));
  }

  private void send(String ws, String event) {
    try {
      kafka
          .send(Topics.LLM_CALLS.name(), Topics.eventKey(ws, "agent-1"), event)
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitBalance(String ws, long expected) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> creditsOf(web, signer, ws).path("balance").asLong(), b -> b == expected);
  }

  private static void assertOutcome(WebTestClient.ResponseSpec response, String outcome) {
    response.expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo(outcome);
  }
}
