package dev.beacon.billing;

import static dev.beacon.billing.BillingTestKit.charge;
import static dev.beacon.billing.BillingTestKit.creditsOf;
import static dev.beacon.billing.BillingTestKit.deliver;
import static dev.beacon.billing.BillingTestKit.entitlementRecords;
import static dev.beacon.billing.BillingTestKit.event;
import static dev.beacon.billing.BillingTestKit.eventId;
import static dev.beacon.billing.BillingTestKit.get;
import static dev.beacon.billing.BillingTestKit.latestEntitlements;
import static dev.beacon.billing.BillingTestKit.llmCall;
import static dev.beacon.billing.BillingTestKit.packCheckoutSession;
import static dev.beacon.billing.BillingTestKit.paymentIntent;
import static dev.beacon.billing.BillingTestKit.subscriptionOf;
import static dev.beacon.billing.BillingTestKit.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.billing.credit.domain.LedgerService;
import dev.beacon.events.Topics;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * The credit ledger against real PostgreSQL and Kafka: hosted usage debited from {@code llm_call}
 * events, packs granted and refunds reversed through signed Stripe deliveries, and the flag that
 * blocks hosted use at a balance of zero.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class CreditLedgerApplicationTests {

  /** Free's monthly allowance. */
  static final long FREE_ALLOWANCE = 1_000_000;

  /** One credits_10 pack. */
  static final long PACK = 10_000_000;

  /** gpt-4o, 1000 input of which 200 cached, 500 output: 800×3 + 200×1.5 + 500×12 credits. */
  static final long GPT4O_CALL = 8_700;

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired DatabaseClient db;
  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired LedgerService ledger;

  @Value("${spring.kafka.bootstrap-servers}")
  String bootstrapServers;

  private final long t0 = Instant.now().getEpochSecond() - 60;

  @Test
  void redeliveredLlmCallEventsAreDebitedOnceAndOthersAreLeftAlone(CapturedOutput output) {
    String ws = workspace();
    UUID call = UUID.randomUUID();
    String event = llmCall(call, ws, "openai", "gpt-4o", 1000, 200, 500, true);

    send(ws, event);
    awaitBalance(ws, FREE_ALLOWANCE - GPT4O_CALL);

    // redelivered in later batches, beside a call on the caller's own key, a malformed hosted
    // record, and a second hosted call that shows the batch was consumed
    send(ws, event);
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 5000, 0, 5000, false));
    send(ws, event.replace("\"workspace_id\":\"" + ws + "\",", ""));
    send(ws, event);
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 1000, 200, 500, true));
    awaitBalance(ws, FREE_ALLOWANCE - 2 * GPT4O_CALL);

    assertThat(
            count(
                "SELECT count(*) AS n FROM ledger_transactions WHERE reference = :ref",
                "llm_call:" + call))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) AS n FROM ledger_transactions"
                    + " WHERE workspace_id = :ref AND kind = 'debit_usage'",
                ws))
        .isEqualTo(2);
    assertThat(output.getAll()).contains("Skipping malformed llm_call record");
  }

  @Test
  void hostedUsageIsPricedInExactIntegersRoundedUpOncePerCall() {
    db.sql(
            "INSERT INTO hosted_rates VALUES ('test-exact', 'float-trap', 1100000, 3, 1)"
                + " ON CONFLICT DO NOTHING")
        .then()
        .block(Duration.ofSeconds(10));
    String ws = workspace();
    UUID hundredInput = UUID.randomUUID();
    UUID oneOutput = UUID.randomUUID();
    UUID billionTokens = UUID.randomUUID();
    UUID unknownModel = UUID.randomUUID();

    // 100 × 1.1 is 110.00000000000001 in doubles, whose ceiling would be 111
    send(ws, llmCall(hundredInput, ws, "test-exact", "float-trap", 100, 0, 0, true));
    // a millionth of a credit is still a whole credit
    send(ws, llmCall(oneOutput, ws, "test-exact", "float-trap", 0, 0, 1, true));
    // (1 × 1,100,000 + 999,999,999 × 3 + 10^9 × 1) / 10^6 = 4001.099997 → 4002
    send(
        ws,
        llmCall(
            billionTokens,
            ws,
            "test-exact",
            "float-trap",
            1_000_000_000,
            999_999_999,
            1_000_000_000,
            true));
    // no rate of its own: the fallback, 3.6 credits per input token
    send(ws, llmCall(unknownModel, ws, "nobody", "unheard-of", 1000, 0, 0, true));
    awaitBalance(ws, FREE_ALLOWANCE - 110 - 1 - 4002 - 3600);

    Map<String, Long> debits = new HashMap<>();
    for (JsonNode t : get(web, signer, ws, "/api/billing/credits/ledger").path("transactions")) {
      debits.put(t.path("reference").asString(), t.path("amount").asLong());
    }
    assertThat(debits)
        .containsEntry("llm_call:" + hundredInput, -110L)
        .containsEntry("llm_call:" + oneOutput, -1L)
        .containsEntry("llm_call:" + billionTokens, -4002L)
        .containsEntry("llm_call:" + unknownModel, -3600L);
  }

  @Test
  void concurrentGrantsAndDebitsLeaveTheBalanceExactAndEveryTransactionBalanced() throws Exception {
    String ws = workspace();
    int packs = 4;
    int calls = 40;
    List<Runnable> work = new ArrayList<>();
    for (int i = 0; i < packs; i++) {
      String purchase =
          event(
              eventId(),
              "checkout.session.completed",
              t0,
              packCheckoutSession(ws, "credits_10", paymentIntent()));
      work.add(() -> assertOutcome(deliver(web, purchase), "applied"));
    }
    for (int i = 0; i < calls; i++) {
      String call = llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 1000, 200, 500, true);
      work.add(() -> send(ws, call));
      work.add(() -> send(ws, call));
    }
    for (int i = 0; i < 8; i++) {
      work.add(
          () ->
              assertThat(creditsOf(web, signer, ws).path("workspace_id").asString()).isEqualTo(ws));
    }
    java.util.Collections.shuffle(work, new java.util.Random(23));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CompletableFuture.allOf(
              work.stream()
                  .map(w -> CompletableFuture.runAsync(w, pool))
                  .toArray(CompletableFuture[]::new))
          .get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    long expected = FREE_ALLOWANCE + packs * PACK - calls * GPT4O_CALL;
    awaitBalance(ws, expected);
    JsonNode credits = creditsOf(web, signer, ws);
    // usage is taken from the allowance first
    assertThat(credits.path("allowance_balance").asLong())
        .isEqualTo(FREE_ALLOWANCE - calls * GPT4O_CALL);
    assertThat(credits.path("purchased_balance").asLong()).isEqualTo(packs * PACK);
    assertThat(
            count(
                "SELECT COALESCE(sum(e.amount), 0) AS n FROM ledger_entries e"
                    + " JOIN ledger_accounts a ON a.id = e.account_id WHERE a.workspace_id = :ref",
                ws))
        .isEqualTo(expected);
    assertThat(count("SELECT count(*) AS n FROM ledger_transactions WHERE workspace_id = :ref", ws))
        .isEqualTo(1 + packs + calls);
    assertThat(unbalancedTransactions()).isZero();
  }

  @Test
  void aDelayedPaymentGrantsThePackWhenItSucceedsAndOnlyOnce() {
    String ws = workspace();
    Map<String, Object> session = packCheckoutSession(ws, "credits_10", paymentIntent());
    session.put("payment_status", "unpaid");
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.completed", t0, session)), "ignored");
    assertThat(creditsOf(web, signer, ws).path("balance").asLong())
        .as("nothing granted before the money arrived")
        .isEqualTo(FREE_ALLOWANCE);

    session.put("payment_status", "paid");
    String succeeded =
        event(eventId(), "checkout.session.async_payment_succeeded", t0 + 1, session);
    assertOutcome(deliver(web, succeeded), "applied");
    assertOutcome(deliver(web, succeeded), "duplicate");
    assertOutcome(
        deliver(web, event(eventId(), "checkout.session.async_payment_succeeded", t0 + 2, session)),
        "duplicate");
    assertThat(creditsOf(web, signer, ws).path("balance").asLong())
        .isEqualTo(FREE_ALLOWANCE + PACK);
  }

  @Test
  void aRefundReversesTheRefundedSharePartlyThenFullyAndEachDeliveryOnce() {
    String ws = workspace();
    String pi = paymentIntent();
    assertOutcome(
        deliver(
            web,
            event(
                eventId(),
                "checkout.session.completed",
                t0,
                packCheckoutSession(ws, "credits_10", pi))),
        "applied");
    assertThat(creditsOf(web, signer, ws).path("balance").asLong())
        .isEqualTo(FREE_ALLOWANCE + PACK);

    String quarter = event(eventId(), "charge.refunded", t0 + 1, charge(pi, 1000, 250));
    assertOutcome(deliver(web, quarter), "applied");
    assertOutcome(deliver(web, quarter), "duplicate");
    assertThat(creditsOf(web, signer, ws).path("balance").asLong())
        .isEqualTo(FREE_ALLOWANCE + PACK * 3 / 4);

    assertOutcome(
        deliver(web, event(eventId(), "charge.refunded", t0 + 2, charge(pi, 1000, 1000))),
        "applied");
    // a delivery of the earlier state of the charge after the full refund takes nothing more
    assertOutcome(
        deliver(web, event(eventId(), "charge.refunded", t0 + 1, charge(pi, 1000, 250))), "stale");
    assertOutcome(
        deliver(
            web, event(eventId(), "charge.refunded", t0 + 3, charge(paymentIntent(), 1000, 1000))),
        "unmatched");

    JsonNode credits = creditsOf(web, signer, ws);
    assertThat(credits.path("balance").asLong()).isEqualTo(FREE_ALLOWANCE);
    assertThat(credits.path("purchased_balance").asLong()).isZero();
    List<Long> reversals = new ArrayList<>();
    for (JsonNode t : get(web, signer, ws, "/api/billing/credits/ledger").path("transactions")) {
      if (t.path("kind").asString().equals("reversal")) {
        reversals.add(t.path("amount").asLong());
      }
    }
    assertThat(reversals).containsExactly(-PACK * 3 / 4, -PACK / 4);
  }

  @Test
  void aBalanceOfZeroBlocksHostedUseOnTheTopicAndAPackPurchaseUnblocksIt() {
    String ws = workspace();
    // 100,000 output tokens of gpt-4o: 1,200,000 credits, more than Free's allowance
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 0, 0, 100_000, true));

    JsonNode blocked =
        await().until(() -> latestEntitlements(bootstrapServers, ws).orElse(null), r -> r != null);
    assertThat(blocked.path("plan").asString()).isEqualTo("free");
    assertThat(blocked.path("entitlements").path("hosted_llm_allowed").asBoolean()).isFalse();
    assertThat(blocked.path("entitlements").path("retention_days").asInt()).isEqualTo(7);
    assertThat(blocked.path("revision").asLong()).isEqualTo(1);
    JsonNode credits = creditsOf(web, signer, ws);
    assertThat(credits.path("balance").asLong()).isEqualTo(FREE_ALLOWANCE - 1_200_000);
    assertThat(credits.path("hosted_llm_allowed").asBoolean()).isFalse();
    assertThat(
            subscriptionOf(web, signer, ws)
                .path("entitlements")
                .path("hosted_llm_allowed")
                .asBoolean())
        .isFalse();

    // a debit that changes nothing about the flag publishes nothing
    send(ws, llmCall(UUID.randomUUID(), ws, "openai", "gpt-4o", 1000, 200, 500, true));
    awaitBalance(ws, FREE_ALLOWANCE - 1_200_000 - GPT4O_CALL);
    assertThat(entitlementRecords(bootstrapServers, ws)).hasSize(1);

    assertOutcome(
        deliver(
            web,
            event(
                eventId(),
                "checkout.session.completed",
                t0,
                packCheckoutSession(ws, "credits_10", paymentIntent()))),
        "applied");

    JsonNode unblocked = latestEntitlements(bootstrapServers, ws).orElseThrow();
    assertThat(unblocked.path("entitlements").path("hosted_llm_allowed").asBoolean()).isTrue();
    assertThat(unblocked.path("revision").asLong()).isEqualTo(2);
    JsonNode state = subscriptionOf(web, signer, ws);
    assertThat(state.path("entitlements").path("hosted_llm_allowed").asBoolean()).isTrue();
    assertThat(state.path("revision").asLong()).isEqualTo(2);
    assertThat(creditsOf(web, signer, ws).path("hosted_llm_allowed").asBoolean()).isTrue();
  }

  @Test
  void ledgerRowsCannotBeUpdatedOrDeletedAndAnUnbalancedTransactionIsRefused() {
    String ws = workspace();
    assertThat(creditsOf(web, signer, ws).path("balance").asLong()).isEqualTo(FREE_ALLOWANCE);

    refused(
        db.sql("UPDATE ledger_entries SET amount = amount + 1 WHERE account_id = :a")
            .bind("a", "workspace:" + ws + ":allowance")
            .then(),
        "append-only");
    refused(
        db.sql("DELETE FROM ledger_entries WHERE account_id = :a")
            .bind("a", "workspace:" + ws + ":allowance")
            .then(),
        "append-only");
    refused(
        db.sql("UPDATE ledger_transactions SET description = 'edited' WHERE workspace_id = :ws")
            .bind("ws", ws)
            .then(),
        "append-only");
    refused(
        db.sql("DELETE FROM ledger_transactions WHERE workspace_id = :ws").bind("ws", ws).then(),
        "append-only");
    refused(
        db.sql(
                "WITH t AS (INSERT INTO ledger_transactions (workspace_id, kind, reference,"
                    + " description, created_at) VALUES (:ws, 'grant_purchase', :ref, 'forged',"
                    + " now()) RETURNING id)"
                    + " INSERT INTO ledger_entries SELECT id, :a, 5 FROM t")
            .bind("ws", ws)
            .bind("ref", "forged:" + ws)
            .bind("a", "workspace:" + ws + ":purchased")
            .then(),
        "does not sum to zero");

    assertThat(creditsOf(web, signer, ws).path("balance").asLong()).isEqualTo(FREE_ALLOWANCE);
  }

  @Test
  void theUnusedAllowanceExpiresWhenTheNextMonthIsGranted() {
    String ws = workspace();
    assertThat(ledger.summary(ws, Instant.parse("2030-01-10T08:00:00Z")).block().balance())
        .isEqualTo(FREE_ALLOWANCE);
    assertThat(ledger.summary(ws, Instant.parse("2030-01-31T23:59:59Z")).block().balance())
        .isEqualTo(FREE_ALLOWANCE);

    var february = ledger.summary(ws, Instant.parse("2030-02-01T00:00:00Z")).block();

    assertThat(february.balance()).isEqualTo(FREE_ALLOWANCE);
    assertThat(february.allowanceMonth()).isEqualTo("2030-02");
    assertThat(february.allowanceGranted()).isEqualTo(FREE_ALLOWANCE);
    List<String> kinds = new ArrayList<>();
    List<Long> amounts = new ArrayList<>();
    for (JsonNode t : get(web, signer, ws, "/api/billing/credits/ledger").path("transactions")) {
      kinds.add(t.path("kind").asString());
      amounts.add(t.path("amount").asLong());
    }
    assertThat(kinds).containsExactly("grant_allowance", "expiry", "grant_allowance");
    assertThat(amounts).containsExactly(FREE_ALLOWANCE, -FREE_ALLOWANCE, FREE_ALLOWANCE);
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

  private long count(String sql, String ref) {
    return db.sql(sql)
        .bind("ref", ref)
        .map(row -> ((Number) row.get("n")).longValue())
        .one()
        .block(Duration.ofSeconds(10));
  }

  /** Transactions, of any workspace, whose entries do not sum to zero. */
  private long unbalancedTransactions() {
    return db.sql(
            "SELECT count(*) AS n FROM (SELECT transaction_id FROM ledger_entries"
                + " GROUP BY transaction_id HAVING sum(amount) <> 0) unbalanced")
        .map(row -> row.get("n", Long.class))
        .one()
        .block(Duration.ofSeconds(10));
  }

  private static void refused(reactor.core.publisher.Mono<Void> statement, String reason) {
    StepVerifier.create(statement)
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining(reason))
        .verify(Duration.ofSeconds(10));
  }
}
