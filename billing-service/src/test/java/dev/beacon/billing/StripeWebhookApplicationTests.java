package dev.beacon.billing;

import static dev.beacon.billing.BillingTestKit.BUSINESS_PRICE;
import static dev.beacon.billing.BillingTestKit.PRO_PRICE;
import static dev.beacon.billing.BillingTestKit.WEBHOOK_SECRET;
import static dev.beacon.billing.BillingTestKit.checkoutSession;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.entitlementRecords;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.invoice;
import static dev.beacon.billing.BillingTestKit.latestEntitlements;
import static dev.beacon.billing.BillingTestKit.signature;
import static dev.beacon.billing.BillingTestKit.subscription;
import static dev.beacon.billing.BillingTestKit.subscriptionOf;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.billing.subscription.domain.SubscriptionService;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Stripe's deliveries against real PostgreSQL and Kafka, signed as Stripe signs them. */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class StripeWebhookApplicationTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired DatabaseClient db;
  @Autowired SubscriptionService subscriptions;

  @Value("${spring.kafka.bootstrap-servers}")
  String kafka;

  private final long t0 = Instant.now().getEpochSecond() - 60;

  @Test
  void checkoutWithAValidSignatureMakesTheWorkspaceProAndPublishesProEntitlements() {
    String ws = workspace();
    String payload =
        event(
            eventId(),
            "checkout.session.completed",
            t0,
            checkoutSession(ws, "cus_" + ws, "sub_" + ws));

    deliver(web, payload)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");

    JsonNode state = subscriptionOf(web, signer, ws);
    assertThat(state.path("plan").asString()).isEqualTo("pro");
    assertThat(state.path("status").asString()).isEqualTo("active");
    assertThat(state.path("entitlements").path("retention_days").asInt()).isEqualTo(30);
    JsonNode record =
        await().until(() -> latestEntitlements(kafka, ws).orElse(null), r -> r != null);
    assertThat(record.path("workspace_id").asString()).isEqualTo(ws);
    assertThat(record.path("plan").asString()).isEqualTo("pro");
    assertThat(record.path("entitlements").path("retention_days").asInt()).isEqualTo(30);
    assertThat(record.path("entitlements").path("events_per_month").asLong()).isEqualTo(1_000_000);
    assertThat(record.path("entitlements").path("alert_rules").asInt()).isEqualTo(20);
    assertThat(record.path("entitlements").path("members").asInt()).isEqualTo(10);
    assertThat(record.path("entitlements").path("api_keys").asInt()).isEqualTo(10);
    assertThat(record.path("entitlements").path("hosted_credit_allowance").asLong())
        .isEqualTo(5_000_000);
    assertThat(record.path("revision").asLong()).isEqualTo(1);
  }

  @Test
  void wrongSignatureIsRefusedAndNotApplied() {
    String ws = workspace();
    String id = eventId();
    String payload =
        event(id, "checkout.session.completed", t0, checkoutSession(ws, "cus_" + ws, "sub_" + ws));
    long now = Instant.now().getEpochSecond();

    deliver(web, payload, signature(payload, now, "whsec_someoneElsesSecret"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("stripe_signature_invalid");
    deliver(web, payload.replace(ws, workspace()), signature(payload, now, WEBHOOK_SECRET))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("stripe_signature_invalid");
    web.post()
        .uri(BillingTestKit.WEBHOOK)
        .bodyValue(payload)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("stripe_signature_invalid");

    assertThat(loggedEvents(id)).isZero();
    assertThat(subscriptionOf(web, signer, ws).path("plan").asString()).isEqualTo("free");
  }

  @Test
  void expiredTimestampIsRefusedAndNotApplied() {
    String ws = workspace();
    String id = eventId();
    String payload =
        event(id, "checkout.session.completed", t0, checkoutSession(ws, "cus_" + ws, "sub_" + ws));
    long tenMinutesAgo = Instant.now().getEpochSecond() - 600;

    deliver(web, payload, signature(payload, tenMinutesAgo, WEBHOOK_SECRET))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("stripe_signature_expired");
    // an old timestamp with a wrong signature is a wrong signature: the signature is checked first
    deliver(web, payload, signature(payload, tenMinutesAgo, "whsec_not_the_secret"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("stripe_signature_invalid");

    assertThat(loggedEvents(id)).isZero();
    assertThat(subscriptionOf(web, signer, ws).path("plan").asString()).isEqualTo("free");
  }

  @Test
  void replayedEventIsAppliedOnce() {
    String ws = workspace();
    String id = eventId();
    String payload =
        event(id, "checkout.session.completed", t0, checkoutSession(ws, "cus_" + ws, "sub_" + ws));

    deliver(web, payload)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");
    deliver(web, payload)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("duplicate");

    assertThat(loggedEvents(id)).isEqualTo(1);
    assertThat(subscriptionOf(web, signer, ws).path("revision").asLong()).isEqualTo(1);
    assertThat(entitlementRecords(kafka, ws)).hasSize(1);
  }

  @Test
  void unknownTypeIsAnsweredOkAndRecordedAsIgnored() {
    String id = eventId();
    String payload =
        event(id, "customer.created", t0, Map.of("id", "cus_new", "object", "customer"));

    deliver(web, payload)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("ignored");

    assertThat(outcome(id)).isEqualTo("ignored");
  }

  @Test
  void failedPaymentIsPastDueWithGraceThenFreeWhenTheGraceEnds() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    long periodEnd = t0 + 30 * 24 * 3600;
    deliver(
            web,
            event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub)))
        .expectStatus()
        .isOk();
    deliver(
            web,
            event(
                eventId(),
                "customer.subscription.created",
                t0 + 1,
                subscription(sub, customer, "active", PRO_PRICE, periodEnd)))
        .expectStatus()
        .isOk();

    Instant before = Instant.now();
    deliver(web, event(eventId(), "invoice.payment_failed", t0 + 2, invoice(customer, sub, "open")))
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");

    JsonNode pastDue = subscriptionOf(web, signer, ws);
    assertThat(pastDue.path("status").asString()).isEqualTo("past_due");
    assertThat(pastDue.path("plan").asString()).isEqualTo("pro");
    assertThat(pastDue.path("current_period_end").asString())
        .isEqualTo(Instant.ofEpochSecond(periodEnd).toString());
    Instant grace = Instant.parse(pastDue.path("grace_until").asString());
    assertThat(grace)
        .isBetween(
            before.plus(Duration.ofDays(7)).minusSeconds(5), before.plus(Duration.ofDays(8)));
    assertThat(latestEntitlements(kafka, ws).orElseThrow().path("status").asString())
        .isEqualTo("past_due");

    subscriptions.sweep(grace.plusSeconds(1)).block(Duration.ofSeconds(30));

    JsonNode free = subscriptionOf(web, signer, ws);
    assertThat(free.path("plan").asString()).isEqualTo("free");
    assertThat(free.path("status").asString()).isEqualTo("canceled");
    JsonNode record = latestEntitlements(kafka, ws).orElseThrow();
    assertThat(record.path("plan").asString()).isEqualTo("free");
    assertThat(record.path("entitlements").path("retention_days").asInt()).isEqualTo(7);
    assertThat(record.path("entitlements").path("events_per_month").asLong()).isEqualTo(100_000);
  }

  @Test
  void paidInvoiceAfterAFailedOneMakesTheWorkspaceActiveAgain() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    deliver(
        web,
        event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub)));
    deliver(
        web, event(eventId(), "invoice.payment_failed", t0 + 1, invoice(customer, sub, "open")));
    deliver(web, event(eventId(), "invoice.paid", t0 + 2, invoice(customer, sub, "paid")))
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");

    JsonNode state = subscriptionOf(web, signer, ws);
    assertThat(state.path("status").asString()).isEqualTo("active");
    assertThat(state.path("grace_until").isNull()).isTrue();
    assertThat(state.path("plan").asString()).isEqualTo("pro");
  }

  @Test
  void deletedSubscriptionIsFree() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    deliver(
        web,
        event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub)));
    deliver(
            web,
            event(
                eventId(),
                "customer.subscription.deleted",
                t0 + 5,
                subscription(sub, customer, "canceled", PRO_PRICE, t0)))
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("applied");

    JsonNode state = subscriptionOf(web, signer, ws);
    assertThat(state.path("plan").asString()).isEqualTo("free");
    assertThat(state.path("status").asString()).isEqualTo("canceled");
    assertThat(latestEntitlements(kafka, ws).orElseThrow().path("plan").asString())
        .isEqualTo("free");
  }

  @Test
  void outOfOrderAndRepeatedDeliveriesConverge() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    long periodEnd = t0 + 30 * 24 * 3600;
    String upgrade =
        event(
            eventId(),
            "customer.subscription.updated",
            t0 + 20,
            subscription(sub, customer, "active", BUSINESS_PRICE, periodEnd));
    String older =
        event(
            eventId(),
            "customer.subscription.updated",
            t0 + 10,
            subscription(sub, customer, "past_due", PRO_PRICE, periodEnd));

    deliver(
        web,
        event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub)));
    deliver(web, upgrade).expectBody().jsonPath("$.outcome").isEqualTo("applied");
    deliver(web, older).expectBody().jsonPath("$.outcome").isEqualTo("stale");
    deliver(web, upgrade).expectBody().jsonPath("$.outcome").isEqualTo("duplicate");
    deliver(web, older).expectBody().jsonPath("$.outcome").isEqualTo("duplicate");

    JsonNode state = subscriptionOf(web, signer, ws);
    assertThat(state.path("plan").asString()).isEqualTo("business");
    assertThat(state.path("status").asString()).isEqualTo("active");
    assertThat(state.path("revision").asLong()).isEqualTo(2);
    JsonNode record = latestEntitlements(kafka, ws).orElseThrow();
    assertThat(record.path("plan").asString()).isEqualTo("business");
    assertThat(record.path("entitlements").path("retention_days").asInt()).isEqualTo(90);
  }

  @Test
  void aWorkspaceWithoutASubscriptionIsFreeAndNeverSeesAnotherWorkspaces() {
    String paying = workspace();
    String other = workspace();
    deliver(
            web,
            event(
                eventId(),
                "checkout.session.completed",
                t0,
                checkoutSession(paying, "cus_" + paying, "sub_" + paying)))
        .expectStatus()
        .isOk();

    JsonNode state = subscriptionOf(web, signer, other);
    assertThat(state.path("workspace_id").asString()).isEqualTo(other);
    assertThat(state.path("plan").asString()).isEqualTo("free");
    assertThat(state.path("status").isNull()).isTrue();
    assertThat(state.path("entitlements").path("retention_days").asInt()).isEqualTo(7);
    assertThat(state.path("entitlements").path("members").asInt()).isEqualTo(3);
    assertThat(state.toString()).doesNotContain(paying);
    assertThat(subscriptionOf(web, signer, paying).path("plan").asString()).isEqualTo("pro");
  }

  @Test
  void theWebhookSecretIsInNoLogLineAndNoResponse(CapturedOutput output) {
    String ws = workspace();
    String payload =
        event(
            eventId(),
            "checkout.session.completed",
            t0,
            checkoutSession(ws, "cus_" + ws, "sub_" + ws));
    long now = Instant.now().getEpochSecond();
    List<byte[]> bodies =
        List.of(
            body(deliver(web, payload)),
            body(deliver(web, payload, signature(payload, now, "whsec_wrong"))),
            body(deliver(web, payload, signature(payload, now - 3600, WEBHOOK_SECRET))),
            body(deliver(web, "not json", signature("not json", now, WEBHOOK_SECRET))));

    assertThat(output.getAll())
        .contains("checkout.session.completed")
        .doesNotContain(WEBHOOK_SECRET);
    assertThat(bodies).allSatisfy(b -> assertThat(new String(b)).doesNotContain(WEBHOOK_SECRET));
  }

  @Test
  void concurrentDeliveriesInAnyOrderEndInTheNewestState() {
    String ws = workspace();
    String customer = "cus_" + ws;
    String sub = "sub_" + ws;
    deliver(
            web,
            event(eventId(), "checkout.session.completed", t0, checkoutSession(ws, customer, sub)))
        .expectStatus()
        .isOk();
    List<String> updates = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      String price = i % 2 == 0 ? BUSINESS_PRICE : PRO_PRICE;
      updates.add(
          event(
              eventId(),
              "customer.subscription.updated",
              t0 + i,
              subscription(sub, customer, "active", price, t0 + 30 * 24 * 3600)));
    }
    Collections.shuffle(updates, new Random(17));
    List<CompletableFuture<Void>> deliveries =
        updates.stream()
            .map(
                payload ->
                    CompletableFuture.runAsync(() -> deliver(web, payload).expectStatus().isOk()))
            .toList();
    CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new)).join();

    JsonNode state = subscriptionOf(web, signer, ws);
    assertThat(state.path("plan").asString()).isEqualTo("business");
    assertThat(latestEntitlements(kafka, ws).orElseThrow().path("plan").asString())
        .isEqualTo("business");
  }

  @Test
  void aSubscriptionEventNoWorkspaceCanBeFoundForIsRecordedUnmatched() {
    String id = eventId();
    String sub = "sub_" + workspace();
    deliver(
            web,
            event(
                id,
                "customer.subscription.created",
                t0,
                subscription(sub, "cus_unknown", "active", PRO_PRICE, t0 + 3600)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("unmatched");

    assertThat(outcome(id)).isEqualTo("unmatched");
  }

  @Test
  void aCheckoutAtAPriceNoPlanIsSoldAtChangesNothing() {
    String ws = workspace();
    Map<String, Object> session =
        new LinkedHashMap<>(checkoutSession(ws, "cus_" + ws, "sub_" + ws));
    session.put("metadata", Map.of("workspace_id", ws, "price_id", "price_someone_elses"));

    deliver(web, event(eventId(), "checkout.session.completed", t0, session))
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("unmatched");

    assertThat(subscriptionOf(web, signer, ws).path("plan").asString()).isEqualTo("free");
    assertThat(entitlementRecords(kafka, ws)).isEmpty();
  }

  private static byte[] body(WebTestClient.ResponseSpec response) {
    return response.expectBody().returnResult().getResponseBodyContent();
  }

  private long loggedEvents(String id) {
    return db.sql("SELECT count(*) AS n FROM stripe_events WHERE id = :id")
        .bind("id", id)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(Duration.ofSeconds(10));
  }

  private String outcome(String id) {
    return db.sql("SELECT outcome FROM stripe_events WHERE id = :id")
        .bind("id", id)
        .map(row -> row.get("outcome", String.class))
        .one()
        .block(Duration.ofSeconds(10));
  }
}
